"""The Textual TUI: triage of hosts, the log viewer and guided repair.

Only renders what ``logscan`` engines return and sends them intents; every parse,
search, filter and merge runs in ``logscan.viewer``, every scan, store read and repair in
``logscan.diagnose``/``certs``/``repair``, inside Textual thread workers that post the
messages in ``messages`` and ``triage_messages`` (jobs in ``jobs`` and ``triage_jobs``).
``config.TuiConfig`` is what the app is started on, with ``RepairSeams`` for the outside
world (tests inject twins there); ``session.TriageSession`` is what the screens share.
Imported only by ``logscan tui``: nothing else in logscan pays for importing Textual.

Layout: ``app.LogscanApp`` (app-wide keys, themes, command palette, ``app.tcss``);
``screens/`` one screen per module with its ``.tcss`` beside it; ``widgets/`` one widget
per module (their styles live in the stylesheet of the screen that uses them).
"""
