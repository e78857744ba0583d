"""``logscan diagnose`` on one machine's logs (tens of MB), and ``logscan --version`` start-up.

Builds a machine folder under a temporary directory: CcmExec.log, smsts.log and
ccmsetup.log (CCM format) and scanstate.log (USMT) of ``--mb`` megabytes in all, with
failure and step records as rare as on real clients (``--failure-rate``), plus the
certificate export and systeminfo of sample WKS-XP-0142. Reports, best of ``--repeat``:
the in-process ``diagnose()`` time, the whole command as a subprocess, and start-up.

    python benchmarks/bench_diagnose.py --mb 40
    python benchmarks/bench_diagnose.py --mb 40 --failure-rate 1   # every record an anchor
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write_log  # noqa: E402

SAMPLE = HERE.parent / "sample_logs" / "WKS-XP-0142"
_LAYOUT = [  # (relative path, generator, share of the bytes)
    ("WINDOWS/system32/CCM/Logs/CcmExec.log", "ccm", 0.40),
    ("WINDOWS/system32/CCM/Logs/smsts.log", "ccm", 0.35),
    ("WINDOWS/system32/ccmsetup/ccmsetup.log", "ccm", 0.10),
    ("WINDOWS/system32/CCM/Logs/SMSTSLog/scanstate.log", "usmt", 0.15),
]


def build(root: Path, mb: float, failure_rate: float | None) -> int:
    total = 0
    for rel, kind, share in _LAYOUT:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        write_log(kind, path, int(mb * 1e6 * share), failure_rate=failure_rate)
        total += path.stat().st_size
    for name in ("sms_store.reg", "systeminfo.txt", "mobile_client.reg"):
        shutil.copyfile(SAMPLE / name, root / name)
    return total


def _best(repeat: int, run: object) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=40.0)
    parser.add_argument("--failure-rate", type=float, default=0.0005)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rate = None if args.failure_rate >= 1 else args.failure_rate
    from logscan.diagnose import diagnose
    from logscan.rules import load_rules

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "WKS-BENCH-0001"
        size = build(root, args.mb, rate)
        rules = load_rules()
        report = diagnose([root], rules)  # warm the page cache and imports
        d = report.diagnoses[0]
        in_process = _best(args.repeat, lambda: diagnose([root], rules))
        logscan = [str(Path(sys.executable).with_name("logscan"))]
        command = _best(
            args.repeat,
            lambda: subprocess.run(
                [*logscan, "diagnose", str(root)], check=False, capture_output=True
            ),
        )
        startup = _best(
            args.repeat,
            lambda: subprocess.run([*logscan, "--version"], check=False, capture_output=True),
        )
    print(
        json.dumps(
            {
                "bytes": size,
                "failure_rate": args.failure_rate,
                "verdict": d.verdict.value,
                "evidence": len(d.evidence),
                "timeline": len(d.timeline),
                "diagnose_in_process_s": round(in_process, 3),
                "diagnose_command_s": round(command, 3),
                "version_startup_s": round(startup, 3),
                "mb_per_s_in_process": round(size / 1e6 / in_process, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
