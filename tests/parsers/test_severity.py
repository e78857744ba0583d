"""CMTrace's text-based severity rule, shared by the formats without a level field."""

from __future__ import annotations

import pytest

from logscan.model import Level
from logscan.parsers._severity import infer_level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Failed to import client certificate store (0x80092024)", Level.ERROR),
        ("an ERROR occurred", Level.ERROR),
        ("MigDoMigration Failed= 0x4", Level.ERROR),
        ("failover to the secondary site", Level.INFO),
        ("FailOver done, then the retry failed", Level.ERROR),
        ("Warning: duplicate manifest", Level.WARNING),
        ("WARN low disk", Level.WARNING),
        ("error and warning together", Level.ERROR),
        ("Successfully completed the action", Level.INFO),
        ("", Level.INFO),
    ],
)
def test_infer_level(text: str, level: Level) -> None:
    assert infer_level(text) is level
