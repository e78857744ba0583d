"""collect_logscan.cmd read as text: commands, quoting, where it writes, cmd.exe needs.

No Windows here, so the script is checked statically, line by line, the way cmd.exe
would split it: comments skipped, quoted strings kept whole, redirections found.
"""

from __future__ import annotations

import re

import pytest

from logscan.collector import SCRIPT_NAME, collector_version, script_bytes

RAW = script_bytes()
TEXT = RAW.decode("ascii")
LINES = TEXT.split("\r\n")
# Lines cmd.exe executes: not comments, not labels, not blank.
COMMANDS = [
    (n, line.strip())
    for n, line in enumerate(LINES, 1)
    if line.strip() and not re.match(r"(?i)^\s*(rem\b|::|:[a-z_])", line)
]
OUT = ('"%LS_OUT%\\', '"!LS_OUT!\\')
_QUOTED = re.compile(r'"[^"]*"')
_REDIRECT = re.compile(r"(?<![\^])(?:\d)?>>?(?!&)\s*(\"[^\"]*\"|[^\s|&)]+)")
_ESCAPED_REDIRECT = re.compile(r"\^>>?\s*(\S+?)['\"\s]")
PATH_VARS = (
    "LS_OUT",
    "LS_ROOT",
    "LS_SRC",
    "LS_REL",
    "SystemRoot",
    "TEMP",
    "LS_ROBOCOPY",
    "LS_SYSTEMINFO",
    "LS_WMIC",
    "LS_TASKLIST",
)


def test_packaged_file_is_the_script_with_crlf() -> None:
    from importlib import resources

    packaged = resources.files("logscan.collector").joinpath(SCRIPT_NAME).read_bytes()
    assert packaged.replace(b"\r\n", b"\n") == RAW.replace(b"\r\n", b"\n")
    assert RAW.count(b"\n") == RAW.count(b"\r\n") > 100
    assert b"\r" not in RAW.replace(b"\r\n", b"")


def test_plain_ascii_without_bom() -> None:
    # cmd.exe reads batch files in the OEM code page and chokes on a UTF-8 BOM.
    assert RAW.isascii()
    assert RAW.startswith(b"@echo off\r\n")


def test_no_powershell_needed() -> None:
    for n, line in COMMANDS:
        assert "powershell" not in line.lower(), f"line {n}: {line}"


def test_versioned() -> None:
    assert re.fullmatch(r"\d+\.\d+", collector_version())


def _writes(line: str) -> list[str]:
    targets = [m.group(1) for m in _REDIRECT.finditer(line)]
    targets += [m.group(1) for m in _ESCAPED_REDIRECT.finditer(line)]
    return [t for t in targets if t.lower() != "nul"]


def test_every_redirection_writes_into_the_output_folder() -> None:
    seen = 0
    for n, line in COMMANDS:
        for target in _writes(line):
            seen += 1
            assert target.startswith(OUT), f"line {n} writes outside the output folder: {line}"
    assert seen >= 10


@pytest.mark.parametrize("tool", ["xcopy", "robocopy", "reg export", "mkdir", "del"])
def test_copy_export_mkdir_and_del_targets_are_in_the_output_folder(tool: str) -> None:
    pattern = {
        "xcopy": r'^xcopy\s+"[^"]*"\s+("[^"]*")',
        "robocopy": r'^"%LS_ROBOCOPY%"\s+"[^"]*"\s+("[^"]*")',
        "reg export": r'^reg export\s+"[^"]*"\s+("[^"]*")',
        "mkdir": r'(?:^|\s)mkdir\s+("[^"]*")',
        "del": r'(?:^|\s)del\s+(?:/\w\s+)*("[^"]*")',
    }[tool]
    hits = [(n, m.group(1)) for n, line in COMMANDS if (m := re.search(pattern, line, re.I))]
    assert hits, f"no {tool} command"
    for n, target in hits:
        assert target.startswith(OUT) or target == '"%LS_OUT%"', f"line {n}: {target}"


