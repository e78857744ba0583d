"""Making a plan in one call: read the store, ask the machine, find and verify the tool.

What the CLI and the TUI both do before showing a plan. ``prepare_live`` reads the store
and the machine state through their seams, finds CCMCertFix.exe (unless the native
fallback was chosen) and verifies it against the client's service pack, which comes
from the diagnosis or, failing that, from the client's registry key.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from logscan.facts.live import LiveHost, LiveRegistryView
from logscan.facts.merge import merge_facts
from logscan.facts.registry import read_registry_view
from logscan.repair.clock import Clock
from logscan.repair.host import RepairHost
from logscan.repair.locate import locate_ccmcertfix
from logscan.repair.plan import DEFAULT_TIMEOUT_S, RepairMode, RepairPlan, build_plan
from logscan.repair.stores import ExportStore, RepairStore
from logscan.repair.verify_pe import verify_ccmcertfix


def client_release_of(host: LiveHost) -> str | None:
    """The ConfigMgr client release from the client's registry key (both views)."""
    found = read_registry_view(LiveRegistryView(host))
    return merge_facts(found.facts, found.warnings).client_release


def prepare_live(
    *,
    store: RepairStore,
    host: RepairHost,
    clock: Clock,
    backup_root: Path,
    facts_host: LiveHost | None = None,
    env: Mapping[str, str] | None = None,
    verdict: object = None,
    client_release: str | None = None,
    tool: str | None = None,
    accept_sha256: str | None = None,
    native: bool = False,
    audit_path: Path | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> RepairPlan:
    """The plan for repairing this machine's store (``InputError`` if it cannot be read)."""
    before = store.read()
    state = host.state()
    located = binary = None
    if not native:
        located = locate_ccmcertfix(tool, facts_host, env or {})
        if located.found is not None:
            if client_release is None and facts_host is not None:
                client_release = client_release_of(facts_host)
            binary = verify_ccmcertfix(
                located.found, client_release=client_release, accept_sha256=accept_sha256
            )
    return build_plan(
        store=store,
        before=before,
        mode=RepairMode.NATIVE if native else RepairMode.CCMCERTFIX,
        clock=clock,
        verdict=verdict,
        host_state=state,
        located=located,
        binary=binary,
        backup_root=backup_root,
        audit_path=audit_path,
        timeout_s=timeout_s,
    )


def prepare_offline(
    *,
    store: ExportStore,
    clock: Clock,
    verdict: object = None,
    audit_path: Path | None = None,
) -> RepairPlan:
    """The plan for a corrected copy of an exported store."""
    return build_plan(
        store=store,
        before=store.read(),
        mode=RepairMode.OFFLINE_COPY,
        clock=clock,
        verdict=verdict,
        audit_path=audit_path,
    )
