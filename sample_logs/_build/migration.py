"""The *Capture User State* / *Restore User State* steps: OSDUSMT's lines in smsts.log plus
the ScanState/LoadState log (and progress log) USMT writes at the same moments.
"""

from __future__ import annotations

from dataclasses import dataclass

from osd import store_path, usmt_run
from ts import Ts
from usmt import USMT_VERSION, ProgressLog, UsmtLog

_INDENT = " " * 35  # continuation lines line up under the message column
_INVALID_STORE = "Invalid store path; check the store parameter and/or file system permissions"
_SUMMARY = "-" * 35 + " USMT ERROR SUMMARY " + "-" * 35


@dataclass(frozen=True, slots=True)
class Profile:
    account: str
    path: str
    migrate: bool


@dataclass
class UsmtRun:
    code: int
    log: UsmtLog
    progress: ProgressLog | None


def usmt_dir(ts: Ts, x64: bool = False) -> str:
    return rf"C:\_SMSTaskSequence\Packages\{ts.site.usmt_pkg}\{'amd64' if x64 else 'x86'}"


def _tool_line(ts: Ts, tool: str, store: str, x64: bool) -> str:
    folder = usmt_dir(ts, x64)
    logs = ts.phase.logpath
    name = tool.lower()
    extra = "/o /c /localonly /efs:copyraw" if tool == "ScanState" else "/c /lac"
    return (
        f'"{folder}\\{name}.exe" "{store}" {extra} /v:5 /l:"{logs}\\{name}.log" '
        f'/progress:"{logs}\\{name}progress.log" '
        f'/i:"{folder}\\MigApp.xml" /i:"{folder}\\MigUser.xml"'
    )


def capture(
    ts: Ts, store_id: str, profiles: list[Profile], *, rc: int = 0, progress: bool = False
) -> UsmtRun:
    """Capture User State: ScanState into the store on the SMP; ``rc`` 27 = store not writable."""
    clock = ts.log.clock
    log = UsmtLog(clock, ts.phase.bias)
    prog = ProgressLog(clock, ts.phase.bias, clock.utc) if progress else None
    store = store_path(ts, store_id)
    line = _tool_line(ts, "ScanState", store, False)

    def body() -> int:
        clock.wait(1, 400)
        log.started("ScanState", line)
        if prog:
            prog.add(
                "program", "ScanState.exe", "productVersion", USMT_VERSION, "computerName", ts.host
            )
            prog.add("PHASE", "Initializing")
        log.add("Starting the migration process")
        log.add("Processing the settings store")
        if rc == 27:
            _store_not_writable(log, store)
            return 27
        _scan(log, prog, ts, profiles)
        return 0

    code = usmt_run(ts, True, usmt_dir(ts), line, body)
    return UsmtRun(code, log, prog)


def _store_not_writable(log: UsmtLog, store: str) -> None:
    log.add(f"Creating the migration store at {store}")
    log.add(
        _INVALID_STORE,
        level="Error",
        gle=5,
    )
    log.add("Failed.", gle=5)
    log.add("  " + _INVALID_STORE, gle=5)
    log.completed("ScanState", 27, 5)
    log.add(_SUMMARY)
    log.add("* One or more errors were encountered in migration (ordered by first occurence)")
    log.more(_INDENT + "| Error Code | Caller Object | Message")
    log.more(_INDENT + "| 27 | Store | " + _INVALID_STORE)


def _scan(log: UsmtLog, prog: ProgressLog | None, ts: Ts, profiles: list[Profile]) -> None:
    clock = log.clock
    folder = usmt_dir(ts)
    log.add("Examining the system to discover the migration units")
    log.add(f"Script file specified: {folder}\\MigApp.xml")
    log.add(f"Script file specified: {folder}\\MigUser.xml")
    log.add(
        "Downlevel Manifests folder is not present. System component settings will not be gathered."
    )
    log.add("Detected users:")
    for p in profiles:
        log.more(
            f"{_INDENT}{p.account}, profile: {p.path}, included: {'Yes' if p.migrate else 'No'}"
        )
    if prog:
        for p in profiles:
            prog.add("detectedUser", p.account, "includedInMigration", "Yes" if p.migrate else "No")
        prog.add("PHASE", "Scanning")
    for p in profiles:
        if p.migrate:
            clock.wait(20)
            log.add(f"Processing user {p.account}")
    main = next(p for p in profiles if p.migrate)
    clock.wait(35)
    ost = rf"{main.path}\Local Settings\Application Data\Microsoft\Outlook\outlook.ost"
    log.add(f"File {ost} is in use and was not migrated", level="Warning", code=0x08080C, gle=0x20)
    if prog:
        prog.add("PHASE", "Collecting")
        prog.add("totalSizeInMBToTransfer", "1843.62")
        prog.add("PHASE", "Saving")
    log.add("Saving the migration store")
    for pct in (6, 19, 33, 48, 61, 77, 90, 100):
        clock.wait(70)
        if prog:
            prog.add("totalPercentageCompleted", str(pct))
    log.add("Migration store: 1,843 MB in 12,931 files")
    log.add("Success.")
    if prog:
        prog.add("errorCode", "0", "numberOfIgnoredErrors", "0", "message", "Successful run")
    log.completed("ScanState", 0, 0)
    log.add(_SUMMARY)
    log.add("No error in migration process is recorded.")


def restore(ts: Ts, store_id: str, profiles: list[Profile], *, x64: bool) -> UsmtRun:
    """Restore User State: LoadState from the store on the SMP, successful."""
    clock = ts.log.clock
    log = UsmtLog(clock, ts.phase.bias)
    store = store_path(ts, store_id)
    line = _tool_line(ts, "LoadState", store, x64)

    def body() -> int:
        clock.wait(1, 400)
        log.started("LoadState", line)
        log.add("Starting the migration process")
        log.add(f"Opening the migration store at {store}")
        log.add("Processing the settings store")
        log.add("Examining the system to discover the migration units")
        for p in profiles:
            if p.migrate:
                clock.wait(15)
                log.add(f"Applying settings for user {p.account}")
        clock.wait(420)
        log.add("Applied 12,931 files (1,843 MB) to the system")
        log.add("Success.")
        log.completed("LoadState", 0, 0)
        log.add(_SUMMARY)
        log.add("No error in migration process is recorded.")
        return 0

    code = usmt_run(ts, False, usmt_dir(ts, x64), line, body)
    return UsmtRun(code, log, None)
