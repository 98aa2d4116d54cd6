"""The plan's history in git: tagged versions, who last changed a file, and the plan as it was at a ref.

Everything here asks git and nothing else. The project may sit in a sub-folder of a larger
repository (a council's documents repository), so paths are taken relative to the project
folder and translated with git's own prefix. Outside a git checkout the functions that
describe history return nothing; those that need a ref raise `HistoryError`, which the CLI
turns into one line for the author.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planpress.errors import PlanError

if TYPE_CHECKING:
    from planpress.collaborate.compare import PlanChanges

# The folders a plan's text and figures live in; a ref is materialised from these only.
PLAN_FOLDERS = ("content", "templates")
WORKING_TREE = "working tree"


class HistoryError(PlanError):
    """Git cannot answer: not a repository, an unknown ref, git missing."""


@dataclass(frozen=True)
class Version:
    """A tagged version of the plan, such as the one agreed by the board."""

    tag: str
    """The tag's name, such as v2.0 or agreed-2025-03-27."""
    commit: str
    """The short commit the tag points at."""
    date: dt.date
    """The tag's date (an annotated tag's own date, else its commit's)."""
    message: str
    """The tag's message (an annotated tag's), else the commit's subject."""


@dataclass(frozen=True)
class LastChange:
    """The last commit that touched a file."""

    date: dt.date
    author: str
    commit: str


# --- asking git ------------------------------------------------------------------------


def git(root: Path, *args: str, binary: bool = False) -> str | bytes:
    """Run git in `root`; raise HistoryError with git's own words when it fails."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=120)
    except FileNotFoundError:
        raise HistoryError("git is not installed: install it (apt-get install git) to compare versions") from None
    except subprocess.TimeoutExpired:
        raise HistoryError(f"git {' '.join(args)} took more than two minutes") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HistoryError(f"git {' '.join(args)} failed (exit status {result.returncode}): "
                           f"{message[0] if message else 'no message'}")
    return result.stdout if binary else result.stdout.decode("utf-8", "replace").strip()


def is_repository(root: Path) -> bool:
    try:
        return git(root, "rev-parse", "--is-inside-work-tree") == "true"
    except HistoryError:
        return False


def require_repository(root: Path) -> None:
    if not is_repository(root):
        raise HistoryError(f"{root} is not in a git repository, so there are no versions to compare. "
                           "Put the plan under version control (git init, git add, git commit) first")


def prefix(root: Path) -> str:
    """The project folder's path inside its repository, such as "" or "plans/harrowdale/"."""
    return str(git(root, "rev-parse", "--show-prefix"))


