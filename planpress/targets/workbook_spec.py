"""A workbook declared as data: the sheets, rows, columns and formulas a template pack asks for.

A pack describes its workbook in `templates/<pack>/workbook.yaml`; planpress/targets/workbook.py
writes whatever is declared and knows none of it. Two kinds of sheet cover a planning template:

* `details`: blocks of label and value rows (plan details, totals by year), one value column,
  or one column per financial year when the block is `by_year`;
* `table`: a header row and one row per record (funding sources, risks), or one row per item of
  a list each record holds (`each`: a metric's goal for each period), optionally with the
  records' sums by year, as a column per year or as a row per record and year, and total rows.

Values are Jinja expressions (`plan.title`, `row.amounts`, `x if y else none`) over the build's
context; labels and headers are text that may hold `{{ ... }}`. A formula names other cells by
the name of their row (in a block) or column (in a table) in braces: `={Likelihood}*{Impact}`,
where the name is the row's or column's `id`, or its label or header exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import jinja2
from pydantic import Field

from planpress.errors import ContentErrors, Finding, closest
from planpress.load.models import Record
from planpress.load.validate import validate
from planpress.load.yamlsource import YamlProblem, parse_yaml, read_text
from planpress.render import long_date, money, number
from planpress.targets.workbook_values import problem as formula_problem

DEFAULT_FORMATS = {
    "money": '"£"#,##0;[Red]-"£"#,##0',
    "count": "#,##0",
    "percent": "0.00%",
}
"""Number formats every workbook may name; a spec's `formats` adds to them or replaces them. A
number given none shows thousands separators and its own decimals (in a table, its column's);
give one such as `year: "0"` for a number to show without them."""


class DetailRow(Record):
    """One row of a block: a label and a value, a formula or a total from a table sheet."""

    label: str = ""
    """The row's label in the first column; may hold {{ ... }}, rendered with the context."""
    id: str | None = None
    """A short name for formulas to use instead of the label, such as baseline."""
    value: str | None = None
    """A Jinja expression giving the value; in a by_year block, a mapping from year to value."""
    formula: str | None = None
    """An Excel formula starting with '=', naming rows of this block in braces, such as ={a}/{b}."""
    total_of: str | None = None
    """In a by_year block: the table sheet whose total for each year this row shows, as a live formula."""
    matching: dict[str, str] = {}
    """With total_of: add up only the table's rows whose columns hold these values, as a live SUMIFS.
    Each key names a column of that table (its id, or its header as written); each value is text
    that may hold {{ ... }}, such as {Stream: Disabled Facilities Grant}."""
    stamp: bool = False
    """True for the rows that say which version of the content the workbook was built from."""
    format: str | None = None
    """The name of a number format for the value cells, such as money, count or percent."""
    bold: bool = False
    """Show the value cells in bold, as for a result."""


class Block(Record):
    """A titled group of rows on a details sheet; blocks are separated by an empty row."""

    title: str
    """The block's title, written on its first row; may hold {{ ... }}."""
    title_style: Literal["header", "bold"] = "header"
    """header: the title row is filled like a table header (with the years in a by_year block); bold: bold text."""
    by_year: bool = False
    """One value column per financial year, headed by the year, instead of a single value column."""
    let: dict[str, str] = {}
    """Short names for this block's expressions and labels, each a Jinja expression, such as {fund: figures.fund}."""
    when: str | None = None
    """A Jinja expression; the block is left out when it is false or none."""
    rows: list[DetailRow] = Field(min_length=1)
    """The block's rows, in order."""


class Column(Record):
    """A column of a table sheet, or a group of columns repeated for each item of a list."""

    header: str | None = None
    """The column's header; may hold {{ ... }} (in a repeated group, n is the item's number from 1)."""
    id: str | None = None
    """A short name for formulas to use instead of the header."""
    value: str | None = None
    """A Jinja expression for the cell, with the record as `row` (and in a repeated group, `item` and `n`)."""
    formula: str | None = None
    """An Excel formula starting with '=', naming other columns of the same row in braces: ={a}*{b}."""
    format: str | None = None
    """The name of a number format for the column's cells, such as money."""
    repeat: str | None = None
    """A Jinja expression giving a list per record; `columns` repeat per item, as often as the longest list has."""
    columns: list[Column] = []
    """With repeat: the columns written for each item, in order."""


class Amounts(Record):
    """The records' sums by financial year, with total rows as live formulas over exactly the records' rows."""

    value: str
    """A Jinja expression giving each record's mapping from financial year to sum, such as row.amounts."""
    layout: Literal["columns", "rows"]
    """columns: a column per year, totalled below; rows: year and sum columns, a row per record for each year."""
    format: str = "money"
    """The number format of the sums and the totals."""
    year_header: str = "Financial year"
    """rows layout: the header of the year column."""
    header: str = "Amount"
    """rows layout: the header of the sum column."""
    total_label: str | None = None
    """The total row's label (rows layout: each year's, with {{ year }}); Total or Total {{ year }} if not given."""
    all_years_label: str = "Total, all years"
    """rows layout: the label of the total over all years."""


class Sheet(Record):
    """One sheet of the workbook."""

    name: str
    """The sheet's name on its tab, as the template names it (at most 31 characters)."""
    kind: Literal["details", "table"]
    """details: titled blocks of label and value rows; table: a header row and a row per record."""
    blocks: list[Block] = []
    """details: the blocks, in order; the first block's title row is the sheet's header row."""
    rows: str | None = None
    """table: a Jinja expression giving the records, such as risks.risks; each is `row` in the columns."""
    each: str | None = None
    """table: a Jinja expression giving a list per record, such as row.plans: the table then has a row per
    item of each record's list (none for an empty list), with the record as `row`, the item as `item` and
    its number from 1 as `n` (in a repeated group of columns, `item` and `n` are the group's)."""
    columns: list[Column] = []
    """table: the columns, in order."""
    amounts: Amounts | None = None
    """table: the records' sums by year, with live totals that a details row can show with total_of."""


class WorkbookSpec(Record):
    """The workbook a template pack asks for (templates/<pack>/workbook.yaml)."""

    file: str
    """The output file's name, with {slug} for how the plan's output files start: {slug}-figures.xlsx."""
    title: str = ""
    """The document's title in its properties; may hold {{ ... }}."""
    subject: str = ""
    """The document's subject in its properties; may hold {{ ... }}."""
    creator: str = ""
    """The document's author in its properties; may hold {{ ... }}."""
    language: str = "en-GB"
    """The document's language."""
    formats: dict[str, str] = {}
    """Number formats by name, in Excel's notation, added to the built-in money, count and percent."""
    sheets: list[Sheet] = Field(min_length=1)
    """The sheets, in the order of their tabs."""

    def number_formats(self) -> dict[str, str]:
        return {**DEFAULT_FORMATS, **self.formats}


# --- the expression language -----------------------------------------------------------

ENVIRONMENT = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
"""Expressions and labels are Jinja, trusted as code is (packs are reviewed like code); a name
that does not exist is an error, never an empty cell."""
ENVIRONMENT.filters.update(long_date=long_date, money=money, number=number)

REFERENCE = re.compile(r"\{([^{}]+)\}")
"""A formula's reference to another row or column: {name}."""

_compiled: dict[tuple[str, bool], object] = {}


def compiled(text: str, is_text: bool):
    """A Jinja text (label, header, title) as a template, or an expression as a callable; cached."""
    key = (text, is_text)
    if key not in _compiled:
        _compiled[key] = (ENVIRONMENT.from_string(text) if is_text
                          else ENVIRONMENT.compile_expression(text, undefined_to_none=False))
    return _compiled[key]


# --- what validation cannot see --------------------------------------------------------

MAX_SHEET_NAME = 31
_NOT_IN_SHEET_NAMES = set("[]:*?/\\")


def check_spec(spec: WorkbookSpec) -> list[Finding]:
    """Each sheet has what its kind needs; names, formats and formula references resolve; Jinja compiles."""
    checker = _Checker(spec)
    checker.check()
    return checker.findings


class _Checker:
    def __init__(self, spec: WorkbookSpec):
        self.spec = spec
        self.formats = spec.number_formats()
        self.findings: list[Finding] = []

    def problem(self, record: Record, path: tuple, message: str, hint: str) -> None:
        self.findings.append(Finding(record.where(*path), "error", message, hint, rule="workbook"))

    def check(self) -> None:
        spec = self.spec
        rest = spec.file.replace("{slug}", "")
        if "{slug}" not in spec.file or not spec.file.endswith(".xlsx") or "/" in rest or "{" in rest or "}" in rest:
            self.problem(spec, ("file",), f"The file name '{spec.file}' will not do",
                         "Write a name that holds {slug} and ends .xlsx, such as '{slug}-figures.xlsx'")
        seen: set[str] = set()
        for sheet in spec.sheets:
            self.sheet_name(sheet, seen)
            if sheet.kind == "details":
                self.details(sheet)
            else:
                self.table(sheet)
        for record, path, text, is_text in jinja_fields(spec):
            try:
                compiled(text, is_text)
            except jinja2.TemplateSyntaxError as error:
                self.problem(record, path, f"'{path[0]}' is not a valid Jinja {'text' if is_text else 'expression'}: "
                             f"{error.message}", "Check its brackets, quotes and operators")

    def sheet_name(self, sheet: Sheet, seen: set[str]) -> None:
        name = sheet.name
        if not name or len(name) > MAX_SHEET_NAME or _NOT_IN_SHEET_NAMES & set(name):
            self.problem(sheet, ("name",), f"'{name}' cannot be the name of a sheet",
                         f"A sheet's name has 1 to {MAX_SHEET_NAME} characters, none of them [ ] : * ? / \\")
        if name.lower() in seen:
            self.problem(sheet, ("name",), f"There are two sheets called '{name}'", "Give each sheet its own name")
        seen.add(name.lower())

    def details(self, sheet: Sheet) -> None:
        for name in ("rows", "each", "columns", "amounts"):
            if getattr(sheet, name):
                self.problem(sheet, (name,), f"A details sheet has no '{name}'",
                             "Give it 'blocks:', or make it 'kind: table'")
        if not sheet.blocks:
            self.problem(sheet, ("kind",), f"The details sheet '{sheet.name}' has no blocks",
                         "Add 'blocks:' with at least one block of rows")
        tables = {s.name: _names((c.id, c.header) for c in s.columns if c.repeat is None)
                  for s in self.spec.sheets if s.kind == "table" and s.amounts is not None}
        for block in sheet.blocks:
            names = _names((row.id, row.label) for row in block.rows if not row.stamp)
            for row in block.rows:
                self.detail_row(row, block, names, tables)

    def detail_row(self, row: DetailRow, block: Block, names: dict[str, int],
                   tables: dict[str, dict[str, int]]) -> None:
        given = [key for key in ("value", "formula", "total_of") if getattr(row, key) is not None]
        if row.stamp:
            if given or row.label or row.id or row.matching:
                self.problem(row, ("stamp",), "A stamp row takes nothing else", "Write it as '- stamp: true'")
            return
        if not row.label:
            self.problem(row, (), "A row has no label", "Add 'label: ...'")
        if len(given) != 1:
            self.problem(row, (given[-1],) if given else (),
                         f"The row '{row.label}' has {' and '.join(given) or 'no value'}",
                         "Give it one of value, formula and total_of")
        if row.total_of is not None:
            if not block.by_year:
                self.problem(row, ("total_of",), "total_of needs a block with 'by_year: true'",
                             "Add 'by_year: true' to the block")
            elif row.total_of not in tables:
                self.unknown(row, "total_of", f"There is no table sheet with amounts called '{row.total_of}'",
                             row.total_of, list(tables), "the sheets with totals by year")
            else:
                self.matching(row, tables[row.total_of])
        elif row.matching:
            self.problem(row, ("matching",), "'matching' goes with total_of",
                         "Add 'total_of:', or remove 'matching:'")
        self.format(row, row.format)
        if row.formula is not None:
            self.formula(row, row.formula, names, "a row of the block")

    def matching(self, row: DetailRow, columns: dict[str, int]) -> None:
        """Each column that `matching` names is one column of the table total_of names."""
        for name in row.matching:
            if columns.get(name, 0) > 1:
                self.problem(row, ("matching", name), f"'matching' names '{name}', which more than one column "
                             f"of '{row.total_of}' is called", "Give the one you mean an id: and name that")
            elif name not in columns:
                self.unknown(row, "matching", f"'matching' names '{name}', which is not a column of "
                             f"'{row.total_of}'", name, [n for n, count in columns.items() if count == 1],
                             "its columns (outside repeated groups)")

    def table(self, sheet: Sheet) -> None:
        if sheet.blocks:
            self.problem(sheet, ("blocks",), "A table sheet has no 'blocks'", "Give it 'rows:' and 'columns:'")
        if sheet.rows is None:
            self.problem(sheet, ("kind",), f"The table sheet '{sheet.name}' does not say what its rows are",
                         "Add 'rows:' with an expression giving the records, such as plan.items")
        plain = [c for c in sheet.columns if c.repeat is None]
        if not plain:
            self.problem(sheet, ("columns",) if sheet.columns else ("kind",),
                         f"The table sheet '{sheet.name}' has no columns",
                         "Add 'columns:', each with a header and a value or a formula")
        names = _names((c.id, c.header) for c in plain)
        for column in sheet.columns:
            self.column(column, names, in_group=False)
        if sheet.amounts is not None:
            self.format(sheet.amounts, sheet.amounts.format)

    def column(self, column: Column, names: dict[str, int], in_group: bool) -> None:
        if column.repeat is not None:
            if in_group:
                self.problem(column, ("repeat",), "A repeated group cannot hold another", "Move it out of the group")
            if not column.columns or column.header or column.value or column.formula or column.format:
                self.problem(column, ("repeat",), "A repeated group has 'repeat:' and 'columns:' only",
                             "Put the headers, values and formats in the group's columns")
            for inner in column.columns:
                self.column(inner, names, in_group=True)
            return
        if column.columns:
            self.problem(column, ("columns",), "Only a group with 'repeat:' has columns",
                         "Add 'repeat:', or remove the columns")
        if not column.header:
            self.problem(column, (), "A column has no header", "Add 'header: ...'")
        if (column.value is None) == (column.formula is None):
            self.problem(column, ("formula",) if column.formula is not None else (),
                         f"The column '{column.header}' needs a value or a formula, and only one",
                         "Keep one of them")
        self.format(column, column.format)
        if column.formula is not None:
            self.formula(column, column.formula, names, "a column of the sheet (outside repeated groups)")

    def format(self, record: Record, name: str | None) -> None:
        if name is not None and name not in self.formats:
            self.unknown(record, "format", f"There is no number format called '{name}'", name, list(self.formats),
                         "the formats (add others under 'formats:')")

    def formula(self, record: Record, formula: str, names: dict[str, int], what: str) -> None:
        if not formula.startswith("="):
            self.problem(record, ("formula",), f"The formula '{formula}' does not start with '='",
                         "Write it as =..., as in Excel")
        unique = [name for name, count in names.items() if count == 1]
        for name in REFERENCE.findall(formula):
            if names.get(name, 0) > 1:
                self.problem(record, ("formula",), f"The formula names '{{{name}}}', which more than one row or "
                             "column is called", "Give the one you mean an id: and name that")
            elif name not in names:
                self.unknown(record, "formula", f"The formula names '{{{name}}}', which is not {what}",
                             name, unique, "the names here", brace=True)
        if formula.startswith("=") and (why := formula_problem(REFERENCE.sub("A1", formula))):
            self.problem(record, ("formula",), f"planpress cannot work out the value of '{formula}' to store "
                         f"beside it: {why}", "Write it with + - * / ^ &, comparisons and the functions named, "
                         "so that a reader that does not recalculate sees its value too")

    def unknown(self, record: Record, key: str, message: str, name: str, known: list[str], known_as: str,
                brace: bool = False) -> None:
        guess = closest(name, known)
        shown = [f"{{{k}}}" if brace else k for k in known]
        hint = (f"Did you mean '{shown[known.index(guess)]}'? " if guess else "") + \
            f"{known_as[0].upper()}{known_as[1:]} are: {', '.join(shown) or 'none'}"
        self.problem(record, (key,), message, hint)


def _names(pairs: Iterator[tuple[str | None, str | None]]) -> dict[str, int]:
    """How many rows or columns answer to each name: an id, or a label or header as written."""
    counts: dict[str, int] = {}
    for pair in pairs:
        for name in set(pair) - {None, ""}:
            counts[name] = counts.get(name, 0) + 1
    return counts


def jinja_fields(spec: WorkbookSpec) -> Iterator[tuple[Record, tuple, str, bool]]:
    """Every Jinja text (True) and expression (False) in the spec, with the record and field holding it."""
    for key in ("title", "subject", "creator"):
        yield spec, (key,), getattr(spec, key), True
    for sheet in spec.sheets:
        if sheet.rows is not None:
            yield sheet, ("rows",), sheet.rows, False
        if sheet.each is not None:
            yield sheet, ("each",), sheet.each, False
        for block in sheet.blocks:
            yield block, ("title",), block.title, True
            for name, expression in block.let.items():
                yield block, ("let", name), expression, False
            if block.when is not None:
                yield block, ("when",), block.when, False
            for row in block.rows:
                yield row, ("label",), row.label, True
                if row.value is not None:
                    yield row, ("value",), row.value, False
                for name, text in row.matching.items():
                    yield row, ("matching", name), text, True
        for column in [c for top in sheet.columns for c in (top, *top.columns)]:
            for key in ("header", "value", "repeat"):
                if getattr(column, key) is not None:
                    yield column, (key,), getattr(column, key), key == "header"
        if sheet.amounts is not None:
            yield sheet.amounts, ("value",), sheet.amounts.value, False
            for key in ("year_header", "header", "total_label", "all_years_label"):
                if getattr(sheet.amounts, key) is not None:
                    yield sheet.amounts, (key,), getattr(sheet.amounts, key), True


SPEC_FILE = "workbook.yaml"


def load_workbook_spec(pack_dir: Path, file: str | None = None) -> WorkbookSpec | None:
    """The workbook the pack in `pack_dir` declares, or None if it has no workbook.yaml.

    Findings name the file `file`, by default its path from the project (a pack lives in
    <project>/templates/<pack>). Any mistake in it raises ContentErrors.
    """
    path = pack_dir / SPEC_FILE
    if not path.is_file():
        return None
    if file is None:
        file = "/".join(path.parts[-3:]) if path.parts[-3:-2] == ("templates",) else str(path)
    findings: list[Finding] = []
    try:
        doc = parse_yaml(read_text(path, file), file)
    except YamlProblem as problem:
        raise ContentErrors([problem.finding]) from None
    spec = validate(WorkbookSpec, doc, findings)
    if spec is not None:
        findings += check_spec(spec)
    if spec is None or findings:
        raise ContentErrors(findings)
    return spec
