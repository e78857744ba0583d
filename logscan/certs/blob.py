"""Serialized store elements: the registry ``Blob`` value (reader and writer).

Layout (MS-OSHARED 2.3.2.5, MS-GPEF, Wine crypt32 validated against Windows): a flat run of
little-endian elements ``{u32 propId, u32 reserved == 1, u32 length, data}`` with no header
or padding; property elements first, the certificate DER (propId 0x20) last. A propId of 0
ends the run (the SST end marker). Corrupt bytes become ``CertProblem``s with the offset
and reason; other data in the same source is still read.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from logscan.certs import props as P
from logscan.certs.assemble import make_cert
from logscan.certs.model import CertInfo, CertProblem, CertSourceKind, ProblemCode
from logscan.errors import SourceLocation
from logscan.model import Level

HEADER = struct.Struct("<III")


@dataclass(frozen=True, slots=True)
class Element:
    """One element: its property id, where its header starts, and its data."""

    prop_id: int
    offset: int
    data: bytes


@dataclass(frozen=True, slots=True)
class ElementRun:
    """Elements read from a buffer; ``stop`` is where reading ended (a 0 id, end, or damage)."""

    elements: tuple[Element, ...]
    stop: int
    ended_by_zero: bool
    damaged: bool


def walk_elements(
    data: bytes,
    *,
    location: SourceLocation,
    where: str,
    problems: list[CertProblem],
    start: int = 0,
    base: int = 0,
    thumbprint: str | None = None,
) -> ElementRun:
    """Read elements from ``start`` until the end, a propId 0, or damage that stops resync.

    Offsets in problems are ``base + position`` so callers can cite file offsets.
    An element whose reserved field is not 1 is skipped (its length still locates the next
    one); a length past the end cannot be resynchronised and stops the walk.
    """
    elements: list[Element] = []
    pos = start
    end = len(data)

    def problem(code: ProblemCode, at: int, message: str) -> None:
        loc = SourceLocation(location.path, location.line, offset=base + at)
        problems.append(CertProblem(loc, code, message, Level.ERROR, thumbprint, where))

    damaged = False
    while pos < end:
        if end - pos < HEADER.size:
            problem(ProblemCode.TRUNCATED, pos, f"{end - pos} stray bytes, an element header is 12")
            return ElementRun(tuple(elements), pos, False, True)
        prop_id, reserved, length = HEADER.unpack_from(data, pos)
        if prop_id == 0:
            return ElementRun(tuple(elements), pos, True, damaged)
        body = pos + HEADER.size
        if length > end - body:
            problem(
                ProblemCode.OVERRUN,
                pos,
                f"element {prop_id:#x} claims {length} bytes but only {end - body} remain",
            )
            return ElementRun(tuple(elements), pos, False, True)
        if reserved != 1:
            problem(
                ProblemCode.BAD_RESERVED,
                pos,
                f"element {prop_id:#x} has reserved field {reserved}, must be 1 (element skipped)",
            )
            damaged = True
        else:
            elements.append(Element(prop_id, base + pos, data[body : body + length]))
        pos = body + length
    return ElementRun(tuple(elements), pos, False, damaged)


def cert_from_elements(
    elements: Iterable[Element],
    *,
    location: SourceLocation,
    kind: CertSourceKind,
    where: str,
    problems: list[CertProblem],
    expected_thumbprint: str | None = None,
    first_offset: int = 0,
) -> CertInfo | None:
    """The certificate of one element group (one Blob / one SST group)."""
    items = list(elements)
    certs = [e for e in items if e.prop_id == P.CERT_ELEMENT]

    def problem(code: ProblemCode, message: str, at: int, severity: Level = Level.ERROR) -> None:
        loc = SourceLocation(location.path, location.line, offset=at)
        problems.append(CertProblem(loc, code, message, severity, expected_thumbprint, where))

    if not certs:
        problem(
            ProblemCode.NO_CERT_ELEMENT,
            f"no certificate element (0x20) among {len(items)} elements",
            first_offset,
        )
        return None
    if len(certs) > 1:
        at = ", ".join(str(e.offset) for e in certs)
        problem(
            ProblemCode.EXTRA_CERT_ELEMENT,
            f"{len(certs)} certificate elements (0x20) at offsets {at}; the first is used",
            certs[1].offset,
        )
    cert = certs[0]
    late = [e for e in items if e.offset > cert.offset and e.prop_id != P.CERT_ELEMENT]
    if late:
        problem(
            ProblemCode.BAD_PROPERTY,
            f"property {late[0].prop_id} stored after the certificate element "
            "(Windows writes the certificate last)",
            late[0].offset,
            Level.WARNING,
        )
    properties = [(e.prop_id, e.data) for e in items if e.prop_id != P.CERT_ELEMENT]
    origin = SourceLocation(location.path, location.line, offset=cert.offset)
    return make_cert(
        cert.data,
        properties,
        origin=origin,
        kind=kind,
        problems=problems,
        where=where,
        expected_thumbprint=expected_thumbprint,
    )


def parse_blob(
    data: bytes,
    *,
    location: SourceLocation,
    kind: CertSourceKind = CertSourceKind.BLOB,
    where: str = "Blob",
    expected_thumbprint: str | None = None,
) -> tuple[CertInfo | None, list[CertProblem]]:
    """One registry ``Blob`` value: the certificate (None if unusable) and its problems."""
    problems: list[CertProblem] = []
    run = walk_elements(
        data, location=location, where=where, problems=problems, thumbprint=expected_thumbprint
    )
    if run.ended_by_zero and run.stop < len(data):
        loc = SourceLocation(location.path, location.line, offset=run.stop)
        problems.append(
            CertProblem(
                loc,
                ProblemCode.TRUNCATED,
                f"element id 0 at offset {run.stop} ends the Blob early; "
                f"{len(data) - run.stop} bytes ignored",
                Level.WARNING,
                expected_thumbprint,
                where,
            )
        )
    cert = cert_from_elements(
        run.elements,
        location=location,
        kind=kind,
        where=where,
        problems=problems,
        expected_thumbprint=expected_thumbprint,
    )
    return cert, problems


def build_element(prop_id: int, data: bytes, reserved: int = 1, length: int | None = None) -> bytes:
    """One element; ``reserved``/``length`` can be falsified to build corrupt fixtures."""
    return HEADER.pack(prop_id, reserved, len(data) if length is None else length) + data


def build_blob(der: bytes, props: Mapping[int, bytes] | Iterable[tuple[int, bytes]] = ()) -> bytes:
    """A Blob as Windows writes it: the properties in the order given, then the DER (0x20)."""
    pairs = props.items() if isinstance(props, Mapping) else props
    parts = [build_element(prop_id, data) for prop_id, data in pairs]
    parts.append(build_element(P.CERT_ELEMENT, der))
    return b"".join(parts)
