"""The .reg reader and writer: reg export layout, every value type, located warnings, streaming."""

from __future__ import annotations

import codecs
import io
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logscan.errors import InputError
from logscan.inputs import regfile
from logscan.inputs.regfile import (
    RegEncoding,
    RegKey,
    RegReader,
    RegType,
    RegValue,
    RegVersion,
    format_reg_file,
    read_reg_file,
    read_reg_path,
)
from logscan.model import WarningCode

SMS = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\SMS"


def _v5(text: str) -> bytes:
    return codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le")


def _val(name: str, kind: RegType, raw: bytes) -> RegValue:
    return RegValue(name, kind, raw, 0)


def _sz(text: str) -> bytes:
    return text.encode("utf-16-le") + b"\0\0"


def _same(a: RegValue, b: RegValue) -> bool:
    return (a.name, a.type, a.type_id, a.raw, a.deleted) == (
        b.name,
        b.type,
        b.type_id,
        b.raw,
        b.deleted,
    )


# -- the layout reg export writes -------------------------------------------------------------


def test_blob_wraps_22_then_25_bytes_like_reg_export() -> None:
    data = bytes(range(256)) * 3
    raw = format_reg_file(
        [RegKey(SMS + r"\Certificates\AB", 0, (_val("Blob", RegType.BINARY, data),))]
    )
    assert raw.startswith(codecs.BOM_UTF16_LE)
    text = raw[2:].decode("utf-16-le")
    lines = text.split("\r\n")
    assert lines[:3] == ["Windows Registry Editor Version 5.00", "", f"[{SMS}\\Certificates\\AB]"]
    assert text.endswith("\r\n\r\n")
    hex_lines = lines[3:-2]
    assert hex_lines[0].startswith('"Blob"=hex:00,01,')
    assert hex_lines[0].count(",") == 22 and len(hex_lines[0]) == 78
    for cont in hex_lines[1:-1]:
        assert cont.startswith("  ") and cont.endswith("\\") and len(cont) == 78
        assert cont.count(",") == 25
    assert not hex_lines[-1].endswith((",", "\\"))
    assert sum(ln.count(",") for ln in hex_lines) == len(data) - 1


def test_reads_a_windows_shaped_export_with_every_value_kind() -> None:
    text = (
        "Windows Registry Editor Version 5.00\n\n"
        f"[{SMS}]\n\n"
        f"[{SMS}\\Certificates]\n\n"
        f"[{SMS}\\Certificates\\0A1B]\n"
        '"Blob"=hex:0b,00,00,00,01,00,00,00,04,00,00,00,41,00,00,00\n'
        '@="default \\"quoted\\" C:\\\\path"\n'
        '"Count"=dword:0000002a\n'
        '"Path"=hex(2):25,00,54,00,45,00,4d,00,50,00,25,00,00,00\n'
        '"List"=hex(7):61,00,00,00,62,00,63,00,00,00,00,00\n'
        '"Big"=hex(b):01,00,00,00,00,00,00,00\n'
        '"Nothing"=hex(0):\n'
        '"Empty"=hex:\n'
        '"Gone"=-\n'
        "; a comment line\n\n"
        f"[-{SMS}\\CTLs]\n\n"
    )
    reg = read_reg_file("sms.reg", _v5(text))
    assert reg.warnings == ()
    assert (reg.version, reg.encoding) == (RegVersion.V5, RegEncoding.UTF16LE)
    assert [k.path.rsplit("\\", 1)[-1] for k in reg.keys] == ["SMS", "Certificates", "0A1B", "CTLs"]
    assert reg.keys[-1].deleted and not reg.keys[2].deleted
    key = reg.key(SMS.lower() + r"\certificates\0a1b")
    assert key is not None and key.line == 7
    blob = key.value("blob")
    assert blob is not None and blob.raw[:4] == b"\x0b\0\0\0" and len(blob.raw) == 16
    default = key.value("")
    assert default is not None and default.as_str() == 'default "quoted" C:\\path'
    count = key.value("Count")
    assert count is not None and count.as_int() == 42 and count.line == 10
    path = key.value("Path")
    assert path is not None and path.type is RegType.EXPAND_SZ and path.as_str() == "%TEMP%"
    lst = key.value("List")
    assert lst is not None and lst.as_multi() == ("a", "bc")
    big = key.value("Big")
    assert big is not None and big.as_int() == 1
    nothing = key.value("Nothing")
    assert nothing is not None and nothing.type is RegType.NONE and nothing.raw == b""
    empty = key.value("Empty")
    assert empty is not None and empty.type is RegType.BINARY and empty.raw == b""
    gone = key.value("Gone")
    assert gone is not None and gone.deleted


def test_continuations_are_joined_before_parsing_even_mid_element_header() -> None:
    text = (
        "Windows Registry Editor Version 5.00\n\n"
        f"[{SMS}\\Certificates\\AA]\n"
        '"Blob"=hex:65,00,00,00,00,00,20,\\\n'
        "  00,00,00,01,\\\n"
        "\t00,00,00\n"
        '"After"=dword:00000001\n'
    )
    reg = read_reg_file("cont.reg", _v5(text))
    assert reg.warnings == ()
    blob = reg.keys[0].value("Blob")
    after = reg.keys[0].value("After")
    assert blob is not None and blob.raw == bytes.fromhex("6500000000002000000001000000")
    assert after is not None and after.line == 7


