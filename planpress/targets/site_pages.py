"""The website's pages as Markdown: one per section, per scheme and per kind of data, from our templates.

Gathers everything first (figures, charts, links), then renders each page, so every page
sees the same data. MkDocs turns the Markdown into HTML (see planpress/targets/site.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

from planpress.load.pack import Pack

from planpress.render.charts import Chart
from planpress.collaborate.changes_html import render_fragment
from planpress.collaborate.compare import PlanChanges
from planpress.errors import BuildError, Finding
from planpress.collaborate.history import HistoryEntry
from planpress.collaborate.status import StatusRow
from planpress.figures import Figures, ProgressFigures
from planpress.checks.references import LINK
from planpress.load.content import PLAN_FILE, PlanContent, SchemeDoc, SectionDoc, TextPart
from planpress.load.models import Record
from planpress.render.context import layout_context, schemes_in_order
from planpress.render import anchor_id, render_template
from planpress.collaborate.version import VersionStamp

# Author links, as `check` knows them (planpress/checks/references.py): [text](risk:R3).
AUTHOR_LINK = LINK


@dataclass(frozen=True)
class Page:
    path: str
    """Where the page goes in the docs folder, such as "schemes/pe1.md"."""
    title: str
    """The page's title in the navigation."""
    markdown: str
    """The page's Markdown."""
    source: str = ""
    """The content file the page shows (for error messages), or "" for pages made from data."""


@dataclass(frozen=True)
class Download:
    name: str
    """The file's name, such as harrowdale-bcf-plan.pdf."""
    size: int | None
    """Its size in bytes; None while another job of the build is still writing it (see size_to_come)."""

    @property
    def kind(self) -> str:
        kinds = {".pdf": "PDF", ".docx": "Word document", ".xlsx": "Excel workbook", ".json": "data for other tools, JSON",
                 ".html": "web page", ".odt": "OpenDocument text"}
        return kinds.get(Path(self.name).suffix.lower(), Path(self.name).suffix.lstrip(".").upper())

    @property
    def size_text(self) -> str:
        if self.size is None:
            return size_to_come(self.name)
        return f"{self.size / 1_048_576:.1f} MB" if self.size >= 1_048_576 else f"{max(1, round(self.size / 1024))} KB"


def size_to_come(name: str) -> str:
    """What the pages say in place of a file's size until the build has written it: plain letters that
    Markdown and MkDocs pass through untouched, replaced in the built site (site.finish)."""
    return f"PPSIZEOF-{name}-PP"


class SiteLinks:
    """Where each section, item description and declared item (risk, metric, ...) lives on the site.

    Addresses start with "/" and name the Markdown page: MkDocs checks each one exists (its
    `absolute_links: relative_to_docs` validation) and turns it into a relative .html link,
    so the site works from any folder of any web space.
    """

    def __init__(self, content: PlanContent):
        self.sections = {s.meta.id for s in content.sections}
        self.schemes = {str(getattr(s.meta, "reference", "")) for s in content.schemes}
        data = content.pack.data
        self.item_kind = data.schemes.kind if data.schemes else ""
        self.item_folder = content.schemes_folder().rsplit("/", 1)[-1]
        # The page that lists each declared kind: the pack's site page whose `kinds` names it, else the
        # page named after the data file that holds it.
        self.kind_pages = {kind: f"{file.replace('_', '-')}.md" for kind, (file, _, _) in data.kinds().items()}
        for page in content.pack.site_pages:
            for kind in page.kinds:
                self.kind_pages[kind] = page.path

    def page(self, kind: str, name: str) -> str:
        if kind == "section":
            return f"sections/{name}.md"
        if kind == self.item_kind:
            return f"{self.item_folder}/{name.lower()}.md"
        return self.kind_pages[kind]

    def anchor(self, kind: str, name: str) -> str:
        return anchor_id(kind, name)

    def url(self, kind: str, name: str) -> str:
        if kind in ("section", self.item_kind):
            return "/" + self.page(kind, name)
        return f"/{self.page(kind, name)}#{self.anchor(kind, name)}"


def resolve_author_links(markdown: str, links: SiteLinks, file: str, first_line: int) -> str:
    """Turn [text](scheme:PE1) into a link to the scheme's page; a link that goes nowhere is an error."""
    def replace(match: re.Match) -> str:
        kind, name = match.groups()
        if kind not in links.kind_pages and kind not in ("section", links.item_kind):
            return match.group(0)  # not a link to an item (check reports a kind it does not know)
        if kind in ("section", links.item_kind) and name not in (links.sections if kind == "section" else links.schemes):
            line = first_line + markdown.count("\n", 0, match.start())
            raise BuildError(f"{file}:{line}: the link to {kind} '{name}' goes nowhere: "
                             f"there is no page for that {kind} on the website")
        return f"]({links.url(kind, name)})"
    return AUTHOR_LINK.sub(replace, markdown)


