"""Template packs: everything one template asks and holds, kept as data in templates/<pack>/.

A pack's folder holds `pack.yaml` (sections, parts and questions, the rules that apply and
their parameters, the unfinished-text patterns, the site's pages, the names prose may quote),
`data.yaml` (every content file and its fields), and the layouts of its outputs. Nothing about
one round's template is written in the core: a later round is a new folder.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from planpress.load.fields import FieldSpec, walk
from planpress.load.models import Period, Record

PACK_FILE = "pack.yaml"
DATA_FILE = "data.yaml"


class PackPart(Record):
    id: str
    """A stable name for the part, such as summary."""
    label: str = ""
    """The letter the template gives the part, such as a; blank if it has none."""
    title: str
    """The part's title; an author answers it under a level-2 heading with this text."""
    question: str
    """The template's question for the part."""
    data: str | None = None
    """The content data that answers the part, if any (its narrative is then optional)."""

    @property
    def numbered_title(self) -> str:
        """The title as the template numbers it, such as "a) Summary of plan"."""
        return f"{self.label}) {self.title}" if self.label else self.title


class PackSection(Record):
    id: str
    """The section's id; a section file names it in its front matter."""
    number: str
    """The template's number for the section, such as 1."""
    title: str
    """The section's title."""
    parts: list[PackPart] = Field(min_length=1)
    """The section's parts, in order."""

    @property
    def numbered_title(self) -> str:
        return f"{self.number}) {self.title}"


class PlaceholderPattern(Record):
    name: str
    """What the pattern finds, as an author would say it, such as "to be confirmed"."""
    pattern: str
    """A Python regular expression."""
    ignore_case: bool = False
    """Match any mix of capitals and small letters."""
    unless_after: list[str] = []
    """Words that, just before a match, make it something else (the roman numeral in "section x")."""
    unless_earlier: list[str] = []
    """Regular expressions (any case) that, found earlier in the match's sentence, make it a finished
    sentence: "was" before "to be determined" in "No more was to be determined"."""
    unless_later: list[str] = []
    """Regular expressions (any case) that, found in the rest of the match's sentence, make it a finished
    sentence: a year after "to be decided" in "is to be decided by the board in 2016"."""
    look_in: Literal["text", "heading"] = "text"
    """Where to look: any text, or only the text of headings (a note where a title should be)."""
    fix: str = ""
    """How to fix what it finds, when the general advice (put the real text in) is not enough."""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        _compile(value)
        return value

    @field_validator("unless_earlier", "unless_later")
    @classmethod
    def _all_compile(cls, values: list[str]) -> list[str]:
        for value in values:
            _compile(value)
        return values

    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern, self.ignore_case)

    def earlier_regexes(self) -> list[re.Pattern[str]]:
        return [_compiled(value, True) for value in self.unless_earlier]

    def later_regexes(self) -> list[re.Pattern[str]]:
        return [_compiled(value, True) for value in self.unless_later]


@functools.lru_cache(maxsize=1024)
def _compiled(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    """Compiled once: a check asks for each pattern's regex for every piece of text."""
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


def _compile(pattern: str) -> None:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"the pattern '{pattern}' does not compile: {error}") from None


class SitePage(Record):
    path: str
    """Where the page goes on the site, such as finance.md."""
    title: str
    """The page's title in the navigation."""
    template: str
    """The page's template, in the pack's site/ folder or templates/common/site/."""
    kinds: list[str] = []
    """The kinds of item the page lists, so links to them ([text](risk:R3)) go to it."""


class Document(Record):
    """The submission document: what it is called and how its files are named."""

    name: str = "plan"
    """The end of the output files' names: <area>-<name>.docx and .pdf."""
    title: str = ""
    """What the document is, for its properties and the website's downloads."""
    subject: str = "{title}, {start} to {end}"
    """The document's subject in its properties: the plan's fields in braces ({area}), {start} and {end}."""
    author: str = "{area}"
    """Who the document is from, in its properties and running header, such as {hwb}."""
    keywords: str = ""
    """Keywords in the document's properties, separated by semicolons."""
    dates: list[str] = ["date_agreed"]
    """The plan's date fields, in order of preference, whose first given value dates the document."""
    link_anchors: dict[str, str] = {}
    """Kinds of item whose links all go to one heading of the document, such as metric: figures (the heading of the tables of figures)."""


class Report(Record):
    """The quarterly progress report's wording."""

    title: str = "Quarterly progress report"
    """The report's title; the quarter follows it."""
    subject: str = "Progress report of {area}"
    """Its subject in the document's properties: the plan's fields in braces."""
    keywords: str = "progress report"
    """Its keywords in the document's properties."""


class CarryFrom(Record):
    """How a plan of an earlier template moves into this one: where its answers and fields go."""

    parts: dict[str, str] = {}
    """Each earlier part, as section/part, with the part of this template its text moves to (blank: nowhere).
    A part with the same section and part ids here moves without being listed."""
    scheme_parts: dict[str, str] = {}
    """Each earlier part of an item's description with the part it moves to (same ids move unlisted)."""
    fields: dict[str, str] = {}
    """An earlier field with the field of this template that takes its value, each as file.field
    (plan.partners, schemes.objective); fields of the same name move unlisted."""


