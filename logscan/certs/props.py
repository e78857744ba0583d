"""Certificate property ids and decoders: friendly-name NUL analysis, KEY_PROV_INFO offset form.

The friendly-name algorithm is the same for live and offline bytes: an odd length is
malformed (analyse the whole units), one final NUL unit is the terminator, and every other
NUL unit is an embedded NUL, the KB977203 condition.
"""

from __future__ import annotations

import struct

from logscan.certs.model import VISIBLE_NUL, FriendlyFidelity, FriendlyName, KeyProvInfo

KEY_PROV_INFO = 2
SHA1_HASH = 3
MD5_HASH = 4
FRIENDLY_NAME = 11
ACCESS_STATE = 14
CERT_ELEMENT = 0x20
CRL_ELEMENT = 0x21
CTL_ELEMENT = 0x22

PROPERTY_NAMES = {
    2: "KEY_PROV_INFO",
    3: "SHA1_HASH",
    4: "MD5_HASH",
    6: "KEY_SPEC",
    9: "ENHKEY_USAGE",
    11: "FRIENDLY_NAME",
    13: "DESCRIPTION",
    14: "ACCESS_STATE",
    15: "SIGNATURE_HASH",
    20: "KEY_IDENTIFIER",
    21: "AUTO_ENROLL",
    25: "SUBJECT_PUBLIC_KEY_MD5_HASH",
    92: "SUBJECT_PUB_KEY_BIT_LENGTH",
}

_KEY_PROV_HEADER = struct.Struct("<7I")


def analyze_friendly_name(
    raw: bytes, fidelity: FriendlyFidelity = FriendlyFidelity.EXACT
) -> FriendlyName:
    """Analyse property-11 bytes (UTF-16LE, normally one final NUL terminator)."""
    odd = len(raw) % 2 == 1
    whole = raw[: len(raw) - 1] if odd else raw
    text = whole.decode("utf-16-le", "surrogatepass")
    # A lone surrogate is still one unit; surrogatepass keeps units and characters aligned
    # only for BMP text, so index by units explicitly.
    units = [int.from_bytes(whole[i : i + 2], "little") for i in range(0, len(whole), 2)]
    terminated = bool(units) and units[-1] == 0
    body_units = units[:-1] if terminated else units
    nul_positions = tuple(i for i, unit in enumerate(body_units) if unit == 0)
    body = text[:-1] if terminated else text
    first = body.find("\0")
    display = body if first < 0 else body[:first]
    return FriendlyName(
        raw=raw,
        fidelity=fidelity,
        units=len(units),
        terminated=terminated,
        odd_length=odd,
        nul_positions=nul_positions,
        display=_printable(display),
        visible=_printable(body).replace("\0", VISIBLE_NUL),
    )


def friendly_from_text(text: str, fidelity: FriendlyFidelity) -> FriendlyName:
    """A friendly name known only as a tool's text: rebuild the bytes the store likely held.

    PowerShell 7 drops exactly the final unit, so ``text + NUL`` is what was stored when the
    value was terminated; certutil and Windows PowerShell cut at the first NUL, so any
    embedded NUL is lost already (the result says so through ``fidelity``).
    """
    raw = text.encode("utf-16-le", "surrogatepass") + b"\0\0"
    return analyze_friendly_name(raw, fidelity)


def _printable(text: str) -> str:
    """Lone surrogates (from broken UTF-16) as U+FFFD so the text can be printed and dumped."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _offset_string(data: bytes, offset: int) -> str | None:
    if offset == 0:
        return None
    if offset >= len(data):
        raise ValueError(f"string offset 0x{offset:x} beyond the {len(data)}-byte value")
    end = offset
    while end + 1 < len(data) and data[end : end + 2] != b"\0\0":
        end += 2
    if end + 1 >= len(data):
        raise ValueError(f"string at 0x{offset:x} is not NUL-terminated")
    return data[offset:end].decode("utf-16-le", "replace")


def parse_key_prov_info(data: bytes) -> KeyProvInfo:
    """Decode the on-disk (offset) form of property 2; ValueError says what is broken."""
    if len(data) < _KEY_PROV_HEADER.size:
        raise ValueError(f"{len(data)} bytes, the header alone needs {_KEY_PROV_HEADER.size}")
    off_container, off_prov, prov_type, flags, count, off_params, key_spec = (
        _KEY_PROV_HEADER.unpack_from(data)
    )
    if count and off_params + 16 * count > len(data):
        raise ValueError(f"{count} provider parameters run past the value")
    return KeyProvInfo(
        container=_offset_string(data, off_container),
        provider=_offset_string(data, off_prov),
        prov_type=prov_type,
        flags=flags,
        key_spec=key_spec,
        param_count=count,
    )


def build_key_prov_info(
    container: str, provider: str, prov_type: int = 1, flags: int = 0x20, key_spec: int = 1
) -> bytes:
    """The offset form of property 2, as CryptoAPI persists it (no provider parameters)."""
    name = container.encode("utf-16-le") + b"\0\0"
    prov = provider.encode("utf-16-le") + b"\0\0"
    first = _KEY_PROV_HEADER.size
    header = _KEY_PROV_HEADER.pack(first, first + len(name), prov_type, flags, 0, 0, key_spec)
    return header + name + prov
