"""Certificate-store data: CertInfo per certificate, problems met reading a source, the result.

Every reader (live CryptoAPI, .reg export, SST, offline hive, PowerShell JSON, certutil
text, collected JSON) produces a ``CertReadResult``; checks and diagnosis only see these
types. Friendly names keep their exact UTF-16LE bytes because the KB977203 defect is a NUL
that most tools hide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from logscan.errors import SourceLocation
from logscan.model import Level

VISIBLE_NUL = "\u2400"  # ␀: how a stored NUL is shown to people


class CertSourceKind(StrEnum):
    """Where certificate data came from; decides what the data can prove."""

    LIVE = "live"  # CryptoAPI on this machine
    REG_EXPORT = "reg_export"  # reg export / regedit .reg file
    SST = "sst"  # serialized store file (CertSaveStore / Export-Certificate -Type SST)
    HIVE = "hive"  # offline SOFTWARE hive
    BLOB = "blob"  # one serialized store element (a registry Blob value)
    COLLECTED = "collected"  # JSON written by the logscan collector
    PWSH_JSON = "pwsh_json"  # Get-ChildItem Cert:\LocalMachine\SMS | ConvertTo-Json
    CERTUTIL = "certutil"  # certutil [-v] -store SMS text


class FriendlyFidelity(StrEnum):
    """How faithfully a source shows the stored friendly-name bytes."""

    EXACT = "exact"  # the property bytes themselves (blob, live API)
    LAST_UNIT_DROPPED = "last_unit_dropped"  # PowerShell 7: every NUL but the terminator shows
    CUT_AT_NUL = "cut_at_nul"  # certutil / Windows PowerShell: text ends at the first NUL


class StoreState(StrEnum):
    """Whether the source held an SMS store at all."""

    FOUND = "found"
    MISSING = "missing"  # no SMS store / key: no ConfigMgr client, or a different export
    UNREADABLE = "unreadable"


class ProblemCode(StrEnum):
    """Closed set of reasons a source (or part of one) could not be read as written."""

    TRUNCATED = "truncated"  # fewer bytes than an element header or its length says
    BAD_RESERVED = "bad_reserved"  # element header field that must be 1 is not
    OVERRUN = "overrun"  # element length runs past the end of its container
    NO_CERT_ELEMENT = "no_cert_element"  # no 0x20 element
    EXTRA_CERT_ELEMENT = "extra_cert_element"  # 0x20 element more than once in one Blob
    THUMBPRINT_MISMATCH = "thumbprint_mismatch"  # SHA-1(DER) differs from key name / property 3
    BAD_DER = "bad_der"  # the certificate bytes are not X.509 DER
    BAD_PROPERTY = "bad_property"  # a property value whose layout is broken
    BAD_HEADER = "bad_header"  # file magic / end marker / JSON shape
    BAD_VALUE = "bad_value"  # registry value missing, wrong type, unparsable text field
    SOURCE_WARNING = "source_warning"  # a warning from the container (.reg line, hive cell)
    API_ERROR = "api_error"  # a CryptoAPI or registry call failed
    NOT_IN_STORE = "not_in_store"  # live cross-check: registry and API disagree
    NO_STORE = "no_store"  # the source holds no SMS store (different key, no client)
    UNAVAILABLE = "unavailable"  # a reader needs something not installed


@dataclass(frozen=True, slots=True)
class CertProblem:
    """Something wrong in a source, located by file line and/or byte offset.

    ``offset`` is inside the container named by ``where`` (e.g. the Blob value on ``line``).
    """

    location: SourceLocation
    code: ProblemCode
    message: str
    severity: Level = Level.ERROR
    thumbprint: str | None = None
    where: str = ""

    def __str__(self) -> str:
        loc = self.location
        place = str(loc)
        inner = self.where
        if loc.line is not None and loc.offset is not None:
            inner = f"{inner} offset {loc.offset}".strip()
        if inner:
            place += f" ({inner})"
        return f"{place}: {self.message} [{self.code.value}]"


@dataclass(frozen=True, slots=True)
class FriendlyName:
    """CERT_FRIENDLY_NAME_PROP_ID (11) analysed per the reference algorithm.

    ``units`` are UTF-16 code units; ``terminated`` = the last unit is NUL; ``nul_positions``
    are the unit indices of NULs *before* that terminator (the KB977203 condition);
    ``display`` is the text up to the first NUL (what .NET Framework and certutil show);
    ``visible`` is the whole body with every NUL shown as ␀.
    """

    raw: bytes
    fidelity: FriendlyFidelity
    units: int
    terminated: bool
    odd_length: bool
    nul_positions: tuple[int, ...]
    display: str
    visible: str

    @property
    def has_embedded_nul(self) -> bool:
        return bool(self.nul_positions)

    @property
    def clean_value(self) -> bytes:
        """What a repair writes: the displayed text plus exactly one terminator."""
        return self.display.encode("utf-16-le", "surrogatepass") + b"\0\0"


@dataclass(frozen=True, slots=True)
class KeyProvInfo:
    """CERT_KEY_PROV_INFO_PROP_ID (2): where the private key lives."""

    container: str | None
    provider: str | None
    prov_type: int
    flags: int
    key_spec: int
    param_count: int = 0


@dataclass(frozen=True, slots=True)
class CertInfo:
    """One certificate of the store with everything checks and reports need.

    ``thumbprint`` is upper-case hex SHA-1 of ``der`` (or as the source states it when the
    DER is not available); ``properties`` lists the property ids present, in stored order.
    X.509 fields are None when the source lacks them or the DER does not decode.
    """

    thumbprint: str
    origin: SourceLocation
    source_kind: CertSourceKind
    subject: str | None = None
    issuer: str | None = None
    serial: str | None = None
    not_before: datetime | None = None
    not_after: datetime | None = None
    ekus: tuple[str, ...] = ()
    subject_cns: tuple[str, ...] = ()
    friendly: FriendlyName | None = None
    has_private_key: bool | None = None
    key_provider: KeyProvInfo | None = None
    properties: tuple[int, ...] = ()
    der: bytes | None = field(default=None, repr=False)

    @property
    def friendly_name_raw(self) -> bytes | None:
        """Exact UTF-16LE bytes of property 11 (None if absent or not exact in this source)."""
        if self.friendly is None or self.friendly.fidelity is not FriendlyFidelity.EXACT:
            return None
        return self.friendly.raw

    @property
    def friendly_name_text(self) -> str | None:
        """The friendly name with every NUL before the terminator shown as ␀."""
        return None if self.friendly is None else self.friendly.visible

    @property
    def nul_positions(self) -> tuple[int, ...]:
        return () if self.friendly is None else self.friendly.nul_positions


@dataclass(frozen=True, slots=True)
class CertReadResult:
    """What one source yielded: certificates, located problems, and what it cannot show."""

    source: str
    source_kind: CertSourceKind
    certs: tuple[CertInfo, ...]
    problems: tuple[CertProblem, ...] = ()
    limitations: tuple[str, ...] = ()
    store: StoreState = StoreState.FOUND
    host: str | None = None  # machine name when the source states it
