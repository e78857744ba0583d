"""Rotation families and oldest-first ordering."""

from __future__ import annotations

import io
import random

from logscan.inputs.rotation import (
    GENERATION_LIVE,
    GENERATION_OLD,
    family_of,
    order_sources,
    split_rotation,
)
from logscan.inputs.source import LogSource
from logscan.model import LogKind


def source(display: str, root: str = "in") -> LogSource:
    family, generation = family_of(display)
    return LogSource(
        display=display,
        root=root,
        kind=LogKind.SMSTS,
        size=0,
        family=family,
        generation=generation,
        opener=lambda: io.BytesIO(b""),
    )


def test_split_rotation() -> None:
    live = split_rotation("SMSTS.LOG")
    assert live is not None
    assert (live.base, live.stamp, live.rotated) == ("smsts", None, False)
    dated = split_rotation("smsts-20100101-101010.log")
    assert dated is not None
    assert (dated.base, dated.stamp, dated.rotated) == ("smsts", "20100101-101010", False)
    old = split_rotation("ccmexec.lo_")
    assert old is not None
    assert (old.base, old.rotated) == ("ccmexec", True)
    assert split_rotation("smsts.txt") is None
    # A hyphenated name that is not a stamp stays part of the base.
    odd = split_rotation("my-log-1.log")
    assert odd is not None
    assert odd.base == "my-log-1"


def test_family_groups_generations_of_one_folder() -> None:
    names = ["smsts.log", "smsts.lo_", "SMSTS-20100101-101010.log", "smsts-20091231-235959.log"]
    families = {family_of(f"CCM/Logs/{n}")[0] for n in names}
    assert families == {"ccm/logs/smsts"}
    assert family_of("CCM/Logs/SMSTSLog/smsts.log")[0] == "ccm/logs/smstslog/smsts"
    assert family_of("ccmexec.log")[0] == "ccmexec"


def test_family_inside_zip_bundles() -> None:
    assert family_of("b.zip!smsts.lo_")[0] == "b.zip!smsts"
    assert family_of("HOST1/b.zip!smsts.log")[0] == "host1/b.zip!smsts"
    assert family_of("b.zip!Logs/smsts.log")[0] == "b.zip!logs/smsts"
    assert family_of("b.zip!inner.zip!smsts.log")[0] == "b.zip!inner.zip!smsts"
    assert family_of("b.zip!smsts.log")[0] != family_of("c.zip!smsts.log")[0]


def test_generation_order() -> None:
    order = [
        "smsts.lo_",
        "smsts-20091231-235959.log",
        "smsts-20100101-101010.lo_",
        "smsts-20100101-101010.log",
        "smsts-20100102-000000.log",
        "smsts.log",
    ]
    generations = [family_of(n)[1] for n in order]
    assert generations == sorted(generations)
    assert len(set(generations)) == len(generations)
    assert generations[0] == GENERATION_OLD
    assert generations[-1] == GENERATION_LIVE


def test_order_sources_oldest_first_per_family() -> None:
    wanted = [
        "A/smsts.lo_",
        "A/smsts-20100101-101010.log",
        "A/smsts.log",
        "A/ccmexec.lo_",
        "A/ccmexec.log",
        "B/smsts.lo_",
        "B/smsts.log",
    ]
    shuffled = wanted[:]
    random.Random(7).shuffle(shuffled)
    result = [s.display for s in order_sources(source(d) for d in shuffled)]
    # Each family is oldest first, and families are contiguous.
    for family in ("a/smsts", "a/ccmexec", "b/smsts"):
        members = [d for d in result if family_of(d)[0] == family]
        assert members == [d for d in wanted if family_of(d)[0] == family]
        first = result.index(members[0])
        assert result[first : first + len(members)] == members
    assert sorted(result) == sorted(wanted)


def test_family_order_follows_first_appearance() -> None:
    result = order_sources([source("x.log"), source("a.log"), source("x.lo_")])
    assert [s.display for s in result] == ["x.lo_", "x.log", "a.log"]


def test_sources_under_different_inputs_never_share_a_family() -> None:
    one, two = source("smsts.log", root="host1"), source("smsts.lo_", root="host2")
    result = order_sources([one, two])
    assert result == [one, two]  # host2's .lo_ is not read before host1's .log
