"""Reusable stretches of a user-state migration sequence: the capture side, the move into
WinPE and the new OS, and the restore side. Each returns what later steps need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from migration import Profile, UsmtRun, capture, restore
from osd import (
    apply_os,
    capture_settings,
    drivers,
    moved_logs,
    net_settings,
    setup_hook,
    setup_windows,
    smp_release,
    smp_request,
    win_settings,
)
from ts import NOT_CHAR_STRING, Phase, Ts

SMP_DEFAULTS = ("OSDStateFallbackToNAA", "OSDStateSMPRetryCount", "OSDStateSMPRetryTime")
SMSTS_ON_C = r"C:\_SMSTaskSequence\Logs\Smstslog"
USMT_DEFAULTS = (
    "OSDMigrateAdditionalCaptureOptions",
    "OSDMigrateMode",
    "OSDMigrateSkipEncryptedFiles",
)


def capture_settings_steps(ts: Ts, ip: int) -> int:
    ts.begin(
        "Capture Windows Settings",
        ip,
        ("OSDMigrateComputerName", "OSDMigrateRegistrationInfo", "OSDMigrateTimeZone"),
    )
    ts.run("osdwinsettings.exe /capture", lambda: capture_settings(ts, "windows"))
    ts.succeeded("Capture Windows Settings")
    ts.begin(
        "Capture Network Settings",
        ip + 1,
        ("OSDMigrateAdapterSettings", "OSDMigrateNetworkMembership"),
    )
    ts.run("osdnetsettings.exe /capture", lambda: capture_settings(ts, "network"))
    ts.succeeded("Capture Network Settings")
    return ip + 2


def request_store(
    ts: Ts,
    ip: int,
    mode: str,
    store_id: str,
    group: str,
    *,
    cert_error: bool = False,
    keep_going: bool = False,
) -> bool:
    """*Request State Store*; a failure ends the sequence unless ``keep_going``."""
    ts.begin("Request State Store", ip, SMP_DEFAULTS)
    code = ts.run(
        f"osdsmpclient.exe /{mode}", lambda: smp_request(ts, mode, store_id, cert_error=cert_error)
    )
    if code == 0:
        ts.succeeded("Request State Store")
        return True
    if keep_going:
        ts.continued("Request State Store", group, code, NOT_CHAR_STRING)
    else:
        ts.failed("Request State Store", group, code, NOT_CHAR_STRING)
        ts.end_failed()
    return False


def capture_state(
    ts: Ts,
    ip: int,
    store_id: str,
    profiles: list[Profile],
    group: str,
    *,
    rc: int = 0,
    progress: bool = False,
) -> UsmtRun:
    ts.begin("Capture User State", ip, USMT_DEFAULTS)
    runs: list[UsmtRun] = []

    def body() -> int:
        runs.append(capture(ts, store_id, profiles, rc=rc, progress=progress))
        return runs[0].code

    code = ts.run("osdmigrateuserstate.exe /collect /continueOnError:", body)
    if code == 0:
        ts.succeeded("Capture User State")
    else:
        ts.failed("Capture User State", group, code, "Unknown error", "Unknown")
        ts.end_failed()
    return runs[0]


def restore_state(ts: Ts, ip: int, store_id: str, profiles: list[Profile], *, x64: bool) -> UsmtRun:
    ts.begin("Restore User State", ip, ("OSDMigrateContinueOnRestore", "OSDMigrateLocalAccounts"))
    runs: list[UsmtRun] = []

    def body() -> int:
        runs.append(restore(ts, store_id, profiles, x64=x64))
        return runs[0].code

    ts.run("osdmigrateuserstate.exe /apply /continueOnError:", body)
    ts.succeeded("Restore User State")
    return runs[0]


def release_store(ts: Ts, ip: int, store_id: str) -> None:
    ts.begin("Release State Store", ip, ())
    ts.run("osdsmpclient.exe /release", lambda: smp_release(ts, store_id))
    ts.succeeded("Release State Store")


def restart_in_winpe(ts: Ts, ip: int, winpe: Phase) -> int:
    """*Restart in Windows PE* from the old OS; the log moves to the local data drive."""
    ts.begin("Restart in Windows PE", ip, ())
    boot = ts.child("SMSBoot")

    def body() -> int:
        boot("Command line: smsboot.exe /target:WinPE", 0, "smsboot.cpp:112")
        boot(
            "Staging boot image CHQ00005 to C:\\_SMSTSBootImage",
            1,
            "bootimage.cpp:508",
            (300, 2000),
        )
        boot("Boot image staged; next boot is Windows PE", 1, "bootimage.cpp:689", (2000, 9000))
        return 0

    ts.run("smsboot.exe /target:WinPE", body)
    ts.succeeded("Restart in Windows PE")
    ts.tsm("Rebooting system to continue the task sequence in Windows PE", 1, "engine.cxx:560")
    ts.var("_SMSTSLogPath", SMSTS_ON_C)
    ts.log.clock.wait(95)
    ts.set_phase(replace(winpe, logpath=SMSTS_ON_C))
    ts.boot(
        "==============================[ TSMBootStrap.exe ]==============================",
        1,
        "tsmbootstrap.cpp:1045",
    )
    ts.boot(
        rf"Command line: {ts.phase.ccm}\TsmBootstrap.exe /env:WinPE /configpath:X:\sms\data",
        0,
        "tsmbootstrap.cpp:1046",
    )
    ts.boot(f"Current OS version is {ts.phase.version}", 1, "util.cpp:2813")
    ts.boot("Logging successfully initialized.", 1, "tsmbootstrap.cpp:1060")
    ts.boot(r"Found the local data path C:\_SMSTaskSequence", 1, "tsmbootstrap.cpp:720")
    ts.boot("Resuming Task Sequence in WinPE", 1, "tsmbootstrap.cpp:890")
    ts.progress_ui("register")
    ts.start_manager(resume=True)
    return ip + 1


def install_os(
    ts: Ts,
    ip: int,
    image: tuple[str, str],
    patch: str | None,
    new_os: Phase,
    ccmsetup: Callable[[], int],
) -> tuple[int, int]:
    """Apply the image and settings, *Setup Windows and ConfigMgr*, and the first boot.

    Returns the next instruction pointer and the index in ``ts.log.recs`` where the copy
    left in ``C:\\_SMSTaskSequence\\Logs\\Smstslog`` ends (the logs move after that).
    """
    steps: list[tuple[str, str, Callable[[], int]]] = [
        ("Apply Operating System", "OSDApplyOS.exe", lambda: apply_os(ts, *image)),
        ("Apply Windows Settings", "osdwinsettings.exe /config", lambda: win_settings(ts)),
        ("Apply Network Settings", "osdnetsettings.exe /config", lambda: net_settings(ts)),
        ("Apply Device Drivers", "osddriverclient.exe /auto /bestmatch", lambda: drivers(ts)),
    ]
    # The local drive is ready: from here the log lives in C:\_SMSTaskSequence.
    ts.phase = replace(ts.phase, logpath=SMSTS_ON_C)
    for name, command, body in steps:
        ts.begin(name, ip, ())
        ts.run(command, body)
        ts.succeeded(name)
        ip += 1
    ts.begin("Setup Windows and ConfigMgr", ip, ("SMSClientInstallProperties",))
    ts.run("osdsetupwindows.exe", lambda: setup_windows(ts, patch))
    ts.succeeded("Setup Windows and ConfigMgr")
    ts.tsm(
        "Rebooting system to continue the task sequence in the new operating system",
        1,
        "engine.cxx:560",
    )
    ts.log.clock.wait(1100)  # Windows setup and first boot
    client_logs = new_os.logpath
    ts.set_phase(replace(new_os, logpath=SMSTS_ON_C))
    setup_hook(ts, client_logs)(ccmsetup)
    cut = len(ts.log.recs)
    moved_logs(ts, client_logs)
    ts.log.clock.wait(45)  # the client registers before the sequence resumes
    ts.set_phase(new_os)
    ts.boot(
        "==============================[ TSMBootStrap.exe ]==============================",
        1,
        "tsmbootstrap.cpp:1045",
    )
    ts.boot(f"Current OS version is {new_os.version}", 1, "util.cpp:2813")
    ts.boot("Resuming Task Sequence in full OS", 1, "tsmbootstrap.cpp:901")
    ts.start_manager(resume=True)
    return ip + 1, cut
