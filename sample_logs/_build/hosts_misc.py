"""The at-risk machine, the rotated / UTF-16 / legacy-format variant, and a machine whose
logs were never collected.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bundle import Bundle
from ccm import CcmLog, Clock, Rec, encode, legacy_text
from client import activity, service_start, service_stop, smp_failure
from common import (
    REFRESH,
    VISTA_LOGS,
    W7_LOGS_X64,
    after,
    boot_time,
    client_guid,
    install_date,
    store_id,
    up_time,
)
from flows import capture_settings_steps, request_store
from osd import CERT_IMPORT_FAILED, run_command_line
from store import mobile_client_export, sms_cert, sms_store_export
from sysinfo import VISTA_HOTFIXES, WIN7_SP1_HOTFIXES, XP_HOTFIXES, Machine, systeminfo
from ts import Ts, vista_phase

_LENOVO = ("LENOVO", "6234A1U", "LENOVO 5CKT61AUS, 10/21/2010")


def wks_w7_1164() -> Bundle:
    """Windows 7 SP1 x64 with the defective certificates, no migration yet: at_risk."""
    host = "WKS-W7-1164"
    b = Bundle(host, "at_risk", [])
    clock = Clock(datetime(2011, 3, 7, 12, 2, 55), host)
    rng = clock.rng
    log = CcmLog(clock, 300)
    first_boot = datetime(2011, 3, 7, 12, 2, 55, 610000)
    t = service_start(log, first_boot, rng)
    reboot = datetime(2011, 3, 8, 22, 14, 9, 300000)
    activity(log, t, reboot, client_guid(host), rng)
    service_stop(log, reboot, rng)
    second_boot = after(reboot, minutes=2, seconds=31)
    t = service_start(log, second_boot, rng)
    collected = datetime(2011, 3, 9, 16, 20, 44)
    activity(log, t, collected, client_guid(host), rng)
    b.put(f"{W7_LOGS_X64}/CcmExec.log", encode(log.recs))
    made = datetime(2010, 6, 21, 14, 33, 2)
    certs = [
        sms_cert(host, "Signing", made, embedded_nul=True),
        sms_cert(host, "Encryption", after(made, seconds=1), embedded_nul=True),
    ]
    b.put("sms_store.reg", sms_store_export(certs))
    b.put("mobile_client.reg", mobile_client_export("4.00.6487.2000", "CHQ", wow64=True))
    machine = Machine(
        host,
        "win7",
        install_date(datetime(2010, 6, 21, 13, 58, 40)),
        boot_time(second_boot),
        _LENOVO,
        "10.20.45.164",
        WIN7_SP1_HOTFIXES,
        x64=True,
        memory_mb=3958,
    )
    b.put("systeminfo.txt", systeminfo(machine))
    b.cite("sms_store.reg", certs[0].thumbprint)
    b.cite("sms_store.reg", certs[1].thumbprint)
    b.cite("systeminfo.txt", "6.1.7601 Service Pack 1 Build 7601")
    b.cite("mobile_client.reg", "4.00.6487.2000")
    return b


def _environment(ts: Ts) -> None:
    """The variable dump a sequence writes when it loads its environment."""
    names = {
        "_SMSTSBootImageID": "CHQ00005",
        "_SMSTSClientCache": r"C:\Windows\System32\CCM\Cache",
        "_SMSTSCurrentActionName": "",
        "_SMSTSDownloadOnDemand": "false",
        "_SMSTSInWinPE": "false",
        "_SMSTSMDataPath": r"C:\_SMSTaskSequence",
        "_SMSTSOrgName": "Example Corp IT",
        "_SMSTSPolicyRefreshPending": "false",
        "_SMSTSRunFromDP": "false",
        "_SMSTSType": "2",
        "_SMSTSUserStarted": "false",
        "_SMSTSTimeout": "720",
        "_SMSTSHTTPPort": "80",
        "_SMSTSHTTPSPort": "443",
        "_SMSTSIISSSLState": "0",
        "OSDComputerName": ts.host,
        "OSDDomainName": "corp.example.com",
        "OSDDomainOUName": "LDAP://OU=Workstations,DC=corp,DC=example,DC=com",
        "OSDJoinType": "0",
        "OSDRegisteredOrgName": "Example Corp",
        "OSDRegisteredUserName": "Example Corp IT",
        "OSDTimeZone": "Eastern Standard Time",
        "OSDStateStorePath": "",
        "OSDMigrateMode": "Simple",
        "OSDMigrateConfigFiles": "MigApp.xml;MigUser.xml",
        "SMSClientInstallProperties": f"SMSMP={ts.site.mp} SMSSITECODE={ts.site.code}",
    }
    for name, value in names.items():
        ts.var(name, value)


def _export_printers(ts: Ts, done: datetime) -> None:
    command = r"cscript.exe //nologo ExportPrinters.vbs /out:C:\_SMSTaskSequence\Printers.xml"
    ts.begin("Export Printer Mappings", 1, ())

    def script() -> int:
        ts.log.clock.set(done)  # the script runs for about six minutes
        return 0

    ts.run(
        f"smsswd.exe /run:CHQ00070 {command}",
        lambda: run_command_line(ts, "CHQ00070", command, script),
    )
    ts.succeeded("Export Printer Mappings")


def _tear(rec: Rec, cut: int) -> Rec:
    """A torn write: another process overwrote the start of this record."""
    return Rec(rec.utc, rec.text[cut:])


def _smpmgr(start: datetime, end: datetime, seed: str) -> bytes:
    """smpmgr.log on the state migration point (legacy ``$$<`` trace, no BOM)."""
    clock = Clock(start, seed)
    comp, thread = "SMS_STATE_MIGRATION_POINT", 2716
    lines: list[str] = []

    def say(message: str, lo: int = 5, hi: int = 400) -> datetime:
        utc = clock.step(lo, hi)
        lines.append(legacy_text(message, utc, 240, comp, thread))
        return utc

    while clock.utc < end:
        say("Starting SMP health check.")
        say(
            "SMP root share D:\\SMPSTORE is shared as "
            "\\\\SMP01.corp.example.com\\SMPSTORED_3A7F21C8$, 412,318 MB free"
        )
        utc = say(
            "Health check request to http://SMP01.corp.example.com:80/SMS_SMP/.sms_smp"
            "?op=healthcheck succeeded (HTTP 200)",
            300,
            900,
        )
        gmt = utc - timedelta(milliseconds=clock.rng.randint(200, 900))
        say(
            'STATMSG: ID=5100 SEV=I LEV=M SOURCE="SMS Server" COMP="SMS_STATE_MIGRATION_POINT" '
            f"SYS=SMP01.corp.example.com SITE=CHQ PID=1884 TID={thread} "
            f"GMTDATE={gmt:%a %b %d %H:%M:%S}.{gmt.microsecond // 1000:03d} {gmt:%Y} "
            'ISTR0="SMP01.corp.example.com" NUMATTRS=0',
            0,
            20,
        )
        say("Checking for expired state stores: 0 found.")
        say("Sleeping for 60 minutes.")
        clock.wait(3600 - 5)
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def wks_vs_0455() -> Bundle:
    """Vista SP2: the failure in a rotated CcmExec.lo_, a dated smsts archive, a UTF-16 copy."""
    host = "WKS-VS-0455"
    b = Bundle(host, "confirmed", ["0x80092024"])
    clock = Clock(datetime(2011, 3, 15, 17, 56, 8, 120000), host)
    rng = clock.rng
    smsts = CcmLog(clock, 240)
    ts = Ts(smsts, host, client_guid(host), REFRESH, vista_phase(240))
    ts.start_full_os()
    _environment(ts)
    _export_printers(ts, datetime(2011, 3, 15, 18, 2, 9, 640000))
    capture_settings_steps(ts, 2)
    request_store(ts, 4, "capture", store_id(host), "Capture Files and Settings", cert_error=True)
    failed_at = next(r.utc for r in smsts.recs if CERT_IMPORT_FAILED in r.text)

    rotated = datetime(2011, 3, 15, 18, 2, 11)  # 14:02:11 local (EDT, +240)
    if not (smsts.recs[0].utc < rotated < failed_at):
        raise RuntimeError("the archive must end before the failure")
    older = [r for r in smsts.recs if r.utc < rotated]
    newer = [r for r in smsts.recs if r.utc >= rotated]
    torn = next(i for i, r in enumerate(older) if "Command line returned 0" in r.text)
    older[torn] = _tear(older[torn], len("<![LOG[Command line retur"))
    b.put(f"{VISTA_LOGS}/smsts-20110315-140211.log", encode(older))
    b.expect_warning(f"{VISTA_LOGS}/smsts-20110315-140211.log", "ned 0]LOG]!>", "torn_record")
    # Copied by a PowerShell 2.0 script (Get-Content | Out-File): UTF-16LE with BOM, and
    # every line break of the text, bare LFs inside messages included, becomes CRLF.
    crlf = [Rec(r.utc, r.text.replace("\r\n", "\n").replace("\n", "\r\n")) for r in newer]
    b.put(f"{VISTA_LOGS}/smsts.log", encode(crlf, "utf-16"))

    log = CcmLog(clock, 240)
    boot = datetime(2011, 3, 11, 12, 40, 2, 515000)
    started = service_start(log, boot, rng)
    collected = datetime(2011, 3, 16, 13, 5, 40)
    activity(log, started, collected, client_guid(host), rng)
    smp_failure(log, after(failed_at, milliseconds=3), rng)
    switch = after(failed_at, minutes=26, seconds=13)
    before = sorted((r for r in log.recs if r.utc < switch), key=lambda r: r.utc)
    kept: list[Rec] = []
    size = 3
    for rec in reversed(before):  # the .lo_ holds what fitted since the previous rotation
        size += len(rec.text.encode()) + 2
        if size > 100_000:
            break
        kept.append(rec)
    b.put(f"{VISTA_LOGS}/CcmExec.lo_", encode(kept))
    b.put(f"{VISTA_LOGS}/CcmExec.log", encode([r for r in log.recs if r.utc >= switch]))

    b.put(
        "_server_SMP01/smpmgr.log",
        _smpmgr(datetime(2011, 3, 15, 17, 30, 2, 117000), datetime(2011, 3, 16, 0, 0), "SMP01"),
    )
    made = datetime(2009, 11, 24, 20, 5, 51)
    certs = [
        sms_cert(host, "Signing", made, embedded_nul=True),
        sms_cert(host, "Encryption", after(made, seconds=2), embedded_nul=True),
    ]
    b.put("sms_store.reg", sms_store_export(certs))
    b.put("mobile_client.reg", mobile_client_export("4.00.6487.2000", "CHQ", wow64=False))
    machine = Machine(
        host,
        "vista",
        install_date(datetime(2009, 7, 9, 15, 20, 3)),
        boot_time(boot),
        _LENOVO,
        "10.20.45.55",
        VISTA_HOTFIXES,
        memory_mb=3036,
    )
    b.put("systeminfo.txt", systeminfo(machine))

    b.cite(f"{VISTA_LOGS}/CcmExec.lo_", CERT_IMPORT_FAILED)
    b.cite(f"{VISTA_LOGS}/smsts.log", CERT_IMPORT_FAILED)
    b.cite(f"{VISTA_LOGS}/smsts.log", "Failed to run the action: Request State Store.")
    b.cite(f"{VISTA_LOGS}/smsts.log", "(Error: 80092024; Source: Windows)")
    b.cite(
        f"{VISTA_LOGS}/smsts-20110315-140211.log",
        "Successfully completed the action (Export Printer Mappings)",
    )
    b.cite("sms_store.reg", certs[0].thumbprint)
    b.cite("systeminfo.txt", "KB974571")
    return b


def wks_xp_0999() -> Bundle:
    """Only systeminfo was collected: no_evidence (the logs are missing)."""
    host = "WKS-XP-0999"
    b = Bundle(host, "no_evidence", [])
    boot = datetime(2011, 3, 10, 13, 11, 27)
    collected = datetime(2011, 3, 10, 19, 47, 3)
    machine = Machine(
        host,
        "xp",
        install_date(datetime(2008, 10, 6, 14, 31, 55)),
        up_time(boot, collected),
        ("Dell Inc.", "OptiPlex 745", "DELL   - 7"),
        "10.20.34.99",
        XP_HOTFIXES,
    )
    b.put("systeminfo.txt", systeminfo(machine))
    b.cite("systeminfo.txt", "5.1.2600 Service Pack 3 Build 2600")
    return b
