"""discover(): files, folders, links, permissions and what counts as a log."""

from __future__ import annotations

import builtins
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from logscan.inputs.discover import discover
from logscan.inputs.source import InputProblem, LogSource
from logscan.model import LogKind

needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")


def split(items: Iterable[LogSource | InputProblem]) -> tuple[list[LogSource], list[InputProblem]]:
    sources: list[LogSource] = []
    problems: list[InputProblem] = []
    for item in items:
        (problems if isinstance(item, InputProblem) else sources).append(item)
    return sources, problems


def shown(sources: list[LogSource]) -> dict[str, LogKind]:
    return {s.display: s.kind for s in sources}


@pytest.fixture
def machine(tmp_path: Path, craft: Any) -> Path:
    """A client's log folder as a collector would copy it."""
    ccm = craft.ccm_bytes
    return craft.tree(
        tmp_path / "HOST1",
        {
            "CCM/Logs/CcmExec.log": ccm("Failed to import", component="OSDSMPClient"),
            "CCM/Logs/ccmexec.lo_": ccm("older", component="CcmExec"),
            "CCM/Logs/execmgr.log": ccm("policy", component="execmgr"),
            "CCM/Logs/SMSTSLog/smsts.log": ccm("Start executing an instruction"),
            "CCM/Logs/SMSTSLog/smsts-20100101-101010.log": ccm("rotated"),
            "CCM/Logs/SMSTSLog/ScanState.log": "2011-03-15 14:02:11, Info [0x000000] "
            "SCANSTATE.EXE Version 6.1.7601.0\r\n",
            "CCM/Logs/SMSTSLog/scanstateprogress.log": "15 Jan 2011, 20:46:21 -08:00, "
            "00:04:48, totalPercentageCompleted, 48\r\n",
            "notes.txt": "my notes about the failure\r\n",
            "ticket.txt": craft.ccm("pasted", component="OSDSMPClient"),
            "CCM/ccmexec.exe": b"MZ\x90\x00" + bytes(range(256)) * 8,
            "CCM/Logs/garbage.log": bytes(range(256)) * 8,
            "CCM/Logs/unrelated.log": "not a ConfigMgr log at all\r\n",
            "systeminfo.csv": "Host Name,OS Name\r\n",
        },
    )


def test_folder_walk_finds_logs_by_name_and_content(machine: Path) -> None:
    sources, problems = split(discover([machine]))
    assert problems == []
    assert shown(sources) == {
        "CCM/Logs/CcmExec.log": LogKind.CCMEXEC,
        "CCM/Logs/ccmexec.lo_": LogKind.CCMEXEC,
        "CCM/Logs/execmgr.log": LogKind.CCM_OTHER,
        "CCM/Logs/SMSTSLog/ScanState.log": LogKind.SCANSTATE,
        "CCM/Logs/SMSTSLog/scanstateprogress.log": LogKind.USMT_PROGRESS,
        "CCM/Logs/SMSTSLog/smsts-20100101-101010.log": LogKind.SMSTS,
        "CCM/Logs/SMSTSLog/smsts.log": LogKind.SMSTS,
        "ticket.txt": LogKind.CCMEXEC,
    }
    assert all(s.root == str(machine) for s in sources)


def test_folder_walk_order_is_stable_and_sorted(machine: Path) -> None:
    first = [s.display for s in split(discover([machine]))[0]]
    again = [s.display for s in split(discover([str(machine)]))[0]]
    assert first == again
    # Files of a folder come before its subfolders, each level in name order.
    assert first.index("CCM/Logs/execmgr.log") < first.index("CCM/Logs/SMSTSLog/smsts.log")
    assert first[0] == "ticket.txt"


def test_source_fields(machine: Path) -> None:
    sources = {s.display: s for s in split(discover([machine]))[0]}
    live = sources["CCM/Logs/SMSTSLog/smsts.log"]
    dated = sources["CCM/Logs/SMSTSLog/smsts-20100101-101010.log"]
    assert live.family == dated.family == "ccm/logs/smstslog/smsts"
    assert dated.generation < live.generation
    path = machine / "CCM/Logs/SMSTSLog/smsts.log"
    assert live.size == path.stat().st_size
    assert live.head() == path.read_bytes()


