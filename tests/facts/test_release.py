"""Client version parsing and the ConfigMgr 2007 version table (cert-store.md §9.1)."""

from __future__ import annotations

import pytest

from logscan.facts.release import ClientRelease, ClientVersion, classify


def test_versions_compare_numerically_and_print_in_registry_spelling() -> None:
    a = ClientVersion.parse("4.0.6487.2000")
    b = ClientVersion.parse(" 4.00.6487.2000 ")
    assert a == b
    assert str(a) == "4.00.6487.2000"
    assert ClientVersion.parse("4.00.6487.2111") > ClientVersion.parse("4.00.6487.2000")  # type: ignore[operator]


@pytest.mark.parametrize("text", ["", "4.00.6487", "4.00.6487.2000.1", "v4.00.6487.2000", "n/a"])
def test_not_a_version(text: str) -> None:
    assert ClientVersion.parse(text) is None


@pytest.mark.parametrize(
    ("version", "release", "kb203", "kb384", "level_part"),
    [
        ("4.00.5931.0000", ClientRelease.CM2007_RTM, False, False, "RTM"),
        ("4.00.6221.1000", ClientRelease.CM2007_SP1, False, False, "SP1"),
        ("4.00.6221.1193", ClientRelease.CM2007_SP1, True, False, "KB977203"),
        ("4.00.6487.2000", ClientRelease.CM2007_SP2, False, False, "SP2"),
        ("4.00.6487.2111", ClientRelease.CM2007_SP2, True, False, "KB977203"),
        ("4.00.6487.2157", ClientRelease.CM2007_SP2, False, True, "R3"),
        ("4.00.6487.2187", ClientRelease.CM2007_SP2, False, True, "R3"),
        ("4.00.6487.2207", ClientRelease.CM2007_SP2, False, False, "KB2750782"),
    ],
)
def test_version_table(
    version: str, release: ClientRelease, kb203: bool, kb384: bool, level_part: str
) -> None:
    parsed = ClientVersion.parse(version)
    assert parsed is not None
    info = classify(parsed)
    assert info.release is release
    assert (info.implies_kb977203, info.implies_kb977384) == (kb203, kb384)
    assert level_part in info.hotfix_level


def test_unlisted_revision_implies_no_hotfix() -> None:
    info = classify(ClientVersion(4, 0, 6487, 2150))
    assert info.release is ClientRelease.CM2007_SP2
    assert not info.implies_kb977203 and not info.implies_kb977384
    assert "not in the version table" in info.hotfix_level


@pytest.mark.parametrize("version", ["5.00.8458.1007", "5.00.7711.0000", "2.50.4253.3000"])
def test_later_and_earlier_clients_are_not_2007(version: str) -> None:
    parsed = ClientVersion.parse(version)
    assert parsed is not None
    assert classify(parsed).release is ClientRelease.NOT_2007


def test_odd_2007_build() -> None:
    assert classify(ClientVersion(4, 0, 6000, 1)).release is ClientRelease.CM2007_OTHER