_IF = re.compile(
    r"(?i)^if\s+(?:/i\s+)?(?:not\s+)?(?:exist\s+\S+|defined\s+\S+|errorlevel\s+\d+|\S+==\S+)\s*"
)
# Every program the script may start; nothing here can change the client.
ALLOWED = {
    "echo",
    "setlocal",
    "endlocal",
    "if",
    "set",
    "goto",
    "call",
    "exit",
    "for",
    "reg",
    "mkdir",
    "xcopy",
    "del",
    "find",
    "dir",
    "ver",
    '""',
}
TOOLS = ("LS_ROBOCOPY", "LS_SYSTEMINFO", "LS_WMIC", "LS_TASKLIST")


def _commands(line: str) -> list[str]:
    """The command part of every simple command on a line (for /f commands included)."""
    inner = re.findall(r"\('([^']*)'\)", line)
    texts = [re.sub(r"\('[^']*'\)", "()", line), *inner]
    out = []
    for text in texts:
        bare = _QUOTED.sub('""', text.replace("^", ""))
        bare = re.sub(r"\d?>>?\s*(?:&\d|\S+)|<\s*\S+", " ", bare)  # redirections, 2>&1
        for part in re.split(r"&&|\|\||[&|]|\bdo\b", bare):
            command = part.strip()
            while m := _IF.match(command):
                command = command[m.end() :]
            if command:
                out.append(command)
    return out


def test_runs_only_programs_that_read() -> None:
    for n, line in COMMANDS:
        for command in _commands(line):
            word = re.match(r'""|[a-z]*', command.lower().lstrip("@"))
            assert word is not None and word.group(0) in ALLOWED, f"line {n}: {line}"
            if word.group(0) == "reg":
                assert re.match(r"(?i)reg (query|export) ", command), f"line {n}: {line}"


def test_programs_started_by_path_are_the_tools_found_or_native_cmd() -> None:
    started = [line for _, line in COMMANDS if line.startswith('"')]
    assert started
    for line in started:
        exe = line.split('"')[1]
        assert exe in [f"%{t}%" for t in TOOLS] or exe == "%SystemRoot%\\Sysnative\\cmd.exe"


def test_path_variables_are_always_quoted() -> None:
    # (%~f0 appears in the cmd /c ""script" args" idiom, whose quoting this cannot see.)
    var = re.compile(r"[%!](?:" + "|".join(PATH_VARS) + r")(?::[^%!]*)?[%!]|%~dp0")
    for n, line in COMMANDS:
        bare = _QUOTED.sub('""', line)
        assert not var.search(bare), f"line {n} uses a path without quotes: {line}"


def test_every_jump_has_its_label() -> None:
    labels = {m.group(1).lower() for m in re.finditer(r"(?m)^:([a-z_]+)\s*$", TEXT)}
    jumps = {m.group(1).lower() for m in re.finditer(r"(?i)(?:goto|call)\s+:([a-z_]+)", TEXT)}
    assert jumps - {"eof"} <= labels
    assert {"note", "grab", "export", "regval", "find_tool"} <= labels


def test_parentheses_balance_on_every_line() -> None:
    for n, line in COMMANDS:
        bare = _QUOTED.sub('""', re.sub(r"'[^']*'", "''", line))
        assert bare.count("(") - bare.count("echo(") == bare.count(")"), f"line {n}: {line}"


