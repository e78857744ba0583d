"""Zip bundles: read in place, hostile names and bombs refused, damage reported."""

from __future__ import annotations

import io
import pickle
import warnings
import zipfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from logscan.inputs.discover import discover
from logscan.inputs.source import InputProblem, LogSource
from logscan.inputs.zipbundle import (
    MIB,
    ArchiveReadError,
    ZipLimits,
    _BoundedRaw,
    archives_kept_open,
)
from logscan.model import LogKind


def split(items: Any) -> tuple[list[LogSource], list[InputProblem]]:
    sources: list[LogSource] = []
    problems: list[InputProblem] = []
    for item in items:
        (problems if isinstance(item, InputProblem) else sources).append(item)
    return sources, problems


@pytest.fixture
def bundle(tmp_path: Path, craft: Any) -> Path:
    return craft.zip(
        tmp_path / "HOST1.zip",
        {
            "Windows/CCM/Logs/ccmexec.log": craft.ccm_bytes("x", component="OSDSMPClient"),
            "Windows/CCM/Logs/SMSTSLog/smsts.lo_": craft.ccm_bytes("old"),
            "Windows/CCM/Logs/SMSTSLog/smsts.log": craft.ccm_bytes("new"),
            "Windows/CCM/Logs/other.log": "not a log\r\n",
            "systeminfo.txt": "Host Name: HOST1\r\n",
            "Windows/CCM/ccmexec.exe": b"MZ" + bytes(1000),
        },
    )


def test_bundle_members_are_sources(bundle: Path) -> None:
    sources, problems = split(discover([bundle]))
    assert problems == []
    assert {s.display: s.kind for s in sources} == {
        "HOST1.zip!Windows/CCM/Logs/ccmexec.log": LogKind.CCMEXEC,
        "HOST1.zip!Windows/CCM/Logs/SMSTSLog/smsts.lo_": LogKind.SMSTS,
        "HOST1.zip!Windows/CCM/Logs/SMSTSLog/smsts.log": LogKind.SMSTS,
    }
    with zipfile.ZipFile(bundle) as zf:
        for s in sources:
            member = s.display.split("!", 1)[1]
            assert s.size == zf.getinfo(member).file_size
            assert s.head() == zf.read(member)
            assert s.root == str(bundle)
    families = {s.family for s in sources}
    assert "host1.zip!windows/ccm/logs/smstslog/smsts" in families


def test_folder_of_bundles_one_per_machine(tmp_path: Path, craft: Any) -> None:
    share = tmp_path / "wave3"
    for host in ("PC1", "PC2", "PC3"):
        craft.zip(share / f"{host}.zip", {"Logs/smsts.log": craft.ccm_bytes(host)})
    craft.tree(share, {"PC4/Logs/smsts.log": craft.ccm_bytes("PC4")})
    sources, problems = split(discover([share]))
    assert problems == []
    assert [s.display for s in sources] == [
        "PC1.zip!Logs/smsts.log",
        "PC2.zip!Logs/smsts.log",
        "PC3.zip!Logs/smsts.log",
        "PC4/Logs/smsts.log",
    ]
    assert len({s.family for s in sources}) == 4
    assert [s.head()[-200:].count(s.display[:3].encode()) for s in sources] == [1, 1, 1, 1]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../evil.log", "path traversal"),
        ("Logs/../../evil.log", "path traversal"),
        ("..\\evil.log", "path traversal"),
        ("/etc/smsts.log", "absolute path"),
        ("\\\\server\\share\\smsts.log", "absolute path"),
        ("C:/Windows/smsts.log", "drive letter"),
        ("c:smsts.log", "drive letter"),
    ],
)
def test_unsafe_member_names_are_skipped(tmp_path: Path, craft: Any, name: str, why: str) -> None:
    path = craft.zip(
        tmp_path / "b.zip", {name: craft.ccm_bytes("evil"), "smsts.log": craft.ccm_bytes("ok")}
    )
    sources, problems = split(discover([path]))
    assert [s.display for s in sources] == ["b.zip!smsts.log"]
    assert len(problems) == 1
    assert problems[0].path == f"{path}!{name.replace(chr(92), '/')}"
    assert why in problems[0].reason
    assert problems[0].fatal_for_path is False


def test_unsafe_names_are_reported_even_for_non_logs(tmp_path: Path, craft: Any) -> None:
    path = craft.zip(tmp_path / "b.zip", {"../../payload.exe": b"MZ"})
    _, problems = split(discover([path]))
    assert ["path traversal" in p.reason for p in problems] == [True]


