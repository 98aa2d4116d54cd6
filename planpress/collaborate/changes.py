"""`python build.py changes FROM [TO]`: what changed in the plan between two versions, for approvers.

Writes output/changes/FROM-to-TO.html and .docx (TO is "working-tree" by default) and prints
the summary. Earlier reports in output/changes/ are kept, so one folder can hold the report
for every round of approval.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from pathlib import Path

from planpress.collaborate.changes_docx import write_docx
from planpress.collaborate.changes_html import render_page
from planpress.collaborate.compare import PlanChanges
from planpress.errors import PlanError
from planpress.collaborate.history import commit_date, compare_versions
from planpress.write import staged_output

FOLDER = "changes"
USAGE = "python build.py changes FROM [TO], such as `changes v1.0` (to the working tree) or `changes v1.0 v2.0`"


def run(root: Path, args: argparse.Namespace) -> int:
    words = list(args.arguments)
    if not 1 <= len(words) <= 2:
        print(f"Error: changes takes one or two versions (git tags, branches or commits): {USAGE}", file=sys.stderr)
        return 1
    before, after = words[0], (words[1] if len(words) == 2 else None)
    started = time.perf_counter()
    changes = compare_versions(root, before, after)
    written = write_report(root, changes, before, after)
    elapsed = time.perf_counter() - started
    print(changes.summary())
    for note in changes.notes:
        print(f"Note: {note}")
    for name in written:
        print(f"Wrote output/{name}")
    print(f"Compared {changes.before} with {changes.after} in {elapsed:.1f} s.")
    return 0


def report_name(before: str, after: str | None) -> str:
    """The report's file name without extension: "v1.0-to-working-tree"."""
    return f"{_safe(before)}-to-{_safe(after) if after else 'working-tree'}"


def write_report(root: Path, changes: PlanChanges, before: str, after: str | None) -> list[str]:
    """Write the HTML page and the Word document into output/changes/, staged like every build."""
    name = report_name(before, after)
    title = f"Changes to the plan: {before} to {after or 'the working tree'}"
    when = _revision_time(root, after)
    # Replacing nothing: the stage starts from a copy of output/, so earlier reports stay and
    # this report's two files overwrite any older copy of themselves.
    with staged_output(root, []) as stage:
        html = f"{FOLDER}/{name}.html"
        stage.path(html).write_text(render_page(changes, title), encoding="utf-8")
        docx = f"{FOLDER}/{name}.docx"
        write_docx(changes, title, stage.path(docx), when)
    return [html, docx]


def _revision_time(root: Path, after: str | None) -> dt.datetime:
    """When the tracked changes were made: the TO commit's date, or now for the working tree."""
    if after is None:
        return dt.datetime.now(dt.timezone.utc)
    day = commit_date(root, after)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _safe(ref: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ref).strip("-.")
    if not cleaned:
        raise PlanError(f"'{ref}' cannot name a report file")
    return cleaned
