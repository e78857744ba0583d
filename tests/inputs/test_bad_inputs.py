"""Hostile and broken evidence, all at once: each defect is reported naming its file, the
rest is still read, nothing raises, and not one byte of the evidence changes."""

from __future__ import annotations

import builtins
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from logscan.inputs.reader import read_paths
from logscan.inputs.source import InputProblem
from logscan.inputs.zipbundle import MIB
from logscan.model import LogRecord, ParseWarning, WarningCode

GOOD = ("one good record", "another good record")


@pytest.fixture
def evidence(tmp_path: Path, craft: Any) -> Path:
    """A wave share with one healthy machine and one of every defect."""
    share = tmp_path / "share"
    good = craft.ccm_bytes(*GOOD)
    utf16 = craft.ccm("wide record", component="TSManager")
    craft.tree(
        share,
        {
            "good/smsts.log": good,
            "empty/smsts.log": b"",
            "garbage/ccmexec.log": bytes((i * 7919 + 13) % 251 for i in range(50_000)),
            "nul/smsts.log": good + bytes(200_000) + craft.ccm(*GOOD).encode(),
            "badutf8/smsts.log": b"\xef\xbb\xbf"
            + craft.ccm("caf\xe9 \xff\xfe", component="TSManager").encode("latin-1"),
            "odd16/smsts.log": b"\xff\xfe" + utf16.encode("utf-16-le") + b"\x00\x00x",
            "surrogate/smsts.log": b"\xff\xfe"
            + craft.ccm("lone \ud800 surrogate").encode("utf-16-le", "surrogatepass"),
            "denied/ccmexec.log": craft.ccm_bytes("secret", component="CcmExec"),
        },
    )
    craft.zip(share / "good.zip", {"Logs/smsts.log": good})
    ok_zip = craft.zip(tmp_path / "src" / "t.zip", {"Logs/smsts.log": good}).read_bytes()
    (share / "truncated.zip").write_bytes(ok_zip[: len(ok_zip) // 2])
    enc = craft.zip(share / "encrypted.zip", {"smsts.log": good, "ccmexec.log": good})
    craft.patch_member(enc, "ccmexec.log", flag_bits=0x1)
    craft.zip(share / "bomb.zip", {"smsts.log": bytes(12 * MIB), "ccmexec.log": good})
    craft.zip(
        share / "traversal.zip",
        {"../../evil.log": good, "/abs/smsts.log": good, "C:/x.log": good, "Logs/smsts.log": good},
    )
    if sys.platform != "win32":
        (share / "good" / "loop").symlink_to(share, target_is_directory=True)
        outside = craft.tree(tmp_path / "outside", {"smsts.log": craft.ccm_bytes("outside")})
        (share / "good" / "escape").symlink_to(outside, target_is_directory=True)
    return share


def run(paths: list[Path], monkeypatch: pytest.MonkeyPatch, share: Path) -> list[Any]:
    """Read everything, denying one file and recording how the evidence is opened."""
    denied = str(share / "denied" / "ccmexec.log")
    modes: list[tuple[str, str]] = []
    real_open = builtins.open

    def guarded(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)):
            name = os.fspath(file)
            if name.startswith(str(share.parent)):
                modes.append((name, mode))
            if name == denied:
                raise PermissionError(13, "Permission denied", name)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    monkeypatch.setattr(io, "open", guarded)
    items = list(read_paths(paths))
    monkeypatch.undo()
    assert modes, "the evidence was never opened through open()"
    assert {mode for _, mode in modes} == {"rb"}
    return items


def test_every_defect_is_reported_and_the_rest_is_read(
    evidence: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no-such-host"
    items = run([missing, evidence], monkeypatch, evidence)
    problems = [i for i in items if isinstance(i, InputProblem)]
    warnings = [i for i in items if isinstance(i, ParseWarning)]
    records = [i for i in items if isinstance(i, LogRecord)]

    def problem(path: str | Path, word: str) -> None:
        hits = [p for p in problems if p.path == str(path)]
        assert hits and any(word in p.reason for p in hits), (path, problems)

    def warned(source: str, code: WarningCode) -> None:
        assert any(w.source == source and w.code is code for w in warnings), (source, code)

    problem(missing, "no such file")
    problem(evidence / "denied" / "ccmexec.log", "permission denied")
    problem(evidence / "truncated.zip", "corrupt or truncated")
    problem(f"{evidence / 'encrypted.zip'}!ccmexec.log", "encrypted")
    problem(f"{evidence / 'bomb.zip'}!smsts.log", "compression ratio")
    problem(f"{evidence / 'traversal.zip'}!../../evil.log", "traversal")
    problem(f"{evidence / 'traversal.zip'}!/abs/smsts.log", "absolute")
    problem(f"{evidence / 'traversal.zip'}!C:/x.log", "drive letter")
    if sys.platform != "win32":
        problem(evidence / "good" / "loop", "loops back")
        problem(evidence / "good" / "escape", "outside the input")

    warned("empty/smsts.log", WarningCode.EMPTY_FILE)
    warned("garbage/ccmexec.log", WarningCode.BINARY_CONTENT)
    warned("nul/smsts.log", WarningCode.NUL_BYTES)
    warned("badutf8/smsts.log", WarningCode.DECODE_ERROR)
    warned("odd16/smsts.log", WarningCode.ODD_UTF16_LENGTH)
    warned("surrogate/smsts.log", WarningCode.DECODE_ERROR)

    by_source: dict[str, list[str]] = {}
    for r in records:
        by_source.setdefault(r.source, []).append(r.message)
    assert by_source["good/smsts.log"] == list(GOOD)
    assert by_source["nul/smsts.log"] == list(GOOD) * 2
    assert by_source["good.zip!Logs/smsts.log"] == list(GOOD)
    assert by_source["encrypted.zip!smsts.log"] == list(GOOD)
    assert by_source["bomb.zip!ccmexec.log"] == list(GOOD)
    assert by_source["traversal.zip!Logs/smsts.log"] == list(GOOD)
    assert by_source["odd16/smsts.log"][0] == "wide record"  # the cut byte may be stray text
    assert not any("outside" in m or "secret" in m for ms in by_source.values() for m in ms)


def test_evidence_is_never_modified(
    evidence: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, craft: Any
) -> None:
    before = craft.digests(evidence)
    listing = sorted(str(p) for p in tmp_path.rglob("*"))
    run([evidence, *sorted(evidence.glob("*.zip"))], monkeypatch, evidence)
    assert craft.digests(evidence) == before
    assert sorted(str(p) for p in tmp_path.rglob("*")) == listing  # nothing written nearby


def test_each_input_alone_is_reported_under_its_own_name(evidence: Path) -> None:
    for path in sorted(evidence.rglob("*")):
        items = list(read_paths([path]))
        if path.is_dir() or path.is_symlink():
            continue
        assert items, path  # every file here yields records, warnings or a problem
        for item in items:
            if isinstance(item, InputProblem):
                assert item.path.startswith(str(path)), (path, item)
            else:
                assert item.source.startswith(path.name), (path, item)


@pytest.mark.slow
def test_200mb_without_a_newline(tmp_path: Path) -> None:
    """A huge single "line" is read in bounded memory and in seconds, with a warning."""
    big = tmp_path / "smsts.log"
    chunk = b"A" * (8 * MIB)
    with big.open("wb") as fh:
        for _ in range(25):
            fh.write(chunk)
    probe = (
        "import json, sys\n"
        "from logscan.inputs.reader import read_paths\n"
        "counts = {}\n"
        "for item in read_paths([sys.argv[1]]):\n"
        "    key = str(getattr(item, 'code', type(item).__name__))\n"
        "    counts[key] = counts.get(key, 0) + 1\n"
        # VmHWM, not ru_maxrss: ru_maxrss survives exec, so a child forked from a big
        # pytest worker would report the worker's size, not its own.
        "peak = next(int(l.split()[1]) for l in open('/proc/self/status')"
        " if l.startswith('VmHWM'))\n"
        "print(json.dumps({'counts': counts, 'peak_kib': peak}))\n"
    )
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", probe, str(big)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    elapsed = time.perf_counter() - started
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert elapsed < 20, result
    # Flat memory: a few blocks and one capped line, far from the 200 MB of the file.
    assert result["peak_kib"] < 200 * 1024, result
    assert result["counts"].get(WarningCode.OVERSIZE_RECORD.value), result
