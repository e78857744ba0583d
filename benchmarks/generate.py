"""Generators for realistic large ConfigMgr/USMT logs used by the benchmarks.

Records follow the real formats of ``../shared/reference/log-formats.md``: CCM records
with a mix of components, types and multi-line messages; legacy ``$$<`` server lines with
``~~`` markers; USMT lines with the 22-character level column and continuation blocks.
Output is deterministic for a seed so figures can be compared between runs.

    python benchmarks/generate.py ccm 100 /tmp/big_ccm.log     # 100 MB
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

_CCM_COMPONENTS = [
    ("TSManager", "engine.cxx:143"),
    ("TSManager", "instruction.cxx:855"),
    ("OSDSMPClient", "smpclient.cpp:1114"),
    ("OSDUSMT", "migrateuserstate.cpp:321"),
    ("CcmExec", "ccmexec.cpp:1082"),
    ("PolicyAgent_ReplyAssignments", "policyagentendpoint.cpp:348"),
    ("ContentTransferManager", "ctmjob.cpp:2440"),
    ("RunPowerShellScript", "main.cpp:31"),
]

_CCM_MESSAGES = [
    "Start executing an instruction. Instruction name: Request State Store. "
    "Instruction pointer: {n}",
    "Set a global environment variable _SMSTSCurrentActionName=Capture User State",
    "Executing command line: osdsmpclient.exe /capture",
    "Process completed with exit code {n}",
    "Successfully completed the action (Restore User State) with the exit win32 code 0",
    "Requesting state store from SMP server SMP{n}.corp.example.com",
    "Downloading file /SMS_DP_SMSPKG$/ABC000{n}/sccm?/graphics/intel/src/igdde64.dll "
    "range 0-455847",
    "Raising event:\r\n\r\ninstance of CCM_PolicyAgent_SettingsEvaluationComplete\r\n{{\r\n"
    '\tClientID = "GUID:474F4264-1A2B-4C5D-8E9F-{n:012d}";\r\n}};\r\n',
    "Failed to save the current environment block. This is usually caused by a problem with "
    "the program.\nThe parameter is incorrect. (Error: 80070057; Source: Windows)",
    "Failed to import client certificate store (0x80092024)",
    "Evaluating policy assignment {{3F1A{n:04d}-22B1-4C1E-A7D4-2B1B6F5D0C11}} for the machine",
]

_LEGACY_COMPONENTS = ["SMS_NOTIFICATION_SERVER", "SMS_EXECUTIVE", "SMS_STATE_SYSTEM"]
_LEGACY_MESSAGES = [
    "SMS_EXECUTIVE started SMS_NOTIFICATION_SERVER as thread ID {n} (0x1C78).",
    '    The path to the "Status Manager" inbox is "D:\\SMS\\inboxes\\statmgr.box\\statmsgs".',
    "Starting SMS Notification Server...~~",
    "Failed to connect to the state migration point, error {n}",
    'STATMSG: ID=9802 SEV=W LEV=M SOURCE="SMS Server" COMP="SMS_NOTIFICATION_SERVER" '
    "SYS=SITESERVER SITE=PS1 PID=7688 TID=7600 GMTDATE=Fri Sep 18 20:39:05.718 2026 NUMATTRS=0",
]

_USMT_MESSAGES = [
    ("Info", "Processing {n} files in C:\\Users\\user{n}\\Documents"),
    ("Info", "USMT Started at 2011/03/15:14:02:{s:02d}.306"),
    (
        "Warning",
        "CSIAgent: Duplicate manifest identity exists http://www.microsoft.com/migration/1.0",
    ),
    ("Error", "Unreleased mig unit navigator interface during user release"),
    (
        "Info",
        "Host system information:\r\n"
        + " " * 35
        + "OS version: 6.1.7601\r\n"
        + " " * 35
        + "Processor architecture: x86",
    ),
]


# Indexes of _CCM_MESSAGES that are failures or rule anchors; a realistic fleet log
# holds them rarely (``failure_rate``), the stress corpus as often as anything else.
_LOUD = {0, 1, 2, 3, 4, 5, 8, 9}
_QUIET_COMPONENTS = _CCM_COMPONENTS[4:]


def _ccm_records(rng: random.Random, failure_rate: float | None = None) -> Iterator[bytes]:
    t = datetime(2011, 3, 15, 14, 0, 0)
    quiet = [m for i, m in enumerate(_CCM_MESSAGES) if i not in _LOUD]
    loud = [m for i, m in enumerate(_CCM_MESSAGES) if i in _LOUD]
    while True:
        comp, src = rng.choice(_CCM_COMPONENTS)
        if failure_rate is None:
            template = rng.choice(_CCM_MESSAGES)
        elif rng.random() < failure_rate:
            template = rng.choice(loud)
        else:
            template = rng.choice(quiet)
            comp, src = rng.choice(_QUIET_COMPONENTS)
        msg = template.format(n=rng.randrange(10000))
        t += timedelta(milliseconds=rng.randrange(1, 900))
        typ = rng.choices("0123", weights=(30, 60, 6, 4))[0]
        yield (
            f'<![LOG[{msg}]LOG]!><time="{t:%H:%M:%S}.{t.microsecond // 1000:03d}+300" '
            f'date="{t:%m-%d-%Y}" component="{comp}" context="" type="{typ}" '
            f'thread="{rng.randrange(300, 9000)}" file="{src}">\r\n'
        ).encode()


def _legacy_records(rng: random.Random) -> Iterator[bytes]:
    t = datetime(2011, 3, 15, 14, 0, 0)
    while True:
        t += timedelta(milliseconds=rng.randrange(1, 900))
        thread = rng.randrange(300, 9000)
        msg = rng.choice(_LEGACY_MESSAGES).format(n=rng.randrange(10000))
        yield (
            f"{msg}  $$<{rng.choice(_LEGACY_COMPONENTS)}><{t:%m-%d-%Y %H:%M:%S}."
            f"{t.microsecond // 1000:03d}+300><thread={thread} (0x{thread:X})>\r\n"
        ).encode()


def _usmt_records(rng: random.Random, failure_rate: float | None = None) -> Iterator[bytes]:
    t = datetime(2011, 3, 15, 14, 0, 0)
    if failure_rate is not None:  # a real run: banner once, then mostly file processing
        banner = "SCANSTATE.EXE Version 6.1.7601.0"
        yield f"{t:%Y-%m-%d %H:%M:%S}, {'Info':<22}[0x000000] {banner}\r\n".encode()
    while True:
        t += timedelta(seconds=rng.randrange(0, 3))
        if failure_rate is not None and rng.random() >= failure_rate:
            level, msg = _USMT_MESSAGES[0]
        else:
            level, msg = rng.choice(_USMT_MESSAGES)
        msg = msg.format(n=rng.randrange(10000), s=t.second)
        yield f"{t:%Y-%m-%d %H:%M:%S}, {level:<22}[0x000000] {msg}\r\n".encode()


GENERATORS = {"ccm": _ccm_records, "legacy": _legacy_records, "usmt": _usmt_records}


def write_log(
    kind: str, path: Path, size: int, seed: int = 977203, failure_rate: float | None = None
) -> int:
    """Write about ``size`` bytes of ``kind`` records (UTF-8 BOM, CRLF); returns records
    written. ``failure_rate`` (CCM, USMT) makes failure/anchor records that rare."""
    rng = random.Random(seed)
    if failure_rate is not None and kind == "ccm":
        records = _ccm_records(rng, failure_rate)
    elif failure_rate is not None and kind == "usmt":
        records = _usmt_records(rng, failure_rate)
    else:
        records = GENERATORS[kind](rng)
    count = 0
    written = 3
    with path.open("wb") as fh:
        fh.write(b"\xef\xbb\xbf")
        buf: list[bytes] = []
        pending = 0
        while written < size:
            rec = next(records)
            buf.append(rec)
            pending += len(rec)
            written += len(rec)
            count += 1
            if pending > 1 << 20:
                fh.write(b"".join(buf))
                buf.clear()
                pending = 0
        fh.write(b"".join(buf))
    return count


if __name__ == "__main__":
    kind, megabytes, out = sys.argv[1], float(sys.argv[2]), Path(sys.argv[3])
    n = write_log(kind, out, int(megabytes * 1e6))
    print(f"wrote {n} {kind} records, {out.stat().st_size / 1e6:.1f} MB to {out}")
