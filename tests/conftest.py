"""Shared fixtures: a private copy of the example plan for each test, and the CLI run for real."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("content", "templates", "mkdocs.yml")


@dataclass
class Run:
    code: int
    out: str
    err: str


def copy_project(destination: Path) -> Path:
    """Copy the example plan (content, templates, site settings) into `destination`."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_PARTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        elif source.is_file():
            shutil.copy2(source, destination / name)
    return destination


def run_cli(project: Path, *args: str) -> Run:
    """Run `python build.py ARGS --project PROJECT` as an author would, and capture what it says."""
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args, "--project", str(project)],
        capture_output=True, text=True, timeout=600,
    )
    return Run(result.returncode, result.stdout, result.stderr)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the example plan."""
    return copy_project(tmp_path / "plan")


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plan built once with every target, for tests that only read the output."""
    project = copy_project(tmp_path_factory.mktemp("built") / "plan")
    result = run_cli(project)
    assert result.code == 0, result.out + result.err
    return project


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, once per test module."""
    from site_helpers import chromium_browser

    with chromium_browser() as chromium:
        yield chromium