def load_glossary(pack: Pack) -> dict[str, str]:
    """The abbreviations to explain: the first glossary.yaml of the pack, the packs it extends, or the common one."""
    path = pack.find("glossary.yaml")
    if path is None:
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in (data.get("terms") or {}).items()}


def abbreviations(glossary: dict[str, str]) -> str:
    """Definitions for Python-Markdown's abbr extension, appended to every page."""
    return "\n".join(f"*[{short}]: {meaning}" for short, meaning in glossary.items())


# --- rendering -------------------------------------------------------------------------


@dataclass(frozen=True)
class PageData:
    """Everything a page template may use; the same for every page."""

    content: PlanContent
    figures: Figures
    charts: list[Chart]
    stamp: VersionStamp
    links: SiteLinks
    glossary: dict[str, str]
    downloads: list[Download]
    draft: bool = False
    """A draft build: the pages say so, and the plan-readiness page is added."""
    findings: tuple[Finding, ...] = ()
    """The open problems check found, for the plan-readiness page."""
    progress: tuple[ProgressFigures, ...] = ()
    """Each quarter's progress, oldest first, for the progress pages."""
    history: tuple[HistoryEntry, ...] = ()
    """Each tagged version with its changes since the one before, for the version history."""
    in_git: bool = False
    """Whether the plan is in a git checkout (the history says so when it is not)."""
    draft_changes: PlanChanges | None = None
    """In a draft build, what the working tree changes since the last tagged version."""
    status: tuple[StatusRow, ...] = ()
    """In a draft build, each section, scheme and file of figures with its owner and status."""


def render_pages(env: jinja2.Environment, data: PageData) -> list[Page]:
    """Every page of the site, in the order of the navigation."""
    content = data.content
    context = _template_context(data)
    pages = [Page("index.md", "Home", render_template(env, "site/home.md.j2", **context))]
    for section in content.sections:
        pages.append(Page(data.links.page("section", section.meta.id), _section_title(section),
                          render_template(env, "site/section.md.j2", section=section,
                                          intro=intro_markdown(section, data.links),
                                          parts=_section_parts(section, data), **context),
                          section.file))
    if data.links.item_kind:
        pages.append(Page(f"{data.links.item_folder}/index.md", f"All {data.links.item_kind}s",
                          render_template(env, f"site/{data.links.item_folder}.md.j2", **context)))
    for scheme in schemes_in_order(content):
        pages.append(Page(data.links.page(data.links.item_kind, scheme.meta.reference),
                          f"{scheme.meta.reference}: {scheme.meta.name}",
                          render_template(env, "site/scheme.md.j2", scheme=scheme,
                                          intro=intro_markdown(scheme, data.links),
                                          parts=_scheme_parts(scheme, data), **_scheme_context(scheme, data),
                                          **context),
                          scheme.file))
    for quarter in data.progress:
        pages.append(Page(f"progress/{quarter.quarter.name}.md", quarter.quarter.label,
                          render_template(env, "site/progress.md.j2", progress=quarter,
                                          report_files=_report_downloads(quarter, data), **context)))
    pages += _history_pages(env, data, context)
    if data.draft:
        pages.append(Page("status.md", "Owners and status",
                          render_template(env, "site/status.md.j2", rows=data.status, **context)))
        pages.append(Page("readiness.md", "Plan readiness",
                          render_template(env, "site/readiness.md.j2", readiness=readiness(content, data.findings),
                                          **context)))
    for page in content.pack.site_pages:
        pages.append(Page(page.path, page.title, render_template(env, f"site/{page.template}", **context)))
    suffix = "\n\n" + abbreviations(data.glossary) + "\n" if data.glossary else ""
    return [Page(p.path, p.title, p.markdown.rstrip() + "\n" + suffix, p.source) for p in pages]


def _history_pages(env: jinja2.Environment, data: PageData, context: dict[str, object]) -> list[Page]:
    """The version history, a changes page per tagged version, and the draft's changes since the last."""
    pages = [Page("history.md", "Version history",
                  render_template(env, "site/history.md.j2", history=list(reversed(data.history)),
                                  in_git=data.in_git, draft_changes=data.draft_changes, **context))]
    for entry in data.history:
        if entry.changes is not None:
            pages.append(Page(f"changes/{entry.version.tag}.md", f"Changes in {entry.version.tag}",
                              _changes_page(f"Changes in {entry.version.tag}", entry.changes)))
    if data.draft_changes is not None:
        pages.append(Page("changes/draft.md", "Changes in this draft",
                          _changes_page("Changes in this draft", data.draft_changes)))
    return pages


def _changes_page(title: str, changes: PlanChanges) -> str:
    """A page of the word-by-word changes (the same report as `python build.py changes`)."""
    return f"# {title}\n\n<div class=\"pp-changes\" markdown=\"0\">\n{render_fragment(changes)}</div>\n"


def _report_downloads(quarter: ProgressFigures, data: PageData) -> list[Download]:
    return [d for d in data.downloads if f"-progress-{quarter.quarter.name}." in d.name]


@dataclass(frozen=True)
class ReadinessRow:
    """One part of the plan (a section, a scheme or a data file) and what is open in it."""

    label: str
    file: str
    owner: str
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


