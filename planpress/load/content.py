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

from planpress.errors import Finding, Location
from planpress.side_by_side import Job, cores, run_side_by_side
from planpress.load import models as m
from planpress.load.pack import Pack, PackPart, PackSection
from planpress.load.author_markdown import too_deep
from planpress.load.limits import MAX_FILES_PER_FOLDER, MAX_MARKDOWN_NESTING, file_problem, long_paragraph, \
    long_word, longest_paragraph, longest_word
from planpress.load.pack_loader import PackModels, load_pack
from planpress.load.validate import validate
from planpress.load.yamlsource import CONTROL_CHARACTER, MarkdownFile, YamlDoc, YamlProblem, control_character, \
    parse_markdown, parse_yaml, read_text

R = TypeVar("R", bound=m.Record)

PLAN_FILE = "content/plan.yaml"
SECTIONS_DIR = "content/sections"


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
    """An item's description: its front matter and its parts, as the pack's scheme_parts ask."""

    file: str
    meta: m.Record
    """The front matter, as the pack declares it (reference, name, status, ...)."""
    intro: str
    intro_line: int
    parts: list[TextPart]

    def answer(self, part_id: str) -> TextPart | None:
        return next((p for p in self.parts if p.pack_part and p.pack_part.id == part_id), None)


@dataclass
class PlanContent:
    """Everything in content/, typed by its template pack. A value is None (or empty) where its file could
    not be loaded. The data files are in `data` by the names the pack gives them, and also read as
    attributes (content.risks), so rules and templates can say what they mean."""

    root: Path
    pack: Pack | None = None
    models: PackModels | None = None
    plan: m.Record | None = None
    sections: list[SectionDoc] = field(default_factory=list)
    schemes: list[SchemeDoc] = field(default_factory=list)
    data: dict[str, m.Record | None] = field(default_factory=dict)
    progress: dict[str, m.Record] = field(default_factory=dict)
    """The quarterly progress updates, by quarter (such as "2025-q3"), oldest first."""
    broken_files: set[str] = field(default_factory=set)
    sources: dict[str, YamlDoc] = field(default_factory=dict)
    """Every YAML document read (data files and front matter), by file, for checks that scan text."""
    figures_cache: object = field(default=None, repr=False, compare=False)
    """The derived figures, worked out once (planpress.figures.compute); the content is not changed after loading."""
    read_ahead: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    """While the plan loads, its files already read side by side (_read_ahead), by file; empty after."""
    sentences_cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    """The prose read as sentences, by (file, line, text), for the several rules that read them: not passed on by
    dataclasses.replace, so a copy with its text rendered reads its own."""

    def __getattr__(self, name: str) -> object:
        # Only reached for names that are not fields: a data file by its pack name, or None.
        if name.startswith("_"):
            raise AttributeError(name)
        return self.__dict__.get("data", {}).get(name)

    def data_files(self) -> dict[str, str]:
        """Each data file the pack declares, name -> path relative to the plan."""
        if self.pack is None or self.pack.data is None:
            return {}
        return {name: spec.file for name, spec in self.pack.data.files.items()}

    def schemes_complete(self) -> bool:
        """True when every item file loaded, so a reference to a missing item is a real mistake."""
        folder = self.schemes_folder()
        return not folder or not any(f.startswith(folder) for f in self.broken_files)

    def schemes_folder(self) -> str:
        spec = self.pack.data.schemes if self.pack and self.pack.data else None
        return spec.folder if spec else ""

    def progress_folder(self) -> str:
        spec = self.pack.data.progress if self.pack and self.pack.data else None
        return spec.folder if spec else ""

    def is_complete(self) -> bool:
        """True when every file loaded, so checks across files can trust what they see."""
        if self.broken_files or self.pack is None or self.plan is None:
            return False
        return all(self.data.get(name) is not None
                   for name, spec in self.pack.data.files.items() if spec.required)


