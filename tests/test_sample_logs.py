"""The sample bundles in sample_logs/: README rows, EXPECTED.json, encodings and line ends,
registry exports with real certificates, a reproducible build, and zero-warning parsing.

The parsing check needs the input layer and the parsers; it skips (saying why) when they
are not in the checkout.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_logs"
VERDICTS = {"confirmed", "likely", "at_risk", "resolved", "other_failure", "no_evidence"}
FAILED = {"confirmed", "likely", "resolved"}  # the 0x80092024 failure is in the logs
NUL_STORE = {"confirmed", "at_risk"}  # the store export must show the embedded NUL
CLEAN_STORE = {"resolved", "other_failure", "no_evidence"}
SMS_EKUS = {"1.3.6.1.4.1.311.101", "1.3.6.1.4.1.311.101.2"}
STORE_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\SMS"
# Documented exceptions to "UTF-8 with BOM, CRLF" (sample_logs/README.md, Encodings).
UTF16_LOGS = {"WKS-VS-0455/Windows/System32/CCM/Logs/smsts.log"}
PLAIN_LOGS = {"WKS-VS-0455/_server_SMP01/smpmgr.log"}
_BREAK = re.compile(r"\r\n|\r|\n")
_CODE = re.compile(r"^(0x[0-9A-F]{8}|usmt:\d+)$")
_CCM_MESSAGE = re.compile(r"<!\[LOG\[.*?\]LOG\]!>", re.DOTALL)

HOSTS = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _expected(host: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / host / "EXPECTED.json").read_text("utf-8"))
    return data


def _decode(data: bytes) -> str:
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    return data.decode("ascii")


def _files(host: str) -> dict[str, bytes]:
    folder = SAMPLES / host
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "EXPECTED.json"
    }


def _bare_breaks(text: str) -> int:
    """Line breaks that are not CRLF."""
    return len(_BREAK.findall(text)) - text.count("\r\n")


def test_all_verdicts_are_covered() -> None:
    assert len(HOSTS) >= 9
    assert {_expected(h)["verdict"] for h in HOSTS} == VERDICTS


def test_readme_rows_match_the_folders() -> None:
    readme = (SAMPLES / "README.md").read_text("utf-8")
    rows = re.findall(r"^\| (WKS-[\w-]+) \|", readme, re.MULTILINE)
    assert sorted(rows) == HOSTS


@pytest.mark.parametrize("host", HOSTS)
def test_readme_row(host: str) -> None:
    readme = (SAMPLES / "README.md").read_text("utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| {host} |"))
    exp = _expected(host)
    assert f"`{exp['verdict']}`" in row
    assert "synthetic, built from the real formats" in row
    for w in exp.get("expected_warnings", []):
        assert any(
            line.startswith(f"| {host}/{w['path']} | {w['line']} | `{w['code']}`")
            for line in readme.splitlines()
        ), f"README does not document the {w['code']} in {w['path']}"


@pytest.mark.parametrize("host", HOSTS)
def test_expected_json(host: str) -> None:
    exp = _expected(host)
    assert exp["host"] == host
    assert exp["verdict"] in VERDICTS
    codes = exp["error_codes"]
    assert all(_CODE.match(c) for c in codes), codes
    if exp["verdict"] in FAILED:
        assert "0x80092024" in codes
    elif exp["verdict"] == "other_failure":
        assert codes and "0x80092024" not in codes
    else:
        assert codes == []
    assert exp["key_evidence"], "every scenario cites at least one line"
    for ev in exp["key_evidence"]:
        path = SAMPLES / host / ev["path"]
        assert path.is_file(), ev["path"]
        lines = _BREAK.split(_decode(path.read_bytes()))
        assert 1 <= ev["line"] <= len(lines), ev
        assert ev["contains"] in lines[ev["line"] - 1], ev


@pytest.mark.parametrize("host", HOSTS)
def test_encodings_and_line_ends(host: str) -> None:
    for rel, data in _files(host).items():
        name = f"{host}/{rel}"
        text = _decode(data)
        if rel.endswith(".reg"):
            assert data.startswith(b"\xff\xfe"), name
            assert text.startswith("Windows Registry Editor Version 5.00\r\n\r\n["), name
            assert text.endswith("\r\n\r\n") and _bare_breaks(text) == 0, name
        elif rel.endswith(".txt"):
            assert data[:1] == b"\r" and data.isascii(), name
            assert _bare_breaks(text) == 0, name
        elif name in UTF16_LOGS:
            assert data.startswith(b"\xff\xfe") and len(data) % 2 == 0, name
            assert _bare_breaks(text) == 0, name
        elif name in PLAIN_LOGS:
            assert data.isascii() and _bare_breaks(text) == 0, name
        else:
            assert data.startswith(b"\xef\xbb\xbf"), f"{name}: UTF-8 BOM expected"
            assert "\ufeff" not in text, f"{name}: stray BOM inside"
            # Bare LFs are allowed only inside CCM messages (TSManager error text).
            assert _bare_breaks(_CCM_MESSAGE.sub("", text)) == 0, name
            assert text.endswith("\r\n"), name
        assert len(data) <= 150_000, f"{name}: {len(data)} bytes, keep samples modest"


def test_samples_stay_small() -> None:
    total = sum(len(d) for h in HOSTS for d in _files(h).values())
    assert total < 2_000_000


def _elements(blob: bytes) -> list[tuple[int, bytes]]:
    """A serialized certificate element stream (reference/cert-store.md section 3.2)."""
    out, pos = [], 0
    while pos < len(blob):
        prop, reserved, size = struct.unpack_from("<III", blob, pos)
        assert reserved == 1 and pos + 12 + size <= len(blob)
        out.append((prop, blob[pos + 12 : pos + 12 + size]))
        pos += 12 + size
    return out


def _has_embedded_nul(name: bytes) -> bool:
    units = struct.unpack(f"<{len(name) // 2}H", name)
    assert units and units[-1] == 0, "friendly name must be NUL-terminated"
    return 0 in units[:-1]


@pytest.mark.parametrize("host", [h for h in HOSTS if (SAMPLES / h / "sms_store.reg").exists()])
def test_sms_store_export(host: str) -> None:
    from cryptography import x509
    from cryptography.x509.oid import ExtensionOID, NameOID

    from logscan.inputs.regfile import read_reg_path

    reg = read_reg_path(SAMPLES / host / "sms_store.reg")
    assert reg.warnings == ()
    paths = {k.path for k in reg.keys}
    assert {STORE_KEY + s for s in ("", r"\Certificates", r"\CRLs", r"\CTLs")} <= paths
    certs = [k for k in reg.keys if k.path.startswith(STORE_KEY + "\\Certificates\\")]
    assert len(certs) == 2
    verdict = _expected(host)["verdict"]
    for key in certs:
        blob = key.value("Blob")
        assert blob is not None
        elements = _elements(blob.raw)
        assert elements[-1][0] == 0x20, "the certificate comes last"
        props = dict(elements)
        der = props[0x20]
        thumb = hashlib.sha1(der).hexdigest().upper()
        assert key.path.rsplit("\\", 1)[1] == thumb
        assert props[0x03] == hashlib.sha1(der).digest()
        cert = x509.load_der_x509_certificate(der)
        assert cert.subject == cert.issuer, "self-signed"
        assert "SMS" in [a.value for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
        eku = cert.extensions.get_extension_for_oid(ExtensionOID.EXTENDED_KEY_USAGE).value
        assert {o.dotted_string for o in eku} <= SMS_EKUS
        nul = _has_embedded_nul(props[0x0B])
        if verdict in NUL_STORE:
            assert nul, f"{key.path}: the {verdict} scenario needs the embedded NUL"
        elif verdict in CLEAN_STORE:
            assert not nul, f"{key.path}: the {verdict} scenario needs clean names"


@pytest.mark.parametrize("host", [h for h in HOSTS if (SAMPLES / h / "mobile_client.reg").exists()])
def test_mobile_client_export(host: str) -> None:
    from logscan.inputs.regfile import read_reg_path

    reg = read_reg_path(SAMPLES / host / "mobile_client.reg")
    assert reg.warnings == () and len(reg.keys) == 1
    key = reg.keys[0]
    x64 = "x64-based PC" in (SAMPLES / host / "systeminfo.txt").read_text("ascii")
    assert ("Wow6432Node" in key.path) is x64
    version = key.value("ProductVersion")
    assert version is not None and re.fullmatch(r"4\.00\.\d{4}\.\d{4}", version.as_str())


def test_build_reproduces_the_samples() -> None:
    pytest.importorskip("cryptography", reason="the build makes real certificates")
    done = subprocess.run(
        [sys.executable, str(SAMPLES / "_build" / "build.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"sample_logs differ from _build/ output:\n{done.stderr}"


def _reader() -> tuple[Any, Any]:
    reader = pytest.importorskip(
        "logscan.inputs.reader", reason="logscan.inputs.reader is not in this checkout yet"
    )
    from logscan.inputs.discover import discover
    from logscan.model import LogFormat
    from logscan.parsers.base import all_parsers

    needed = {LogFormat.CCM, LogFormat.SMSTRACE, LogFormat.USMT, LogFormat.USMT_PROGRESS}
    missing = needed - set(all_parsers())
    if missing:
        pytest.skip(f"parsers not registered yet: {sorted(f.value for f in missing)}")
    return discover, reader.read_source


@pytest.mark.parametrize("host", HOSTS)
def test_logs_parse_with_only_the_documented_warnings(host: str) -> None:
    from logscan.inputs.source import LogSource
    from logscan.model import LogKind, LogRecord, ParseWarning

    discover, read_source = _reader()
    folder = SAMPLES / host
    found = list(discover([folder]))
    sources = [s for s in found if isinstance(s, LogSource)]
    assert len(sources) == len(found), [s for s in found if not isinstance(s, LogSource)]
    logs = {p for p in _files(host) if p.endswith((".log", ".lo_"))}
    assert {s.display for s in sources} == logs
    exp = _expected(host)
    allowed = {(w["path"], w["line"], w["code"]) for w in exp.get("expected_warnings", [])}
    records: dict[str, list[LogRecord]] = {}
    warnings = set()
    for src in sources:
        assert src.kind is not LogKind.OTHER, src.display
        for item in read_source(src):
            if isinstance(item, ParseWarning):
                warnings.add((src.display, item.line, item.code.value))
            else:
                records.setdefault(src.display, []).append(item)
        assert records.get(src.display), f"{src.display}: no records"
    assert warnings == allowed
    for ev in exp["key_evidence"]:
        if ev["path"] in records:
            # The cited line belongs to the last record starting at or before it, and the
            # record's offset/length must lead back to the cited text in the file's bytes.
            owner = [r for r in records[ev["path"]] if r.line <= ev["line"]][-1]
            data = (folder / ev["path"]).read_bytes()
            raw = data[owner.offset : owner.offset + owner.length]
            codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-8"
            assert ev["contains"] in raw.decode(codec), f"{ev['path']}:{ev['line']}"


@pytest.mark.parametrize("host", HOSTS)
def test_project_readers_agree_with_the_scenario(host: str) -> None:
    """The store and fact readers see in each bundle what its scenario claims."""
    from datetime import UTC, datetime

    checks = pytest.importorskip("logscan.certs.checks", reason="logscan.certs not here yet")
    regexport = pytest.importorskip("logscan.certs.regexport")
    facts = pytest.importorskip("logscan.facts", reason="logscan.facts not here yet")

    folder = SAMPLES / host
    verdict = _expected(host)["verdict"]
    store = folder / "sms_store.reg"
    if store.exists():
        result = regexport.RegExportSource(store).read()
        found = checks.check_result(result, now=datetime(2011, 3, 20, tzinfo=UTC), host=host)
        assert checks.has_kb977203(found) is (verdict in NUL_STORE)
        others = [f for f in found if f.check.value != "embedded_nul"]
        assert others == [], others
    bundle = facts.scan_bundle(folder)
    assert bundle.problems == () and bundle.facts.warnings == ()
    machine = bundle.facts
    assert machine[facts.FactName.HOST_NAME].value == host
    assert machine.flag(facts.FactName.KB974571) is True
    if (folder / "mobile_client.reg").exists():
        assert machine.client_version is not None
        assert (
            machine.client_version.encode("utf-16-le")
            in (folder / "mobile_client.reg").read_bytes()
        )
