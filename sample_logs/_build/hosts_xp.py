"""Windows XP SP3 machines on the capture side: the KB977203 failure with and without
certificate evidence, an unrelated USMT failure, and a healthy capture.
"""

from __future__ import annotations

from datetime import datetime

from bundle import Bundle
from ccm import CcmLog, Clock, encode
from client import activity, service_start, smp_failure
from common import (
    REFRESH,
    REPLACE_CAPTURE,
    XP_LOGS,
    after,
    client_guid,
    install_date,
    profiles,
    store_id,
    up_time,
)
from flows import capture_settings_steps, capture_state, release_store, request_store
from osd import CERT_IMPORT_FAILED
from store import mobile_client_export, sms_cert, sms_store_export
from sysinfo import XP_HOTFIXES, Machine, systeminfo
from ts import Ts, xp_phase

_MODEL = ("Dell Inc.", "OptiPlex 755", "DELL   - 15")


def _xp(host: str, ip: str, boot: datetime, collected: datetime, installed: datetime) -> bytes:
    return systeminfo(
        Machine(
            host, "xp", install_date(installed), up_time(boot, collected), _MODEL, ip, XP_HOTFIXES
        )
    )


def _ccmexec(
    clock: Clock, host: str, boot: datetime, end: datetime, failure: datetime | None
) -> bytes:
    log = CcmLog(clock, 300)
    started = service_start(log, boot, clock.rng)
    activity(log, started, end, client_guid(host), clock.rng)
    if failure is not None:
        smp_failure(log, failure, clock.rng)
    return encode(log.recs)


def _failure_time(log: CcmLog) -> datetime:
    return next(r.utc for r in log.recs if CERT_IMPORT_FAILED in r.text)


def _refresh_cert_failure(host: str, start: datetime) -> tuple[CcmLog, datetime]:
    """A refresh sequence whose *Request State Store* fails on the client certificates."""
    clock = Clock(start, host)
    smsts = CcmLog(clock, 300)
    ts = Ts(smsts, host, client_guid(host), REFRESH, xp_phase())
    ts.start_full_os()
    ip = capture_settings_steps(ts, 1)
    request_store(ts, ip, "capture", store_id(host), "Capture Files and Settings", cert_error=True)
    return smsts, _failure_time(smsts)


def wks_xp_0142() -> Bundle:
    """Refresh capture failure with the full evidence set: confirmed."""
    host = "WKS-XP-0142"
    b = Bundle(host, "confirmed", ["0x80092024"])
    smsts, failed_at = _refresh_cert_failure(host, datetime(2011, 3, 2, 19, 3, 41, 212000))
    boot = datetime(2011, 2, 28, 13, 5, 12, 402000)
    collected = after(failed_at, hours=2, minutes=11)
    b.put(f"{XP_LOGS}/smsts.log", encode(smsts.recs))
    b.put(
        f"{XP_LOGS}/CcmExec.log",
        _ccmexec(smsts.clock, host, boot, collected, after(failed_at, milliseconds=4)),
    )
    made = datetime(2009, 12, 7, 15, 41, 26)
    certs = [
        sms_cert(host, "Signing", made, embedded_nul=True),
        sms_cert(host, "Encryption", after(made, seconds=2), embedded_nul=True),
    ]
    b.put("sms_store.reg", sms_store_export(certs))
    b.put("mobile_client.reg", mobile_client_export("4.00.6487.2000", "CHQ", wow64=False))
    b.put(
        "systeminfo.txt",
        _xp(host, "10.20.31.142", boot, collected, datetime(2008, 8, 14, 13, 12, 44)),
    )
    b.cite(f"{XP_LOGS}/CcmExec.log", CERT_IMPORT_FAILED)
    b.cite(f"{XP_LOGS}/smsts.log", CERT_IMPORT_FAILED)
    b.cite(f"{XP_LOGS}/smsts.log", "Process completed with exit code 2148081700")
    b.cite(f"{XP_LOGS}/smsts.log", "Failed to run the action: Request State Store.")
    b.cite(f"{XP_LOGS}/smsts.log", "(Error: 80092024; Source: Windows)")
    b.cite("sms_store.reg", certs[0].thumbprint)
    b.cite("systeminfo.txt", "KB974571")
    b.cite("mobile_client.reg", "4.00.6487.2000")
    return b


def wks_xp_0588() -> Bundle:
    """The same failure, but nobody exported the certificate store: likely."""
    host = "WKS-XP-0588"
    b = Bundle(host, "likely", ["0x80092024"])
    smsts, failed_at = _refresh_cert_failure(host, datetime(2011, 3, 8, 15, 26, 9, 877000))
    boot = datetime(2011, 3, 7, 12, 48, 30, 5000)
    collected = after(failed_at, minutes=48)
    b.put(f"{XP_LOGS}/smsts.log", encode(smsts.recs))
    b.put(
        f"{XP_LOGS}/CcmExec.log",
        _ccmexec(smsts.clock, host, boot, collected, after(failed_at, milliseconds=6)),
    )
    b.put(
        "systeminfo.txt",
        _xp(host, "10.20.33.88", boot, collected, datetime(2008, 11, 3, 15, 2, 10)),
    )
    b.cite(f"{XP_LOGS}/CcmExec.log", CERT_IMPORT_FAILED)
    b.cite(f"{XP_LOGS}/smsts.log", "Failed to run the action: Request State Store.")
    b.cite(f"{XP_LOGS}/smsts.log", "(Error: 80092024; Source: Windows)")
    b.cite(f"{XP_LOGS}/smsts.log", "_SMSTSLastActionRetCode=-2146885596")
    return b


