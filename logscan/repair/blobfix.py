"""The KB977203 correction on bytes: a friendly name cut at its first NUL, one terminator.

Used for offline copies of exported stores and by the store twin's scripted CCMCertFix.
``fix_blob`` rewrites only the property-11 element of a registry Blob and keeps every
other element byte for byte in its order, so the thumbprint (SHA-1 of the DER) and the
key name stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from logscan.certs import props as P
from logscan.certs.blob import HEADER, build_element
from logscan.certs.model import FriendlyName


@dataclass(frozen=True, slots=True)
class BlobFix:
    """One Blob before and after; ``changed`` False when its name had no embedded NUL."""

    before: bytes
    after: bytes
    name_before: bytes | None
    name_after: bytes | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def corrected_name(raw: bytes) -> bytes | None:
    """The value a repair writes for these property-11 bytes, or None if they are fine."""
    name = P.analyze_friendly_name(raw)
    return name.clean_value if name.has_embedded_nul else None


def visible(raw: bytes | None) -> str:
    """Property-11 bytes for people: the text with every stored NUL shown as ␀."""
    if raw is None:
        return "(no friendly name)"
    return P.analyze_friendly_name(raw).visible


def describe(name: FriendlyName | None) -> str:
    return "(no friendly name)" if name is None else f'"{name.visible}"'


def _elements(blob: bytes) -> list[tuple[int, int, bytes]] | None:
    """(propId, reserved, data) of every element, or None if the Blob does not walk cleanly."""
    out: list[tuple[int, int, bytes]] = []
    pos = 0
    while pos < len(blob):
        if len(blob) - pos < HEADER.size:
            return None
        prop_id, reserved, length = HEADER.unpack_from(blob, pos)
        body = pos + HEADER.size
        if prop_id == 0 or length > len(blob) - body:
            return None
        out.append((prop_id, reserved, blob[body : body + length]))
        pos = body + length
    return out


def fix_blob(blob: bytes) -> BlobFix:
    """The Blob with its friendly name corrected; unchanged if clean or not walkable.

    A damaged Blob is left alone: rewriting what cannot be parsed could lose data.
    """
    elements = _elements(blob)
    if elements is None:
        return BlobFix(blob, blob, None, None)
    names = [data for prop_id, _, data in elements if prop_id == P.FRIENDLY_NAME]
    before = names[0] if names else None
    fixed = corrected_name(before) if before is not None else None
    if fixed is None:
        return BlobFix(blob, blob, before, before)
    parts = []
    for prop_id, reserved, data in elements:
        new = (corrected_name(data) or data) if prop_id == P.FRIENDLY_NAME else data
        parts.append(build_element(prop_id, new, reserved))
    return BlobFix(blob, b"".join(parts), before, fixed)


def friendly_of_blob(blob: bytes) -> bytes | None:
    """The property-11 bytes of a Blob (None if absent or the Blob is damaged)."""
    elements = _elements(blob)
    if elements is None:
        return None
    return next((data for prop_id, _, data in elements if prop_id == P.FRIENDLY_NAME), None)
