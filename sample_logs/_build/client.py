"""Client logs outside the task sequence: CcmExec.log activity, ccmsetup.log, CCMCertFix.log.

CcmExec.log gets the background a 2007 client writes all day (scheduled messages, policy
cycles, inventory, WMI event dumps with CRLF inside the message) drawn at explicit times,
so it can be laid around the task-sequence records of the same clock.
CCMCertFix.log is reconstructed: no sample of it is public.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from ccm import CcmLog, eastern_bias
from store import SmsCert
from ts import tid

_SCHEDULES = {
    "021": ("direct:PolicyAgent_RequestAssignments", "CCM_PolicyAgent_AssignmentsRequested"),
    "022": ("direct:PolicyAgent_PolicyEvaluator", "CCM_PolicyAgent_SettingsEvaluationComplete"),
    "001": ("direct:InventoryAgent", "InventoryCycleComplete"),
    "002": ("direct:InventoryAgent", "InventoryCycleComplete"),
    "003": ("direct:InventoryAgent", "InventoryCycleComplete"),
    "113": ("direct:ScanAgent", "CCM_SoftwareUpdates_ScanComplete"),
    "031": ("direct:SWMeteringReportingAgent", "CCM_SWMetering_ReportSent"),
}


def _wmi(event: str, fields: list[tuple[str, str]]) -> str:
    """A WMI instance dump as the client logs it: CRLF and tabs inside the message."""
    body = "".join(f"\t{k} = {v};\r\n" for k, v in fields)
    return f"Raising pending event:\r\ninstance of {event}\r\n{{\r\n{body}}};\r\n"


def service_start(log: CcmLog, at: datetime, rng: random.Random) -> datetime:
    """CcmExec starting with Windows; returns the time of its last line."""
    thread = tid(rng)
    t = at
    lines = [
        ("Service startup.", "ccmexec.cpp:1060"),
        ("Phase 0 initialization completed.", "ccmexec.cpp:1134"),
        ("Opening endpoint 'direct:PolicyAgent_RequestAssignments'.", "endpoint.cpp:218"),
        ("Opening endpoint 'direct:StateMessageManager'.", "endpoint.cpp:218"),
        ("Opening endpoint 'direct:SoftwareDistribution'.", "endpoint.cpp:218"),
        ("Phase 1 initialization completed.", "ccmexec.cpp:1190"),
        ("Service started.", "ccmexec.cpp:1214"),
    ]
    for message, source in lines:
        t += timedelta(milliseconds=rng.randint(15, 900))
        log.add_at(t, "CcmExec", message, thread=thread, source=source, bias=eastern_bias(t))
    return t


def service_stop(log: CcmLog, at: datetime, rng: random.Random) -> None:
    thread = tid(rng)
    log.add_at(
        at,
        "CcmExec",
        "Service shutdown requested.",
        thread=thread,
        source="ccmexec.cpp:1422",
        bias=eastern_bias(at),
    )
    later = at + timedelta(milliseconds=rng.randint(200, 900))
    log.add_at(
        later,
        "CcmExec",
        "Service stopped.",
        thread=thread,
        source="ccmexec.cpp:1480",
        bias=eastern_bias(later),
    )


def activity(log: CcmLog, start: datetime, end: datetime, guid: str, rng: random.Random) -> None:
    """Scheduled work between ``start`` and ``end`` (UTC), drawn at random but reproducibly."""
    worker = tid(rng)
    t = start + timedelta(seconds=rng.randint(60, 900))
    hour = 0
    while t < end:
        todo = ["021", "022"]
        if hour % 4 == 1:
            todo.append("113")
        if hour % 7 == 3:
            todo.append("031")
        if hour % 24 == 5:
            todo += ["001", "002", "003"]
        for sid in todo:
            endpoint, event = _SCHEDULES[sid]
            t += timedelta(seconds=rng.randint(1, 40), milliseconds=rng.randint(0, 999))
            if t >= end:
                return
            msg_id = "{00000000-0000-0000-0000-000000000" + sid + "}"
            log.add_at(
                t,
                "CcmExec",
                f"Invoking scheduled message '{msg_id}' for endpoint '{endpoint}'.",
                thread=worker,
                source="scheduler.cpp:1247",
                bias=eastern_bias(t),
            )
            t += timedelta(seconds=rng.randint(2, 90), milliseconds=rng.randint(0, 999))
            stamp = f"{t:%Y%m%d%H%M%S}.{t.microsecond:06d}+000"
            fields = [
                ("ClientID", f'"{guid}"'),
                ("DateTime", f'"{stamp}"'),
                ("ProcessID", str(rng.randrange(400, 4000) * 4)),
                ("ThreadID", str(worker)),
            ]
            log.add_at(
                t,
                "CcmExec",
                _wmi(event, fields),
                thread=worker,
                source="event.cpp:525",
                level=0,
                bias=eastern_bias(t),
            )
        if hour % 3 == 2:
            t += timedelta(seconds=rng.randint(5, 60))
            count = rng.randint(1, 6)
            log.add_at(
                t,
                "CcmExec",
                f"Sending {count} queued state message(s) to endpoint "
                "'direct:StateMessageManager'.",
                thread=worker,
                source="statemsg.cpp:613",
                bias=eastern_bias(t),
            )
        hour += 1
        t += timedelta(minutes=rng.randint(52, 66), seconds=rng.randint(0, 59))


def smp_failure(log: CcmLog, at: datetime, rng: random.Random) -> None:
    """The KB977203 line in CcmExec.log: OSDSMPClient, type 3 (reconstructed raw form)."""
    log.add_at(
        at,
        "OSDSMPClient",
        "Failed to import client certificate store (0x80092024)",
        thread=tid(rng),
        source="clientidentity.cpp:433",
        level=3,
        bias=eastern_bias(at),
    )


def ccmsetup(
    log: CcmLog, site_mp: str, site_code: str, client_pkg: str, os_line: str, patch: str | None
) -> int:
    """ccmsetup.log of a client installed by the setup hook of a deployment."""
    rng = log.clock.rng
    thread = tid(rng)
    src = rf"C:\_SMSTaskSequence\OSD\{client_pkg}"
    folder = r"C:\Windows\system32\ccmsetup"
    cmd = rf'"{src}\ccmsetup.exe" /useronly /source:{src} /config:MobileClient.TCF /status:1164'
    props = 'CCMFIRSTCERT="0" CCMHTTPPORT="80" CCMHTTPSPORT="443" CCMHTTPSSTATE="0" '
    if patch:
        props += f'PATCH="{patch}" '
    props += f'SMSCACHESIZE="10240" SMSMP="{site_mp}" SMSSITECODE="{site_code}"'

    def say(
        message: str,
        level: int = 1,
        source: str = "ccmsetup.cpp:4712",
        gap: tuple[int, int] = (0, 30),
    ) -> None:
        log.add("ccmsetup", message, thread=thread, source=source, level=level, gap=gap)

    say(
        f"==========[ ccmsetup started in process {tid(rng)} ]==========",
        1,
        "ccmsetup.cpp:9181",
        (50, 300),
    )
    say("Version: 4.0.6487.2000", 1, "ccmsetup.cpp:9188")
    say(os_line, 1, "util.cpp:1919")
    say(f"Ccmsetup command line: {cmd}", 1, "ccmsetup.cpp:3813")
    say(
        "Command line parameters for ccmsetup have been specified.  "
        "No registry lookup for command line parameters is required.",
        1,
        "ccmsetup.cpp:3938",
    )
    say(f"Command line: {cmd}", 1, "ccmsetup.cpp:3939")
    say("Local Machine is joined to an AD domain", 1, "ccmsetup.cpp:3998")
    say("Current AD site of machine is HQ", 1, "ccmsetup.cpp:4003")
    for name, value in (
        ("CCMHTTPPORT", "80"),
        ("CCMHTTPSPORT", "443"),
        ("CCMHTTPSSTATE", "0"),
        ("CCMHTTPSCERTNAME", ""),
        ("FSP", ""),
        ("CCMFIRSTCERT", "0"),
    ):
        say(f"{name}:    {value}", 1, "ccmsetup.cpp:4680")
    say(rf"Config file:      {src}\MobileClient.TCF", 1, "ccmsetup.cpp:4710")
    say("Retry time:       10 minute(s)", 1, "ccmsetup.cpp:4711")
    say(rf"MSI log file:     {folder}\client.msi.log", 1, "ccmsetup.cpp:4712")
    say(f"MSI properties:    {props}", 1, "ccmsetup.cpp:4713")
    say("Source List:", 1, "ccmsetup.cpp:4722")
    say(f"                  {src}", 1, "ccmsetup.cpp:4725")
    say("MPs:", 1, "ccmsetup.cpp:4738")
    say(f"                  {site_mp}", 1, "ccmsetup.cpp:4741")
    say("No version of the client is currently detected.", 1, "ccmsetup.cpp:2962")
    say(
        "Folder 'Microsoft\\Configuration Manager' not found. Task does not exist.",
        0,
        "wintask.cpp:648",
    )
    say(rf"Updated security on object {folder}\.", 0, "ccmsetup.cpp:9342")
    say('Running as user "SYSTEM"', 1, "ccmsetup.cpp:2118")
    say(
        f"Detected {rng.randint(90000, 140000)} MB free disk space on system drive.",
        1,
        "util.cpp:660",
    )
    say("Checking Write Filter Status.", 1, "ccmsetup.cpp:1882")
    say(
        "This is not a supported write filter device. "
        "We are not in a write filter maintenance mode.",
        1,
        "ccmsetup.cpp:1913",
    )
    say(rf"Downloading file {src}\i386\client.msi", 1, "ccmsetup.cpp:5516", (50, 400))
    say("Download complete.", 1, "ccmsetup.cpp:5595", (800, 3000))
    say(
        f"Running installation package\r\n  Package:     {folder}\\client.msi\r\n"
        f"  Log:         {folder}\\client.msi.log\r\n  Properties:  {props}",
        1,
        "msiutil.cpp:295",
    )
    log.clock.wait(160)
    say("Installation succeeded.", 1, "msiutil.cpp:369")
    say("CcmSetup is exiting with return code 0", 1, "ccmsetup.cpp:9626", (300, 1500))
    return 0


def certfix(log: CcmLog, command: str, certs: list[SmsCert]) -> int:
    """CCMCertFix.log (reconstructed): names the certificates it rewrote."""
    rng = log.clock.rng
    thread = tid(rng)

    def say(message: str, level: int = 1, source: str = "ccmcertfix.cpp:212") -> None:
        log.add("CCMCertFix", message, thread=thread, source=source, level=level, gap=(5, 60))

    say(f"==========[ CCMCertFix started in process {tid(rng)} ]==========", 1, "ccmcertfix.cpp:88")
    say("CCMCertFix version 4.0.6487.2111", 1, "ccmcertfix.cpp:90")
    say(f"Command line: {command}", 0, "ccmcertfix.cpp:96")
    say("Opening the local machine certificate store 'SMS'", 1, "ccmcertfix.cpp:140")
    say(f"Found {len(certs)} certificate(s) in store 'SMS'", 1, "ccmcertfix.cpp:171")
    fixed = 0
    for cert in certs:
        units = len(cert.friendly_bytes) // 2
        if cert.embedded_nul:
            say(
                f"Certificate {cert.thumbprint} ('{cert.friendly}'): the friendly name has "
                f"an embedded NULL character ({units} characters stored)",
                2,
                "ccmcertfix.cpp:230",
            )
            say(
                f"Rewrote the friendly name of certificate {cert.thumbprint} as '{cert.friendly}'",
                1,
                "ccmcertfix.cpp:262",
            )
            fixed += 1
        else:
            say(
                f"Certificate {cert.thumbprint} ('{cert.friendly}'): friendly name is correct",
                1,
                "ccmcertfix.cpp:241",
            )
    say(f"{fixed} certificate(s) fixed, 0 failed", 1, "ccmcertfix.cpp:300")
    say("CCMCertFix is exiting with return code 0", 1, "ccmcertfix.cpp:318")
    return 0
