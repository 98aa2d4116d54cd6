"""The workbook and the JSON data say which commit they were built from, and mark uncommitted changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from openpyxl import load_workbook

from conftest import run_cli
from git_helpers import git, make_repo, replace


def summary(project: Path) -> dict[str, object]:
    book = load_workbook(project / "output/harrowdale-bcf-part2.xlsx")
    sheet = book.worksheets[0]
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}


def stamp(project: Path) -> dict[str, object]:
    return json.loads((project / "output/harrowdale-bcf-plan.json").read_text(encoding="utf-8"))["build"]["version"]


def test_stamp_names_the_commit_and_marks_uncommitted_changes(project: Path) -> None:
    make_repo(project)
    commit, day = git(project, "log", "-1", "--format=%h %cs").split()
    assert run_cli(project, "workbook").code == 0 and run_cli(project, "data").code == 0
    rows = summary(project)
    assert rows["Commit"] == commit and rows["Uncommitted changes"] == "none"
    assert stamp(project) == {"label": "Version 2.0 (resubmission)", "commit": commit, "date": day, "dirty": False,
                              "text": stamp(project)["text"]}
    assert stamp(project)["text"].startswith(f"Version 2.0 (resubmission), tag v1.0, commit {commit} of ")

    replace(project, "content/plan.yaml", 'agreed: "£18,640,000"', 'agreed: "£18,640,001"')
    assert run_cli(project, "workbook").code == 0 and run_cli(project, "data").code == 0
    assert summary(project)["Uncommitted changes"] == "YES: built from changes not yet committed"
    assert stamp(project)["dirty"] is True
    assert stamp(project)["text"].endswith("(with uncommitted changes)")


def test_outside_git_the_outputs_say_so(project: Path) -> None:
    shutil.rmtree(project / ".git", ignore_errors=True)
    assert run_cli(project, "workbook").code == 0 and run_cli(project, "data").code == 0
    assert summary(project)["Built from"] == "content outside a git checkout: no commit"
    assert stamp(project)["commit"] is None