def load_content(root: Path) -> tuple[PlanContent, list[Finding]]:
    """Read every content file under `root`; return what loaded and every problem found."""
    findings: list[Finding] = []
    content = PlanContent(root=root)
    plan_doc = _read_yaml(root, PLAN_FILE, findings, content)
    if plan_doc is None:
        return content, findings
    content.pack, content.models = load_pack(root, plan_doc, findings)
    if content.pack is None:
        content.broken_files.add(PLAN_FILE)
        return content, findings
    content.plan = _validated(plan_doc, content.models.plan, findings, content)
    content.read_ahead = _read_ahead(root, _files_to_read(root, content))
    for name, spec in content.pack.data.files.items():
        if not spec.required and not (root / spec.file).is_file():
            content.data[name] = None
            continue
        content.data[name] = _load_yaml_model(root, spec.file, content.models.files[name], findings, content)
    content.sections = _load_sections(root, content.pack, findings, content)
    content.schemes = _load_schemes(root, content, findings)
    content.progress = _load_progress(root, findings, content)
    content.read_ahead = {}
    return content, findings


READ_SIDE_BY_SIDE = 200
"""From this many files, the plan's files are read on all the machine's cores (below it, a fork costs more)."""


def _files_to_read(root: Path, content: PlanContent) -> list[str]:
    """The plan's files the loaders below will read, by their names under the plan's folder."""
    data = [spec.file for spec in content.pack.data.files.values()]
    folders = [(SECTIONS_DIR, "*.md"), (content.schemes_folder(), "*.md"), (content.progress_folder(), "*.y*ml")]
    listed = [f"{folder}/{path.name}" for folder, pattern in folders if folder
              for path in sorted((root / folder).glob(pattern))]
    return [file for file in data if (root / file).is_file()] + listed


def _read_ahead(root: Path, files: list[str]) -> dict[str, YamlDoc | MarkdownFile | YamlProblem]:
    """A long plan's files read (and their YAML parsed) side by side on the machine's cores; the loaders then
    take each from here. Nothing for a plan of fewer files."""
    if len(files) < READ_SIDE_BY_SIDE:
        return {}
    jobs = [Job("reading its files", lambda share=share: {file: _parsed(root, file) for file in share},
                part_of_check=True) for share in _shares(root, files, cores()) if share]
    return {file: read for done in run_side_by_side(jobs) for file, read in done.items()}


MARKDOWN_COST = 1 / 20
"""What a byte of a Markdown file costs to read, against a byte of YAML (only its front matter is YAML)."""


def _shares(root: Path, files: list[str], count: int) -> list[list[str]]:
    """The files in `count` shares of about the same cost: each, the costliest first, to the share costing least
    so far (one data file of a long plan can cost as much as thousands of descriptions)."""
    costs = {file: _size(root / file) * (MARKDOWN_COST if file.endswith(".md") else 1) for file in files}
    shares: list[list[str]] = [[] for _ in range(count)]
    totals = [0.0] * count
    for file in sorted(files, key=costs.__getitem__, reverse=True):
        least = totals.index(min(totals))
        shares[least].append(file)
        totals[least] += costs[file]
    return shares


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone since it was listed: reading it will say so
        return 0


def _parsed(root: Path, file: str) -> YamlDoc | MarkdownFile | YamlProblem:
    """A file read and parsed: YAML, or Markdown with its front matter (the text checked); else the problem."""
    try:
        text = _read_content(root, root / file, file)
        if not file.endswith(".md"):
            return parse_yaml(text, file)
        md = parse_markdown(text, file)
        _check_text(md)
        return md
    except YamlProblem as problem:
        return problem


def _read(content: PlanContent, file: str) -> YamlDoc | MarkdownFile:
    """A file as _parsed reads it, from the files read ahead when it is there; raises YamlProblem."""
    read = content.read_ahead.get(file)
    if read is None:
        read = _parsed(content.root, file)
    if isinstance(read, YamlProblem):
        raise read
    return read


def _read_yaml(root: Path, file: str, findings: list[Finding], content: PlanContent) -> YamlDoc | None:
    path = root / file
    if not path.is_file():
        findings.append(Finding(Location(file), "error", "This required file is missing",
                                f"Create {file} (the README shows what goes in it)", rule="missing-file"))
        content.broken_files.add(file)
        return None
    try:
        doc = _read(content, file)
        content.sources[file] = doc
        return doc
    except YamlProblem as problem:
        findings.append(problem.finding)
        content.broken_files.add(file)
        return None


def _read_content(root: Path, path: Path, file: str) -> str:
    """A content file's text, unless it is a link leading out of the plan's folder or too large to read."""
    problem = file_problem(root, path, file)
    if problem is not None:
        raise YamlProblem(problem)
    return read_text(path, file)