@dataclass(frozen=True)
class Readiness:
    rows: list[ReadinessRow]
    """Every part of the plan with open problems, in the order of the plan."""

    @property
    def total(self) -> int:
        return sum(len(r.findings) for r in self.rows)

    def by_owner(self) -> list[tuple[str, list[ReadinessRow]]]:
        owners: dict[str, list[ReadinessRow]] = {}
        for row in self.rows:
            owners.setdefault(row.owner or "No owner named", []).append(row)
        return sorted(owners.items())


def readiness(content: PlanContent, findings: tuple[Finding, ...]) -> Readiness:
    """The open problems grouped by the part of the plan they are in, each part with its owner."""
    labels = {s.file: _section_title(s) for s in content.sections}
    kind = content.pack.data.schemes.kind.capitalize() if content.pack.data.schemes else ""
    labels |= {s.file: f"{kind} {s.meta.reference}: {s.meta.name}" for s in content.schemes}
    labels |= {file: f"{name.replace('_', ' ').capitalize()} figures" for name, file in content.data_files().items()}
    labels[PLAN_FILE] = "Plan details and sign-off"
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.location.file, []).append(finding)
    order = [s.file for s in content.sections] + [s.file for s in schemes_in_order(content)]
    files = sorted(by_file, key=lambda f: (order.index(f) if f in order else len(order), f))
    return Readiness([ReadinessRow(labels.get(file, file), file, by_file[file][0].owner, by_file[file])
                      for file in files])


def _template_context(data: PageData) -> dict[str, object]:
    content = data.content
    context = layout_context(content, data.figures) | {
        "charts": {c.filename: c for c in data.charts}, "stamp": data.stamp,
        "links": data.links, "glossary": data.glossary, "downloads": data.downloads,
        "draft": content.plan.status != "agreed",
        "draft_build": data.draft, "open_problems": len(data.findings),
        "quarters": data.progress,  # each quarter's progress, oldest first, for pages that list the reports
    }
    context["c"] = context  # lets a macro take the whole context as one argument
    return context


def _section_title(section: SectionDoc) -> str:
    return section.pack_section.numbered_title if section.pack_section else section.meta.title


@dataclass(frozen=True)
class ShownPart:
    """One part of a page: the template's question (if the pack asks one) and the author's answer."""

    id: str
    title: str
    question: str
    answer: str
    data: str | None


def _shown(part_id: str, title: str, question: str, text: TextPart | None, data: str | None,
           file: str, links: SiteLinks) -> ShownPart:
    answer = resolve_author_links(text.markdown, links, file, text.body_line).strip() if text else ""
    return ShownPart(part_id, title, question, answer, data)


def _section_parts(section: SectionDoc, data: PageData) -> list[ShownPart]:
    """The pack's parts in the pack's order, then any parts the author added that the pack does not ask."""
    shown = []
    if section.pack_section:
        for part in section.pack_section.parts:
            shown.append(_shown(part.id, part.numbered_title, part.question, section.answer(part.id),
                                part.data, section.file, data.links))
    for index, text in enumerate(p for p in section.parts if p.pack_part is None):
        shown.append(_shown(f"extra-{index + 1}", text.heading, "", text, None, section.file, data.links))
    return shown


def _scheme_parts(scheme: SchemeDoc, data: PageData) -> list[ShownPart]:
    shown = [_shown(part.id, part.title, part.question, scheme.answer(part.id), part.data, scheme.file, data.links)
             for part in data.content.pack.scheme_parts]
    for index, text in enumerate(p for p in scheme.parts if p.pack_part is None):
        shown.append(_shown(f"extra-{index + 1}", text.heading, "", text, None, scheme.file, data.links))
    return shown


def _scheme_context(scheme: SchemeDoc, data: PageData) -> dict[str, object]:
    """The scheme's own figures, milestones and risks, in the shape the shared tables take."""
    content, ref = data.content, scheme.meta.reference
    milestones, risks = content.data.get("milestones"), content.data.get("risks")
    return {
        "spend": data.figures.spend_by_scheme.get(ref),
        "scheme_milestones": {"milestones": [t for t in (milestones.milestones if milestones else [])
                                             if getattr(t, "scheme", None) == ref]},
        "scheme_risks": {"risks": scheme_risks(risks, ref), "scale": getattr(risks, "scale", None)},
    }


def scheme_risks(risks: Record | None, ref: str) -> list[Record]:
    """The risks a scheme owns (`scheme:`), then those that name it among the schemes they touch."""
    found = risks.risks if risks is not None else []
    owned = [r for r in found if getattr(r, "scheme", None) == ref]
    return owned + [r for r in found if getattr(r, "scheme", None) != ref and ref in getattr(r, "schemes", [])]


def intro_markdown(doc: SectionDoc | SchemeDoc, links: SiteLinks) -> str:
    """The text before a file's first level-2 heading, links resolved."""
    return resolve_author_links(doc.intro, links, doc.file, doc.intro_line).strip()
