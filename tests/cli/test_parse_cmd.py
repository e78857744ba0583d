"""`logscan parse`: formats, filters, exit codes; stdout carries only records."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from logscan.cli.main import cli
from logscan.cli.records_out import FIELDS


def _ccm(message: str, time: str, component: str, level: int, thread: int) -> bytes:
    attrs = (
        f'time="{time}+300" date="03-15-2011" component="{component}" context="" '
        f'type="{level}" thread="{thread}" file="a.cpp:1"'
    )
    return f"<![LOG[{message}]LOG]!><{attrs}>\r\n".encode()


_RECORDS = b"\xef\xbb\xbf" + b"".join(
    [
        _ccm(
            "Requesting state store from SMP server SMP01", "14:02:10.500", "OSDSMPClient", 1, 2212
        ),
        _ccm(
            "Failed to import client certificate store (0x80092024)",
            "14:02:11.123",
            "OSDSMPClient",
            3,
            2212,
        ),
        _ccm(
            "Failed to run the action: Request State Store.\nUnknown error (Error: 80092024; "
            "Source: Windows)",
            "14:02:12.003",
            "TSManager",
            3,
            1876,
        ),
    ]
)


def _log(tmp_path: Path) -> Path:
    path = tmp_path / "smsts.log"
    path.write_bytes(_RECORDS)
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["parse", *args])
    return result.exit_code, result.stdout, result.stderr


def test_jsonl_gives_every_field_with_utc_from_the_bias(tmp_path: Path) -> None:
    code, out, err = _run("--format", "jsonl", str(_log(tmp_path)))
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3]
    assert set(rows[0]) == set(FIELDS)
    assert rows[1]["local_time"] == "2011-03-15T14:02:11.123000"
    assert rows[1]["utc"] == "2011-03-15T19:02:11.123000Z"  # UTC = local + 300 minutes
    assert rows[2]["flags"] == ["multiline"]
    assert "3 record(s)" in err  # the summary goes to stderr, never stdout


def test_csv_has_the_documented_header(tmp_path: Path) -> None:
    code, out, _ = _run("--format", "csv", str(_log(tmp_path)))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == FIELDS
    assert [r["component"] for r in rows] == ["OSDSMPClient", "OSDSMPClient", "TSManager"]


def test_table_keeps_one_line_per_record(tmp_path: Path) -> None:
    code, out, _ = _run(str(_log(tmp_path)))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 4  # header + 3 records; the multi-line message is folded
    assert "Request State Store.⏎Unknown error" in lines[3]


def test_filters_level_component_and_time(tmp_path: Path) -> None:
    log = str(_log(tmp_path))

    def lines(*opts: str) -> list[int]:
        code, out, _ = _run("--format", "jsonl", *opts, log)
        assert code == 0
        return [json.loads(row)["line"] for row in out.splitlines()]

    assert lines("--level", "error") == [2, 3]
    assert lines("--component", "tsmanager") == [3]
    # A bound with a zone compares with UTC, a naive one with local time.
    assert lines("--since", "2011-03-15T19:02:11Z") == [2, 3]
    assert lines("--since", "2011-03-15T14:02:11") == [2, 3]
    assert lines("--until", "2011-03-15T14:02:11") == [1]


def test_bad_time_bound_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = _run("--since", "yesterday", str(_log(tmp_path)))
    assert code == 2 and out == ""
    assert "--since" in err and "Traceback" not in err


def test_exit_codes_for_missing_and_partial_input(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere")
    code, out, err = _run(missing)
    assert code == 3 and out == "" and "nowhere" in err
    code, out, err = _run("--format", "jsonl", missing, str(_log(tmp_path)))
    assert code == 4 and len(out.splitlines()) == 3 and "nowhere" in err
