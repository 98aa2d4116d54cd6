"""The README is what CI proves: its two commands exist, and every command of build.py is documented."""

from __future__ import annotations

import re

from conftest import REPO
from planpress.cli import _parser


def readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one() -> None:
    text = readme()
    assert "make build" in text and "make test" in text
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^build:", makefile, re.MULTILINE) and re.search(r"^test:", makefile, re.MULTILINE)
    assert "make test" in (REPO / ".ci/run").read_text(encoding="utf-8")


def test_every_command_is_documented() -> None:
    text = readme()
    commands = next(a for a in _parser()._actions if a.dest == "command").choices
    for command in commands:
        if command == "build":
            assert "python build.py\n" in text or "python build.py  " in text
        else:
            assert f"python build.py {command}" in text, f"README does not show `python build.py {command}`"