def test_encrypted_member(tmp_path: Path, craft: Any) -> None:
    path = craft.zip(
        tmp_path / "b.zip",
        {"ccmexec.log": craft.ccm_bytes("secret"), "smsts.log": craft.ccm_bytes("ok")},
    )
    craft.patch_member(path, "ccmexec.log", flag_bits=0x1)
    sources, problems = split(discover([path]))
    assert [s.display for s in sources] == ["b.zip!smsts.log"]
    assert [p.path for p in problems] == [f"{path}!ccmexec.log"]
    assert "encrypted" in problems[0].reason
    assert problems[0].fatal_for_path is True


def test_unsupported_compression_method(tmp_path: Path, craft: Any) -> None:
    path = craft.zip(tmp_path / "b.zip", {"smsts.log": craft.ccm_bytes("x")})
    craft.patch_member(path, "smsts.log", method=9)  # deflate64
    _, problems = split(discover([path]))
    assert ["compression method 9" in p.reason for p in problems] == [True]


def test_zip_bomb_ratio_is_refused(tmp_path: Path, craft: Any) -> None:
    path = craft.zip(
        tmp_path / "bomb.zip",
        {"smsts.log": bytes(11 * MIB), "ccmexec.log": craft.ccm_bytes("ok", component="CcmExec")},
    )
    sources, problems = split(discover([path]))
    assert [s.display for s in sources] == ["bomb.zip!ccmexec.log"]
    assert [p.path for p in problems] == [f"{path}!smsts.log"]
    assert "compression ratio" in problems[0].reason
    assert problems[0].fatal_for_path is False


def test_highly_compressible_small_member_is_fine(tmp_path: Path, craft: Any) -> None:
    text = craft.ccm_bytes(*["same line"] * 2000)  # ratio far over 200, but under 10 MiB
    path = craft.zip(tmp_path / "b.zip", {"smsts.log": text})
    sources, problems = split(discover([path]))
    assert problems == []
    assert sources[0].head(len(text) + 1) == text


def test_declared_member_size_over_the_limit(tmp_path: Path, craft: Any) -> None:
    path = craft.zip(tmp_path / "b.zip", {"smsts.log": craft.ccm_bytes("x")})
    craft.patch_member(path, "smsts.log", file_size=0xF000_0000)  # declares 3.75 GiB
    _, problems = split(discover([path]))
    assert len(problems) == 1
    assert "exceeds" in problems[0].reason


def test_archive_total_over_the_limit_refuses_the_archive(tmp_path: Path, craft: Any) -> None:
    members = {f"m{i}/smsts.log": craft.ccm_bytes("x" * 500) for i in range(5)}
    path = craft.zip(tmp_path / "b.zip", members)
    total = sum(len(v) for v in members.values())
    sources, problems = split(discover([path], limits=ZipLimits(archive_size=total - 1)))
    assert sources == []
    assert [(p.path, p.fatal_for_path) for p in problems] == [(str(path), True)]
    assert "archive refused" in problems[0].reason
    sources, problems = split(discover([path], limits=ZipLimits(archive_size=total)))
    assert (len(sources), problems) == (5, [])


def test_too_many_entries(tmp_path: Path, craft: Any) -> None:
    path = craft.zip(tmp_path / "b.zip", {f"{i}.txt": "" for i in range(11)})
    _, problems = split(discover([path], limits=ZipLimits(members=10)))
    assert ["entries" in p.reason for p in problems] == [True]


def test_member_producing_more_than_declared_is_stopped(tmp_path: Path, craft: Any) -> None:
    data = craft.ccm_bytes(*[f"line {i}" for i in range(20_000)])
    path = craft.zip(tmp_path / "b.zip", {"smsts.log": data})
    declared = 50_000  # more than discovery's head, far less than the real 1.5 MB
    craft.patch_member(path, "smsts.log", file_size=declared)
    sources, problems = split(discover([path]))
    assert problems == []
    got = b""
    with pytest.raises(OSError, match="damaged archive member"), sources[0].opener() as fh:
        while chunk := fh.read(4096):
            got += chunk
    assert len(got) <= declared
    assert data.startswith(got)


def test_lie_caught_within_the_head_is_a_discovery_problem(tmp_path: Path, craft: Any) -> None:
    path = craft.zip(tmp_path / "b.zip", {"smsts.log": craft.ccm_bytes(*["x"] * 5000)})
    craft.patch_member(path, "smsts.log", file_size=1000)
    sources, problems = split(discover([path]))
    assert sources == []
    assert [p.path for p in problems] == [f"{path}!smsts.log"]
    assert "Bad CRC" in problems[0].reason


