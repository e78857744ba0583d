"""Options shared by several commands behave the same in each."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from logscan.cli.main import cli
from logscan.cli.options import parse_now

SAMPLE = Path(__file__).resolve().parents[2] / "sample_logs" / "WKS-XP-0142"


@pytest.mark.parametrize(
    "args",
    [
        ["diagnose", str(SAMPLE)],
        ["certs", str(SAMPLE / "sms_store.reg")],
        ["batch", str(SAMPLE.parent), "--out", "OUT"],
    ],
)
def test_a_bad_now_is_a_usage_error_everywhere(args: list[str], tmp_path: Path) -> None:
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    result = CliRunner().invoke(cli, [*args, "--now", "next tuesday"])
    assert result.exit_code == 2
    assert "--now 'next tuesday' is not an ISO date/time" in result.stderr
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_now_without_a_zone_is_utc() -> None:
    assert parse_now("2011-03-15T14:00:00") == datetime(2011, 3, 15, 14, 0, tzinfo=UTC)
    assert parse_now("2011-03-15T14:00:00+02:00").utcoffset() is not None
    assert abs(parse_now(None) - datetime.now(UTC)).total_seconds() < 5


@pytest.mark.parametrize("command", [["diagnose"], ["batch"], ["scan"], ["rules", "lint"]])
def test_rules_option_reads_alike(command: list[str]) -> None:
    text = CliRunner().invoke(cli, [*command, "--help"]).output
    assert "--rules PATH" in text
    assert "A folder (or file) of user rules" in " ".join(text.split())
