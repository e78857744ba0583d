"""The Textual TUI: triage, the log viewer and (later) guided repair.

Only renders what ``logscan`` engines return and sends them intents; every parse,
search, filter and merge runs in ``logscan.viewer`` inside Textual thread workers that
post the messages in ``messages``. Imported only by ``logscan tui``: nothing else in
logscan pays for importing Textual.

Layout: ``app.LogscanApp`` (app-wide keys, themes, command palette, ``app.tcss``);
``screens/`` one screen per module with its ``.tcss`` beside it; ``widgets/`` one widget
per module (their styles live in the stylesheet of the screen that uses them).
"""
