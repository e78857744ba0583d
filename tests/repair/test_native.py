"""The native fallback against the writable crypt32 twin: only defective names, persisted."""

from __future__ import annotations

import hashlib

from repairkit import F

from logscan.certs import props as P
from logscan.certs._crypt32_twin import (
    CERT_SET_PROPERTY_INHIBIT_PERSIST_FLAG,
    E_ACCESSDENIED,
    WritableCrypt32Twin,
)
from logscan.certs.live import READ_ONLY_OPEN, LiveSource, SizeRef
from logscan.repair.blobfix import fix_blob, friendly_of_blob
from logscan.repair.native import WRITABLE_OPEN, rewrite_friendly_names
from logscan.repair.twin import StoreTwin


def _mixed() -> dict[str, bytes]:
    """One defective signing certificate, one clean encryption certificate."""
    return F.client_pair("PC01", "trailing", "clean")


def test_only_defective_names_are_rewritten_to_text_plus_one_terminator() -> None:
    blobs = _mixed()
    twin = StoreTwin(blobs)
    result = rewrite_friendly_names(twin.api, list(blobs))
    assert result.ok and not result.missing
    bad = next(t for t, b in blobs.items() if fix_blob(b).changed)
    clean = next(t for t in blobs if t != bad)
    assert [w.thumbprint for w in result.writes] == [bad]
    assert result.already_clean == (clean,)
    write = result.writes[0]
    assert write.written == "SMS Signing Certificate".encode("utf-16-le") + b"\0\0"
    assert write.after == write.written and write.before == F.friendly(F.SIGNING, "trailing")
    # Persisted with dwFlags 0, never a delete (data is always given), only on the bad one.
    assert twin.api.writes == [(bad, P.FRIENDLY_NAME, 0, write.written)]
    assert friendly_of_blob(twin.blobs()[bad]) == write.written
    assert twin.blobs()[clean] == blobs[clean]
    assert ("CertOpenStore", 10, 0, WRITABLE_OPEN, "SMS") in twin.api.calls
    assert not twin.api.open_contexts and not twin.api.open_stores


def test_the_thumbprint_and_every_other_property_survive() -> None:
    blobs = _mixed()
    twin = StoreTwin(blobs)
    rewrite_friendly_names(twin.api, list(blobs))
    after = LiveSource(twin.api, twin.registry).read()
    assert {c.thumbprint for c in after.certs} == set(blobs)
    assert not after.problems
    for thumb, blob in twin.blobs().items():
        assert blob == fix_blob(blobs[thumb]).after


def test_targets_not_in_the_plan_are_left_alone_even_if_defective() -> None:
    blobs = F.client_pair("PC01", "trailing", "trailing")
    first, second = list(blobs)
    twin = StoreTwin(blobs)
    result = rewrite_friendly_names(twin.api, [first.lower()])
    assert [w.thumbprint for w in result.writes] == [first]
    assert twin.blobs()[second] == blobs[second]


def test_a_store_that_is_not_elevated_or_missing_is_a_clear_error() -> None:
    blobs = _mixed()
    denied = StoreTwin(blobs, deny_write_open=True)
    result = rewrite_friendly_names(denied.api, list(blobs))
    assert not result.ok and "run elevated" in (result.error or "")
    assert result.missing == tuple(sorted(blobs)) and denied.blobs() == blobs
    none = rewrite_friendly_names(StoreTwin(None).api, list(blobs))
    assert "no SMS certificate store" in (none.error or "")
    assert not StoreTwin(None).api.stores  # never created by the attempt


def test_a_failed_write_is_reported_and_nothing_else_changes() -> None:
    blobs = F.client_pair("PC01", "trailing", "middle")
    twin = StoreTwin(blobs)
    first = next(iter(blobs))
    twin.api.fail_set[first] = E_ACCESSDENIED
    result = rewrite_friendly_names(twin.api, list(blobs))
    failed = next(w for w in result.writes if w.thumbprint == first)
    assert not failed.ok and "0x80070005" in (failed.error or "") and failed.after == failed.before
    assert twin.blobs()[first] == blobs[first]
    assert not result.ok


def test_missing_targets_are_reported() -> None:
    result = rewrite_friendly_names(StoreTwin(_mixed()).api, ["AB" * 20])
    assert result.missing == ("AB" * 20,) and not result.ok


def test_twin_write_semantics_follow_the_documentation() -> None:
    blobs = _mixed()
    api = WritableCrypt32Twin({"SMS": list(blobs.values())})
    store = api.open_store(10, 0, READ_ONLY_OPEN, "SMS")
    ctx = api.enum_certificates(store, 0)
    assert not api.set_property(ctx, P.FRIENDLY_NAME, 0, b"x\0")
    assert api.last_error() == E_ACCESSDENIED
    api.free_context(ctx)
    api.close_store(store, 0)
    store = api.open_store(10, 0, WRITABLE_OPEN, "SMS")
    ctx = api.enum_certificates(store, 0)
    new = "Temp".encode("utf-16-le") + b"\0\0"
    assert api.set_property(ctx, P.FRIENDLY_NAME, CERT_SET_PROPERTY_INHIBIT_PERSIST_FLAG, new)
    size = SizeRef()
    assert api.get_property(ctx, P.FRIENDLY_NAME, None, size) and size.value == len(new)
    thumb = hashlib.sha1(api.context_der(ctx)).hexdigest().upper()
    assert api.blobs()[thumb] == blobs[thumb]  # not persisted to the store
    api.free_context(ctx)
    api.close_store(store, 0)
