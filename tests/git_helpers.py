"""A temporary git repository made from a copy of the example plan, for tests of versions and history."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(project: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(project), *args], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def make_repo(project: Path, tag: str | None = "v1.0", message: str = "Plan agreed by the board") -> Path:
    """Put the project under git with one commit (and an annotated tag); the user is set locally."""
    git(project, "init", "--quiet", "--initial-branch=main")
    git(project, "config", "user.name", "Priya Natarajan")
    git(project, "config", "user.email", "priya@example.org")
    git(project, "config", "commit.gpgsign", "false")
    commit(project, "First version")
    if tag:
        git(project, "tag", "-a", tag, "-m", message)
    return project


def commit(project: Path, message: str) -> str:
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", message)
    return git(project, "rev-parse", "--short", "HEAD")


def replace(project: Path, file: str, old: str, new: str) -> None:
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {file} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")
