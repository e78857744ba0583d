"""Merging: precedence, conflicts, unknown with reasons, derived release and KB facts."""

from __future__ import annotations

from datetime import datetime

from logscan.facts.merge import merge_facts
from logscan.facts.model import Fact, FactName, FactValue, MachineFacts, Origin
from logscan.facts.release import ClientRelease


def _f(
    name: FactName,
    value: FactValue,
    source: str,
    origin: Origin = Origin.TOOL_OUTPUT,
    observed: datetime | None = None,
) -> Fact:
    return Fact(name, value, source, "", origin, observed)


def test_nothing_known_says_why() -> None:
    facts = merge_facts([])
    for state in facts:
        assert state.value is None
        assert state.reason
    assert facts.client_version is None
    assert facts.is_windows7_sp1 is None
    assert facts.has_kb977203_fix is None


def test_registry_beats_log_and_the_log_is_listed_as_conflict() -> None:
    reg = _f(FactName.CLIENT_VERSION, "4.00.6487.2111", "mobile_client.reg:5", Origin.REGISTRY)
    log = _f(FactName.CLIENT_VERSION, "4.00.6487.2000", "ccmexec.log:3", Origin.LOG)
    merged = merge_facts([log, reg])
    state = merged[FactName.CLIENT_VERSION]
    assert (state.value, state.source) == ("4.00.6487.2111", "mobile_client.reg:5")
    assert state.conflicts == (log,)
    assert merged.conflicts() == (state,)


def test_equal_sources_that_disagree_leave_the_fact_unknown() -> None:
    a = _f(FactName.CLIENT_VERSION, "4.00.6487.2000", "a.reg:5", Origin.REGISTRY)
    b = _f(FactName.CLIENT_VERSION, "5.00.8458.1007", "b.reg:5", Origin.REGISTRY)
    merged = merge_facts([a, b])
    state = merged[FactName.CLIENT_VERSION]
    assert state.value is None
    assert "a.reg:5" in state.reason and "b.reg:5" in state.reason
    assert set(state.conflicts) == {a, b}
    # Release follows: unknown, saying why.
    assert merged[FactName.CLIENT_RELEASE].value is None
    assert "disagree" in merged[FactName.CLIENT_RELEASE].reason


def test_same_value_spelled_differently_agrees() -> None:
    merged = merge_facts(
        [
            _f(FactName.CLIENT_VERSION, "4.0.6487.2000", "x.reg:3", Origin.REGISTRY),
            _f(FactName.CLIENT_VERSION, "4.00.6487.2000", "y.reg:9", Origin.REGISTRY),
            _f(FactName.OS_NAME, "Microsoft Windows 7 Enterprise ", "systeminfo.txt:3"),
            _f(FactName.OS_NAME, "Windows 7 Enterprise", "winver.reg:4", Origin.REGISTRY),
        ]
    )
    assert merged.conflicts() == ()
    assert "2 observations agree" in merged[FactName.CLIENT_VERSION].reason


def test_release_and_hotfix_level_cite_the_version_source() -> None:
    merged = merge_facts(
        [_f(FactName.CLIENT_VERSION, "4.00.6487.2111", "m.reg:4", Origin.REGISTRY)]
    )
    assert merged.client_release == ClientRelease.CM2007_SP2.value
    assert merged[FactName.CLIENT_RELEASE].source == "m.reg:4"
    assert merged[FactName.CLIENT_HOTFIX_LEVEL].value == "SP2 + KB977203"
    kb = merged[FactName.KB977203]
    assert kb.value is True and kb.source == "m.reg:4"
    assert "implied by version table" in kb.reason
    assert merged.has_kb977203_fix is True


def test_patch_list_outranks_the_version_table() -> None:
    merged = merge_facts(
        [
            _f(FactName.CLIENT_VERSION, "4.00.6487.2111", "m.reg:4", Origin.REGISTRY),
            _f(FactName.KB977203, False, "client_msi.reg:9", Origin.REGISTRY),
        ]
    )
    kb = merged[FactName.KB977203]
    assert kb.value is False and kb.source == "client_msi.reg:9"
    assert [c.origin for c in kb.conflicts] == [Origin.DERIVED]


