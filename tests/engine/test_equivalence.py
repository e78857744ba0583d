"""The prefiltered scan must equal a full parse + match, on every sample and real log."""

from __future__ import annotations

import codecs
import importlib
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logscan.engine import prefilter
from logscan.rules import RuleSet

from .conftest import SAMPLES, outcome

# logscan.engine re-exports the scan() function under the module's name.
scan_module = importlib.import_module("logscan.engine.scan")

HOSTS = sorted(p for p in SAMPLES.iterdir() if p.is_dir() and not p.name.startswith("_"))


@pytest.mark.parametrize("host", HOSTS, ids=lambda p: p.name)
@pytest.mark.parametrize("block_size", [1 << 22, 4096, 61])
def test_samples_prefilter_equals_full_parse(host: Path, block_size: int, ruleset: RuleSet) -> None:
    full = outcome([host], ruleset, full_parse=True)
    fast = outcome([host], ruleset, block_size=block_size)
    assert fast == full


def test_samples_have_hits(ruleset: RuleSet) -> None:
    # Guard against a vacuous equality: the pack must find the KB977203 evidence.
    hits, findings = outcome([SAMPLES], ruleset)
    rules_hit = {h[0] for h in hits}
    assert "kb977203.osdsmpclient.import_failure" in rules_hit
    assert findings


@pytest.mark.parametrize("block_size", [1 << 22, 7])
def test_real_logs_prefilter_equals_full_parse(
    real_logs: Path, block_size: int, ruleset: RuleSet
) -> None:
    assert outcome([real_logs], ruleset, block_size=block_size) == outcome(
        [real_logs], ruleset, full_parse=True
    )


def test_python_fallback_matches_hyperscan(
    monkeypatch: pytest.MonkeyPatch, ruleset: RuleSet
) -> None:
    native = outcome([SAMPLES], ruleset)

    def no_hyperscan(_anchors: list[bytes]) -> None:
        raise ImportError("hyperscan disabled for this test")

    monkeypatch.setattr(prefilter, "_HyperscanSearch", no_hyperscan)
    # Searchers compiled by earlier scans in this thread would be reused otherwise.
    monkeypatch.setattr(scan_module, "_SEARCH_CACHE", threading.local())
    assert outcome([SAMPLES], ruleset, block_size=997) == native


def test_utf16_copy_gives_the_same_hits(tmp_path: Path, ruleset: RuleSet) -> None:
    src = SAMPLES / "WKS-XP-0142"
    dst = tmp_path / "WKS-XP-0142"
    for path in src.rglob("*.log"):
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        out = dst / path.relative_to(src)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    utf8 = outcome([src], ruleset)[0]
    utf16, _ = outcome([dst], ruleset, block_size=333)
    assert utf16 == outcome([dst], ruleset, full_parse=True)[0]
    # Same rules, records and lines; offsets and lengths are in UTF-16 bytes now.
    assert [(h[0], h[1], h[2], h[5]) for h in utf16] == [(h[0], h[1], h[2], h[5]) for h in utf8]
    assert utf8


_FAIL = "Failed to import client certificate store (0x80092024)"
_PIECES = st.sampled_from(
    [
        "Requesting state store from SMP",
        _FAIL,
        "Failed to run the action: Request State Store.\n"
        "Unknown error (Error: 80092024; Source: Windows)",
        "Process completed with exit code 2148081700",
        "Successfully completed the action (Capture User State) with the exit win32 code 0",
        "noise <![CDATA[ x ]]> more",
    ]
)


@st.composite
def _ccm_files(draw: st.DrawFn) -> bytes:
    eol = draw(st.sampled_from([b"\r\n", b"\n", b"\r"]))
    parts: list[bytes] = [b"\xef\xbb\xbf"]
    for i in range(draw(st.integers(1, 12))):
        msg = draw(_PIECES).replace("\n", eol.decode()).encode()
        attrs = (
            f'<time="14:02:{i:02d}.123+300" date="03-15-2011" component="'
            f'{draw(st.sampled_from(["OSDSMPClient", "TSManager", "OSDUSMT"]))}" context="" '
            f'type="{draw(st.integers(0, 3))}" thread="2212" file="x.cpp:1">'
        ).encode()
        shape = draw(st.sampled_from(["ok", "ok", "ok", "torn", "unclosed", "stray"]))
        if shape == "torn":
            parts.append(msg[len(msg) // 2 :] + b"]LOG]!>" + attrs + eol)
        elif shape == "unclosed":
            parts.append(b"<![LOG[" + msg + eol)
        elif shape == "stray":
            parts.append(msg + eol)
        else:
            parts.append(b"<![LOG[" + msg + b"]LOG]!>" + attrs + eol)
    return b"".join(parts)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=_ccm_files(), block_size=st.integers(5, 400))
def test_property_ccm_prefilter_equals_full(
    tmp_path_factory: pytest.TempPathFactory, ruleset: RuleSet, raw: bytes, block_size: int
) -> None:
    folder = tmp_path_factory.mktemp("ccm")
    (folder / "CcmExec.log").write_bytes(raw)
    (folder / "smsts.log").write_bytes(raw)
    assert outcome([folder], ruleset, block_size=block_size) == outcome(
        [folder], ruleset, full_parse=True
    )


def _usmt_run(program: str, day: int, lines: list[str]) -> str:
    stamp = f"2011-03-{day:02d} 09:00:00, "
    head = [
        f"{stamp}{'Info':<22}[0x000000] {program}.EXE Version 6.1.7601.0",
        f"{stamp}{'Info':<22}[0x000000] USMT Started at 2011/03/{day:02d}:09:00:00.100",
    ]
    body = [f"{stamp}{'Info':<22}[0x000000] {text}" for text in lines]
    return "\r\n".join(head + body) + "\r\n"


@pytest.mark.parametrize("block_size", [1 << 22, 97, 13])
def test_usmt_regions_carry_run_and_program(
    tmp_path: Path, ruleset: RuleSet, block_size: int
) -> None:
    # Three appended runs; hits sit deep inside the later runs, far from their banners.
    filler = [f"Processing C:\\Users\\u{i}\\file{i}.txt" for i in range(40)]
    text = (
        _usmt_run("SCANSTATE", 1, filler)
        + _usmt_run("SCANSTATE", 2, [*filler, "ScanState return code: 27", *filler])
        + _usmt_run("LOADSTATE", 3, [*filler, "LoadState return code: 71"])
    )
    folder = tmp_path / "host"
    folder.mkdir()
    (folder / "usmt_oddname.log").write_bytes(b"\xef\xbb\xbf" + text.encode())
    fast = outcome([folder], ruleset, block_size=block_size)
    full = outcome([folder], ruleset, full_parse=True)
    assert fast == full
    runs = {dict(h[-1]).get("run") for h in full[0]}
    assert {"2", "3"} <= runs, full


def test_anchor_shortcut_loses_no_hit(
    monkeypatch: pytest.MonkeyPatch, real_logs: Path, ruleset: RuleSet
) -> None:
    # The matcher skips rules whose derived anchors are absent from a record's text;
    # with the shortcut off and every record parsed, the hits must be the same.
    fast = outcome([SAMPLES, real_logs], ruleset)
    original = scan_module._Matcher.__init__

    def no_shortcut(self: scan_module._Matcher, rules: object) -> None:
        original(self, rules)  # type: ignore[arg-type]
        self._anchors = dict.fromkeys(self._anchors, ())

    monkeypatch.setattr(scan_module._Matcher, "__init__", no_shortcut)
    assert outcome([SAMPLES, real_logs], ruleset, full_parse=True) == fast
