"""The accessibility statement's claims, worked out from the audit record and never from anything else.

The family `accessibility-audit` reads the audit record (content/data/accessibility-audit.yaml by
default: every test of the website, automated or manual, with its date, method, scope and the
failures it found) and works out what the statement may say (quoted as `audit`):

- "full" (fully compliant) only when a manual audit of the whole site found no failure, no test
  since found one, no known issue is listed and the site has not changed since that audit;
- "none" (not compliant) when the record says an audit found the site not compliant;
- "partial" (partially compliant) otherwise, once any test is recorded;
- "untested" when nothing is recorded: the statement says so plainly.

It also refuses claims in the older fields of website.yaml (compliance, last_checked) that the record
does not support, and reports a test dated after today. The record's shape (dates, criteria written
as 1.4.3) is checked where it is loaded, from the pack's data.yaml.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from planpress.checks.registry import family_figures, rule_family
from planpress.errors import Finding
from planpress.load.content import PlanContent
from planpress.load.models import Record


class AuditParams(Record):
    file: str = "accessibility_audit"
    """The data file holding the audit record."""
    website: str = "website"
    """The data file holding the website's publisher and the older accessibility fields."""


TEXT_SUFFIXES = {".md", ".yaml", ".yml", ".txt", ".csv", ".json", ".svg", ".html", ".css", ".j2"}


def site_sources_hash(root: Path, record_file: str) -> str:
    """A fingerprint of what the website is made from that the plan's authors write: every file in
    content/ (but the audit record itself, which a test writes) and mkdocs.yml. Line endings do not count."""
    record = (root / record_file).resolve() if record_file else None
    files = [p for p in sorted((root / "content").rglob("*")) if p.is_file()]
    if (root / "mkdocs.yml").is_file():
        files.append(root / "mkdocs.yml")
    files = [path for path in files if not any(part.startswith(".") for part in path.relative_to(root).parts)
             and not _is_record(path, record)]
    return _hash_of(root, files)


def _is_record(path: Path, record: Path | None) -> bool:
    # Resolved only when it may be the record (its name, or a link): resolving every file of a long plan is slow.
    return record is not None and (path.name == record.name or path.is_symlink()) and path.resolve() == record


def _hash_of(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        data = path.read_bytes()
        if path.suffix.lower() in TEXT_SUFFIXES:
            data = data.replace(b"\r\n", b"\n")
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(data).digest())
    return "sha256:" + digest.hexdigest()


@dataclass(frozen=True)
class Failure:
    """Something a recorded test found not to meet the standard."""

    criterion: str
    location: str
    what: str
    fix_by: dt.date | None
    found: dt.date
    kind: str


@dataclass(frozen=True)
class AuditStatement:
    """What the accessibility statement may claim, from the record alone."""

    status: str
    """untested, full, partial or none."""
    standard: str = "WCAG 2.2 AA"
    last_test: Record | None = None
    """The most recent test of any kind."""
    last_automated: Record | None = None
    last_manual: Record | None = None
    """The most recent manual audit of the whole site."""
    failures: list[Failure] = field(default_factory=list)
    known_issues: list[str] = field(default_factory=list)
    """Issues the publisher lists in website.yaml beside the record."""
    changed: bool = False
    """The site's sources differ from those the last test saw."""
    reasons: list[str] = field(default_factory=list)
    """Why the site is not stated fully compliant, for the statement."""

    @property
    def compliance(self) -> str:
        return {"full": "fully compliant", "partial": "partially compliant", "none": "not compliant",
                "untested": "not yet tested"}[self.status]


def _record(content: PlanContent, params: AuditParams) -> Record | None:
    return content.data.get(params.file)


def _tests(record: Record | None) -> list[Record]:
    return sorted(getattr(record, "tests", None) or [], key=lambda test: test.date)


def _record_file(content: PlanContent, params: AuditParams) -> str:
    return content.data_files().get(params.file, "")


def _changed(content: PlanContent, params: AuditParams, test: Record) -> bool:
    """Whether the site's sources differ from those `test` saw (by fingerprint, else by plan version)."""
    if test.content_hash:
        return test.content_hash != site_sources_hash(content.root, _record_file(content, params))
    if test.plan_version and content.plan is not None:
        return test.plan_version.strip() != str(content.plan.version).strip()
    return False


