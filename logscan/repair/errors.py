"""The repair layer's exception: a step that cannot be carried out safely.

Raised inside the flow (backup that does not read back, a tool that changed since it was
verified) and turned into a ``failed`` outcome there, with nothing further changed.
"""

from __future__ import annotations

from logscan.errors import LogscanError


class RepairError(LogscanError):
    """A repair step refused or failed; the message says what to do next."""
