"""A minimal REGF hive writer for tests (cert-store.md §12 step 6), no Windows needed.

One 4096-byte base block plus one hbin. Cells carry a negative size when allocated and
are 8-byte aligned; offsets count from the first hbin. The root ``nk`` must be the first
cell: regipy finds the root as the first cell of the first hbin. Subkeys hang off ``lf``
lists sorted case-insensitively; values are ``vk`` cells (data inline when <= 4 bytes).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

_HBIN_HEADER = 32
_NO_CELL = 0xFFFFFFFF
_REG_SZ, _REG_DWORD, _REG_BINARY = 1, 4, 3


@dataclass
class Node:
    name: str
    values: dict[str, str | int | bytes] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)

    def child(self, path: str) -> Node:
        """The node at ``path`` (backslash-separated) below this one, created as needed."""
        node = self
        for part in path.split("\\"):
            found = next((c for c in node.children if c.name.lower() == part.lower()), None)
            if found is None:
                found = Node(part)
                node.children.append(found)
            node = found
        return node


class _Cells:
    def __init__(self) -> None:
        self.data = bytearray()

    def alloc(self, payload: bytes) -> int:
        offset = _HBIN_HEADER + len(self.data)
        size = (4 + len(payload) + 7) // 8 * 8
        self.data += struct.pack("<i", -size) + payload + b"\0" * (size - 4 - len(payload))
        return offset

    def patch(self, offset: int, payload: bytes) -> None:
        start = offset - _HBIN_HEADER + 4
        self.data[start : start + len(payload)] = payload


def _nk(
    name: str, *, root: bool, parent: int, subkeys: int, sk_list: int, values: int, v_list: int
) -> bytes:
    flags = 0x20 | (0x04 | 0x08 if root else 0)  # COMP_NAME (+ HIVE_ENTRY, NO_DELETE)
    raw = name.encode("ascii")
    return (
        struct.pack(
            "<2sHQ4s9I4I4sHH",
            b"nk",
            flags,
            0,
            b"\0" * 4,
            parent,
            subkeys,
            0,
            sk_list,
            _NO_CELL,
            values,
            v_list,
            _NO_CELL,
            _NO_CELL,
            0,
            0,
            0,
            0,
            b"\0" * 4,
            len(raw),
            0,
        )
        + raw
    )


def _value_data(data: str | int | bytes) -> tuple[int, bytes]:
    if isinstance(data, str):
        return _REG_SZ, data.encode("utf-16-le") + b"\0\0"
    if isinstance(data, int):
        return _REG_DWORD, struct.pack("<I", data)
    return _REG_BINARY, data


def _vk(cells: _Cells, name: str, data: str | int | bytes) -> int:
    kind, raw = _value_data(data)
    if len(raw) <= 4:
        size, where = len(raw) | 0x80000000, int.from_bytes(raw.ljust(4, b"\0"), "little")
    else:
        size, where = len(raw), cells.alloc(raw)
    encoded = name.encode("ascii")
    header = struct.pack("<2sHIIIHH", b"vk", len(encoded), size, where, kind, 1, 0)
    return cells.alloc(header + encoded)


def _emit(cells: _Cells, node: Node, parent: int, *, root: bool) -> int:
    blank = _nk(
        node.name, root=root, parent=parent, subkeys=0, sk_list=_NO_CELL, values=0, v_list=_NO_CELL
    )
    me = cells.alloc(blank)
    kids = sorted(node.children, key=lambda c: c.name.upper())
    offsets = [_emit(cells, c, me, root=False) for c in kids]
    sk_list = _NO_CELL
    if offsets:
        entries = b"".join(
            struct.pack("<I4s", off, c.name.encode("ascii")[:4].ljust(4, b"\0"))
            for off, c in zip(offsets, kids, strict=True)
        )
        sk_list = cells.alloc(struct.pack("<2sH", b"lf", len(offsets)) + entries)
    v_list = _NO_CELL
    if node.values:
        vks = [_vk(cells, n, d) for n, d in node.values.items()]
        v_list = cells.alloc(struct.pack(f"<{len(vks)}I", *vks))
    cells.patch(
        me,
        _nk(
            node.name,
            root=root,
            parent=parent,
            subkeys=len(offsets),
            sk_list=sk_list,
            values=len(node.values),
            v_list=v_list,
        ),
    )
    return me


def build_hive(root: Node, file_name: str = "\\SystemRoot\\System32\\Config\\SOFTWARE") -> bytes:
    """The bytes of a hive holding ``root``'s tree."""
    cells = _Cells()
    root_offset = _emit(cells, root, 0, root=True)
    body = _HBIN_HEADER + len(cells.data)
    hbin_size = (body + 4095) // 4096 * 4096
    free = hbin_size - body
    tail = struct.pack("<i", free) + b"\0" * (free - 4) if free else b""
    hbin = struct.pack("<4sIIIIQI", b"hbin", 0, hbin_size, 0, 0, 0, 0) + bytes(cells.data) + tail
    base = bytearray(4096)
    struct.pack_into(
        "<4sIIQIIIIIII", base, 0, b"regf", 1, 1, 0, 1, 3, 0, 1, root_offset, hbin_size, 1
    )
    name = file_name.encode("utf-16-le")[:64]
    base[0x30 : 0x30 + len(name)] = name
    checksum = 0
    for (dword,) in struct.iter_unpack("<I", bytes(base[:508])):
        checksum ^= dword
    checksum = {0: 1, 0xFFFFFFFF: 0xFFFFFFFE}.get(checksum, checksum)
    struct.pack_into("<I", base, 508, checksum)
    return bytes(base) + hbin


def software_hive(
    client_version: str | None = "4.00.6487.2000",
    *,
    wow: bool = True,
    build: str = "7601",
    csd: str | None = "Service Pack 1",
) -> bytes:
    """A SOFTWARE hive with the keys machine facts read."""
    root = Node("CMI-CreateHive{199DAFC2-6F16-4946-BF90-5A3FC3A60902}")
    if client_version is not None:
        where = (
            "Wow6432Node\\Microsoft\\SMS\\Mobile Client" if wow else "Microsoft\\SMS\\Mobile Client"
        )
        root.child(where).values["ProductVersion"] = client_version
    cv = root.child("Microsoft\\Windows NT\\CurrentVersion")
    cv.values.update(
        {
            "ProductName": "Windows 7 Enterprise",
            "CurrentVersion": "6.1",
            "CurrentBuildNumber": build,
            "CurrentBuild": build,
        }
    )
    if csd is not None:
        cv.values["CSDVersion"] = csd
    return build_hive(root)
