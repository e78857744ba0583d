"""Build the sample bundles of ``sample_logs/`` from this folder's scripts, byte for byte.

    python sample_logs/_build/build.py            # rewrite the scenario folders
    python sample_logs/_build/build.py --check    # exit 1 if any file differs
    python sample_logs/_build/build.py --out DIR  # write elsewhere (tests)

Everything is derived from seeded generators, so two runs give identical bytes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bundle import Bundle

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent


def scenarios() -> list[Callable[[], Bundle]]:
    import hosts_deploy
    import hosts_misc
    import hosts_xp

    return [
        hosts_xp.wks_xp_0142,
        hosts_deploy.wks_w7_2207,
        hosts_deploy.wks_xp_0311,
        hosts_xp.wks_xp_0420,
        hosts_xp.wks_xp_0533,
        hosts_misc.wks_w7_1164,
        hosts_misc.wks_vs_0455,
        hosts_xp.wks_xp_0588,
        hosts_misc.wks_xp_0999,
    ]


def build(out: Path) -> list[str]:
    """Write every bundle under ``out``; returns the host names."""
    hosts = []
    for make in scenarios():
        bundle = make()
        bundle.write(out)
        hosts.append(bundle.host)
    return hosts


def _files(root: Path, hosts: list[str]) -> dict[str, bytes]:
    found = {}
    for host in hosts:
        for path in sorted((root / host).rglob("*")):
            if path.is_file():
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def check() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        hosts = build(Path(tmp))
        fresh = _files(Path(tmp), hosts)
    present = _files(SAMPLES, hosts)
    bad = sorted(k for k in fresh.keys() | present.keys() if fresh.get(k) != present.get(k))
    for name in bad:
        print(f"differs: {name}", file=sys.stderr)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--out", type=Path, default=SAMPLES, help="where to write the host folders")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    for host in build(args.out):
        print(host)
    return 0


if __name__ == "__main__":
    sys.exit(main())
