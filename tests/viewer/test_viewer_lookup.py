"""Error-code lookup on a record: codes in the message, in every spelling, and USMT fields."""

from __future__ import annotations

from pathlib import Path

from viewer_support import built, ccm

from logscan.codes import CodeKind
from logscan.viewer.lookup import codes_in


def test_codes_in_ccm_and_usmt_records(tmp_path: Path) -> None:
    ccm_log = tmp_path / "smsts.log"
    ccm_log.write_text(
        ccm("Failed to import client certificate store (0x80092024)", type_=3)
        + ccm("Process completed with exit code 2148081700", type_=3)
        + ccm("Nothing to see here")
    )
    index = built(ccm_log)
    first = codes_in(index.record(0))
    assert [(n.hex, n.readings[0].name) for n in first] == [
        ("0x80092024", "CRYPT_E_NOT_CHAR_STRING")
    ]
    message = index.record(0).message
    start, end = first[0].span or (0, 0)
    assert message[start:end] == "0x80092024"
    assert "CRYPT_E_NOT_CHAR_STRING" in first[0].summary()
    assert [n.code for n in codes_in(index.record(1))] == [0x80092024]
    assert codes_in(index.record(2)) == []

    usmt = tmp_path / "scanstate.log"
    usmt.write_text(
        "2011-03-15 14:02:11, Error  [0x080000] Failed to open store[gle=0x00000005]\r\n"
        "2011-03-15 14:02:12, Info   [0x000000] ScanState return code: 27\r\n"
    )
    uindex = built(usmt)
    gle = codes_in(uindex.record(0))
    assert [(n.code, n.kind, n.span) for n in gle] == [(5, CodeKind.LAST_ERROR, None)]
    assert gle[0].readings[0].name == "ERROR_ACCESS_DENIED"
    returned = codes_in(uindex.record(1))
    assert any(n.code == 27 and n.readings[0].kind is CodeKind.USMT_RETURN for n in returned)
