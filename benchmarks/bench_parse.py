"""Full-parse throughput and peak memory per log format.

Generates a corpus per format (cached under benchmarks/_corpus/), then parses each file in
a fresh child process so peak RSS is per format, and prints MB/s, records/s and peak RSS.
Memory must stay flat in file size: run with two sizes to see it.

    python benchmarks/bench_parse.py --size-mb 200
    python benchmarks/bench_parse.py --size-mb 50 --formats ccm
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import GENERATORS, write_log  # noqa: E402

_FORMAT_OF = {"ccm": "ccm", "legacy": "smstrace", "usmt": "usmt"}

_CHILD = r"""
import json, sys, time
from pathlib import Path
from logscan.inputs.stream import TextStream, detect_encoding, has_bom
from logscan.model import LogRecord
from logscan.parsers.base import get

path, fmt = Path(sys.argv[1]), sys.argv[2]
head = path.open("rb").read(65536)
enc = detect_encoding(head)
stream = TextStream(str(path), lambda: path.open("rb"), enc, bom=has_bom(head, enc))
t0 = time.perf_counter()
records = warnings = 0
for item in get(fmt).parse(stream):
    if isinstance(item, LogRecord):
        records += 1
    else:
        warnings += 1
elapsed = time.perf_counter() - t0
rss_mb = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps({"seconds": elapsed, "records": records, "warnings": warnings, "rss_mb": rss_mb}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=float, default=200)
    ap.add_argument("--formats", default=",".join(GENERATORS))
    args = ap.parse_args()
    corpus = HERE / "_corpus"
    corpus.mkdir(exist_ok=True)
    print(
        f"{'format':<8} {'MB':>8} {'records':>10} {'warn':>5} {'s':>7} {'MB/s':>8} "
        f"{'rec/s':>10} {'peak RSS MB':>12}"
    )
    for kind in args.formats.split(","):
        path = corpus / f"{kind}_{args.size_mb:g}MB.log"
        if not path.exists():
            write_log(kind, path, int(args.size_mb * 1e6))
        mb = path.stat().st_size / 1e6
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), _FORMAT_OF[kind]],
            check=True,
            capture_output=True,
            text=True,
        )
        res = json.loads(out.stdout)
        wall = time.perf_counter() - t0
        print(
            f"{kind:<8} {mb:>8.1f} {res['records']:>10} {res['warnings']:>5} "
            f"{res['seconds']:>7.2f} {mb / res['seconds']:>8.1f} "
            f"{res['records'] / res['seconds']:>10.0f} {res['rss_mb']:>12.1f}"
            f"   (wall incl. start-up {wall:.2f}s)"
        )


if __name__ == "__main__":
    main()
