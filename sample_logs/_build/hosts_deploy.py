"""Machines that went through a deployment: a Windows 7 SP1 replace target whose restore
fails (three snapshots of the moving smsts.log), and an XP machine refreshed to Windows 7
SP1 after an in-sequence CCMCertFix, with the patched client (resolved).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bundle import Bundle
from ccm import CcmLog, Clock, encode
from client import activity, ccmsetup, certfix, service_start, service_stop, smp_failure
from common import (
    KB977203_MSP,
    REFRESH,
    REPLACE_DEPLOY,
    W7_LOGS,
    W7_LOGS_X64,
    WIN7_X64_IMAGE,
    WIN7_X86_IMAGE,
    after,
    boot_time,
    client_guid,
    install_date,
    profiles,
    store_id,
)
from flows import (
    capture_settings_steps,
    capture_state,
    install_os,
    release_store,
    request_store,
    restart_in_winpe,
    restore_state,
)
from osd import CERT_IMPORT_FAILED, partition, pxe_boot, run_command_line
from store import mobile_client_export, sms_cert, sms_store_export
from sysinfo import WIN7_SP1_HOTFIXES, Machine, systeminfo
from ts import Ts, win7_phase, winpe_phase, xp_phase

_OS_LINE = "Running on OS (6.1.7601). Service Pack (1.0). SuiteMask = 256. Product Type = 1"
_HP = ("Hewlett-Packard", "HP Compaq 8200 Elite SFF PC", "Hewlett-Packard J01 v02.05, 12/15/2010")


def _cut_at(log: CcmLog, text: str) -> int:
    """Index just after the first record containing ``text``."""
    return next(i for i, r in enumerate(log.recs) if text in r.text) + 1


def wks_w7_2207() -> Bundle:
    """Replace target, Windows 7 SP1 x64: restore fails on the fresh client's certificates."""
    host = "WKS-W7-2207"
    b = Bundle(host, "confirmed", ["0x80092024"])
    clock = Clock(datetime(2011, 3, 9, 12, 38, 31, 450000), host)
    smsts = CcmLog(clock, 480)
    ts = Ts(smsts, host, client_guid(host), REPLACE_DEPLOY, winpe_phase(480, x64=True))
    pxe_boot(
        ts, "5C9E1A07-33B2-4D2E-9F61-0B7A1C2D4E58", "10.20.44.57", "CHQ00006 (Boot image (x64))"
    )
    ts.begin("Partition Disk 0", 1, ("OSDPartitions",))
    ts.run("osddiskpart.exe", lambda: partition(ts))
    ts.succeeded("Partition Disk 0")
    in_winpe_temp = smsts.snapshot()
    ts.phase = replace(ts.phase, logpath=r"X:\SMSTSLog")
    ts.var("_SMSTSLogPath", ts.phase.logpath)
    setup_log = CcmLog(clock, 300)
    installed: list[datetime] = []

    def client_setup() -> int:
        code = ccmsetup(setup_log, ts.site.mp, ts.site.code, ts.site.client_pkg, _OS_LINE, None)
        installed.append(clock.utc)
        return code

    new_os = win7_phase(300, x64=True)
    ip, on_c = install_os(ts, 2, WIN7_X64_IMAGE, None, new_os, client_setup)
    on_local_drive = smsts.recs[:on_c]
    request_store(
        ts, ip, "restore", store_id(host), "Restore User Files and Settings", cert_error=True
    )
    failed_at = next(r.utc for r in smsts.recs if CERT_IMPORT_FAILED in r.text)
    at_dialog = smsts.recs[: _cut_at(smsts, "Task sequence execution failed with error code")]

    b.put("X_Windows_Temp_SMSTSLog/smsts.log", encode(in_winpe_temp))
    b.put("_SMSTaskSequence/Logs/Smstslog/smsts.log", encode(on_local_drive))
    b.put(f"{W7_LOGS_X64}/SMSTSLog/smsts.log", encode(at_dialog))
    b.put("Windows/SysWOW64/ccmsetup/ccmsetup.log", encode(setup_log.recs))
    ccmexec = CcmLog(clock, 300)
    started = service_start(ccmexec, after(installed[0], seconds=-26), clock.rng)
    collected = after(failed_at, minutes=37)
    activity(ccmexec, started, collected, client_guid(host), clock.rng)
    smp_failure(ccmexec, after(failed_at, milliseconds=5), clock.rng)
    b.put(f"{W7_LOGS_X64}/CcmExec.log", encode(ccmexec.recs))
    made = after(started, seconds=3)
    certs = [
        sms_cert(host, "Signing", made, embedded_nul=True),
        sms_cert(host, "Encryption", after(made, seconds=1), embedded_nul=True),
    ]
    b.put("sms_store.reg", sms_store_export(certs))
    b.put("mobile_client.reg", mobile_client_export("4.00.6487.2000", "CHQ", wow64=True))
    machine = Machine(
        host,
        "win7",
        install_date(installed[0]),
        boot_time(after(installed[0], minutes=-6)),
        _HP,
        "10.20.44.57",
        WIN7_SP1_HOTFIXES,
        x64=True,
        memory_mb=4011,
    )
    b.put("systeminfo.txt", systeminfo(machine))

    b.cite(f"{W7_LOGS_X64}/SMSTSLog/smsts.log", "Executing command line: osdsmpclient.exe /restore")
    b.cite(f"{W7_LOGS_X64}/SMSTSLog/smsts.log", CERT_IMPORT_FAILED)
    b.cite(f"{W7_LOGS_X64}/SMSTSLog/smsts.log", "Process completed with exit code 2148081700")
    b.cite(f"{W7_LOGS_X64}/SMSTSLog/smsts.log", "(Error: 80092024; Source: Windows)")
    b.cite(f"{W7_LOGS_X64}/CcmExec.log", CERT_IMPORT_FAILED)
    b.cite(
        "X_Windows_Temp_SMSTSLog/smsts.log", "Successfully completed the action (Partition Disk 0)"
    )
    b.cite(
        "_SMSTaskSequence/Logs/Smstslog/smsts.log",
        "Configuration Manager client installed successfully",
    )
    b.cite("sms_store.reg", certs[0].thumbprint)
    b.cite("systeminfo.txt", "6.1.7601 Service Pack 1 Build 7601")
    b.cite("mobile_client.reg", "4.00.6487.2000")
    return b


