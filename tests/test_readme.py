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


def test_the_limits_the_readme_gives_are_the_ones_the_code_applies() -> None:
    from planpress.checks import author_markup
    from planpress.load import limits
    from planpress.render import prose

    rows = dict(re.findall(r"^\| (.+?) \| (.+?) \|$", readme(), re.MULTILINE))
    assert rows["A Markdown or YAML file"] == f"{limits.MAX_TEXT_BYTES // 1_000_000} MB"
    assert rows["A picture"] == f"{limits.MAX_IMAGE_BYTES // 1_000_000} MB"
    assert rows["Files in one folder of `content/`"] == str(limits.MAX_FILES_PER_FOLDER)
    assert rows["Items in one list of a YAML file"] == f"{limits.MAX_ITEMS_PER_LIST:,}"
    assert rows["Values in one YAML file (each use of an alias counted in full)"] == f"{limits.MAX_YAML_VALUES:,}"
    assert rows["YAML nested inside itself"] == f"{limits.MAX_YAML_DEPTH} levels"
    assert rows["Lists and quotes inside each other in Markdown"] == (
        f"{limits.MAX_MARKDOWN_NESTING} levels ({author_markup.MAX_READ_NESTING} as the documents read them)")
    assert rows["A word with no space in it"] == f"{limits.MAX_WORD:,} characters"
    assert rows["A paragraph of Markdown, or one YAML value"] == f"{limits.MAX_PARAGRAPH:,} characters"
    assert rows["A formula (`$...$`)"].startswith(f"{author_markup.MAX_FORMULA} ")
    assert rows["A `{{ ... }}` expression"] == (
        f"{prose.MAX_SECONDS:g} seconds ({prose.MAX_SECONDS_IN_ALL:g} for the whole plan), "
        f"{prose.MAX_TEXT // 1_000_000} million characters written, `range` up to {prose.MAX_RANGE:,}")
    assert rows["Reading one piece of text as the documents do"] == f"{author_markup.READ_SECONDS:g} seconds"
