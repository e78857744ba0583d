"""The TUI's screens, one per module, with their ``.tcss`` beside them.

The log viewer: ``viewer.ViewerScreen`` (``logscan.viewer``), opened directly by
``logscan tui`` on plain logs, or from a diagnosis at an evidence line (``goto``);
``help.HelpScreen`` lists every key; ``search_prompt``, ``filter_dialog`` and
``code_lookup`` are its dialogs (``prompts.tcss``).

The triage (``triage.tcss``), opened by ``logscan tui`` on folders or zips of hosts and
by ``--live``; each screen gets the app's ``TriageSession`` and runs its engine calls in
``tui.triage_jobs`` workers:

- ``sources.SourcesScreen``: what is loaded, coverage per host, rules loaded/failed, the
  scan's progress with cancel; ``add_path.AddPathPrompt`` adds a path without restarting;
- ``hosts.HostsScreen``: one row per host (verdict, confidence, first/last failure),
  sortable and filterable;
- ``diagnosis.DiagnosisScreen``: verdict, evidence (Enter opens the viewer at the line),
  reasoning, certificates, facts, timeline, remediation plan;
- ``certificates.CertificatesScreen``: the SMS store with NULs shown ␀ and highlighted,
  the checks' results, refresh;
- ``repair.RepairScreen``: plan, CCMCertFix verification, dry run, the
  ``confirm_repair.ConfirmRepair`` modal, progress, verified result and audit entry
  (``triage_dialogs.tcss`` styles the two dialogs).
"""
