"""Load content/ into typed models, collecting every problem instead of stopping at the first.

Loading knows nothing of outputs. Each file is read on its own, so one broken file does not
hide the problems of the others; what loaded is still handed to the checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from planpress import models as m
from planpress.errors import Finding, Location
from planpress.pack import Pack, PackPart, PackSection
from planpress.validate import validate
from planpress.yamlsource import MarkdownFile, YamlDoc, YamlProblem, parse_markdown, parse_yaml, read_text

R = TypeVar("R", bound=m.Record)

PLAN_FILE = "content/plan.yaml"
SECTIONS_DIR = "content/sections"
SCHEMES_DIR = "content/schemes"
PROGRESS_DIR = "content/progress"

# Each data file and the model it holds. The attribute names are those of PlanContent.
DATA_FILES: dict[str, tuple[str, type[m.Record]]] = {
    "themes": ("content/data/themes.yaml", m.ThemesFile),
    "finance": ("content/data/finance.yaml", m.Finance),
    "metrics": ("content/data/metrics.yaml", m.MetricsFile),
    "risks": ("content/data/risks.yaml", m.RisksFile),
    "milestones": ("content/data/milestones.yaml", m.MilestonesFile),
    "governance": ("content/data/governance.yaml", m.GovernanceFile),
    "documents": ("content/data/documents.yaml", m.DocumentsFile),
    "providers": ("content/data/providers.yaml", m.ProvidersFile),
    "website": ("content/data/website.yaml", m.WebsiteFile),
}
# Data files a plan may leave out: the outputs that use them fall back to plain defaults.
OPTIONAL_DATA_FILES = {"website"}


@dataclass(frozen=True)
class TextPart:
    """The text under one level-2 heading of a section or scheme file."""

    heading: str
    line: int
    markdown: str
    body_line: int
    pack_part: PackPart | None


@dataclass(frozen=True)
class SectionDoc:
    """A plan section: its front matter, the pack section it answers, and its parts."""

    file: str
    meta: m.SectionFrontMatter
    pack_section: PackSection | None
    intro: str
    intro_line: int
    parts: list[TextPart]

    def answer(self, part_id: str) -> TextPart | None:
        return next((p for p in self.parts if p.pack_part and p.pack_part.id == part_id), None)


@dataclass(frozen=True)
class SchemeDoc:
    """A scheme's detailed description (Annex 1)."""

    file: str
    meta: m.SchemeFrontMatter
    intro: str
    intro_line: int
    parts: list[TextPart]

    def answer(self, part_id: str) -> TextPart | None:
        return next((p for p in self.parts if p.pack_part and p.pack_part.id == part_id), None)


@dataclass
class PlanContent:
    """Everything in content/, typed. A field is None (or empty) where its file could not be loaded."""

    root: Path
    pack: Pack | None = None
    plan: m.Plan | None = None
    sections: list[SectionDoc] = field(default_factory=list)
    schemes: list[SchemeDoc] = field(default_factory=list)
    themes: m.ThemesFile | None = None
    finance: m.Finance | None = None
    metrics: m.MetricsFile | None = None
    risks: m.RisksFile | None = None
    milestones: m.MilestonesFile | None = None
    governance: m.GovernanceFile | None = None
    documents: m.DocumentsFile | None = None
    providers: m.ProvidersFile | None = None
    website: m.WebsiteFile | None = None
    progress: dict[str, m.ProgressReport] = field(default_factory=dict)
    """The quarterly progress updates, by quarter (such as "2014-q3"), oldest first."""
    broken_files: set[str] = field(default_factory=set)
    sources: dict[str, YamlDoc] = field(default_factory=dict)
    """Every YAML document read (data files and front matter), by file, for checks that scan text."""

    def schemes_complete(self) -> bool:
        """True when every scheme file loaded, so a reference to a missing scheme is a real mistake."""
        return not any(f.startswith(SCHEMES_DIR) for f in self.broken_files)

    def is_complete(self) -> bool:
        """True when every file loaded, so checks across files can trust what they see."""
        return not self.broken_files and all(
            getattr(self, name) is not None for name in ("pack", "plan", *DATA_FILES)
            if name not in OPTIONAL_DATA_FILES
        )


def load_content(root: Path) -> tuple[PlanContent, list[Finding]]:
    """Read every content file under `root`; return what loaded and every problem found."""
    findings: list[Finding] = []
    content = PlanContent(root=root)
    content.plan = _load_yaml_model(root, PLAN_FILE, m.Plan, findings, content)
    content.pack = _load_pack(root, content.plan, findings)
    for name, (file, model) in DATA_FILES.items():
        if name in OPTIONAL_DATA_FILES and not (root / file).is_file():
            continue
        setattr(content, name, _load_yaml_model(root, file, model, findings, content))
    content.sections = _load_sections(root, content.pack, findings, content)
    content.schemes = _load_schemes(root, content.pack, findings, content)
    content.progress = _load_progress(root, findings, content)
    return content, findings


def _read_yaml(root: Path, file: str, findings: list[Finding], content: PlanContent) -> YamlDoc | None:
    path = root / file
    if not path.is_file():
        findings.append(Finding(Location(file), "error", "This required file is missing",
                                f"Create {file} (the README shows what goes in it)", rule="missing-file"))
        content.broken_files.add(file)
        return None
    try:
        doc = parse_yaml(read_text(path, file), file)
        content.sources[file] = doc
        return doc
    except YamlProblem as problem:
        findings.append(problem.finding)
        content.broken_files.add(file)
        return None