def test_r3_contains_the_kb977203_fix() -> None:
    merged = merge_facts(
        [
            _f(FactName.CLIENT_VERSION, "4.00.6487.2157", "m.reg:4", Origin.REGISTRY),
            _f(FactName.KB977203, False, "client_msi.reg:9", Origin.REGISTRY),
        ]
    )
    assert merged.flag(FactName.KB977384) is True
    assert merged.flag(FactName.KB977203) is False
    assert merged.has_kb977203_fix is True


def test_kb977203_does_not_apply_to_a_current_branch_client() -> None:
    merged = merge_facts(
        [
            _f(FactName.CLIENT_VERSION, "5.00.8458.1007", "m.reg:4", Origin.REGISTRY),
            _f(FactName.KB977203, True, "ccmsetup.log:9", Origin.LOG),
        ]
    )
    assert merged.client_release == ClientRelease.NOT_2007.value
    kb = merged[FactName.KB977203]
    assert kb.value is None
    assert kb.reason.startswith("not applicable")
    assert kb.evidence  # the observation is kept, not lost


def test_kb974571_from_windows7_sp1_build() -> None:
    merged = merge_facts(
        [
            _f(FactName.OS_VERSION, "6.1", "systeminfo.txt:4"),
            _f(FactName.OS_BUILD, 7601, "systeminfo.txt:4"),
            _f(FactName.HOTFIXES, frozenset({"KB976902"}), "systeminfo.txt:33"),
        ]
    )
    kb = merged[FactName.KB974571]
    assert kb.value is True and kb.source == "systeminfo.txt:4"
    assert "Windows 7 SP1" in kb.reason
    assert merged.is_windows7_sp1 is True


def test_kb974571_listed_directly() -> None:
    merged = merge_facts(
        [
            _f(FactName.OS_BUILD, 2600, "s.txt:4"),
            _f(FactName.KB974571, True, "hotfixes.txt:20"),
            _f(FactName.HOTFIXES, frozenset({"KB974571"}), "hotfixes.txt:3"),
        ]
    )
    assert merged[FactName.KB974571].source == "hotfixes.txt:20"
    assert merged.is_windows7_sp1 is None  # the OS version itself is unknown


def test_kb974571_absent_needs_a_complete_list_and_an_older_build() -> None:
    listed = _f(FactName.HOTFIXES, frozenset({"KB958644"}), "hotfixes.txt:3")
    absent = merge_facts([listed, _f(FactName.OS_BUILD, 2600, "s.txt:4")])[FactName.KB974571]
    assert absent.value is False and absent.source == "hotfixes.txt:3"
    unknown = merge_facts([listed])[FactName.KB974571]
    assert unknown.value is None and "build is unknown" in unknown.reason
    nothing = merge_facts([_f(FactName.OS_BUILD, 2600, "s.txt:4")])[FactName.KB974571]
    assert nothing.value is None


def test_newer_windows_includes_the_fix() -> None:
    merged = merge_facts(
        [_f(FactName.OS_VERSION, "6.2", "c.log:9", Origin.LOG), _f(FactName.OS_BUILD, 9200, "s:1")]
    )
    assert merged.flag(FactName.KB974571) is True
    assert merged.is_windows7_sp1 is False


def test_hotfix_lists_are_united() -> None:
    merged = merge_facts(
        [
            _f(FactName.HOTFIXES, frozenset({"KB1", "KB2"}), "systeminfo.txt:30"),
            _f(FactName.HOTFIXES, frozenset({"KB2", "KB3"}), "hotfixes.txt:1"),
        ]
    )
    state = merged[FactName.HOTFIXES]
    assert state.value == frozenset({"KB1", "KB2", "KB3"})
    assert state.source == "systeminfo.txt:30, hotfixes.txt:1"
    assert state.conflicts == ()


def test_timestamps_of_both_kinds_compare() -> None:
    from datetime import UTC

    naive = _f(FactName.OS_VERSION, "6.1", "a.log:1", Origin.LOG, datetime(2011, 1, 1))
    aware = _f(FactName.OS_VERSION, "6.2", "b.log:1", Origin.LOG, datetime(2012, 1, 1, tzinfo=UTC))
    assert merge_facts([naive, aware])[FactName.OS_VERSION].value == "6.2"


def test_machine_facts_is_immutable_and_complete() -> None:
    merged = merge_facts([])
    assert isinstance(merged, MachineFacts)
    assert [s.name for s in merged] == list(FactName)
