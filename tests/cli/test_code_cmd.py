"""``logscan code``: text and json output, any spelling, --usmt, exit codes, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner, Result

from logscan.cli.main import cli


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["code", *args])


@pytest.mark.parametrize(
    "spelling",
    ["0x80092024", "80092024", "2148081700", "-2146885596", "(0x80092024)", "0x(80092024)",
     "CRYPT_E_NOT_CHAR_STRING"],
)  # fmt: skip
def test_every_spelling_prints_the_same_answer(spelling: str) -> None:
    result = _run(spelling)
    assert result.exit_code == 0, result.output
    assert result.stdout == _run("0x80092024").stdout
    first = result.stdout.splitlines()[0]
    assert first == "0x80092024  CRYPT_E_NOT_CHAR_STRING"


def test_text_output_has_values_facility_text_and_the_kb_note() -> None:
    out = _run("0x80092024").stdout
    assert "0x80092024 = 2148081700 = -2146885596" in out
    assert "facility 9 FACILITY_SECURITY (SSPI)" in out
    assert "CERT_NAME_VALUE" in out
    assert "KB977203" in out and "friendly" in out and "CCMCertFix.exe" in out
    assert "relevance:  kb977203" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_wrapped_win32_code_is_shown() -> None:
    out = _run("0x80070005").stdout
    assert "wraps Win32 code 5" in out
    assert "E_ACCESSDENIED" in out and "Access is denied." in out


def test_small_number_shows_the_usmt_reading_as_an_alternative() -> None:
    plain = _run("38")
    assert plain.exit_code == 0
    assert plain.stdout.startswith("38 (0x00000026)  ERROR_HANDLE_EOF")
    assert "USMT_ERROR_CORRUPTED_NOTENCRYPTED_STORE" in plain.stdout
    assert "(use --usmt)" in plain.stdout
    usmt = _run("38", "--usmt")
    assert usmt.exit_code == 0
    assert usmt.stdout.startswith("38 (0x00000026)  USMT_ERROR_CORRUPTED_NOTENCRYPTED_STORE")
    assert "category setup_and_initialization" in usmt.stdout
    assert "as win32: ERROR_HANDLE_EOF" in usmt.stdout


def test_usmt_flag_leaves_hresults_alone() -> None:
    result = _run("0x80092024", "--usmt")
    assert result.exit_code == 0
    assert "CRYPT_E_NOT_CHAR_STRING" in result.stdout


def test_json_parses_and_carries_every_field() -> None:
    result = _run("0x80092024", "38", "--usmt", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [row["input"] for row in rows] == ["0x80092024", "38"]
    target, usmt = rows
    assert target["value"] == 2148081700 and target["signed"] == -2146885596
    assert target["hex"] == "0x80092024" and target["known"] is True
    assert (target["name"], target["kind"], target["facility"]) == (
        "CRYPT_E_NOT_CHAR_STRING",
        "hresult",
        9,
    )
    assert target["relevance"] == "kb977203" and target["failure"] is True
    assert "KB977203" in target["note"] and target["also"] == []
    assert usmt["kind"] == "usmt_return"
    assert usmt["usmt_category"] == "setup_and_initialization"
    assert usmt["facility"] is None
    assert [a["name"] for a in usmt["also"]] == ["ERROR_HANDLE_EOF"]


def test_unknown_code_is_decoded_and_exits_1() -> None:
    result = _run("0x87D00269", "--format", "json")
    assert result.exit_code == 1
    (row,) = json.loads(result.stdout)
    assert row["known"] is False and row["name"] is None
    assert row["facility"] == 0x7D0 and row["failure"] is True
    text = _run("0x87D00269")
    assert text.exit_code == 1
    assert "not in logscan's table" in text.stdout
    assert "facility 2000 ConfigMgr" in text.stdout


def test_one_unknown_among_known_codes_still_exits_1_and_prints_all() -> None:
    result = _run("0x80092024", "9999", "--format", "json")
    assert result.exit_code == 1
    assert [row["known"] for row in json.loads(result.stdout)] == [True, False]


def test_bad_argument_is_a_usage_error_on_stderr_only() -> None:
    result = _run("0x80092024", "not-a-code")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'not-a-code' is not an error code" in result.stderr
    assert "Traceback" not in result.output


def test_no_argument_is_a_usage_error() -> None:
    result = _run()
    assert result.exit_code == 2
    assert result.stdout == ""


def test_help_documents_the_exit_status() -> None:
    result = _run("--help")
    assert result.exit_code == 0
    assert "Exit status:" in result.stdout
    assert "1  at least one code is not" in result.stdout


def test_the_command_imports_nothing_heavy() -> None:
    probe = (
        "import sys; import logscan.cli.code_cmd; "
        "print(','.join(m for m in ('pandas', 'textual', 'cryptography', 'rich', 'yaml') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""
