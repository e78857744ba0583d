"""Host discovery: folders, zips and a mix; duplicates; nested waves; loops; skips."""

from __future__ import annotations

import os
from pathlib import Path

from logscan.fleet import BundleKind, discover_hosts

from .conftest import HOSTS, ZIPPED, make_share, zip_folder


def test_a_share_of_folders_and_zips_is_one_host_each(share: Path) -> None:
    found = discover_hosts([str(share)])
    labels = [h.label for h in found.hosts]
    assert sorted(labels) == sorted([*HOSTS, "WKS-EMPTY-01"])
    kinds = {h.label: h.kind for h in found.hosts}
    assert kinds[ZIPPED] is BundleKind.ZIP
    assert kinds["WKS-W7-2207"] is BundleKind.FOLDER
    assert found.duplicates == () and found.problems == ()


def test_duplicate_names_stay_separate_hosts_and_are_reported(tmp_path: Path) -> None:
    one = make_share(tmp_path / "wave1", ["WKS-XP-0588"])
    two = make_share(tmp_path / "wave2", ["WKS-XP-0588"])
    zip_folder(two / "WKS-XP-0588", two / "wks-xp-0588.zip")  # same machine, other case, zipped
    found = discover_hosts([str(one), str(two)])
    labels = sorted(h.label for h in found.hosts if h.name.casefold() == "wks-xp-0588")
    assert labels == ["WKS-XP-0588", "WKS-XP-0588~2", "wks-xp-0588~3"]
    assert len(found.hosts) == len({h.label for h in found.hosts})
    (dup,) = [d for d in found.duplicates if d.name == "WKS-XP-0588"]
    assert len(dup.paths) == 3 and "found 3 times" in str(dup)


def test_a_wave_folder_of_machines_is_entered(tmp_path: Path) -> None:
    root = tmp_path / "share"
    make_share(root / "wave1", ["WKS-XP-0588", "WKS-XP-0999"])
    make_share(root / "wave2", ["WKS-W7-1164"])
    found = discover_hosts([str(root)])
    rels = sorted(h.rel for h in found.hosts)
    assert "wave1/WKS-XP-0588" in rels and "wave2/WKS-W7-1164" in rels
    assert "wave1" not in rels


def test_folder_loops_and_links_are_not_followed(share: Path, tmp_path: Path) -> None:
    os.symlink(share, share / "loop", target_is_directory=True)
    os.symlink(tmp_path, share / "WKS-W7-1164" / "up", target_is_directory=True)
    found = discover_hosts([str(share)])
    assert "loop" not in {h.label for h in found.hosts}
    assert any("symbolic link" in p and "loop" in p for p in found.problems)


def test_output_folder_and_tooling_inside_the_root_are_skipped(share: Path) -> None:
    (share / "out").mkdir()
    (share / "out" / "hosts.csv").write_text("x")
    (share / "_scripts").mkdir()
    (share / "_scripts" / "collect.log").write_text("x")
    found = discover_hosts([str(share)], skip=[str(share / "out")])
    labels = {h.label for h in found.hosts}
    assert "out" not in labels and "_scripts" not in labels
    assert any("_scripts" in p for p in found.problems)


def test_a_missing_root_and_a_plain_file_are_problems_not_errors(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    found = discover_hosts([str(tmp_path / "nope"), str(text)])
    assert found.hosts == ()
    assert len(found.problems) == 2 and "no such file" in found.problems[0]


def test_a_root_that_is_one_machine_is_one_host(tmp_path: Path) -> None:
    share = make_share(tmp_path / "s", ["WKS-XP-0588"])
    found = discover_hosts([str(share / "WKS-XP-0588")])
    assert [(h.label, h.kind) for h in found.hosts] == [("WKS-XP-0588", BundleKind.FOLDER)]
