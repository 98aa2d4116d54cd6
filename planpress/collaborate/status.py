"""`python build.py status [--owner NAME]`: who owns each part of the plan, where it stands, what is left.

For each section, scheme and file of figures: its owner, its status (draft, review, agreed),
its last change from git (date and author, or "not committed") and the open problems `check`
finds in it. `status_rows()` gives the same rows to the website's draft status page.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from planpress.build import CheckedPlan, check_plan
from planpress.errors import Finding
from planpress.collaborate.history import LastChange, last_changes, uncommitted
from planpress.load.content import PLAN_FILE, PlanContent
from planpress.build import item_owner

KINDS = {"section": "Sections", "scheme": "Schemes", "figures": "Figures and plan details", "other": "Other files"}


@dataclass(frozen=True)
class StatusRow:
    """One piece of the plan and where it stands."""

    kind: str
    """section, scheme, figures (a data file or plan.yaml) or other (a file that did not load)."""
    title: str
    """As the reader knows it, such as "Section 2: Vision for health and care services" or "PE2 Falls prevention"."""
    file: str
    """The file, relative to the project, such as content/sections/02-vision.md."""
    owner: str
    """Who answers for it ("" when nobody is named)."""
    status: str
    """draft, review or agreed; "" for files of figures, which have no status of their own."""
    last_change: LastChange | None
    """The last commit that touched the file; None outside git or when never committed."""
    uncommitted: bool
    """True when the file has changes not yet committed."""
    problems: tuple[Finding, ...]
    """The open problems check finds in the file, errors first."""

    def last_change_text(self) -> str:
        if self.uncommitted:
            return "uncommitted changes"
        if self.last_change is None:
            return "no commit"
        return f"{self.last_change.date.isoformat()} by {self.last_change.author}"


def status_rows(root: Path, checked: CheckedPlan | None = None) -> list[StatusRow]:
    """Every section, scheme and file of figures with its owner, status, last change and problems."""
    checked = checked or check_plan(root)
    content = checked.content
    changes, dirty = last_changes(root), uncommitted(root)
    by_file: dict[str, list[Finding]] = {}
    for finding in sorted(checked.findings, key=lambda f: f.severity != "error"):
        by_file.setdefault(finding.location.file, []).append(finding)
    rows = []
    for kind, title, file, owner, status in _pieces(content):
        rows.append(StatusRow(kind, title, file, owner, status, changes.get(file), file in dirty,
                              tuple(by_file.pop(file, []))))
    for file, problems in sorted(by_file.items()):  # files that did not load, or folders
        rows.append(StatusRow("other", file, file, problems[0].owner, "", changes.get(file), file in dirty,
                              tuple(problems)))
    return rows


def _pieces(content: PlanContent):
    for doc in content.sections:
        number = doc.pack_section.number if doc.pack_section else ""
        title = f"Section {number}: {doc.meta.title}" if number else doc.meta.title
        yield "section", title, doc.file, doc.meta.owner, doc.meta.status
    for doc in sorted(content.schemes, key=lambda d: d.file):
        kind = content.pack.data.schemes.kind
        yield kind, f"{doc.meta.reference} {doc.meta.name}", doc.file, item_owner(doc), doc.meta.status
    owners = content.plan.data_owners if content.plan else {}
    if content.plan:
        yield "figures", "Plan details (plan.yaml)", PLAN_FILE, owners.get("plan", ""), ""
    for name, file in content.data_files().items():
        if (content.root / file).is_file():
            yield "figures", f"{name.replace('_', ' ').capitalize()} ({Path(file).name})", file, owners.get(name, ""), ""


def matches_owner(row: StatusRow, name: str) -> bool:
    """Any part of the owner's name, in any case: "priya", "Natarajan"."""
    return name.strip().lower() in row.owner.lower()


def run(root: Path, args: argparse.Namespace) -> int:
    if args.arguments:
        print(f"Error: status takes no further words: {' '.join(args.arguments)}. "
              "Use --owner NAME to see one person's work", file=sys.stderr)
        return 1
    rows = status_rows(root)
    if args.owner:
        chosen = [r for r in rows if matches_owner(r, args.owner)]
        if not chosen:
            owners = sorted({r.owner.split(",")[0] for r in rows if r.owner})
            print(f"Error: nobody whose name contains '{args.owner}' owns a part of the plan. "
                  f"Owners: {', '.join(owners)}", file=sys.stderr)
            return 1
        rows = chosen
    print_rows(rows, sys.stdout)
    return 0


def print_rows(rows: list[StatusRow], stream) -> None:
    for kind, heading in KINDS.items():
        chosen = [r for r in rows if r.kind == kind]
        if not chosen:
            continue
        print(f"{heading} ({len(chosen)}):", file=stream)
        for row in chosen:
            status = f"{row.status}, " if row.status else ""
            problems = f"{len(row.problems)} open problem{'s' if len(row.problems) != 1 else ''}" \
                if row.problems else "no open problems"
            print(f"  {row.title}  [{row.file}]", file=stream)
            print(f"      {row.owner or 'no owner named'}; {status}last change: {row.last_change_text()}; {problems}",
                  file=stream)
            for finding in row.problems:
                print(f"      - {finding.severity}: {finding}", file=stream)
        print(file=stream)
    statuses = [r.status for r in rows if r.status]
    counts = ", ".join(f"{statuses.count(s)} {s}" for s in ("draft", "review", "agreed") if statuses.count(s))
    problems = sum(len(r.problems) for r in rows)
    print(f"{len(rows)} parts of the plan ({counts or 'no statuses'}); "
          f"{problems} open problem{'s' if problems != 1 else ''}.", file=stream)
