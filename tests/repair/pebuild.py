"""Builder for small, valid PE32 images with a VS_VERSIONINFO resource, made at test time.

Stands in for CCMCertFix.exe without committing any third-party binary. The image has the
DOS header, ``PE\\0\\0``, a COFF header (machine chosen by the test), a PE32 optional
header with 16 data directories, one ``.rsrc`` section holding the resource tree
RT_VERSION / 1 / 0x409 and the version block (fixed info + StringFileInfo +
VarFileInfo), and optionally a WIN_CERTIFICATE blob named by the security directory the
way a signed file carries its Authenticode signature.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

I386 = 0x014C
AMD64 = 0x8664
_FILE_ALIGN = 0x200
_SECTION_RVA = 0x1000
_PE_OFFSET = 0x80
_RT_VERSION = 16


def _utf16z(text: str) -> bytes:
    return text.encode("utf-16-le") + b"\0\0"


def _pad4(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


def _node(key: str, value: bytes, *, wtype: int, value_len: int, children: list[bytes]) -> bytes:
    """One version-resource node: header, key, aligned value, aligned children.

    ``wLength`` covers the node up to the end of its last child, without trailing padding.
    """
    body = _pad4(struct.pack("<HHH", 0, value_len, wtype) + _utf16z(key))
    if value:
        body += value
    for child in children:
        body = _pad4(body) + child
    return struct.pack("<H", len(body)) + body[2:]


def _string(key: str, value: str) -> bytes:
    text = _utf16z(value)
    return _node(key, text, wtype=1, value_len=len(text) // 2, children=[])


@dataclass(frozen=True, slots=True)
class PeSpec:
    """What the built image says about itself."""

    file_version: tuple[int, int, int, int] = (4, 0, 6487, 2111)
    string_version: str | None = "4.00.6487.2111"
    machine: int = I386
    original_filename: str = "CCMCertFix.exe"
    with_version: bool = True
    signed: bool = False
    total_size: int | None = None  # pad the file to exactly this many bytes


def version_block(spec: PeSpec) -> bytes:
    """VS_VERSIONINFO with VS_FIXEDFILEINFO and the usual string table."""
    a, b, c, d = spec.file_version
    ms, ls = (a << 16) | b, (c << 16) | d
    fixed = struct.pack(
        "<13I", 0xFEEF04BD, 0x00010000, ms, ls, ms, ls, 0x3F, 0, 0x40004, 1, 0, 0, 0
    )
    strings = [
        _string("CompanyName", "Microsoft Corporation"),
        _string("FileDescription", "ConfigMgr client certificate fix"),
        _string("OriginalFilename", spec.original_filename),
    ]
    if spec.string_version is not None:
        strings.append(_string("FileVersion", spec.string_version))
    table = _node("040904b0", b"", wtype=1, value_len=0, children=strings)
    sfi = _node("StringFileInfo", b"", wtype=1, value_len=0, children=[table])
    var = _node(
        "Translation", struct.pack("<HH", 0x0409, 0x04B0), wtype=0, value_len=4, children=[]
    )
    vfi = _node("VarFileInfo", b"", wtype=1, value_len=0, children=[var])
    return _node("VS_VERSION_INFO", fixed, wtype=0, value_len=len(fixed), children=[sfi, vfi])


def _resource_section(spec: PeSpec) -> tuple[bytes, int]:
    """The .rsrc bytes (directory tree + data) and the size of what the tree covers."""
    data = version_block(spec)

    def directory(entry_id: int, target: int, *, subdir: bool) -> bytes:
        return struct.pack("<IIHHHH", 0, 0, 4, 0, 0, 1) + struct.pack(
            "<II", entry_id, target | (0x80000000 if subdir else 0)
        )

    tree = directory(_RT_VERSION, 24, subdir=True)
    tree += directory(1, 48, subdir=True)
    tree += directory(0x0409, 72, subdir=False)
    data_offset = 88
    tree += struct.pack("<IIII", _SECTION_RVA + data_offset, len(data), 0, 0)
    assert len(tree) == data_offset
    section = tree + data
    return section, len(section)


def build_pe(spec: PeSpec = PeSpec()) -> bytes:
    """A complete PE32 image per ``spec``."""
    rsrc, virtual_size = _resource_section(spec) if spec.with_version else (b"\0" * 16, 16)
    raw = rsrc + b"\0" * (-len(rsrc) % _FILE_ALIGN)
    headers_size = _FILE_ALIGN
    certificate = b""
    if spec.signed:
        blob = b"\x30\x82\x00\x10" + b"not a real signature".ljust(28, b"\0")
        certificate = struct.pack("<IHH", 8 + len(blob), 0x0200, 0x0002) + blob
    body_end = headers_size + len(raw)
    if spec.total_size is not None:
        pad = spec.total_size - body_end - len(certificate)
        if pad < 0:
            raise ValueError(f"image needs at least {body_end + len(certificate)} bytes")
        raw += b"\0" * pad
        body_end += pad
    directories = [(0, 0)] * 16
    if spec.with_version:
        directories[2] = (_SECTION_RVA, virtual_size)
    if certificate:
        # The security directory holds a *file offset*, not an RVA.
        directories[4] = (body_end, len(certificate))
    size_of_image = _SECTION_RVA + ((len(raw) + 0xFFF) & ~0xFFF)
    optional = struct.pack(
        "<HBBIIIIIIIIIHHHHHHIIIIHHIIIIII",
        0x10B,  # PE32
        9,
        0,
        0,
        len(raw),
        0,
        _SECTION_RVA,  # entry point inside the section; the image only has to parse
        _SECTION_RVA,
        _SECTION_RVA,
        0x400000,
        0x1000,
        _FILE_ALIGN,
        5,
        1,
        0,
        0,
        5,
        1,
        0,
        size_of_image,
        headers_size,
        0,
        3,  # console subsystem
        0x8000,
        0x100000,
        0x1000,
        0x100000,
        0x1000,
        0,
        16,
    )
    optional += b"".join(struct.pack("<II", *d) for d in directories)
    coff = struct.pack("<HHIIIHH", spec.machine, 1, 0x4B000000, 0, 0, len(optional), 0x0102)
    section = struct.pack(
        "<8sIIIIIIHHI",
        b".rsrc",
        virtual_size,
        _SECTION_RVA,
        len(raw),
        headers_size,
        0,
        0,
        0,
        0,
        0x40000040,
    )
    dos = bytearray(_PE_OFFSET)
    dos[0:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, _PE_OFFSET)
    head = bytes(dos) + b"PE\0\0" + coff + optional + section
    head += b"\0" * (headers_size - len(head))
    return head + raw + certificate