def test_bounded_reader_refuses_data_past_the_limit() -> None:
    raw = _BoundedRaw(io.BytesIO(b"x" * 100), 10, ExitStack())  # type: ignore[arg-type]
    buf = bytearray(64)
    with pytest.raises(ArchiveReadError, match="more data than"):
        raw.readinto(memoryview(buf))
    exact = _BoundedRaw(io.BytesIO(b"x" * 10), 10, ExitStack())  # type: ignore[arg-type]
    assert exact.readinto(memoryview(buf)) == 10
    assert exact.readinto(memoryview(buf)) == 0


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_truncated_zip(tmp_path: Path, craft: Any, bundle: Path, keep: float) -> None:
    data = bundle.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: int(len(data) * keep)])
    ok = craft.zip(tmp_path / "ok.zip", {"smsts.log": craft.ccm_bytes("fine")})
    sources, problems = split(discover([cut, ok]))
    assert [s.display for s in sources] == ["ok.zip!smsts.log"]
    assert [(p.path, p.fatal_for_path) for p in problems] == [(str(cut), True)]
    assert "corrupt or truncated" in problems[0].reason


def test_text_named_zip(tmp_path: Path) -> None:
    fake = tmp_path / "logs.zip"
    fake.write_text("this is not an archive")
    _, problems = split(discover([fake]))
    assert [p.path for p in problems] == [str(fake)]


def test_damaged_member_data_is_reported(tmp_path: Path, craft: Any) -> None:
    path = craft.zip(tmp_path / "b.zip", {"smsts.log": craft.ccm_bytes(*["a b c"] * 50)})
    data = bytearray(path.read_bytes())
    data[40:60] = b"\xff" * 20  # inside the deflate stream of the only member
    path.write_bytes(bytes(data))
    sources, problems = split(discover([path]))
    assert sources == []
    assert [p.path for p in problems] == [f"{path}!smsts.log"]
    assert "cannot read member" in problems[0].reason


def test_nested_zip_one_level(tmp_path: Path, craft: Any) -> None:
    inner = craft.zip(tmp_path / "src" / "PC1.zip", {"Logs/smsts.log": craft.ccm_bytes("in")})
    deepest = craft.zip(tmp_path / "src" / "deep.zip", {"smsts.log": craft.ccm_bytes("deep")})
    middle = craft.zip(tmp_path / "src" / "middle.zip", {"deep.zip": deepest.read_bytes()})
    outer = craft.zip(
        tmp_path / "wave.zip",
        {
            "machines/PC1.zip": inner.read_bytes(),
            "machines/middle.zip": middle.read_bytes(),
            "ccmexec.log": craft.ccm_bytes("top", component="CcmExec"),
        },
    )
    sources, problems = split(discover([outer]))
    assert [s.display for s in sources] == [
        "wave.zip!machines/PC1.zip!Logs/smsts.log",
        "wave.zip!ccmexec.log",
    ]
    assert sources[0].head() == craft.ccm_bytes("in")
    assert [p.path for p in problems] == [f"{outer}!machines/middle.zip!deep.zip"]
    assert "nested more than one level" in problems[0].reason
    assert problems[0].fatal_for_path is False


def test_corrupt_nested_zip(tmp_path: Path, craft: Any) -> None:
    outer = craft.zip(
        tmp_path / "wave.zip",
        {"PC1.zip": b"PK\x03\x04 truncated", "smsts.log": craft.ccm_bytes("ok")},
    )
    sources, problems = split(discover([outer]))
    assert [s.display for s in sources] == ["wave.zip!smsts.log"]
    assert [p.path for p in problems] == [f"{outer}!PC1.zip"]
    assert "nested zip is corrupt" in problems[0].reason


def test_symlink_member_is_skipped(tmp_path: Path, craft: Any) -> None:
    path = tmp_path / "b.zip"
    with zipfile.ZipFile(path, "w") as zf:
        link = zipfile.ZipInfo("smsts.log")
        link.create_system = 3
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("ccmexec.log", craft.ccm_bytes("ok", component="CcmExec"))
    sources, problems = split(discover([path]))
    assert [s.display for s in sources] == ["b.zip!ccmexec.log"]
    assert ["symbolic link" in p.reason for p in problems] == [True]


def test_names_are_shown_safely(tmp_path: Path, craft: Any) -> None:
    path = craft.zip(
        tmp_path / "b.zip",
        {"Logs\\smsts.log": craft.ccm_bytes("a"), "Logs/ccm\x1b[2Jexec.log": craft.ccm_bytes("b")},
    )
    sources, _ = split(discover([path]))
    assert sorted(s.display for s in sources) == [
        "b.zip!Logs/ccm?[2Jexec.log",
        "b.zip!Logs/smsts.log",
    ]
    assert all(s.head() for s in sources)


