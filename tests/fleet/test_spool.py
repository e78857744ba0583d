"""The spool: diagnoses written as hosts finish, read back in any order, plain or compressed."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from logscan.fleet.model import BundleKind, HostBundle, HostResult, HostStatus
from logscan.fleet.spool import Spool


def result(label: str, detail: dict[str, int], *, packed: bool) -> HostResult:
    text = json.dumps(detail)
    return HostResult(
        label, HostStatus.OK, "", "{}", "" if packed else text, "f", 1, 1, 0.1, "r",
        detail_z=zlib.compress(text.encode()) if packed else b"",
    )  # fmt: skip


def test_details_come_back_whatever_the_order_of_writes_and_reads(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    bundle = {n: HostBundle(n, n, str(tmp_path / n), n, BundleKind.FOLDER) for n in "abcd"}
    spool.add(bundle["a"], result("a", {"a": 1}, packed=False))
    spool.add(bundle["b"], result("b", {"b": 2}, packed=True))
    assert spool.detail("a") == {"a": 1}  # a read between writes
    spool.add(bundle["c"], result("c", {"c": 3}, packed=False))
    assert spool.detail("b") == {"b": 2}
    spool.add(bundle["d"], result("d", {"d": 4}, packed=True))
    assert [spool.detail(n) for n in "dcba"] == [{"d": 4}, {"c": 3}, {"b": 2}, {"a": 1}]
    assert spool.detail("missing") is None
    spool.close()
    assert not list(tmp_path.glob(".logscan-spool-*"))  # the temporary file is gone
