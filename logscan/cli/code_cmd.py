"""The ``logscan code`` command: CMTrace's error lookup, plus what the system text leaves out.

Stays import-light (click, json, textwrap and ``logscan.codes`` only) so a lookup answers
at once.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import click

from logscan.cli.exitcodes import ExitCode
from logscan.codes import CodeInfo, CodeKind, decode, lookup, normalize, readings
from logscan.codes.hresult import is_hresult_shaped

_WIDTH = 100
_LABEL = 12  # width of the "  label:" column in text output


def _context(value: int, usmt: bool) -> CodeKind | None:
    # --usmt only changes how a small number is read; 0x80092024 stays an HRESULT
    return CodeKind.USMT_RETURN if usmt and not is_hresult_shaped(value) else None


def _value_line(value: int) -> str:
    if not is_hresult_shaped(value):
        return f"0x{value:08X} = {value}"
    return f"0x{value:08X} = {value} = {decode(value).signed}"


def _reading_line(value: int, info: CodeInfo | None, context: CodeKind | None) -> str:
    if info is not None and info.kind is CodeKind.USMT_RETURN:
        category = info.usmt_category.value if info.usmt_category else "?"
        return f"USMT return code, category {category}"
    if info is not None and info.kind is CodeKind.WIN32:
        return "Win32 error code"
    if context is CodeKind.USMT_RETURN:
        return "USMT return code"
    if not is_hresult_shaped(value) and info is None:
        return "Win32 error code"
    parts = decode(value)
    facility = parts.facility_name or "unknown facility"
    text = (
        f"HRESULT, {'failure' if parts.failure else 'success'}, "
        f"facility {parts.facility} {facility}, code 0x{parts.code:04X}"
    )
    if parts.win32 is not None:
        text += f", wraps Win32 code {parts.win32}"
    return text


def _row(label: str, text: str) -> str:
    head = f"  {label + ':':<{_LABEL}}"
    return textwrap.fill(text, _WIDTH, initial_indent=head, subsequent_indent=" " * len(head))


def _render_text(value: int, usmt: bool) -> str:
    context = _context(value, usmt)
    info = lookup(value, context)
    title = f"0x{value:08X}" if is_hresult_shaped(value) else f"{value} (0x{value:08X})"
    name = info.name if info else "(not in logscan's table)"
    lines = [f"{title}  {name}", _row("value", _value_line(value))]
    lines.append(_row("reading", _reading_line(value, info, context)))
    if info is not None:
        lines.append(_row("text", info.text))
        if info.note:
            lines.append(_row("note", info.note))
        lines.append(_row("relevance", info.relevance.value))
    for other in readings(value, context):
        if info is None or other.kind is not info.kind:
            hint = " (use --usmt)" if other.kind is CodeKind.USMT_RETURN else ""
            also = f"as {other.kind.value}: {other.name}: {other.text}{hint}"
            lines.append(_row("also", also))
    return "\n".join(lines)


def _as_json(arg: str, value: int, usmt: bool) -> dict[str, Any]:
    context = _context(value, usmt)
    info = lookup(value, context)
    parts = decode(value)
    hresult = info.kind is CodeKind.HRESULT if info else is_hresult_shaped(value)
    kind = info.kind if info else (context or (CodeKind.HRESULT if hresult else CodeKind.WIN32))
    return {
        "input": arg,
        "value": value,
        "hex": f"0x{value:08X}",
        "signed": parts.signed,
        "known": info is not None,
        "kind": kind.value,
        "name": info.name if info else None,
        "text": info.text if info else None,
        "note": info.note if info else None,
        "relevance": info.relevance.value if info else None,
        "failure": info.failure if info else (parts.failure if hresult else value != 0),
        "facility": parts.facility if hresult else None,
        "facility_name": parts.facility_name if hresult else None,
        "win32": parts.win32 if hresult else (value if kind is CodeKind.WIN32 else None),
        "usmt_category": info.usmt_category.value if info and info.usmt_category else None,
        "also": [
            {"kind": o.kind.value, "name": o.name, "text": o.text}
            for o in readings(value, context)
            if info is None or o.kind is not info.kind
        ],
    }


@click.command(
    "code",
    context_settings={"ignore_unknown_options": True, "help_option_names": ["-h", "--help"]},
)
@click.argument("codes", nargs=-1, required=True, metavar="CODE...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one object per code, in a list.",
)
@click.option(
    "--usmt",
    is_flag=True,
    help="Read small numbers as USMT return codes (ScanState/LoadState, OSDUSMT exit codes).",
)
@click.pass_context
def code(ctx: click.Context, codes: tuple[str, ...], fmt: str, usmt: bool) -> None:
    """Look up error codes: value in hex/unsigned/signed, name, Windows text, facility,
    wrapped Win32 code, and what the text does not say (e.g. that 0x80092024 is KB977203).

    CODE is any spelling a log uses: 0x80092024, 80092024 (eight digits are hex),
    2148081700, -2146885596, 0x(80070057), a name such as CRYPT_E_NOT_CHAR_STRING, or a
    small number like 38 (a Win32 code; add --usmt to read it as a USMT return code).

    \b
    Exit status:
      0  every code is in logscan's table
      1  at least one code is not (its fields are still decoded)
      2  usage error: an argument is not an error code
    """
    values: list[tuple[str, int]] = []
    for arg in codes:
        value = normalize(arg)
        if value is None:
            raise click.UsageError(
                f"{arg!r} is not an error code; write it like 0x80092024, 80092024, "
                "2148081700, -2146885596, 38 or CRYPT_E_NOT_CHAR_STRING"
            )
        values.append((arg, value))
    if fmt == "json":
        click.echo(json.dumps([_as_json(arg, v, usmt) for arg, v in values], indent=2))
    else:
        click.echo("\n\n".join(_render_text(v, usmt) for _arg, v in values))
    known = all(lookup(v, _context(v, usmt)) is not None for _arg, v in values)
    # 1 here is grep's "not found": a code logscan cannot name (see the help above)
    ctx.exit(int(ExitCode.OK if known else ExitCode.FINDING))