def test_duplicate_member_names_open_their_own_data(tmp_path: Path, craft: Any) -> None:
    path = tmp_path / "b.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as zf:
        warnings.simplefilter("ignore")
        zf.writestr("smsts.log", craft.ccm_bytes("first"))
        zf.writestr("smsts.log", craft.ccm_bytes("second"))
    sources, _ = split(discover([path]))
    assert [s.head() for s in sources] == [craft.ccm_bytes("first"), craft.ccm_bytes("second")]


def test_member_openers_are_independent_and_picklable(bundle: Path) -> None:
    sources, _ = split(discover([bundle]))
    with ExitStack() as stack:
        handles = [stack.enter_context(s.opener()) for s in sources for _ in range(2)]
        heads = [h.read(7) for h in handles]
    assert heads[0] == heads[1]
    for source in sources:
        clone = pickle.loads(pickle.dumps(source.opener))
        with clone() as fh:
            assert fh.read() == source.head(source.size + 1)


def test_archive_replaced_after_listing(tmp_path: Path, craft: Any, bundle: Path) -> None:
    sources, _ = split(discover([bundle]))
    craft.zip(bundle, {"other.txt": "changed"})
    with pytest.raises(OSError, match="changed since"):
        sources[0].opener()


@pytest.mark.parametrize("budget", [0, 1 << 20])  # 0: read nested members in place
def test_nested_members_read_alike_with_or_without_the_cache(
    tmp_path: Path, craft: Any, monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    from logscan.inputs import zipbundle

    monkeypatch.setattr(zipbundle, "_NESTED", zipbundle._NestedCache(budget))
    inflated: list[str] = []

    class Spy(zipbundle.DeflatedMember):
        def __init__(self, fh: Any, info: zipfile.ZipInfo) -> None:
            inflated.append(info.filename)
            super().__init__(fh, info)

    monkeypatch.setattr(zipbundle, "DeflatedMember", Spy)
    logs = {
        f"Logs/{i}/smsts.log": craft.ccm_bytes(*[f"pc1 {i} {n}" for n in range(300)])
        for i in range(4)
    }
    inner = craft.zip(tmp_path / "src" / "PC1.zip", logs)
    outer = craft.zip(tmp_path / "wave.zip", {"PC1.zip": inner.read_bytes()})
    sources, problems = split(discover([outer]))
    assert problems == []
    assert {s.display.rpartition("!")[2]: s.head(1 << 20) for s in sources} == logs
    assert set(inflated) == set(logs)  # inner members inflated by ISA-L too


def test_nested_cache_follows_a_changed_archive(tmp_path: Path, craft: Any) -> None:
    def wave(text: str) -> Path:
        inner = craft.zip(tmp_path / "src" / "PC1.zip", {"smsts.log": craft.ccm_bytes(text)})
        return craft.zip(tmp_path / "wave.zip", {"PC1.zip": inner.read_bytes() + b" " * len(text)})

    path = wave("first")
    (first,) = split(discover([path]))[0]
    assert b"first" in first.head()
    wave("second one")  # same names and indexes, other size
    (second,) = split(discover([path]))[0]
    assert b"second one" in second.head()


def test_archives_kept_open_read_the_same_and_close_at_the_end(
    bundle: Path, craft: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources, _ = split(discover([bundle]))
    outside = [s.opener().read() for s in sources]
    opened: list[zipfile.ZipFile] = []
    real = zipfile.ZipFile

    def counting(*args: Any, **kwargs: Any) -> zipfile.ZipFile:
        zf = real(*args, **kwargs)
        opened.append(zf)
        return zf

    monkeypatch.setattr(zipfile, "ZipFile", counting)
    with archives_kept_open():
        with archives_kept_open():  # nested: the outer block's archives are shared
            first = [s.opener().read() for s in sources]
        again = [s.opener().read() for s in sources]
        streams = [s.opener() for s in sources]  # several members open at once
        together = [fh.read() for fh in streams]
        for fh in streams:
            fh.close()
        assert len(opened) == 1  # one directory read for every member and every call
        assert opened[0].fp is not None
        # The archive replaced meanwhile (new size and mtime): opened afresh, not stale.
        craft.zip(bundle, {"Windows/CCM/Logs/ccmexec.log": craft.ccm_bytes("replaced")})
        before = len(opened)
        (replaced,) = split(discover([bundle]))[0]  # (its sniffing keeps the new archive)
        assert b"replaced" in replaced.opener().read()
        assert b"replaced" in replaced.opener().read()
        assert len(opened) == before + 2  # the listing's own, and one kept for the new one
    assert first == again == together == outside
    assert all(zf.fp is None for zf in opened)  # nothing held open after the block
