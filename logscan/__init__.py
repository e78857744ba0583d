"""logscan: log forensics, diagnosis and guided repair for ConfigMgr (SCCM) clients.

The public API is kept tiny and imports nothing heavy (no textual, pandas, ctypes,
cryptography): ``logscan --help`` and a plain scan must start fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