def wks_xp_0420() -> Bundle:
    """The store share is not writable: ScanState returns 27 (access denied): other_failure."""
    host = "WKS-XP-0420"
    b = Bundle(host, "other_failure", ["usmt:27", "0x80070005"])
    clock = Clock(datetime(2011, 3, 4, 14, 17, 2, 640000), host)
    smsts = CcmLog(clock, 300)
    ts = Ts(smsts, host, client_guid(host), REFRESH, xp_phase())
    ts.start_full_os()
    ip = capture_settings_steps(ts, 1)
    sid = store_id(host)
    request_store(ts, ip, "capture", sid, "Capture Files and Settings")
    run = capture_state(
        ts, ip + 1, sid, profiles(host, "mkowalski"), "Capture Files and Settings", rc=27
    )
    boot = datetime(2011, 3, 3, 12, 31, 44, 118000)
    collected = after(clock.utc, hours=1, minutes=3)
    b.put(f"{XP_LOGS}/smsts.log", encode(smsts.recs))
    b.put(f"{XP_LOGS}/SMSTSLog/scanstate.log", run.log.encode())
    b.put(f"{XP_LOGS}/CcmExec.log", _ccmexec(clock, host, boot, collected, None))
    made = datetime(2010, 8, 23, 17, 9, 51)
    certs = [
        sms_cert(host, "Signing", made, embedded_nul=False),
        sms_cert(host, "Encryption", after(made, seconds=1), embedded_nul=False),
    ]
    b.put("sms_store.reg", sms_store_export(certs))
    b.put("mobile_client.reg", mobile_client_export("4.00.6487.2111", "CHQ", wow64=False))
    b.put(
        "systeminfo.txt", _xp(host, "10.20.32.20", boot, collected, datetime(2009, 2, 2, 14, 55, 1))
    )
    b.cite(
        f"{XP_LOGS}/SMSTSLog/scanstate.log",
        "Invalid store path; check the store parameter "
        "and/or file system permissions[gle=0x00000005]",
    )
    b.cite(f"{XP_LOGS}/SMSTSLog/scanstate.log", "ScanState return code: 27")
    b.cite(f"{XP_LOGS}/smsts.log", "USMT returned exit code (0x0000001B). Look USMT log file")
    b.cite(f"{XP_LOGS}/smsts.log", "Failed to run the action: Capture User State.")
    b.cite(
        f"{XP_LOGS}/smsts.log",
        "Successfully completed the action (Request State Store) with the exit win32 code 0",
    )
    return b


def wks_xp_0533() -> Bundle:
    """A replace-scenario capture that worked, clean certificates: no_evidence."""
    host = "WKS-XP-0533"
    b = Bundle(host, "no_evidence", [])
    clock = Clock(datetime(2011, 3, 7, 21, 40, 15, 73000), host)
    smsts = CcmLog(clock, 300)
    ts = Ts(smsts, host, client_guid(host), REPLACE_CAPTURE, xp_phase())
    ts.start_full_os()
    sid = store_id(host)
    request_store(ts, 1, "capture", sid, "Capture User State")
    run = capture_state(ts, 2, sid, profiles(host, "aruiz"), "Capture User State", progress=True)
    release_store(ts, 3, sid)
    ts.end_ok()
    boot = datetime(2011, 3, 7, 11, 57, 3, 290000)
    collected = after(clock.utc, hours=14, minutes=20)
    assert run.progress is not None
    b.put(f"{XP_LOGS}/smsts.log", encode(smsts.recs))
    b.put(f"{XP_LOGS}/SMSTSLog/scanstate.log", run.log.encode())
    b.put(f"{XP_LOGS}/SMSTSLog/scanstateprogress.log", run.progress.encode())
    b.put(f"{XP_LOGS}/CcmExec.log", _ccmexec(clock, host, boot, collected, None))
    made = datetime(2010, 9, 30, 13, 22, 7)
    certs = [
        sms_cert(host, "Signing", made, embedded_nul=False),
        sms_cert(host, "Encryption", after(made, seconds=2), embedded_nul=False),
    ]
    b.put("sms_store.reg", sms_store_export(certs))
    b.put("mobile_client.reg", mobile_client_export("4.00.6487.2111", "CHQ", wow64=False))
    b.put(
        "systeminfo.txt",
        _xp(host, "10.20.31.53", boot, collected, datetime(2008, 9, 22, 16, 40, 12)),
    )
    b.cite(f"{XP_LOGS}/SMSTSLog/scanstate.log", "ScanState return code: 0")
    b.cite(
        f"{XP_LOGS}/smsts.log",
        "Successfully completed the action (Capture User State) with the exit win32 code 0",
    )
    b.cite(f"{XP_LOGS}/smsts.log", "Task sequence completed 0x00000000")
    b.cite(f"{XP_LOGS}/SMSTSLog/scanstateprogress.log", "message, Successful run")
    return b
