"""The ISA-L member reader gives exactly what zipfile gives, and fails where zipfile fails."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from logscan.inputs import inflate
from logscan.inputs.inflate import DeflatedMember


def _payloads() -> dict[str, bytes]:
    rng = random.Random(7)
    text = "".join(f"<![LOG[line {i} {rng.random()}]LOG]!>\r\n" for i in range(40_000))
    return {
        "empty.log": b"",
        "Журнал 日志.log": b"named outside code page 437",
        "one.log": b"x",
        "text.log": text.encode(),
        "noise.bin": rng.randbytes(300_000),  # incompressible: stored blocks inside deflate
        "runs.log": b"a" * 5_000_000,  # 1000:1, so the inflater holds output back
    }


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inflate") / "bundle.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _payloads().items():
            zf.writestr(name, data)
    return path


def _read(path: Path, name: str, size: int) -> bytes:
    with zipfile.ZipFile(path) as zf, open(path, "rb") as fh:
        reader = io.BufferedReader(DeflatedMember(fh, zf.getinfo(name)), 8192)
        out = bytearray()
        while chunk := reader.read(size):
            out += chunk
        return bytes(out)


@pytest.mark.parametrize("size", [1, 1000, 65_536, 4 << 20, -1])
@pytest.mark.parametrize("name", list(_payloads()))
def test_same_bytes_as_zipfile(archive: Path, name: str, size: int) -> None:
    if size == 1 and len(_payloads()[name]) > 400_000:
        size = 4093  # byte-at-a-time over megabytes only slows the suite
    with zipfile.ZipFile(archive) as zf:
        want = zf.read(name)
    if size == -1:
        with zipfile.ZipFile(archive) as zf, open(archive, "rb") as fh:
            assert DeflatedMember(fh, zf.getinfo(name)).readall() == want
    else:
        assert _read(archive, name, size) == want


@pytest.mark.parametrize("name", list(_payloads()))
def test_small_unbuffered_reads(archive: Path, name: str) -> None:
    """Reads smaller than what one inflate step gives (ISA-L's flush hands out up to its
    window at once) are served piece by piece from it."""
    with zipfile.ZipFile(archive) as zf, open(archive, "rb") as fh:
        want = zf.read(name)
        reader = DeflatedMember(fh, zf.getinfo(name))
        size = 1 if len(want) < 1000 else 777
        got = bytearray()
        while chunk := reader.read(size):
            assert len(chunk) <= size
            got += chunk
        assert reader.read(size) == b""
    assert bytes(got) == want


def test_zlib_fallback_gives_the_same(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inflate, "_inflate_lib", zlib)
    with zipfile.ZipFile(archive) as zf:
        for name in _payloads():
            assert _read(archive, name, 70_000) == zf.read(name)


def _member_data_span(path: Path, name: str) -> tuple[zipfile.ZipInfo, int]:
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    raw = path.read_bytes()
    nlen, xlen = struct.unpack_from("<HH", raw, info.header_offset + 26)
    return info, info.header_offset + 30 + nlen + xlen


def _patched(archive: Path, tmp_path: Path, name: str, at: int, data: bytes) -> Path:
    _info, start = _member_data_span(archive, name)
    raw = bytearray(archive.read_bytes())
    raw[start + at : start + at + len(data)] = data
    out = tmp_path / "patched.zip"
    out.write_bytes(bytes(raw))
    return out


def test_damaged_deflate_data(archive: Path, tmp_path: Path) -> None:
    path = _patched(archive, tmp_path, "text.log", 10, b"\xff" * 64)
    with pytest.raises((zlib.error, zipfile.BadZipFile)):
        _read(path, "text.log", 65_536)


def test_truncated_archive(archive: Path, tmp_path: Path) -> None:
    info, start = _member_data_span(archive, "text.log")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(archive.read_bytes()[: start + info.compress_size // 2])
    with open(cut, "rb") as fh:
        reader = DeflatedMember(fh, info)
        with pytest.raises(zipfile.BadZipFile, match="cut short"):
            reader.readall()


def test_stream_ending_early(archive: Path) -> None:
    info, _ = _member_data_span(archive, "text.log")
    with open(archive, "rb") as fh:
        short = zipfile.ZipInfo(info.filename)
        short.header_offset, short.CRC = info.header_offset, info.CRC
        short.compress_size, short.file_size = info.compress_size // 2, info.file_size
        with pytest.raises(zlib.error, match="ends early"):
            DeflatedMember(fh, short).readall()


@pytest.mark.parametrize("declared", [0, 50_000])
def test_declared_size_smaller_stops_there_and_fails_the_crc(archive: Path, declared: int) -> None:
    info, _ = _member_data_span(archive, "text.log")
    info.file_size = declared
    with open(archive, "rb") as fh:
        reader = DeflatedMember(fh, info)
        got = bytearray()
        with pytest.raises(zipfile.BadZipFile, match="Bad CRC-32"):
            while chunk := reader.read(4096):
                got += chunk
    assert len(got) <= declared


def test_declared_size_larger_is_an_error(archive: Path) -> None:
    info, _ = _member_data_span(archive, "text.log")
    info.file_size += 1
    with open(archive, "rb") as fh, pytest.raises(zipfile.BadZipFile, match="declared"):
        DeflatedMember(fh, info).readall()


def test_wrong_crc(archive: Path) -> None:
    info, _ = _member_data_span(archive, "one.log")
    info.CRC ^= 1
    with open(archive, "rb") as fh, pytest.raises(zipfile.BadZipFile, match="Bad CRC-32"):
        DeflatedMember(fh, info).readall()


def test_local_header_checks(archive: Path, tmp_path: Path) -> None:
    info, _ = _member_data_span(archive, "one.log")
    raw = bytearray(archive.read_bytes())
    raw[info.header_offset : info.header_offset + 4] = b"PK\x09\x09"
    bad = tmp_path / "sig.zip"
    bad.write_bytes(bytes(raw))
    with open(bad, "rb") as fh, pytest.raises(zipfile.BadZipFile, match="signature"):
        DeflatedMember(fh, info)
    renamed = zipfile.ZipInfo("other.log")
    renamed.header_offset = info.header_offset
    with open(archive, "rb") as fh, pytest.raises(zipfile.BadZipFile, match="differ"):
        DeflatedMember(fh, renamed)
