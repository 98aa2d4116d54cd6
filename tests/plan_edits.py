"""Editing a copy of the example plan the way an author would, and asserting what `check` says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planpress import cli


def edit(project: Path, file: str, old: str, new: str, count: int = 1) -> int:
    """Replace `old` by `new` in a content file; return the line where the change starts."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def line_of(project: Path, file: str, needle: str) -> int:
    text = (project / file).read_text(encoding="utf-8")
    assert needle in text, f"{needle!r} not in {file}"
    return text[: text.index(needle)].count("\n") + 1


def reported(run) -> list[str]:
    return [line.strip() for line in (run.out + run.err).splitlines() if re.match(r"\s+content/", line)]


def expect(run, expected: str, code: int = 1) -> None:
    assert run.code == code, run.out + run.err
    assert expected in reported(run), f"expected {expected!r} in:\n" + "\n".join(reported(run))
    assert "Traceback" not in run.out + run.err


def run_here(capsys: pytest.CaptureFixture, project: Path, *args: str) -> tuple[int, str]:
    """`python build.py ARGS --project PROJECT` in this process: its exit status and all it printed."""
    code = cli.main([*args, "--project", str(project)])
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text
    return code, text


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def set_field(data: dict, path: tuple, value: object) -> tuple:
    """Put `value` at `path` in parsed YAML (lists opened at their first item, missing groups made);
    return where it went, as a path with the list indexes."""
    where: tuple = ()
    node = data
    for name in path[:-1]:
        if not isinstance(node.get(name), (dict, list)):
            node[name] = {}
        node = node[name]
        where += (name,)
        if isinstance(node, list):
            if not node:
                node.append({})
            node = node[0]
            where += (0,)
    node[path[-1]] = value
    return where + (path[-1],)
