"""Heavy libraries stay out of start-up: --help and a plain parse must not import them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("textual", "pandas", "cryptography", "regipy", "dask", "pefile", "ctypes")

_PROBE = """
import sys
from logscan.cli.main import cli
try:
    cli.main(args=sys.argv[1:], prog_name="logscan", standalone_mode=False)
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[0].split(",")))
print("HEAVY:" + ",".join(heavy), file=sys.stderr)
"""


def _imported(*args: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE.replace("sys.argv[0]", repr(",".join(HEAVY))), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("HEAVY:")]
    assert line, proc.stderr
    found = line[-1].removeprefix("HEAVY:")
    return [m for m in found.split(",") if m]


def test_help_imports_nothing_heavy() -> None:
    assert _imported("--help") == []


@pytest.mark.parametrize("args", [["code", "0x80092024"]])
def test_light_commands_import_nothing_heavy(args: list[str]) -> None:
    assert _imported(*args) == []


def test_plain_parse_imports_nothing_heavy(tmp_path: Path) -> None:
    log = tmp_path / "CcmExec.log"
    log.write_bytes(
        b"<![LOG[Failed to import client certificate store (0x80092024)]LOG]!>"
        b'<time="14:02:11.123+300" date="03-15-2011" component="OSDSMPClient" context=""'
        b' type="3" thread="2212"'
        b' file="smpclient.cpp:1114">\r\n'
    )
    assert _imported("parse", "-q", str(log)) == []