def test_single_file_display_is_its_name(machine: Path) -> None:
    sources, problems = split(discover([machine / "CCM" / "Logs" / "CcmExec.log"]))
    assert problems == []
    assert [(s.display, s.kind) for s in sources] == [("CcmExec.log", LogKind.CCMEXEC)]


def test_a_file_named_directly_is_always_read(machine: Path) -> None:
    notes = machine / "notes.txt"
    sources, _ = split(discover([notes, machine / "systeminfo.csv"]))
    assert shown(sources) == {"notes.txt": LogKind.OTHER, "systeminfo.csv": LogKind.OTHER}


def test_same_file_reached_twice_is_read_once(machine: Path) -> None:
    logs = machine / "CCM" / "Logs"
    sources, problems = split(discover([logs, logs / "CcmExec.log", logs]))
    assert problems == []
    displays = [s.display for s in sources]
    assert len(displays) == len(set(displays)) == 7


def test_nonexistent_path_is_a_problem_naming_it(tmp_path: Path, machine: Path) -> None:
    missing = tmp_path / "no" / "such.log"
    sources, problems = split(discover([missing, machine]))
    assert [(p.path, p.fatal_for_path) for p in problems] == [(str(missing), True)]
    assert "no such file" in problems[0].reason
    assert len(sources) == 8  # the rest is still read


def test_unreadable_file_is_a_problem(monkeypatch: pytest.MonkeyPatch, machine: Path) -> None:
    denied = str(machine / "CCM" / "Logs" / "CcmExec.log")
    real_open = builtins.open

    def guarded(file: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(file) == denied:
            raise PermissionError(13, "Permission denied", denied)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    sources, problems = split(discover([machine]))
    assert [(p.path, p.fatal_for_path) for p in problems] == [(denied, True)]
    assert "permission denied" in problems[0].reason
    assert "CCM/Logs/CcmExec.log" not in shown(sources)
    assert len(sources) == 7


def test_unreadable_folder_is_a_problem(monkeypatch: pytest.MonkeyPatch, machine: Path) -> None:
    denied = str(machine / "CCM" / "Logs" / "SMSTSLog")
    real_scandir = os.scandir

    def guarded(path: Any) -> Any:
        if os.fspath(path) == denied:
            raise PermissionError(13, "Permission denied", denied)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)
    sources, problems = split(discover([machine]))
    assert [p.path for p in problems] == [denied]
    assert "permission denied" in problems[0].reason
    assert not any("SMSTSLog" in d for d in shown(sources))
    assert "CCM/Logs/CcmExec.log" in shown(sources)


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads all")
def test_chmod_000_file_is_a_problem(machine: Path) -> None:
    target = machine / "CCM" / "Logs" / "execmgr.log"
    target.chmod(0)
    try:
        _, problems = split(discover([machine]))
    finally:
        target.chmod(0o644)
    assert [p.path for p in problems] == [str(target)]


@needs_symlinks
def test_symlink_loop_is_reported_not_followed(machine: Path) -> None:
    (machine / "CCM" / "Logs" / "up").symlink_to(machine, target_is_directory=True)
    (machine / "self.log").symlink_to(machine / "self.log")
    sources, problems = split(discover([machine]))
    reasons = {Path(p.path).name: p.reason for p in problems}
    assert "loops back" in reasons["up"]
    assert "loop" in reasons["self.log"]
    assert not any(p.fatal_for_path for p in problems)
    assert len(sources) == 8


@needs_symlinks
def test_symlink_out_of_the_tree_is_not_followed(tmp_path: Path, machine: Path, craft: Any) -> None:
    outside = craft.tree(tmp_path / "elsewhere", {"smsts.log": craft.ccm_bytes("secret")})
    (machine / "linked").symlink_to(outside, target_is_directory=True)
    (machine / "smsts.log").symlink_to(outside / "smsts.log")
    (machine / "dangling.log").symlink_to(tmp_path / "gone.log")
    (machine / "tool.exe").symlink_to(outside / "smsts.log")  # not a log name: silent
    sources, problems = split(discover([machine]))
    reasons = {Path(p.path).name: p.reason for p in problems}
    assert set(reasons) == {"linked", "smsts.log", "dangling.log"}
    assert "outside the input" in reasons["linked"]
    assert "outside the input" in reasons["smsts.log"]
    assert "broken" in reasons["dangling.log"]
    assert not any("secret" in s.head().decode(errors="replace") for s in sources)