EVIDENCE = [
    # every CCM log folder of the 2007 client (x86, x64) and later clients
    'call :grab "%SystemRoot%\\System32\\CCM\\Logs"',
    'call :grab "%SystemRoot%\\SysWOW64\\CCM\\Logs"',
    'call :grab "%SystemRoot%\\CCM\\Logs"',
    # smsts.log of every phase; ...\CCM\Logs\SMSTSLog comes with the CCM folders
    'call :grab "X:\\Windows\\Temp\\SMSTSLog"',
    'call :grab "X:\\SMSTSLog"',
    "for %%D in (C D E F G H I J K L M N O P Q R S T U V W X Y Z) do call :probe_drive %%D",
    'if exist "%~1:\\_SMSTaskSequence\\Logs\\Smstslog\\" call :grab '
    '"%~1:\\_SMSTaskSequence\\Logs\\Smstslog"',
    'if defined TEMP call :grab "%TEMP%\\SMSTSLog"',
    # registry: certificate store, client version in both views, client patches
    'call :export "HKLM\\SOFTWARE\\Microsoft\\SystemCertificates\\SMS" sms_store.reg',
    'call :export "HKLM\\SOFTWARE\\Microsoft\\SMS\\Mobile Client" mobile_client.reg',
    'call :export "HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\SMS\\Mobile Client" '
    "mobile_client_wow6432node.reg",
    'if defined LS_X64 call :export "HKLM\\SOFTWARE\\Microsoft\\SMS\\Mobile Client" '
    "mobile_client_reg32.reg /reg:32",
    'if defined LS_X64 call :export "HKLM\\SOFTWARE\\Microsoft\\SMS\\Mobile Client" '
    "mobile_client_reg64.reg /reg:64",
    'reg export "%~1" "%LS_OUT%\\%~2" /y %~3 >nul 2>&1',
    # XP's reg.exe has no /y: the fallback without it
    'reg export "%~1" "%LS_OUT%\\%~2" < nul >nul 2>&1',
    # tool output
    '"%LS_SYSTEMINFO%" < nul > "%LS_OUT%\\systeminfo.txt" 2>> "%LS_OUT%\\collector.log"',
    '"%LS_WMIC%" qfe list full /format:list < nul > "%LS_OUT%\\hotfixes.txt" 2>> '
    '"%LS_OUT%\\collector.log"',
    # copies: xcopy everywhere, robocopy where Windows has it
    'xcopy "%LS_SRC%\\*" "%LS_OUT%\\files\\%LS_REL%\\" /E /C /I /H /R /Y /Q >> '
    '"%LS_OUT%\\collector.log" 2>&1',
    '"%LS_ROBOCOPY%" "%LS_SRC%" "%LS_OUT%\\files\\%LS_REL%" /E /R:1 /W:1 /NP /XJ >> '
    '"%LS_OUT%\\collector.log" 2>&1',
    '> "%LS_OUT%\\manifest.txt" echo # logscan collector manifest',
    'set "LS_OUT=%LS_ROOT%\\%LS_HOST%"',
    'set "LS_HOST=%COMPUTERNAME%"',
]


@pytest.mark.parametrize("command", EVIDENCE)
def test_gathers(command: str) -> None:
    assert command in [line for _, line in COMMANDS]


def test_missing_tools_are_tolerated() -> None:
    # Each optional tool is looked up on the PATH and skipped, with a note, when absent.
    for tool, var in (
        ("systeminfo", "LS_SYSTEMINFO"),
        ("wmic", "LS_WMIC"),
        ("tasklist", "LS_TASKLIST"),
        ("robocopy", "LS_ROBOCOPY"),
    ):
        assert f"call :find_tool {tool}.exe {var}" in TEXT
        assert re.search(rf"if (not )?defined {var} goto", TEXT), tool


def test_usmt_logs_are_listed_in_the_manifest() -> None:
    line = next(line for _, line in COMMANDS if "scanstate*.log" in line)
    for pattern in ("scanstate*.log", "loadstate*.log", "usmtutils*.log", "*progress.log"):
        assert f'"%LS_OUT%\\files\\{pattern}"' in line
    assert "call :note_usmt" in line


def test_documents_zipping() -> None:
    header = TEXT[: TEXT.index("setlocal")]
    assert "no zip tool" in header and "zip" in header.lower()


def test_exit_codes_are_tested_before_anything_resets_them() -> None:
    # In a .cmd file a successful SET (and CALL, ECHO...) resets ERRORLEVEL to 0, so an
    # "if errorlevel" must directly follow the program whose result it tests.
    checks = 0
    for i, (n, line) in enumerate(COMMANDS):
        if re.match(r"(?i)if (not )?errorlevel ", line):
            checks += 1
            previous = COMMANDS[i - 1][1]
            assert not re.match(
                r"(?i)(if .*\s)?(set|call|echo|goto|setlocal|endlocal)\b", previous
            ), f"line {n} tests the result of: {previous}"
    assert checks >= 8