def test_regedit4_ansi_is_read_and_text_types_become_utf16() -> None:
    text = (
        "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Test]\r\n"
        '"Name"="Caf\xe9"\r\n"Exp"=hex(2):25,41,25,00\r\n'
    )
    reg = read_reg_file("old.reg", text.encode("cp1252"))
    assert reg.warnings == ()
    assert (reg.version, reg.encoding) == (RegVersion.V4, RegEncoding.CP1252)
    name, exp = reg.keys[0].values
    assert name.as_str() == "Café" and name.raw == _sz("Café")
    assert exp.raw == _sz("%A%") and exp.as_str() == "%A%"


# -- round trip -----------------------------------------------------------------------------

_names = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=12
)
_value = st.one_of(
    st.builds(_val, _names, st.just(RegType.BINARY), st.binary(max_size=300)),
    st.builds(_val, _names, st.just(RegType.DWORD), st.binary(min_size=4, max_size=4)),
    st.builds(_val, _names, st.just(RegType.QWORD), st.binary(min_size=8, max_size=8)),
    st.builds(lambda n, t: _val(n, RegType.SZ, _sz(t)), _names, st.text(max_size=40)),
    st.builds(_val, _names, st.just(RegType.SZ), st.binary(max_size=40)),
    st.builds(
        _val, _names, st.sampled_from([RegType.EXPAND_SZ, RegType.MULTI_SZ]), st.binary(max_size=60)
    ),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_value, max_size=5), min_size=1, max_size=4))
def test_writer_and_reader_agree_on_any_values(groups: list[list[RegValue]]) -> None:
    keys = [RegKey(f"{SMS}\\K{i}", 0, tuple(vals)) for i, vals in enumerate(groups)]
    reg = read_reg_file("rt.reg", format_reg_file(keys))
    assert reg.warnings == ()
    assert len(reg.keys) == len(keys)
    for got, want in zip(reg.keys, keys, strict=True):
        assert got.path == want.path
        assert len(got.values) == len(want.values)
        assert all(_same(a, b) for a, b in zip(got.values, want.values, strict=True))


def test_regedit4_round_trip_keeps_the_bytes() -> None:
    vals = (
        _val("Blob", RegType.BINARY, bytes(range(100))),
        _val("Text", RegType.SZ, _sz("plain")),
        _val("Exp", RegType.EXPAND_SZ, _sz("%SystemRoot%")),
        _val("Multi", RegType.MULTI_SZ, "a\0b\0\0".encode("utf-16-le")),
    )
    reg = read_reg_file("v4.reg", format_reg_file([RegKey(SMS, 0, vals)], version=4))
    assert reg.warnings == () and reg.version is RegVersion.V4
    assert all(_same(a, b) for a, b in zip(reg.keys[0].values, vals, strict=True))


# -- anomalies are located warnings ---------------------------------------------------------


def _codes(reg: regfile.RegFile) -> list[tuple[int, WarningCode]]:
    return [(w.line, w.code) for w in reg.warnings]


def test_bad_lines_warn_with_their_line_and_the_rest_is_still_read() -> None:
    text = (
        "Windows Registry Editor Version 5.00\n"
        '"Orphan"=dword:00000001\n'  # 2: before any key
        f"[{SMS}\\Certificates\\AA]\n"
        '"Bad"=hex:0g,00\n'  # 4: bad hex digit
        '"Short"=hex:0,00\n'  # 5: one-digit byte
        '"Open"="never closed\n'  # 6
        '"Dw"=dword:123456789\n'  # 7: nine digits
        "garbage here\n"  # 8
        '"Good"=hex:01,02\n'  # 9
        "[HKLM\\Software\\X]\n"  # 10: abbreviation is no root in a .reg
        "[HKEY_LOCAL_MACHINE\\Unclosed\n"  # 11
    )
    reg = read_reg_file("bad.reg", _v5(text))
    assert _codes(reg) == [
        (2, WarningCode.STRAY_TEXT),
        (4, WarningCode.BAD_VALUE),
        (5, WarningCode.BAD_VALUE),
        (6, WarningCode.BAD_VALUE),
        (7, WarningCode.BAD_VALUE),
        (8, WarningCode.STRAY_TEXT),
        (10, WarningCode.BAD_KEY),
        (11, WarningCode.BAD_KEY),
    ]
    assert all(str(w).startswith(f"bad.reg:{w.line}:") for w in reg.warnings)
    good = reg.keys[0].value("Good")
    assert good is not None and good.raw == b"\x01\x02"
    # byte offsets point at the line in the UTF-16 file (BOM + 2 bytes per character)
    first = reg.warnings[0]
    assert first.offset == 2 + 2 * len("Windows Registry Editor Version 5.00\r\n")


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        (b"Windows Registry Editor Version 5.00\r\n[HKEY_USERS\\X]\r\n", "ANSI"),
        (codecs.BOM_UTF8 + b"Windows Registry Editor Version 5.00\r\n", "utf-8"),
        (
            "Windows Registry Editor Version 5.00\r\n[HKEY_USERS\\X]\r\n".encode("utf-16-le"),
            "without BOM",
        ),
        (codecs.BOM_UTF16_LE + "REGEDIT4\r\n[HKEY_USERS\\X]\r\n".encode("utf-16-le"), "utf-16-le"),
        (
            codecs.BOM_UTF16_BE + "Windows Registry Editor Version 5.00\r\n".encode("utf-16-be"),
            "utf-16-be",
        ),
    ],
)
def test_wrong_encoding_is_a_warning_on_line_1(raw: bytes, label: str) -> None:
    reg = read_reg_file("enc.reg", raw)
    assert _codes(reg) == [(1, WarningCode.WRONG_ENCODING)]
    assert label in reg.warnings[0].message


