"""The verdict does not depend on how the evidence was packed: file order, folder names,
a log split into .lo_ + .log, UTF-16 re-encoding, or a zip of the bundle."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logscan.diagnose import Verdict
from logscan.rules import RuleSet

from .conftest import HOSTS, SAMPLES, expected, only, run

LOGS = (".log", ".lo_")


def _files(host: str) -> list[Path]:
    return sorted(
        p for p in (SAMPLES / host).rglob("*") if p.is_file() and p.name != "EXPECTED.json"
    )


def _copy(host: str, dst: Path) -> Path:
    shutil.copytree(SAMPLES / host, dst, ignore=shutil.ignore_patterns("EXPECTED.json"))
    return dst


def _verdict(host: str) -> Verdict:
    return Verdict(expected(host)["verdict"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_file_order_does_not_matter(data: st.DataObject, ruleset: RuleSet) -> None:
    host = data.draw(st.sampled_from(HOSTS))
    files = data.draw(st.permutations(_files(host)))
    d = only(run(list(files), ruleset))
    assert d.verdict is _verdict(host)
    assert d.host == host  # named from systeminfo, not from the folder


@pytest.mark.parametrize("host", HOSTS)
def test_renamed_folders(host: str, tmp_path: Path, ruleset: RuleSet) -> None:
    dst = tmp_path / "case-20110315"
    dst.mkdir()
    folders: dict[Path, str] = {}
    for src in _files(host):
        rel = src.relative_to(SAMPLES / host)
        parent = folders.setdefault(rel.parent, f"f{len(folders)}") if rel.parent != Path() else ""
        target = dst / parent / src.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    d = only(run([dst], ruleset))
    assert d.verdict is _verdict(host)
    assert d.host == host
    assert d.label == "case-20110315"


def _split_point(raw: bytes) -> int | None:
    """A record boundary near the middle of a CCM log (bytes of a UTF-8 file)."""
    middle = len(raw) // 2
    at = raw.find(b"\r\n<![LOG[", middle)
    return None if at < 0 else at + 2


@pytest.mark.parametrize("host", HOSTS)
def test_log_split_into_rotated_generation(host: str, tmp_path: Path, ruleset: RuleSet) -> None:
    dst = _copy(host, tmp_path / host)
    split = 0
    for log in sorted(dst.rglob("*.log")):
        raw = log.read_bytes()
        rotated = log.with_suffix(".lo_")
        if not raw.startswith(b"\xef\xbb\xbf") or rotated.exists():
            continue  # UTF-16 copies and logs that already have a .lo_ stay whole
        cut = _split_point(raw)
        if cut is None:
            continue
        rotated.write_bytes(raw[:cut])
        log.write_bytes(b"\xef\xbb\xbf" + raw[cut:])
        split += 1
    d = only(run([dst], ruleset))
    assert d.verdict is _verdict(host)
    if any(p.suffix == ".log" for p in _files(host)):
        assert split, "nothing was split: the test would prove nothing"


@pytest.mark.parametrize("host", HOSTS)
def test_logs_reencoded_as_utf16(host: str, tmp_path: Path, ruleset: RuleSet) -> None:
    dst = _copy(host, tmp_path / host)
    for log in dst.rglob("*"):
        if log.suffix.casefold() not in LOGS:
            continue
        raw = log.read_bytes()
        if raw.startswith(b"\xff\xfe"):
            continue
        text = raw.decode("utf-8-sig", errors="surrogateescape")
        log.write_bytes(b"\xff\xfe" + text.encode("utf-16-le", errors="surrogatepass"))
    d = only(run([dst], ruleset))
    assert d.verdict is _verdict(host)
    assert d.error_codes == only(run([SAMPLES / host], ruleset)).error_codes


def _zip(host: str, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for src in _files(host):
            zf.write(src, src.relative_to(SAMPLES / host).as_posix())
    return target


@pytest.mark.parametrize("host", HOSTS)
def test_zipped_bundle(host: str, tmp_path: Path, ruleset: RuleSet) -> None:
    bundle = _zip(host, tmp_path / f"{host}.zip")
    d = only(run([bundle], ruleset))
    assert d.verdict is _verdict(host)
    assert d.host == host
    assert all(e.path.startswith(f"{host}.zip!") for e in d.evidence)
    plain = only(run([SAMPLES / host], ruleset))
    assert [c.thumbprint for c in d.certificates] == [c.thumbprint for c in plain.certificates]


def test_share_of_zips(tmp_path: Path, ruleset: RuleSet) -> None:
    share = tmp_path / "wave1"
    share.mkdir()
    for host in HOSTS:
        _zip(host, share / f"{host}.zip")
    report = run([share], ruleset)
    assert {d.host: d.verdict for d in report.diagnoses} == {h: _verdict(h) for h in HOSTS}