def work_out(content: PlanContent, params: AuditParams) -> AuditStatement:
    record = _record(content, params)
    website = content.data.get(params.website)
    a11y = getattr(website, "accessibility", None)
    known = [str(issue) for issue in (getattr(a11y, "known_issues", None) or [])]
    standard = getattr(record, "standard", None) or getattr(a11y, "standard", None) or "WCAG 2.2 AA"
    tests = _tests(record)
    if not tests:
        return AuditStatement("untested", standard, known_issues=known)
    automated = [t for t in tests if t.kind == "automated"]
    manual_whole = [t for t in tests if t.kind == "manual" and t.whole_site]
    last_automated = automated[-1] if automated else None
    last_manual = manual_whole[-1] if manual_whole else None
    counted = ([last_automated] if last_automated else [])
    counted += [t for t in tests if t.kind == "manual" and (last_manual is None or t.date >= last_manual.date)]
    failures = [Failure(f.criterion, f.location, f.what, f.fix_by, t.date, t.kind) for t in counted for f in t.failures]
    failures.sort(key=lambda f: (tuple(int(n) for n in f.criterion.split(".")), f.location))
    last_test = tests[-1]
    changed = _changed(content, params, last_test)
    reasons = []
    if last_manual is None:
        reasons.append("no full manual audit is recorded")
    if failures or known:
        reasons.append("some content is known not to meet the standard")
    if last_manual is not None and _changed(content, params, last_manual):
        reasons.append("the website has changed since its last full manual audit")
    if getattr(record, "not_compliant", False):
        status = "none"
    elif reasons:
        status = "partial"
    else:
        status = "full"
    return AuditStatement(status, standard, last_test, last_automated, last_manual, failures, known, changed,
                          reasons)


CLAIMS = {"untested": 0, "none": 1, "partial": 2, "full": 3}


@rule_family("accessibility-audit", AuditParams, blocking=True)
def accessibility_audit(content: PlanContent, params: AuditParams) -> Iterator[Finding]:
    record = _record(content, params)
    today = dt.date.today()
    for index, test in enumerate(getattr(record, "tests", None) or []):
        if test.date > today:
            yield Finding(record.where("tests", index, "date"), "error",
                          f"The accessibility test dated {test.date.isoformat()} is after today: a test is "
                          "recorded once it has been done",
                          "Give the day the test was done, as YYYY-MM-DD", rule="accessibility-test-date")
        for number, failure in enumerate(test.failures):
            if failure.fix_by is not None and failure.fix_by < test.date:
                yield Finding(record.where("tests", index, "failures", number, "fix_by"), "error",
                              f"The planned fix for {failure.criterion} ({failure.location}) is dated "
                              f"{failure.fix_by.isoformat()}, before the test that found it",
                              "Give the day by which it will be fixed, after the test, as YYYY-MM-DD",
                              rule="accessibility-test-date")
    website = content.data.get(params.website)
    a11y = getattr(website, "accessibility", None)
    if a11y is None:
        return
    given = a11y.model_fields_set
    derived = work_out(content, params)
    if "compliance" in given and a11y.compliance:
        if CLAIMS.get(a11y.compliance, 0) > CLAIMS[derived.status] or (a11y.compliance == "none") != (derived.status == "none"):
            why = {"untested": "no test is recorded",
                   "partial": "; ".join(derived.reasons) or "the record does not show it",
                   "full": "the record shows it is fully compliant",
                   "none": "the record says an audit found it not compliant"}[derived.status]
            yield Finding(website.where("accessibility", "compliance"), "error",
                          f"website.yaml says the website is {_said(a11y.compliance)}, but the accessibility "
                          f"audit record does not show that ({why})",
                          f"Delete the 'compliance' line: the statement says what the record in "
                          f"{_record_file(content, params)} shows. Record an audit there to change it",
                          rule="accessibility-claim")
        else:
            yield _no_longer_read(website, "compliance", content, params)
    if "last_checked" in given and a11y.last_checked is not None:
        latest = derived.last_test.date if derived.last_test is not None else None
        if latest is None or a11y.last_checked > latest:
            recorded = f"the last recorded test is of {latest.isoformat()}" if latest else "no test is recorded"
            yield Finding(website.where("accessibility", "last_checked"), "error",
                          f"website.yaml says the website was last checked on {a11y.last_checked.isoformat()}, "
                          f"but {recorded} in the accessibility audit record",
                          f"Delete the 'last_checked' line: the statement takes the date of the last test from "
                          f"{_record_file(content, params)}. Record the test there if there was one",
                          rule="accessibility-claim")
        else:
            yield _no_longer_read(website, "last_checked", content, params)
    if "how_checked" in given:
        yield _no_longer_read(website, "how_checked", content, params)


@family_figures("accessibility-audit", "audit")
def audit_figures(content: PlanContent, params: AuditParams) -> AuditStatement:
    """What the accessibility statement may claim."""
    return work_out(content, params)


def _said(compliance: str) -> str:
    return {"full": "fully compliant", "partial": "partially compliant", "none": "not compliant"}.get(
        compliance, compliance)


def _no_longer_read(website: Record, name: str, content: PlanContent, params: AuditParams) -> Finding:
    return Finding(website.where("accessibility", name), "warning",
                   f"'{name}' in website.yaml is no longer read: the accessibility statement takes it from the "
                   "audit record",
                   f"Delete the line; record each test in {_record_file(content, params)} "
                   "(python build.py audit writes the automated one)", rule="accessibility-old-field")