def _listed(root: Path, folder: str, pattern: str, findings: list[Finding], content: PlanContent) -> list[Path]:
    """The files in a folder of content/, in order; none when there are more than planpress reads."""
    found = sorted((root / folder).glob(pattern))
    if len(found) > MAX_FILES_PER_FOLDER:
        findings.append(Finding(Location(folder), "error",
                                f"This folder holds {len(found):,} files, more than the {MAX_FILES_PER_FOLDER} "
                                "a plan may have in one folder, so none of them was read",
                                "Keep one file for each section, item or quarter the plan has, and move any "
                                "others (old drafts, copies) out of content/", rule="too-many-files"))
        content.broken_files.add(folder + "/")
        return []
    return found


def _check_text(md: MarkdownFile) -> None:
    """A Markdown body with a control character, or nested too deep for the documents, is not read."""
    problem = text_problem(md.body, Location(md.file, md.body_first_line))
    if problem is not None:
        raise YamlProblem(problem)


def text_problem(text: str, start: Location) -> Finding | None:
    """What no output can take in a Markdown text starting at `start`: a control character, a word
    too long, or lists and quotes nested too deep. Also asked of text once its figures are filled in."""
    if bad := CONTROL_CHARACTER.search(text):
        return control_character(Location(start.file, start.line + text[:bad.start()].count("\n")), bad.group())
    length, index = longest_word(text)
    if length:
        return long_word(Location(start.file, start.line + index), length)
    deep = too_deep(text, MAX_MARKDOWN_NESTING)
    if deep is None:
        length, index = longest_paragraph(text)
        return long_paragraph(Location(start.file, start.line + index), length) if length else None
    first, depth, deepest = deep
    where = "" if deepest == first else f", {depth} levels at the deepest (line {start.line + deepest})"
    return Finding(
        Location(start.file, start.line + first), "error",
        f"The lists and quotes here are nested more than {MAX_MARKDOWN_NESTING} levels deep{where}, more than "
        "the documents can show (counting each '>', each list marker and every two spaces of indentation "
        "before them)", "Flatten them: start a new list, or a new paragraph, where the nesting goes deeper "
        "than a reader can follow", rule="markdown-too-deep")


def _validated(doc: YamlDoc, model: type[R], findings: list[Finding], content: PlanContent) -> R | None:
    record = validate(model, doc, findings)
    if record is None:
        content.broken_files.add(doc.file)
    return record


def _load_yaml_model(root: Path, file: str, model: type[R], findings: list[Finding],
                     content: PlanContent) -> R | None:
    doc = _read_yaml(root, file, findings, content)
    return None if doc is None else _validated(doc, model, findings, content)


def _load_progress(root: Path, findings: list[Finding], content: PlanContent) -> dict[str, m.Record]:
    folder = content.progress_folder()
    if not folder:
        return {}
    reports = {}
    for path in _listed(root, folder, "*.y*ml", findings, content):
        file = f"{folder}/{path.name}"
        try:
            quarter = m.Quarter.parse(path.stem)
        except ValueError:
            findings.append(Finding(Location(file), "error",
                                    f"'{path.name}' is not named after a quarter",
                                    "Name a progress file <year>-q<N>.yaml, such as 2025-q3.yaml for October to "
                                    "December 2025 (quarter 3 of 2025/26)", rule="progress-file-name"))
            continue
        report = _load_yaml_model(root, file, content.models.progress, findings, content)
        if report is not None:
            reports[quarter.name] = report
    return dict(sorted(reports.items(), key=lambda item: m.Quarter.parse(item[0]).start))


# --- Markdown files --------------------------------------------------------------------


def _load_markdown(root: Path, folder: str, findings: list[Finding],
                   content: PlanContent) -> list[MarkdownFile]:
    files = []
    for path in _listed(root, folder, "*.md", findings, content):
        file = f"{folder}/{path.name}"
        try:
            md = _read(content, file)
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


def _load_schemes(root: Path, content: PlanContent, findings: list[Finding]) -> list[SchemeDoc]:
    folder = content.schemes_folder()
    if not folder:
        return []
    schemes = []
    for md, meta in _load_text_files(root, folder, content.models.schemes, findings, content):
        intro, intro_line, parts = split_parts(md, content.pack.scheme_parts)
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