@needs_symlinks
def test_symlink_inside_the_tree_is_read_once_at_its_real_place(machine: Path) -> None:
    (machine / "alias").symlink_to(machine / "CCM", target_is_directory=True)
    sources, problems = split(discover([machine]))
    assert len(sources) == 8
    assert ["another place" in p.reason for p in problems] == [True]


@needs_symlinks
def test_given_path_may_itself_be_a_link(tmp_path: Path, machine: Path) -> None:
    link = tmp_path / "shortcut"
    link.symlink_to(machine, target_is_directory=True)
    sources, problems = split(discover([link]))
    assert problems == []
    assert len(sources) == 8


def test_fifo_in_folder_is_skipped_not_read(tmp_path: Path, craft: Any) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    folder = craft.tree(tmp_path / "h", {"smsts.log": craft.ccm_bytes("x")})
    os.mkfifo(folder / "pipe.log")
    sources, problems = split(discover([folder]))
    assert [s.display for s in sources] == ["smsts.log"]
    assert [Path(p.path).name for p in problems] == ["pipe.log"]
    assert "not a regular file" in problems[0].reason
    sources, problems = split(discover([folder / "pipe.log"]))  # named directly
    assert sources == []
    assert ["not a regular file" in p.reason for p in problems] == [True]


def test_openers_are_fresh_read_only_and_picklable(machine: Path) -> None:
    sources, _ = split(discover([machine]))
    for source in sources:
        one, two = source.opener(), source.opener()
        with one, two:
            assert one is not two
            assert one.read(5) == two.read(5)
            assert not one.writable()
        clone = pickle.loads(pickle.dumps(source.opener))
        with clone() as fh:
            assert fh.read() == source.head(source.size + 1)


def test_utf16_logs_are_sniffed(tmp_path: Path, craft: Any) -> None:
    text = craft.ccm("hello", component="TSManager")
    folder = craft.tree(
        tmp_path / "h",
        {
            "a.log": b"\xff\xfe" + text.encode("utf-16-le"),
            "b.log": text.encode("utf-16-be"),
        },
    )
    sources, _ = split(discover([folder]))
    assert shown(sources) == {"a.log": LogKind.SMSTS, "b.log": LogKind.SMSTS}


def test_paths_as_str_and_path_and_iterator(machine: Path) -> None:
    logs = machine / "CCM" / "Logs"
    gen = (p for p in [str(logs / "CcmExec.log"), logs / "execmgr.log"])
    sources, _ = split(discover(gen))
    assert [s.display for s in sources] == ["CcmExec.log", "execmgr.log"]


def test_discover_is_lazy(tmp_path: Path, craft: Any) -> None:
    it = discover([tmp_path / "later"])
    craft.tree(tmp_path / "later", {"smsts.log": craft.ccm_bytes("x")})
    assert [s.display for s in split(it)[0]] == ["smsts.log"]


def test_sources_pickle_for_process_pools(machine: Path, tmp_path: Path, craft: Any) -> None:
    bundle = craft.zip(tmp_path / "b.zip", {"Logs/smsts.log": craft.ccm_bytes("zipped")})
    sources, _ = split(discover([machine, bundle]))
    for source in sources:
        clone = pickle.loads(pickle.dumps(source))
        assert clone == source
        assert clone.head() == source.head()


def test_folder_seen_twice_by_inode_is_not_walked_again(
    monkeypatch: pytest.MonkeyPatch, machine: Path
) -> None:
    # A bind mount or a junction that is not reported as a link shows the same
    # (st_dev, st_ino) as a folder already walked; simulated by aliasing the inode.
    alias = str(machine / "CCM" / "Logs" / "SMSTSLog")
    real_stat = os.stat

    def stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if os.fspath(path) == alias:
            return real_stat(machine)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    sources, problems = split(discover([machine]))
    assert [(p.path, p.fatal_for_path) for p in problems] == [(alias, False)]
    assert "already read" in problems[0].reason
    assert not any("SMSTSLog" in s.display for s in sources)