@pytest.mark.parametrize("raw", [b"", b"\x00\x01binary\xff", b"[HKEY_USERS\\X]\r\n"])
def test_not_a_registry_export_raises_input_error_naming_file_and_line(raw: bytes) -> None:
    with pytest.raises(InputError) as err:
        read_reg_file("notreg.reg", raw)
    assert err.value.location is not None
    assert str(err.value).startswith("notreg.reg:1")


def test_odd_utf16_length_and_unfinished_continuation_warn() -> None:
    raw = _v5(f'Windows Registry Editor Version 5.00\n[{SMS}]\n"B"=hex:01,\\\n') + b"\x00"
    reg = read_reg_file("cut.reg", raw)
    codes = {c for _, c in _codes(reg)}
    assert codes == {WarningCode.ODD_UTF16_LENGTH, WarningCode.BAD_VALUE}


def test_dangling_continuation_does_not_swallow_the_next_key() -> None:
    text = (
        "Windows Registry Editor Version 5.00\n"
        f"[{SMS}\\Certificates\\AA]\n"
        '"Blob"=hex:01,02,\\\n'  # 3: cut after the backslash
        f"[{SMS}\\Certificates\\BB]\n"
        '"Blob"=hex:03\n'
    )
    reg = read_reg_file("cut.reg", _v5(text))
    assert _codes(reg) == [(3, WarningCode.BAD_VALUE)]
    assert "line 4 starts a new entry" in reg.warnings[0].message
    first, second = reg.keys
    assert first.values[0].raw == b"\x01\x02" and second.values[0].raw == b"\x03"
    assert second.line == 4


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_reg_path(tmp_path / "absent.reg")
    assert "absent.reg" in str(err.value)


# -- streaming ------------------------------------------------------------------------------


def test_tiny_blocks_give_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = [
        RegKey(
            f"{SMS}\\Certificates\\{i:040X}", 0, (_val("Blob", RegType.BINARY, bytes([i]) * 90),)
        )
        for i in range(5)
    ]
    keys.append(RegKey(f"{SMS}\\Ünïcödé €", 0, (_val("Ω", RegType.SZ, _sz("𝄞 clef")),)))
    raw = format_reg_file(keys)
    whole = read_reg_file("a.reg", raw)
    monkeypatch.setattr(regfile, "_BLOCK", 7)
    pieces = read_reg_file("a.reg", raw)
    assert pieces == whole and pieces.warnings == ()
    assert pieces.keys[-1].values[0].as_str() == "𝄞 clef"


def test_huge_export_streams_and_skips_unwanted_keys_fast(tmp_path: Path) -> None:
    filler = _val("Data", RegType.BINARY, bytes(range(256)) * 4)
    keys = [RegKey(f"HKEY_LOCAL_MACHINE\\SOFTWARE\\Noise\\{i}", 0, (filler,)) for i in range(6000)]
    keys.insert(3000, RegKey(f"{SMS}\\Certificates\\FF", 0, (_val("Blob", RegType.BINARY, b"x"),)))
    path = tmp_path / "software.reg"
    path.write_bytes(format_reg_file(keys))
    assert path.stat().st_size > 30_000_000
    start = time.perf_counter()
    with path.open("rb") as fh:
        reader = RegReader(str(path), fh, wanted=lambda p: p.upper().startswith(SMS.upper()))
        found = [k for k in reader.iter_keys() if k.values]
    elapsed = time.perf_counter() - start
    assert [k.path for k in found] == [f"{SMS}\\Certificates\\FF"]
    assert reader.warnings == []
    assert elapsed < 15, f"{elapsed:.1f}s for {path.stat().st_size} bytes"


def test_read_reg_path_reads_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "x.reg"
    path.write_bytes(format_reg_file([RegKey(SMS, 0, (_val("A", RegType.DWORD, b"\1\0\0\0"),))]))
    reg = read_reg_path(path, display="bundle.zip!x.reg")
    assert reg.source == "bundle.zip!x.reg"
    value = reg.keys[0].value("a")
    assert value is not None and value.as_int() == 1
    assert reg == read_reg_file("bundle.zip!x.reg", io.BytesIO(path.read_bytes()).read())