def wks_xp_0311() -> Bundle:
    """Refresh XP -> 7 SP1: capture fails, CCMCertFix step, capture and restore succeed."""
    host = "WKS-XP-0311"
    b = Bundle(host, "resolved", ["0x80092024"])
    clock = Clock(datetime(2011, 3, 3, 14, 2, 17, 330000), host)
    smsts = CcmLog(clock, 300)
    ts = Ts(smsts, host, client_guid(host), REFRESH, xp_phase())
    site = ts.site
    sid = store_id(host)
    group = "Capture Files and Settings"
    ts.start_full_os()
    capture_settings_steps(ts, 1)
    request_store(ts, 3, "capture", sid, group, cert_error=True, keep_going=True)

    fix_log = CcmLog(clock, 300)
    made = datetime(2009, 10, 5, 18, 12, 40)
    old_certs = [
        sms_cert(host, "Signing", made, embedded_nul=True),
        sms_cert(host, "Encryption", after(made, seconds=2), embedded_nul=True),
    ]
    command = f'CCMCertFix.exe "{ts.phase.logpath}\\CCMCertFix.log"'
    ts.begin("Run CCMCertFix", 4, ())
    ts.run(
        f"smsswd.exe /run:{site.certfix_pkg} {command}",
        lambda: run_command_line(
            ts, site.certfix_pkg, command, lambda: certfix(fix_log, command, old_certs)
        ),
    )
    ts.succeeded("Run CCMCertFix")
    request_store(ts, 5, "capture", sid, group)
    scan = capture_state(ts, 6, sid, profiles(host, "tnguyen"), group)
    release_store(ts, 7, sid)
    ip = restart_in_winpe(ts, 8, winpe_phase(480, x64=False))

    setup_log = CcmLog(clock, 300)
    installed: list[datetime] = []

    def client_setup() -> int:
        code = ccmsetup(setup_log, site.mp, site.code, site.client_pkg, _OS_LINE, KB977203_MSP)
        installed.append(clock.utc)
        return code

    ip, _ = install_os(
        ts, ip, WIN7_X86_IMAGE, KB977203_MSP, win7_phase(300, x64=False), client_setup
    )
    request_store(ts, ip, "restore", sid, "Restore User Files and Settings")
    load = restore_state(ts, ip + 1, sid, profiles(host, "tnguyen", xp=False), x64=False)
    release_store(ts, ip + 2, sid)
    ts.end_ok()

    b.put(f"{W7_LOGS}/smsts.log", encode(smsts.recs))
    b.put(f"{W7_LOGS}/SMSTSLog/CCMCertFix.log", encode(fix_log.recs))
    b.put(f"{W7_LOGS}/SMSTSLog/scanstate.log", scan.log.encode())
    b.put(f"{W7_LOGS}/SMSTSLog/loadstate.log", load.log.encode())
    b.put("Windows/System32/ccmsetup/ccmsetup.log", encode(setup_log.recs))
    ccmexec = CcmLog(clock, 300)
    started = service_start(ccmexec, after(installed[0], seconds=-31), clock.rng)
    collected = datetime(2011, 3, 4, 15, 12, 5)
    shutdown, booted = datetime(2011, 3, 4, 12, 56, 2, 410000), datetime(2011, 3, 4, 12, 58, 31)
    activity(ccmexec, started, shutdown, client_guid(host), clock.rng)
    service_stop(ccmexec, shutdown, clock.rng)  # the user's first restart the next morning
    restarted = service_start(ccmexec, after(booted, seconds=44), clock.rng)
    activity(ccmexec, restarted, collected, client_guid(host), clock.rng)
    b.put(f"{W7_LOGS}/CcmExec.log", encode(ccmexec.recs))
    fresh = after(started, seconds=2)
    certs = [
        sms_cert(host, "Signing", fresh, embedded_nul=False),
        sms_cert(host, "Encryption", after(fresh, seconds=1), embedded_nul=False),
    ]
    b.put("sms_store.reg", sms_store_export(certs))
    b.put("mobile_client.reg", mobile_client_export("4.00.6487.2111", "CHQ", wow64=False))
    machine = Machine(
        host,
        "win7",
        install_date(installed[0]),
        boot_time(booted),
        ("Dell Inc.", "OptiPlex 760", "Dell Inc. A12, 10/20/2010"),
        "10.20.31.211",
        WIN7_SP1_HOTFIXES,
    )
    b.put("systeminfo.txt", systeminfo(machine))

    b.cite(f"{W7_LOGS}/smsts.log", CERT_IMPORT_FAILED)
    b.cite(f"{W7_LOGS}/smsts.log", "Failed to run the action: Request State Store.")
    b.cite(
        f"{W7_LOGS}/SMSTSLog/CCMCertFix.log",
        f"Rewrote the friendly name of certificate {old_certs[0].thumbprint}",
    )
    b.cite(
        f"{W7_LOGS}/smsts.log",
        "Successfully completed the action (Request State Store) with the exit win32 code 0",
    )
    b.cite(
        f"{W7_LOGS}/smsts.log",
        "Successfully completed the action (Capture User State) with the exit win32 code 0",
    )
    b.cite(f"{W7_LOGS}/SMSTSLog/scanstate.log", "ScanState return code: 0")
    b.cite("Windows/System32/ccmsetup/ccmsetup.log", f'PATCH="{KB977203_MSP}"')
    b.cite(f"{W7_LOGS}/SMSTSLog/loadstate.log", "LoadState return code: 0")
    b.cite(f"{W7_LOGS}/smsts.log", "Task sequence completed 0x00000000")
    b.cite("sms_store.reg", certs[0].thumbprint)
    b.cite("mobile_client.reg", "4.00.6487.2111")
    return b
