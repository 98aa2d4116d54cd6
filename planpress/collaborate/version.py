"""Which version of the plan an output shows: the plan's own label, and the git commit it came from.

Every target prints this stamp (the site in its footer, the documents on their cover), so a
reader can tell two printouts apart. It works outside a git checkout too (a plan copied to a
laptop, a zip from the council's file share): then there is no commit, and the date is that
of the newest file in content/.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class VersionStamp:
    label: str
    """The plan's version label from content/plan.yaml, such as "Version 2.0 (resubmission)"; "" if none."""
    commit: str | None
    """The short git commit the content was built from; None outside a git checkout."""
    date: dt.date | None
    """The commit's date, or outside git the date of the newest file in content/."""
    dirty: bool
    """True when content/ or templates/ have changes that are not committed."""
    tag: str | None = None
    """The git tag of the commit, when the build is of a tagged version (such as v2.0)."""

    @property
    def short(self) -> str:
        """For a running header: "Version 2.0 (resubmission), v2.0", "..., 1a2b3c4 + changes"."""
        ref = self.tag or self.commit or "not in git"
        return f"{self.label}, {ref}" + (" + changes" if self.dirty else "") if self.label else ref

    def __str__(self) -> str:
        """Version 2.0 (resubmission), commit 1a2b3c4 of 23 November 2026 (with uncommitted changes)."""
        parts = [self.label] if self.label else []
        when = f"{self.date.day} {self.date:%B %Y}" if self.date else ""
        if self.commit:
            tagged = f"tag {self.tag}, " if self.tag else ""
            parts.append(f"{tagged}commit {self.commit}" + (f" of {when}" if when else ""))
        elif when:
            parts.append(f"content of {when}, not from a git checkout")
        text = ", ".join(parts) or "unversioned"
        return text + (" (with uncommitted changes)" if self.dirty else "")


def version_stamp(root: Path, label: str | None = None) -> VersionStamp:
    """The stamp for the plan in `root`; `label` overrides the version read from content/plan.yaml."""
    root = Path(root)
    label = _plan_label(root) if label is None else label
    commit = _git(root, "log", "-1", "--format=%h %cs")
    if commit:
        short, day = commit.split()
        changes = _git(root, "status", "--porcelain", "--", "content", "templates")
        tag = _git(root, "describe", "--tags", "--exact-match", "HEAD") or None
        return VersionStamp(label, short, dt.date.fromisoformat(day), bool(changes), tag)
    return VersionStamp(label, None, _newest_content_date(root), False)


def _plan_label(root: Path) -> str:
    # Read only the one field: the stamp must not depend on the whole plan loading cleanly.
    try:
        data = yaml.safe_load((root / "content" / "plan.yaml").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError, yaml.YAMLError):  # ValueError: not UTF-8
        return ""
    value = data.get("version") if isinstance(data, dict) else None
    return str(value)[:200] if isinstance(value, (str, int, float)) else ""  # never a whole group (or an alias bomb)


def _git(root: Path, *args: str) -> str | None:
    """Git's answer, stripped, or None when git is missing, fails, or root is not in a checkout."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip()


def _newest_content_date(root: Path) -> dt.date | None:
    times = [p.stat().st_mtime for p in (root / "content").rglob("*") if p.is_file()]
    return dt.date.fromtimestamp(max(times)) if times else None