class CarryOver(Record):
    """What `python build.py next-round` carries into a plan of this template, and what starts afresh."""

    start_afresh: list[str] = []
    """Fields a new round fills in again rather than carry, as file.field (plan.signatories,
    metrics.metrics.plans): the earlier values go to the report, never into the plan."""
    sources: dict[str, CarryFrom] = {}
    """For each earlier template, by its pack id, how its plan moves into this one."""


class Pack(Record):
    id: str
    """The pack's id, the name of its folder in templates/."""
    extends: str = ""
    """The pack this one builds on, such as bcf-2025: its pack.yaml, data.yaml, rules and layouts
    hold unless this pack's own files say otherwise (a key set here replaces the same key there)."""
    name: str
    """The template's full name."""
    description: str = ""
    """What the template is for, in a sentence or two, for `python build.py templates`."""
    period: Period | None = None
    """The period a plan of this template covers, which `python build.py new` starts a plan with."""
    short_name: str = ""
    """A short name for the kind of plan, used in file names and page titles, such as bcf."""
    outputs: list[str] = ["data", "documents", "workbook", "reports", "site"]
    """The outputs this template has, of data, documents, workbook, reports and site."""
    rules: dict[str, dict[str, Any]] = {}
    """The families of rules that apply to a plan of this template, each with its parameters."""
    rules_file: str = ""
    """A Python file in the pack that adds families of rules only this template has, such as rules.py."""
    placeholders: list[PlaceholderPattern] = []
    """The forms of unfinished text to find anywhere in the content; when given, they replace the
    shared ones in templates/common/placeholders.yaml."""
    more_placeholders: list[PlaceholderPattern] = []
    """Forms of unfinished text to find as well as the shared ones (or the pack's `placeholders:`)."""
    prose: dict[str, str] = {}
    """Names an author may quote in the text beyond the generic ones, each an expression over the plan."""
    site_pages: list[SitePage] = []
    """The website's pages made from the plan's data, after the sections and the item descriptions."""
    document: Document = Document()
    """The submission document."""
    report: Report = Report()
    """The quarterly progress report."""
    sections: list[PackSection] = Field(min_length=1)
    """The template's sections, in order."""
    scheme_parts: list[PackPart] = []
    """The parts of each item's description (a scheme's detailed description), when the template has them."""
    carry_over: CarryOver = CarryOver()
    """How a plan of an earlier template moves into this one (`python build.py next-round`)."""

    # Filled in by the loader from data.yaml and the pack's folder, not written in pack.yaml.
    folder: Path | None = None
    data: "PackData | None" = None
    layers: list[Path] = []
    """Where the pack's files are looked for, first found wins: its folder, the folders of the
    packs it extends, then templates/common."""

    def find(self, relative: str) -> Path | None:
        """The pack's file `relative` (such as document/reference.docx) from the first layer that has it."""
        return next((layer / relative for layer in self.layers if (layer / relative).exists()), None)

    def section(self, section_id: str) -> PackSection | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def rule_params(self, family: str) -> dict[str, Any] | None:
        """The parameters a family runs with, or None when the pack does not switch it on."""
        return self.rules.get(family)


class FilesSpec(Record):
    """One content file (or a folder of them) and the fields it holds."""

    file: str = ""
    """The file, relative to the plan's folder, such as content/data/finance.yaml."""
    folder: str = ""
    """A folder of files of this shape instead, such as content/progress."""
    required: bool = True
    """Whether a plan must have it."""
    help: str = ""
    """One line on what it holds, for the README's field reference."""
    kind: str = ""
    """For Markdown item files: what one item is called (scheme), so others can refer to it."""
    key: str = ""
    """For Markdown item files: the front-matter field that names each one (reference)."""
    fields: dict[str, FieldSpec] = {}
    """The fields, each with its type, whether it is required, and one line of help."""


class PackData(Record):
    """data.yaml: what a plan of this template holds."""

    plan: FilesSpec = FilesSpec()
    """The fields of content/plan.yaml beyond the ones every plan has."""
    schemes: FilesSpec | None = None
    """The front matter of the Markdown description of each item, when the template has them."""
    progress: FilesSpec | None = None
    """The quarterly progress updates, when the template has them."""
    files: dict[str, FilesSpec] = {}
    """The data files, by the name templates, rules and prose use for them."""

    def kinds(self) -> dict[str, tuple[str, tuple, str]]:
        """Every kind of item a reference can name: kind -> (data file, path to its list, key field)."""
        found: dict[str, tuple[str, tuple, str]] = {}
        for name, spec in self.files.items():
            for path, field in walk(spec.fields):
                if field.kind:
                    found[field.kind] = (name, path, field.key)
        return found


Pack.model_rebuild()
