"""The ``.sst`` serialized store file: reader and writer.

Layout (MS-OSHARED 2.3.9.1 and 2.3.2.5; Wine crypt32): ``u32 0`` + ``"CERT"``, then one
group per certificate (property elements, then the 0x20 certificate element that closes
the group, exactly a registry Blob), then an end marker of 12 zero bytes. CRL (0x21) and
CTL (0x22) elements close a group too and are skipped. Hash properties may be absent
(Wine omits them in files), so property 3 is never required.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from logscan.certs import props as P
from logscan.certs.blob import Element, cert_from_elements, walk_elements
from logscan.certs.model import (
    CertInfo,
    CertProblem,
    CertReadResult,
    CertSourceKind,
    ProblemCode,
)
from logscan.errors import InputError, SourceLocation
from logscan.model import Level

MAGIC = b"\0\0\0\0CERT"
END_MARKER = b"\0" * 12


def _problem(source: str, at: int, code: ProblemCode, message: str, level: Level) -> CertProblem:
    return CertProblem(SourceLocation(source, offset=at), code, message, level, None, "SST")


def read_sst(source: str, data: bytes) -> CertReadResult:
    """Certificates of an SST held in memory; ``InputError`` if the magic is wrong."""
    if not data.startswith(MAGIC):
        raise InputError(
            f"not a serialized store (.sst): first bytes {data[:8].hex(' ')}, expected "
            f"{MAGIC.hex(' ')}",
            SourceLocation(source, offset=0),
        )
    problems: list[CertProblem] = []
    loc = SourceLocation(source)
    run = walk_elements(data, location=loc, where="SST", problems=problems, start=len(MAGIC))
    certs: list[CertInfo] = []
    group: list[Element] = []
    for element in run.elements:
        group.append(element)
        if element.prop_id not in (P.CERT_ELEMENT, P.CRL_ELEMENT, P.CTL_ELEMENT):
            continue
        if element.prop_id == P.CERT_ELEMENT:
            cert = cert_from_elements(
                group,
                location=loc,
                kind=CertSourceKind.SST,
                where="SST",
                problems=problems,
                first_offset=group[0].offset,
            )
            if cert is not None:
                certs.append(cert)
        group = []
    if group:
        problems.append(
            _problem(
                source,
                group[0].offset,
                ProblemCode.NO_CERT_ELEMENT,
                f"{len(group)} properties after the last certificate belong to none",
                Level.ERROR,
            )
        )
    _check_end(
        source,
        data,
        stop=run.stop,
        by_zero=run.ended_by_zero,
        damaged=run.damaged,
        problems=problems,
    )
    return CertReadResult(source, CertSourceKind.SST, tuple(certs), tuple(problems))


def _check_end(
    source: str,
    data: bytes,
    *,
    stop: int,
    by_zero: bool,
    damaged: bool,
    problems: list[CertProblem],
) -> None:
    if by_zero:
        marker = data[stop : stop + len(END_MARKER)]
        if marker != END_MARKER:
            problems.append(
                _problem(
                    source,
                    stop,
                    ProblemCode.BAD_HEADER,
                    f"end marker is {marker.hex(' ')}, expected 12 zero bytes",
                    Level.WARNING,
                )
            )
        rest = len(data) - stop - len(END_MARKER)
        if rest > 0:
            problems.append(
                _problem(
                    source,
                    stop + len(END_MARKER),
                    ProblemCode.BAD_HEADER,
                    f"{rest} bytes after the end marker ignored",
                    Level.WARNING,
                )
            )
    elif not damaged:
        problems.append(
            _problem(
                source,
                stop,
                ProblemCode.TRUNCATED,
                "file ends without the 12-byte end marker (cut short?)",
                Level.WARNING,
            )
        )


def write_sst(blobs: Iterable[bytes]) -> bytes:
    """An SST holding the given registry Blobs (each: properties then the 0x20 element)."""
    return MAGIC + b"".join(blobs) + END_MARKER


class SstSource:
    """An .sst file on disk."""

    kind = CertSourceKind.SST

    def __init__(self, path: str | Path, display: str | None = None) -> None:
        self.path = Path(path)
        self.display = display or str(path)

    def read(self) -> CertReadResult:
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise InputError(
                f"cannot read SST file: {exc.strerror or exc}", SourceLocation(self.display)
            ) from exc
        return read_sst(self.display, data)
