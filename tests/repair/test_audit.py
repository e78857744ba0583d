"""The audit log: append-only, durable, damage located by line; ``logscan audit show``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from logscan.cli.main import cli
from logscan.repair.audit import SCHEMA, AuditLog, read_audit


def _record(event: str, **extra: object) -> dict[str, object]:
    return {
        "schema": SCHEMA,
        "event": event,
        "run_id": "r1",
        "when": "2024-03-15T14:02:11Z",
        **extra,
    }


def test_records_are_appended_and_earlier_bytes_never_change(tmp_path: Path) -> None:
    path = tmp_path / "state" / "audit.jsonl"
    log = AuditLog(path)
    log.append(_record("started"))
    first = path.read_bytes()
    log.append(_record("finished", outcome={"status": "repaired", "message": "ok ␀"}))
    data = path.read_bytes()
    assert data.startswith(first) and data.count(b"\n") == 2
    assert json.loads(data.splitlines()[1])["outcome"]["message"] == "ok ␀"


def test_the_log_is_only_ever_opened_for_appending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modes: list[str] = []
    real_open = Path.open

    def spy(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        modes.append(mode)
        return real_open(self, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", spy)
    log = AuditLog(tmp_path / "a.jsonl")
    log.append(_record("started"))
    log.append(_record("finished"))
    assert set(modes) <= {"ab", "rb"} and modes.count("ab") == 2


def test_a_torn_last_line_is_left_alone_and_the_next_record_starts_fresh(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(json.dumps(_record("started")).encode() + b'\n{"schema": "logscan-rep')
    AuditLog(path).append(_record("finished"))
    read = read_audit(path)
    assert [e.line for e in read.entries] == [1, 3]
    assert [d.line for d in read.damaged] == [2]
    assert read.damaged[0].reason.startswith("bad JSON at column 12: Unterminated string")


def test_every_kind_of_damage_is_reported_with_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = [
        json.dumps(_record("started")).encode(),
        b"not json",
        b"\xff\xfe broken utf-8",
        json.dumps(["a", "list"]).encode(),
        json.dumps({"schema": "other/1", "event": "started"}).encode(),
        json.dumps({"schema": SCHEMA, "event": "exploded"}).encode(),
        b"",
        json.dumps(_record("finished")).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    read = read_audit(path)
    assert [e.line for e in read.entries] == [1, 8]
    reasons = {d.line: d.reason for d in read.damaged}
    assert sorted(reasons) == [2, 3, 4, 5, 6]
    assert reasons[3].startswith("not UTF-8") and reasons[4] == "not a JSON object"
    assert "schema is 'other/1'" in reasons[5] and "unknown event" in reasons[6]


def test_audit_show_prints_records_and_reports_damage_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    log = AuditLog(path)
    log.append(_record("refused", refusals=[{"reason": "not_elevated", "message": "run elevated"}]))
    with path.open("ab") as fh:
        fh.write(b"{torn\n")
    log.append(
        _record(
            "finished",
            who="CONTOSO\\admin",
            host="PC01",
            mode="ccmcertfix",
            outcome={
                "status": "repaired",
                "message": "all clean",
                "names": [
                    {
                        "thumbprint": "AB" * 20,
                        "before": {"text": "SMS Signing Certificate\u2400"},
                        "after": {"text": "SMS Signing Certificate"},
                    }
                ],
            },
        )
    )
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["audit", "show", str(path)])
    assert result.exit_code == 4
    out = result.stdout.splitlines()
    assert len(out) == 2 and "not_elevated: run elevated" in out[0]
    assert "CONTOSO\\admin@PC01" in out[1] and "repaired: all clean" in out[1]
    assert '"SMS Signing Certificate␀" -> "SMS Signing Certificate"' in out[1]
    assert f"{path}:2: damaged line" in result.stderr
    assert path.read_bytes() == before
    as_json = CliRunner().invoke(cli, ["audit", "show", str(path), "--format", "jsonl"])
    assert [json.loads(line)["event"] for line in as_json.stdout.splitlines()] == [
        "refused",
        "finished",
    ]


def test_audit_show_of_a_missing_file_is_no_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", "show", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 3 and "cannot read the audit log" in result.stderr
