"""Packages whose names are imported on first use still offer every name they list."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["logscan.diagnose", "logscan.facts"])
def test_every_listed_name_resolves_and_others_do_not(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        assert getattr(module, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = module.nothing_here


def test_one_submodule_does_not_import_the_whole_package() -> None:
    code = (
        "import sys, logscan.diagnose.hosts, logscan.facts.model\n"
        "print(sorted(m for m in sys.modules if m in "
        "{'logscan.diagnose.report', 'logscan.facts.bundle', 'logscan.engine.scan'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
