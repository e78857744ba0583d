"""A minimal REGF hive writer for tests (regipy reads the result; no Windows needed).

Layout (reference §12.6): a 4096-byte base block (``regf``, sequence numbers, version 1.3,
root offset, hbin data size, file name, XOR checksum) and one hbin of cells. Cells carry a
negative size (allocated) and are 8-byte aligned; offsets count from the first hbin. The
root ``nk`` must be the first cell because regipy finds the root that way.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

_NONE = 0xFFFFFFFF
_KEY_HIVE_ENTRY, _KEY_NO_DELETE, _KEY_COMP_NAME = 0x04, 0x08, 0x20


@dataclass
class Key:
    name: str
    values: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    subkeys: list[Key] = field(default_factory=list)

    def child(self, path: str) -> Key:
        """The descendant at ``a\\b\\c``, created as needed."""
        node = self
        for part in path.split("\\"):
            found = next((k for k in node.subkeys if k.name.upper() == part.upper()), None)
            if found is None:
                found = Key(part)
                node.subkeys.append(found)
            node = found
        return node


class _Cells:
    def __init__(self) -> None:
        self.buf = bytearray()

    def alloc(self, data: bytes) -> int:
        size = (4 + len(data) + 7) // 8 * 8
        offset = 32 + len(self.buf)  # after the 32-byte hbin header
        self.buf += struct.pack("<i", -size) + data + b"\0" * (size - 4 - len(data))
        return offset

    def patch(self, offset: int, data: bytes) -> None:
        start = offset - 32 + 4
        self.buf[start : start + len(data)] = data


def _nk(
    key: Key, flags: int, parent: int, subkeys: tuple[int, int], values: tuple[int, int]
) -> bytes:
    name = key.name.encode("ascii")
    header = struct.pack(
        "<2sHQ4sIIIIIIIIIIIIIIHH",
        b"nk",
        flags,
        0,
        b"\0" * 4,
        parent,
        subkeys[0],
        0,
        subkeys[1],
        _NONE,
        values[0],
        values[1],
        _NONE,
        _NONE,
        max((len(k.name) * 2 for k in key.subkeys), default=0),
        0,
        max((len(n) * 2 for n in key.values), default=0),
        max((len(d) for _, d in key.values.values()), default=0),
        0,
        len(name),
        0,
    )
    return header + name


def _build(cells: _Cells, key: Key, parent: int, root: bool) -> int:
    flags = _KEY_COMP_NAME | ((_KEY_HIVE_ENTRY | _KEY_NO_DELETE) if root else 0)
    offset = cells.alloc(_nk(key, flags, parent, (0, _NONE), (0, _NONE)))
    children = sorted(key.subkeys, key=lambda k: k.name.upper())
    child_offsets = [_build(cells, child, offset, False) for child in children]
    sub = (0, _NONE)
    if children:
        entries = b"".join(
            struct.pack("<I", off) + child.name.encode("ascii")[:4].ljust(4, b"\0")
            for off, child in zip(child_offsets, children, strict=True)
        )
        sub = (len(children), cells.alloc(b"lf" + struct.pack("<H", len(children)) + entries))
    vals = (0, _NONE)
    if key.values:
        vk_offsets = []
        for name, (kind, data) in key.values.items():
            if len(data) <= 4:
                size, where = len(data) | 0x80000000, int.from_bytes(data.ljust(4, b"\0"), "little")
            else:
                size, where = len(data), cells.alloc(data)
            raw_name = name.encode("ascii")
            vk = struct.pack("<2sHIIIHH", b"vk", len(raw_name), size, where, kind, 1, 0) + raw_name
            vk_offsets.append(cells.alloc(vk))
        vals = (len(vk_offsets), cells.alloc(struct.pack(f"<{len(vk_offsets)}I", *vk_offsets)))
    cells.patch(offset, _nk(key, flags, parent, sub, vals))
    return offset


def build_hive(root: Key, file_name: str = "\\SystemRoot\\System32\\Config\\SOFTWARE") -> bytes:
    cells = _Cells()
    _build(cells, root, 0, True)
    used = 32 + len(cells.buf)
    hbin_size = (used + 4095) // 4096 * 4096
    free = hbin_size - used
    if free:
        cells.buf += struct.pack("<i", free) + b"\0" * (free - 4)
    hbin = struct.pack("<4sIIIIQI", b"hbin", 0, hbin_size, 0, 0, 0, 0) + bytes(cells.buf)
    base = bytearray(4096)
    struct.pack_into("<4sIIQIIIIIII", base, 0, b"regf", 1, 1, 0, 1, 3, 0, 1, 32, hbin_size, 1)
    name = file_name.encode("utf-16-le")[:64]
    base[0x30 : 0x30 + len(name)] = name
    checksum = 0
    for (dword,) in struct.iter_unpack("<I", bytes(base[:0x1FC])):
        checksum ^= dword
    checksum = {0: 1, 0xFFFFFFFF: 0xFFFFFFFE}.get(checksum, checksum)
    struct.pack_into("<I", base, 0x1FC, checksum)
    return bytes(base) + hbin


def software_hive(blobs: dict[str, bytes], product_version: str = "4.00.6487.2000") -> bytes:
    """A SOFTWARE hive holding the SMS store (key per thumbprint, value Blob) and the client."""
    root = Key("CMI-CreateHive{TEST}")
    certs = root.child(r"Microsoft\SystemCertificates\SMS\Certificates")
    root.child(r"Microsoft\SystemCertificates\SMS\CRLs")
    root.child(r"Microsoft\SystemCertificates\SMS\CTLs")
    for name, blob in blobs.items():
        certs.subkeys.append(Key(name, {"Blob": (3, blob)}))
    client = root.child(r"Microsoft\SMS\Mobile Client")
    client.values["ProductVersion"] = (1, product_version.encode("utf-16-le") + b"\0\0")
    return build_hive(root)
