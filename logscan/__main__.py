"""Entry point for ``python -m logscan``."""

from __future__ import annotations

from logscan.cli.main import main

if __name__ == "__main__":
    main()
