"""Where repair keeps its own files by default: backups and the audit log.

Never next to evidence. On Windows under ``%ProgramData%\\logscan`` (machine-wide, where an
elevated run and the next admin both find them); elsewhere under the XDG state folder.
Only ``state_dir`` looks at the platform.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

AUDIT_NAME = "repair-audit.jsonl"


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    """The folder for logscan's own state on this machine."""
    env = os.environ if env is None else env
    if sys.platform == "win32":
        base = env.get("ProgramData") or env.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(base) / "logscan"
    else:
        xdg = env.get("XDG_STATE_HOME")
        base = Path(xdg) if xdg else Path(env.get("HOME") or "~").expanduser() / ".local" / "state"
        return base / "logscan"


def default_audit_path(env: Mapping[str, str] | None = None) -> Path:
    return state_dir(env) / AUDIT_NAME


def default_backup_root(env: Mapping[str, str] | None = None) -> Path:
    return state_dir(env) / "backups"