def _load_yaml_model(root: Path, file: str, model: type[R], findings: list[Finding],
                     content: PlanContent) -> R | None:
    doc = _read_yaml(root, file, findings, content)
    if doc is None:
        return None
    record = validate(model, doc, findings)
    if record is None:
        content.broken_files.add(file)
    return record


def _load_pack(root: Path, plan: m.Plan | None, findings: list[Finding]) -> Pack | None:
    if plan is None:
        return None
    file = f"templates/{plan.template}/pack.yaml"
    if not (root / file).is_file():
        known = sorted(p.parent.name for p in (root / "templates").glob("*/pack.yaml"))
        findings.append(Finding(plan.where("template"), "error",
                                f"There is no template pack called '{plan.template}'",
                                f"Use one of: {', '.join(known) or '(none found in templates/)'}",
                                rule="unknown-pack"))
        return None
    scratch = PlanContent(root=root)
    return _load_yaml_model(root, file, Pack, findings, scratch)


def _load_progress(root: Path, findings: list[Finding], content: PlanContent) -> dict[str, m.ProgressReport]:
    reports = {}
    for path in sorted((root / PROGRESS_DIR).glob("*.y*ml")):
        file = f"{PROGRESS_DIR}/{path.name}"
        try:
            quarter = m.Quarter.parse(path.stem)
        except ValueError:
            findings.append(Finding(Location(file), "error",
                                    f"'{path.name}' is not named after a quarter",
                                    "Name a progress file <year>-q<N>.yaml, such as 2014-q3.yaml for October to "
                                    "December 2014 (quarter 3 of 2014/15)", rule="progress-file-name"))
            continue
        report = _load_yaml_model(root, file, m.ProgressReport, findings, content)
        if report is not None:
            reports[quarter.name] = report
    return dict(sorted(reports.items(), key=lambda item: m.Quarter.parse(item[0]).start))


# --- Markdown files --------------------------------------------------------------------


def _load_markdown(root: Path, folder: str, findings: list[Finding],
                   content: PlanContent) -> list[MarkdownFile]:
    files = []
    for path in sorted((root / folder).glob("*.md")):
        file = f"{folder}/{path.name}"
        try:
            md = parse_markdown(read_text(path, file), file)
            files.append(md)
            content.sources[file] = md.front
        except YamlProblem as problem:
            findings.append(problem.finding)
            content.broken_files.add(file)
    if not files and not (root / folder).is_dir():
        findings.append(Finding(Location(folder), "error", "This folder is missing",
                                f"Create {folder}/ with one Markdown file per item", rule="missing-file"))
    return files


def _load_text_files(root: Path, folder: str, model: type[R], findings: list[Finding],
                     content: PlanContent) -> Iterator[tuple[MarkdownFile, R]]:
    """Each Markdown file in `folder` whose front matter is valid, with that front matter typed."""
    for md in _load_markdown(root, folder, findings, content):
        meta = validate(model, md.front, findings)
        if meta is None:
            content.broken_files.add(md.file)
        else:
            yield md, meta


def _load_sections(root: Path, pack: Pack | None, findings: list[Finding],
                   content: PlanContent) -> list[SectionDoc]:
    sections = []
    for md, meta in _load_text_files(root, SECTIONS_DIR, m.SectionFrontMatter, findings, content):
        pack_section = pack.section(meta.id) if pack else None
        intro, intro_line, parts = split_parts(md, pack_section.parts if pack_section else [])
        sections.append(SectionDoc(md.file, meta, pack_section, intro, intro_line, parts))
    if pack:
        order = {s.id: i for i, s in enumerate(pack.sections)}
        sections.sort(key=lambda s: (order.get(s.meta.id, len(order)), s.file))
    return sections


def _load_schemes(root: Path, pack: Pack | None, findings: list[Finding],
                  content: PlanContent) -> list[SchemeDoc]:
    schemes = []
    for md, meta in _load_text_files(root, SCHEMES_DIR, m.SchemeFrontMatter, findings, content):
        intro, intro_line, parts = split_parts(md, pack.scheme_parts if pack else [])
        schemes.append(SchemeDoc(md.file, meta, intro, intro_line, parts))
    return schemes


_HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LABEL = re.compile(r"^[a-z]\)\s+")


def split_parts(md: MarkdownFile, pack_parts: list[PackPart]) -> tuple[str, int, list[TextPart]]:
    """Split a body at its level-2 headings, matching each heading to a pack part by its title."""
    by_title = {normalise_title(p.title): p for p in pack_parts}
    lines = md.body.split("\n")
    starts: list[tuple[int, str]] = []
    in_fence = False
    for index, text in enumerate(lines):
        if _FENCE.match(text):
            in_fence = not in_fence
        elif not in_fence and (match := _HEADING.match(text)):
            starts.append((index, match.group(1)))
    intro_end = starts[0][0] if starts else len(lines)
    intro = "\n".join(lines[:intro_end])  # unstripped, so line counts inside it stay true
    parts = []
    for position, (index, heading) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        parts.append(TextPart(
            heading=heading,
            line=md.body_first_line + index,
            markdown="\n".join(lines[index + 1:end]),
            body_line=md.body_first_line + index + 1,
            pack_part=by_title.get(normalise_title(heading)),
        ))
    return intro, md.body_first_line, parts


def normalise_title(heading: str) -> str:
    """Compare headings loosely: case, a leading "a)" label and spacing do not matter."""
    return " ".join(_LABEL.sub("", heading.strip()).lower().split())
