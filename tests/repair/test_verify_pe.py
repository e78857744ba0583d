"""CCMCertFix.exe verification against real PE images built (or found) at test time."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pebuild
import pytest
from repairkit import SP1, SP2

from logscan.facts.release import ClientRelease
from logscan.repair.verify_pe import (
    DOCUMENTED_SIZE,
    BinaryProblem,
    normalize_sha256,
    verify_ccmcertfix,
)


def _write(tmp_path: Path, spec: pebuild.PeSpec, name: str = "CCMCertFix.exe") -> str:
    path = tmp_path / name
    path.write_bytes(pebuild.build_pe(spec))
    return str(path)


def _codes(report: object) -> set[BinaryProblem]:
    return {p.code for p in report.problems}  # type: ignore[attr-defined]


def test_the_sp2_build_verifies_for_an_sp2_client_and_reports_everything(tmp_path: Path) -> None:
    path = _write(tmp_path, SP2)
    report = verify_ccmcertfix(path, client_release=ClientRelease.CM2007_SP2)
    assert report.verified and report.usable and not report.overridden
    assert report.file_version == "4.0.6487.2111"
    assert report.string_version == "4.00.6487.2111"
    assert report.build_for is ClientRelease.CM2007_SP2
    assert report.machine == 0x14C
    assert report.size == DOCUMENTED_SIZE
    assert report.sha256 == hashlib.sha256(Path(path).read_bytes()).hexdigest()
    assert report.signature_present is True
    assert report.original_filename == "CCMCertFix.exe"
    assert not any("differs from the documented" in n for n in report.notes)


def test_the_sp1_build_verifies_for_sp1_and_is_refused_for_sp2(tmp_path: Path) -> None:
    path = _write(tmp_path, SP1)
    assert verify_ccmcertfix(path, client_release="cm2007_sp1").verified
    wrong = verify_ccmcertfix(path, client_release="cm2007_sp2")
    assert _codes(wrong) == {BinaryProblem.WRONG_SERVICE_PACK}
    assert "SP1 build; the client is SP2" in wrong.problems[0].message
    unknown = verify_ccmcertfix(path, client_release=None)
    assert _codes(unknown) == {BinaryProblem.CLIENT_UNKNOWN}


def test_unsigned_and_odd_sized_files_are_noted_not_refused(tmp_path: Path) -> None:
    report = verify_ccmcertfix(_write(tmp_path, SP1), client_release="cm2007_sp1")
    assert report.verified and report.signature_present is False
    assert any("no Authenticode" in n for n in report.notes)
    assert any("differs from the documented 17768" in n for n in report.notes)


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        (pebuild.PeSpec(file_version=(4, 0, 6487, 2000)), BinaryProblem.UNKNOWN_BUILD),
        (pebuild.PeSpec(file_version=(1, 2, 3, 4), string_version="4.00.6487.2111"), None),
        (pebuild.PeSpec(with_version=False), BinaryProblem.NO_VERSION),
        (pebuild.PeSpec(machine=pebuild.AMD64), BinaryProblem.NOT_X86),
    ],
)
def test_anything_but_a_known_x86_build_is_refused(
    tmp_path: Path, spec: pebuild.PeSpec, code: BinaryProblem | None
) -> None:
    report = verify_ccmcertfix(_write(tmp_path, spec), client_release="cm2007_sp2")
    assert not report.usable
    # A string FileVersion that looks right does not count: only the fixed info does.
    assert (code or BinaryProblem.UNKNOWN_BUILD) in _codes(report)


def test_not_a_pe_and_missing_files_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "CCMCertFix.exe"
    text.write_bytes(b"@echo off\r\nreg delete HKLM\\SOFTWARE /f\r\n")
    report = verify_ccmcertfix(str(text), client_release="cm2007_sp2")
    assert _codes(report) == {BinaryProblem.NOT_PE} and report.sha256 is not None
    gone = verify_ccmcertfix(str(tmp_path / "nope.exe"), client_release="cm2007_sp2")
    assert _codes(gone) == {BinaryProblem.UNREADABLE} and gone.sha256 is None


def test_an_accepted_hash_lets_exactly_that_file_through(tmp_path: Path) -> None:
    path = _write(tmp_path, pebuild.PeSpec(file_version=(4, 0, 6487, 2207)))
    sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    spaced = " ".join(sha[i : i + 2] for i in range(0, 64, 2)).upper()
    report = verify_ccmcertfix(path, client_release="cm2007_sp2", accept_sha256=spaced)
    assert not report.verified and report.overridden and report.usable
    assert report.accepted_sha256 == sha
    other = verify_ccmcertfix(path, client_release="cm2007_sp2", accept_sha256="ab" * 32)
    assert not other.usable and BinaryProblem.HASH_NOT_ACCEPTED in _codes(other)


def test_an_accepted_hash_pins_even_a_good_file_and_never_accepts_a_non_pe(
    tmp_path: Path,
) -> None:
    good = _write(tmp_path, SP2)
    pinned = verify_ccmcertfix(good, client_release="cm2007_sp2", accept_sha256="00" * 32)
    assert not pinned.usable
    junk = tmp_path / "junk.exe"
    junk.write_bytes(b"MZ but nothing else")
    sha = hashlib.sha256(junk.read_bytes()).hexdigest()
    report = verify_ccmcertfix(str(junk), client_release="cm2007_sp2", accept_sha256=sha)
    assert BinaryProblem.NOT_PE in _codes(report) and not report.usable


def test_sha256_spellings() -> None:
    sha = "0123456789abcdef" * 4
    assert normalize_sha256(sha.upper()) == sha
    assert normalize_sha256(":".join(sha[i : i + 2] for i in range(0, 64, 2))) == sha
    assert normalize_sha256(sha[:-1]) is None
    assert normalize_sha256("g" * 64) is None


def _pip_launchers() -> list[Path]:
    found = []
    for root in {Path(p) for p in sys.path if p}:
        found += root.glob("pip/_vendor/distlib/w32.exe")
    return found


def test_a_real_third_party_x86_exe_found_on_this_machine_is_not_ccmcertfix() -> None:
    launchers = _pip_launchers()
    if not launchers:
        pytest.skip("this pip ships no distlib w32.exe")
    report = verify_ccmcertfix(str(launchers[0]), client_release="cm2007_sp2")
    assert report.machine == 0x14C and report.file_version is not None
    assert BinaryProblem.UNKNOWN_BUILD in _codes(report)
