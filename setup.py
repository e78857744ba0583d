"""Build hook: ship the top-level rules/ folder inside the wheel as logscan/_rules.

The rule data stays at the top of the repository, where admins read and edit it; the
loader finds it there in a source checkout and in logscan/_rules once installed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithRules(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "logscan" / "_rules"
        shutil.copytree("rules", target, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithRules})
