"""A synthetic fleet for the batch benchmark: many machines built from the sample bundles.

Each host copies one of the ``sample_logs`` scenarios (so verdicts follow a realistic mix:
mostly healthy, some at risk, a wave's worth of KB977203 failures), renamed to its own
machine name in every text file (UTF-8 and UTF-16), plus ordinary CCM client logs of a
size drawn around ``host_mb`` (some rotated into ``.lo_`` and dated generations). A share
of hosts is zipped. Filler text is generated once (``generate.write_log``) and sliced, so a
5 GB fleet is written at disk speed. Output is deterministic for a seed.

    python benchmarks/fleet_corpus.py 2000 2.5 /tmp/fleet    # 2,000 hosts, ~5 GB
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write_log  # noqa: E402

SAMPLES = HERE.parent / "sample_logs"
# scenario -> weight: most machines are healthy, a wave's failures are a minority.
MIX = {
    "WKS-XP-0533": 40,  # no_evidence (healthy)
    "WKS-XP-0999": 5,  # no_evidence (only systeminfo)
    "WKS-W7-1164": 12,  # at_risk
    "WKS-XP-0142": 10,  # confirmed
    "WKS-W7-2207": 6,  # confirmed (moving smsts.log)
    "WKS-VS-0455": 4,  # confirmed (rotated, UTF-16, legacy)
    "WKS-XP-0588": 6,  # likely
    "WKS-XP-0311": 9,  # resolved
    "WKS-XP-0420": 8,  # other_failure
}
_FILLER = (  # (file name, share of the host's filler bytes)
    ("execmgr.log", 0.30),
    ("PolicyAgent.log", 0.30),
    ("DataTransferService.log", 0.25),
    ("PolicyAgent-20110301-101010.log", 0.15),  # a dated older generation
)
_POOL = 6  # distinct filler texts


def _logs_dir(host: Path) -> Path:
    for path in sorted(host.rglob("*")):
        if path.name.lower() in ("ccmexec.log", "ccmexec.lo_"):
            return path.parent
    return host / "Windows" / "System32" / "CCM" / "Logs"


def _renamed(data: bytes, old: str, new: str) -> bytes:
    for enc in ("utf-8", "utf-16-le"):
        data = data.replace(old.encode(enc), new.encode(enc))
        data = data.replace(old.lower().encode(enc), new.lower().encode(enc))
    return data


def _slice(blob: bytes, size: int) -> bytes:
    if size >= len(blob):
        return blob
    cut = blob.rfind(b"\r\n", 0, size)
    return blob[: cut + 2] if cut > 0 else blob[:size]


def build_fleet(
    root: Path, hosts: int, host_mb: float, zip_share: float, seed: int = 977203
) -> None:
    """Write the fleet under ``root`` unless the same one is already there."""
    stamp = root / ".complete.json"
    want = {"hosts": hosts, "host_mb": host_mb, "zip": zip_share, "seed": seed, "layout": 1}
    if stamp.exists() and json.loads(stamp.read_text()) == want:
        return
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    rng = random.Random(seed)
    top = int(host_mb * 4e6)  # largest filler a host gets
    pool = []
    for i in range(_POOL):
        tmp = root / f".filler{i}.log"
        write_log("ccm", tmp, top, seed=seed + i, failure_rate=0.0)
        pool.append(tmp.read_bytes()[3:])  # without the BOM: each file writes its own
        tmp.unlink()
    names, weights = zip(*MIX.items(), strict=True)
    for h in range(hosts):
        scenario = rng.choices(names, weights)[0]
        name = f"WKS-{h:05d}"
        host = root / name
        for src in sorted((SAMPLES / scenario).rglob("*")):
            if src.is_file() and src.name != "EXPECTED.json":
                dst = host / src.relative_to(SAMPLES / scenario)
                dst.parent.mkdir(parents=True, exist_ok=True)
                dst.write_bytes(_renamed(src.read_bytes(), scenario, name))
        filler = int(min(rng.lognormvariate(0, 0.6), 4.0) * host_mb * 1e6)
        logs = _logs_dir(host)
        logs.mkdir(parents=True, exist_ok=True)
        for i, (fname, share) in enumerate(_FILLER):
            if i == 3 and h % 2:
                continue  # only half the hosts kept an older generation
            blob = pool[(h + i) % _POOL]
            (logs / fname).write_bytes(b"\xef\xbb\xbf" + _slice(blob, int(filler * share)))
        if rng.random() < zip_share:
            with zipfile.ZipFile(
                root / f"{name}.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1
            ) as z:
                for f in sorted(host.rglob("*")):
                    if f.is_file():
                        z.write(f, f"{name}/{f.relative_to(host).as_posix()}")
            shutil.rmtree(host)
    stamp.write_text(json.dumps(want))


if __name__ == "__main__":
    count, mb, out = int(sys.argv[1]), float(sys.argv[2]), Path(sys.argv[3])
    build_fleet(out, count, mb, 0.25)
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{count} hosts, {total / 1e9:.2f} GB under {out}")