def resolve(root: Path, ref: str) -> str:
    """The full commit a ref (tag, branch, commit, HEAD~2) names; HistoryError if none."""
    if ref.startswith("-"):
        raise HistoryError(f"'{ref}' is not a git ref")
    try:
        return str(git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"))
    except HistoryError:
        known = ", ".join(v.tag for v in tagged_versions(root)[-5:]) or "none yet"
        raise HistoryError(f"There is no version '{ref}' in this repository. Use a tag (known tags: {known}), "
                           "a branch or a commit") from None


def describe(root: Path, ref: str) -> str:
    """A ref as a reader knows it: its tag if it has one, else the short commit."""
    commit = resolve(root, ref)
    tags = str(git(root, "tag", "--points-at", commit)).split()
    return tags[0] if tags else commit[:7]


def commit_date(root: Path, ref: str) -> dt.date:
    return dt.date.fromisoformat(str(git(root, "log", "-1", "--format=%cs", resolve(root, ref))))


# --- tagged versions and last changes ---------------------------------------------------


def tagged_versions(root: Path) -> list[Version]:
    """Every tag of the repository as a Version, oldest first; [] outside git or with no tags."""
    if not is_repository(root):
        return []
    fields = "%(refname:short)%00%(objectname:short)%00%(*objectname:short)%00%(creatordate:short)%00%(contents:subject)"
    listing = str(git(root, "for-each-ref", "--sort=creatordate", f"--format={fields}", "refs/tags"))
    versions = []
    for line in listing.splitlines():
        tag, own, peeled, day, subject = line.split("\0")
        commit = peeled or own  # an annotated tag's object is the tag; its commit is the peeled one
        message = subject or str(git(root, "log", "-1", "--format=%s", commit))
        versions.append(Version(tag, commit, dt.date.fromisoformat(day), message))
    return versions


def last_tag(root: Path) -> Version | None:
    """The newest tag reachable from HEAD: the version the current draft starts from."""
    try:
        name = str(git(root, "describe", "--tags", "--abbrev=0", "HEAD"))
    except HistoryError:
        return None
    return next((v for v in tagged_versions(root) if v.tag == name), None)


def last_changes(root: Path) -> dict[str, LastChange]:
    """The last commit to touch each file under content/, by its path relative to the project.

    One pass over the log (newest first): the first time a file appears is its last change.
    """
    if not is_repository(root):
        return {}
    try:
        log = str(git(root, "log", "--format=%x00%cs%x09%an%x09%h", "--name-only", "--", "content"))
    except HistoryError:  # a repository with no commits yet
        return {}
    start = prefix(root)
    changes: dict[str, LastChange] = {}
    for entry in log.split("\0")[1:]:
        header, *files = entry.strip("\n").split("\n")
        day, author, commit = header.split("\t")
        for name in filter(None, files):
            relative = name[len(start):] if name.startswith(start) else name
            changes.setdefault(relative, LastChange(dt.date.fromisoformat(day), author, commit))
    return changes


def uncommitted(root: Path) -> set[str]:
    """Files under content/ with changes not yet committed (new files too), relative to the project."""
    if not is_repository(root):
        return set()
    # Raw output: each line starts with a two-letter code that may begin with a space.
    status = git(root, "status", "--porcelain", "--untracked-files=all", "--", "content", binary=True).decode()
    start = prefix(root)
    files = set()
    for line in status.splitlines():
        name = line[3:].split(" -> ")[-1].strip('"')
        files.add(name[len(start):] if name.startswith(start) else name)
    return files


# --- the plan as it was ----------------------------------------------------------------


@contextmanager
def plan_at(root: Path, ref: str | None) -> Iterator[Path]:
    """A folder holding content/ and templates/ as they were at `ref` (None: the working tree as it is).

    `git archive` writes the committed files only, so nothing of the working tree leaks in;
    the folder is removed afterwards.
    """
    if ref is None:
        yield root
        return
    commit = resolve(root, ref)
    start = prefix(root)
    present = set(str(git(root, "ls-tree", "--name-only", commit, "--", *(start + f for f in PLAN_FOLDERS))).split())
    folders = [f for f in PLAN_FOLDERS if start + f in present]
    if "content" not in folders:
        raise HistoryError(f"Version '{ref}' has no content/ folder: it is older than the plan")
    archive = git(root, "archive", "--format=tar", commit, "--", *(start + f for f in folders), binary=True)
    folder = Path(tempfile.mkdtemp(prefix="planpress-version-"))
    try:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        yield folder / start
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- what changed between versions (the API the website and the changes command share) ---


@dataclass(frozen=True)
class HistoryEntry:
    """A tagged version and what changed in it since the tag before (since nothing, for the first)."""

    version: Version
    previous: Version | None
    changes: "PlanChanges | None"
    """None for the first tagged version: there is nothing to compare it with."""


def compare_versions(root: Path, before: str, after: str | None = None) -> "PlanChanges":
    """What changed in the plan from ref `before` to ref `after` (None: the working tree as it is now)."""
    from planpress.collaborate.compare import compare, version_label
    from planpress.load.content import load_content

    require_repository(root)
    before_label = version_label(describe(root, before), commit_date(root, before))
    after_label = version_label(describe(root, after), commit_date(root, after)) if after else working_tree_label(root)
    with plan_at(root, before) as old_root, plan_at(root, after) as new_root:
        old, old_findings = load_content(old_root)
        new, new_findings = load_content(new_root)
    notes = [_load_note(label, findings) for label, findings in ((before_label, old_findings),
                                                                   (after_label, new_findings))
             if any(f.severity == "error" for f in findings)]
    changes = compare(old, new, before_label, after_label)
    return dataclasses.replace(changes, notes=tuple(notes))


def changes_since(root: Path, ref: str) -> "PlanChanges":
    """What the working tree (the current draft) changes since `ref`, such as the last tag."""
    return compare_versions(root, ref, None)


def history(root: Path) -> list[HistoryEntry]:
    """Every tagged version, oldest first, each with its changes since the tag before."""
    versions = tagged_versions(root)
    entries = []
    for index, version in enumerate(versions):
        previous = versions[index - 1] if index else None
        changes = compare_versions(root, previous.tag, version.tag) if previous else None
        entries.append(HistoryEntry(version, previous, changes))
    return entries


def working_tree_label(root: Path) -> str:
    dirty = bool(uncommitted(root))
    try:
        head = str(git(root, "rev-parse", "--short", "HEAD"))
    except HistoryError:
        return "the working tree"
    return "the working tree (with uncommitted changes)" if dirty else f"the working tree (commit {head})"


def _load_note(label: str, findings) -> str:
    errors = [f for f in findings if f.severity == "error"]
    files = sorted({f.location.file for f in errors})
    return (f"{label} has {len(errors)} error{'s' if len(errors) != 1 else ''} that stop it loading whole "
            f"(in {', '.join(files)}): changes in those files may be missing from this report")
