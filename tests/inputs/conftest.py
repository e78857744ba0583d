"""Builders for the inputs tests: CCM log text, evidence trees and crafted zip archives."""

from __future__ import annotations

import hashlib
import struct
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest


class Craft:
    """Small factories for test evidence. Everything is built in tmp_path by code."""

    @staticmethod
    def ccm(*messages: str, component: str = "TSManager", eol: str = "\r\n") -> str:
        return "".join(
            f'<![LOG[{m}]LOG]!><time="10:20:{i % 60:02d}.476+240" date="10-18-2019" '
            f'component="{component}" context="" type="1" thread="2408" file="x.cpp:1">{eol}'
            for i, m in enumerate(messages)
        )

    @staticmethod
    def ccm_bytes(*messages: str, component: str = "TSManager") -> bytes:
        return b"\xef\xbb\xbf" + Craft.ccm(*messages, component=component).encode()

    @staticmethod
    def tree(root: Path, files: Mapping[str, bytes | str]) -> Path:
        """Write ``files`` (relative path -> content) under ``root``."""
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode() if isinstance(content, str) else content
            path.write_bytes(data)
        return root

    @staticmethod
    def zip(
        path: Path,
        members: Mapping[str, bytes | str],
        compression: int = zipfile.ZIP_DEFLATED,
    ) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", compression) as zf:
            for name, content in members.items():
                zf.writestr(zipfile.ZipInfo(name, (2010, 1, 1, 0, 0, 0)), content, compression)
        return path

    @staticmethod
    def patch_member(
        path: Path,
        name: str,
        *,
        flag_bits: int | None = None,
        file_size: int | None = None,
        method: int | None = None,
    ) -> None:
        """Rewrite header fields of one member, in both its local and central headers."""
        data = bytearray(path.read_bytes())
        eocd = data.rfind(b"PK\x05\x06")
        count, _, cd_offset = struct.unpack_from("<HII", data, eocd + 10)
        pos = cd_offset
        for _ in range(count):
            assert data[pos : pos + 4] == b"PK\x01\x02"
            nlen, xlen, clen = struct.unpack_from("<HHH", data, pos + 28)
            local = struct.unpack_from("<I", data, pos + 42)[0]
            if data[pos + 46 : pos + 46 + nlen].decode() == name:
                for header, base in ((pos, 8), (local, 6)):
                    if flag_bits is not None:
                        struct.pack_into("<H", data, header + base, flag_bits)
                    if method is not None:
                        struct.pack_into("<H", data, header + base + 2, method)
                    if file_size is not None:
                        struct.pack_into("<I", data, header + base + 16, file_size)
                path.write_bytes(bytes(data))
                return
            pos += 46 + nlen + xlen + clen
        raise KeyError(name)

    @staticmethod
    def digests(root: Path) -> dict[str, tuple[str, int]]:
        """sha256 and mtime of every file under ``root`` (or of ``root`` itself)."""
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        return {
            str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in files
            if not p.is_symlink()
        }


@pytest.fixture
def craft() -> type[Craft]:
    return Craft
