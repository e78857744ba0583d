"""The TUI's screens, one per module, each with its ``.tcss`` beside it.

Built now:

- ``viewer.ViewerScreen``: the log viewer (``logscan.viewer``), the first screen of
  ``logscan tui PATH...`` until the triage screens exist;
- ``help.HelpScreen``: every key binding; ``search_prompt``, ``filter_dialog`` and
  ``code_lookup``: the viewer's dialogs.

Planned, to be built on the diagnosis and repair engines (``logscan.diagnose``,
``logscan.repair``, ``logscan.certs``) once they land; each gets its own module here and
an entry in ``LogscanApp.MODES`` (``app.py``), and opens the viewer at an evidence line
with ``ViewerScreen`` plus a jump to (log, record):

- ``sources.SourcesScreen``: what is loaded (live machine, folders, zips, hosts),
  coverage (logs present/missing/unreadable), rules loaded/failed, add a path, scan
  progress with cancel;
- ``hosts.HostsScreen``: one row per host with verdict, confidence, first/last failure,
  sortable and filterable (batch triage);
- ``diagnosis.DiagnosisScreen``: verdict and reasoning, evidence list (each line jumps to
  the viewer), certificate panel, machine facts, timeline, remediation plan;
- ``certificates.CertificatesScreen``: the SMS store with NUL-bearing friendly names
  made visible, check results, refresh from the live store;
- ``repair.RepairScreen``: plan, CCMCertFix verification, a confirmation modal stating
  exactly what will change, progress, before/after verification and the audit entry.

None of these is stubbed: a screen appears when its engine can feed it real results.
"""
