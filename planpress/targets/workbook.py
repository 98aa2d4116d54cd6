"""The workbook a template pack declares in its workbook.yaml, with totals as live Excel formulas.

A generic writer: the sheets, rows, columns, labels and formulas are the pack's data (see
workbook_spec.py), evaluated against a context of the plan's records and figures. openpyxl
writes the file (no hand-made XML). Every total is a formula over exactly its rows, so a
finance lead who changes a line in Excel sees the total follow; the values written are the
same figures every other output shows. Each formula's value is stored beside it
(workbook_values.py), so a reader that does not recalculate sees the numbers too.

In print: one font and size throughout; each row as tall as its longest wrapped cell; a sheet
is scaled to a page's width only while its text stays at least SMALLEST_PRINTED (long text
columns are narrowed and wrap first), and otherwise runs onto more pages with its first column
repeated; the header row repeats on every page, under the plan's name, with page numbers below.
"""

from __future__ import annotations

import datetime as dt
import io
from copy import copy
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import jinja2
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.named_styles import NamedStyleList
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.header_footer import _HeaderFooterPart
from openpyxl.worksheet.worksheet import Worksheet

from planpress.collaborate.version import VersionStamp, version_stamp
from planpress.errors import BuildError
from planpress.figures import Figures, compute
from planpress.load.content import PlanContent
from planpress.load.models import Record
from planpress.render import long_date
from planpress.render.context import layout_context
from planpress.targets import BuildContext, Target
from planpress.targets.workbook_spec import REFERENCE, Amounts, Block, Column, DetailRow, Sheet, WorkbookSpec, \
    compiled
from planpress.targets.workbook_values import Evaluator, FormulaError, store_values

FONT, SIZE = "Arial", 10
"""One font and size for every cell, headers included: the documents' house font (LibreOffice
shows Liberation Sans, which has Arial's widths)."""
BODY_FONT = Font(name=FONT, size=SIZE)
BOLD = Font(name=FONT, size=SIZE, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(name=FONT, size=SIZE, bold=True, color="FFFFFF")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
YEAR_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="right")
TOTAL_BORDER = Border(top=Side(style="thin"), bottom=Side(style="double"))
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
MAX_WIDTH = 60
"""The widest a column grows; longer text wraps."""
NARROWEST_WRAPPED = 18
"""The narrowest a column of long text is made, to fit a sheet to the page's width."""
LINE_HEIGHT = SIZE * 1.3
"""Points per line of wrapped text."""
ROW_PADDING = 2
MAX_ROW_HEIGHT = 409
"""The tallest row Excel allows, in points."""
POINTS_PER_WIDTH = 5.6
"""A column width unit (a digit of the default font, Arial 10: 7 to 7.4 pixels) in points, at most:
how wide a sheet prints."""
TEXT_POINTS_PER_WIDTH = 5.25
"""The same, at least (Excel's 7 pixels): how much text a line of a column holds."""
PAGE_POINTS = {"portrait": 595, "landscape": 842}
"""A4's width in points, by orientation."""
SIDE_MARGIN = 0.5
"""Left and right margins, inches."""
SMALLEST_PRINTED = 9.0
"""The smallest a sheet's text is printed when it is scaled to fit the page's width, in points (an
estimate from the widths: what LibreOffice prints stays at least 8 pt)."""


# --- the target ------------------------------------------------------------------------


def build(context: BuildContext) -> list[str]:
    content = context.content
    assert content.plan is not None
    spec = content.models.workbook  # read and checked with the pack
    if spec is None:
        return []
    figures = compute(content)
    book = make_workbook(spec, workbook_context(content, figures, context.draft, context.open_problems),
                         figures.years, stamp_rows(version_stamp(content.root, content.plan.version)),
                         context.draft, context.open_problems)
    name = spec.file.replace("{slug}", context.slug)
    book.save(context.stage.path(name))
    return [name]


def promised(context: BuildContext) -> list[str]:
    spec = context.content.models.workbook
    return [spec.file.replace("{slug}", context.slug)] if spec is not None else []


def workbook_context(content: PlanContent, figures: Figures, draft: bool, open_problems: int) -> dict[str, object]:
    """What a workbook's expressions may name: what every layout sees, and the plan's status as shown."""
    return layout_context(content, figures) | {
        "status": _draft_status(open_problems) if draft else content.plan.status.capitalize(),
    }


def _draft_status(open_problems: int) -> str:
    """DRAFT, with the count of open problems only when there are some."""
    if not open_problems:
        return "DRAFT"
    return f"DRAFT ({open_problems} open problem{'' if open_problems == 1 else 's'})"


def stamp_rows(stamp: VersionStamp) -> list[tuple[str, str]]:
    """Which commit the workbook was built from, so two copies can be told apart."""
    if stamp.commit is None:
        return [("Built from", "content outside a git checkout: no commit"),
                ("Content date", long_date(stamp.date) if stamp.date else "unknown")]
    return [("Commit", stamp.commit), ("Commit date", long_date(stamp.date)),
            ("Uncommitted changes", "YES: built from changes not yet committed" if stamp.dirty else "none")]


# --- evaluating ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    """The names expressions see on one sheet, and what to say when one fails."""

    names: Mapping[str, object]
    sheet: str

    def value(self, expression: str, record: Record, field_name: str, what: str, **extra: object) -> object:
        try:
            result = compiled(expression, False)({**self.names, **extra})
            if isinstance(result, jinja2.Undefined):
                str(result)  # raises UndefinedError, saying what is missing
            return result
        except Exception as error:  # a pack's expression may fail in any way: say where, not a traceback
            raise self.error(record, field_name, what, expression, error) from None

    def cell_value(self, expression: str, record: Record, field_name: str, what: str, **extra: object) -> object:
        return self.as_cell(self.value(expression, record, field_name, what, **extra), record, field_name, what,
                            expression)

    def as_cell(self, value: object, record: Record, field_name: str, what: str, expression: str) -> object:
        """A value as a cell holds it: text, a number (never a Decimal), a date, or nothing."""
        if isinstance(value, Decimal):
            return _number(value)
        if value is None or isinstance(value, (str, int, float, dt.date)):
            return value
        raise self.error(record, field_name, what, expression,
                         f"it gives {type(value).__name__}, which a cell cannot hold: give text, a number "
                         "or a date (join a list with | join(', '))")

    def text(self, text: str, record: Record, field_name: str, what: str, **extra: object) -> str:
        if "{{" not in text and "{%" not in text:
            return text
        try:
            return compiled(text, True).render({**self.names, **extra})
        except Exception as error:
            raise self.error(record, field_name, what, text, error) from None

    def error(self, record: Record, field_name: str, what: str, expression: str,
              problem: Exception | str) -> BuildError:
        where = record.where(field_name)
        place = "" if where.file == "<unknown>" else f"{where}: "
        if isinstance(problem, jinja2.UndefinedError):
            problem = f"{problem.message}; check the names in it against the workbook's context"
        elif isinstance(problem, Exception):
            problem = f"{type(problem).__name__}: {problem}"
        sheet = f"Sheet '{self.sheet}', " if self.sheet else ""
        return BuildError(f"{place}{sheet}{what}: '{expression}' failed: {problem}")


def _number(value: Decimal | int | float) -> int | float:
    """openpyxl writes numbers, not Decimals: whole pounds as int, anything else as float."""
    return int(value) if value == int(value) else float(value)


def _records(value: object, scope: _Scope, record: Record, field_name: str, what: str, expression: str) -> list:
    if value is None:
        return []
    if isinstance(value, (str, Mapping)) or not isinstance(value, Iterable):
        raise scope.error(record, field_name, what, expression, f"it should give a list, not {type(value).__name__}")
    return list(value)


def _by_year(value: object, scope: _Scope, record: Record, field_name: str, what: str, expression: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise scope.error(record, field_name, what, expression,
                          f"it should give a mapping from financial year to value, not {type(value).__name__}")
    return value


# --- writing ---------------------------------------------------------------------------


class Formula(str):
    """One of the pack's own formulas (workbook.yaml), written as a live formula. Any other text,
    whatever it starts with, is written as text: a plan's words never become a formula."""


RISKY_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read typed or pasted text as a formula (OWASP: CSV and formula injection)."""


CELL_TEXT_LIMIT = 32_767
"""The most characters a spreadsheet cell holds (Excel's limit)."""


def _put(page: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write a cell: a Formula as a formula; text always as text, marked so that Excel keeps it text
    (a leading apostrophe, not shown) when someone edits the cell. Control characters no
    spreadsheet may hold are left out, and text past a cell's limit is cut short, marked so."""
    cell = page.cell(row, column)
    cell.font = BODY_FONT
    if isinstance(value, str) and not isinstance(value, Formula):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > CELL_TEXT_LIMIT:
            value = value[:CELL_TEXT_LIMIT - 30] + " [cut short: see the plan]"
        cell.value = value
        cell.data_type = "s"
        if value.startswith(RISKY_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


class PlanWorkbook(Workbook):
    """openpyxl's workbook in the house font, saved with each formula's value stored beside it."""

    values: dict[tuple[str, str], object]
    """Each formula cell's value by (sheet title, coordinate), as Excel would work it out."""

    def _setup_styles(self) -> None:
        """The workbook's own default font (its Normal style) is the cells' font, not Calibri: a
        column's width is counted in the default font's digits, and a reader without Calibri
        (LibreOffice on Linux) would otherwise size every column in some other font."""
        super()._setup_styles()
        self._fonts = IndexedList([BODY_FONT])
        self._named_styles = NamedStyleList()
        self.add_named_style(NamedStyle(name="Normal", font=copy(BODY_FONT), builtinId=0))

    def save(self, filename) -> None:  # type: ignore[override]
        written = io.BytesIO()
        super().save(written)
        data = store_values(written.getvalue(), self.values)
        if hasattr(filename, "write"):
            filename.write(data)
        else:
            Path(filename).write_bytes(data)


def make_workbook(spec: WorkbookSpec, context: dict[str, object], years: list[str],
                  stamp_rows: list[tuple[str, str]], draft: bool, open_problems: int) -> Workbook:
    """The workbook `spec` declares, its values taken from `context`.

    `years` are the plan's financial years (the by-year columns and rows); `stamp_rows` the
    label and value rows that a `stamp: true` row stands for. Expressions also see `draft` and
    `open_problems`, unless the context gives those names itself.
    """
    names = {"draft": draft, "open_problems": open_problems, **context}
    formats = spec.number_formats()
    book = PlanWorkbook()
    pages: dict[str, Worksheet] = {}
    for index, sheet in enumerate(spec.sheets):
        pages[sheet.name] = book.active if index == 0 else book.create_sheet()
        pages[sheet.name].title = sheet.name
    totals: dict[str, _Written] = {}
    for sheet in spec.sheets:  # tables first, so that a details row can show a table's totals
        if sheet.kind == "table":
            totals[sheet.name] = _table(pages[sheet.name], sheet, _Scope(names, sheet.name), years, formats)
    for sheet in spec.sheets:
        if sheet.kind == "details":
            _details(pages[sheet.name], sheet, _Scope(names, sheet.name), years, stamp_rows, totals, formats)
    book.values = Evaluator(book).all()
    scope = _Scope(names, "")
    for key in ("title", "subject", "creator"):
        if getattr(spec, key):
            setattr(book.properties, key, scope.text(getattr(spec, key), spec, key, f"The workbook's {key}"))
    for sheet in spec.sheets:
        _finish(pages[sheet.name], sheet.kind == "table", book.values, book.properties.title or "")
    book.properties.language = spec.language
    return book


# Details sheets: blocks of label and value rows.


def _details(page: Worksheet, sheet: Sheet, scope: _Scope, years: list[str], stamp_rows: list[tuple[str, str]],
             totals: dict[str, _Written], formats: dict[str, str]) -> None:
    number = 0
    for block in sheet.blocks:
        block_scope = _block_scope(block, scope)
        if block_scope is None:
            continue
        number += 1 if number == 0 else 2  # an empty row between blocks
        _block_title(page, block, block_scope, number, years)
        placed: list[tuple[int, DetailRow]] = []
        for row in block.rows:
            if row.stamp:
                for label, value in stamp_rows:
                    number += 1
                    _put(page, number, 1, label)
                    _put(page, number, 2, value)
                continue
            number += 1
            placed.append((number, row))
        found = {name: at for at, row in placed for name in {row.id, row.label} - {None, ""}}
        for at, row in placed:
            _detail_row(page, at, row, block, block_scope, years, found, totals, formats)


def _block_scope(block: Block, scope: _Scope) -> _Scope | None:
    """The names the block's rows see, or None when its `when` leaves it out."""
    what = f"block '{block.title}'"
    if block.let:
        scope = _Scope({**scope.names, **{name: scope.value(expression, block, "let", what)
                                          for name, expression in block.let.items()}}, scope.sheet)
    if block.when is not None and not scope.value(block.when, block, "when", what):
        return None
    return scope


def _block_title(page: Worksheet, block: Block, scope: _Scope, number: int, years: list[str]) -> None:
    title = scope.text(block.title, block, "title", f"block '{block.title}'")
    if block.title_style == "bold":
        _put(page, number, 1, title).font = BOLD
        return
    for index, text in enumerate([title, *(years if block.by_year else [""])], start=1):
        cell = _put(page, number, index, text)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = HEADER_ALIGNMENT if index == 1 else YEAR_HEADER_ALIGNMENT


def _detail_row(page: Worksheet, number: int, row: DetailRow, block: Block, scope: _Scope, years: list[str],
                found: dict[str, int], totals: dict[str, _Written], formats: dict[str, str]) -> None:
    what = f"row '{row.label}'"
    _put(page, number, 1, scope.text(row.label, row, "label", what))
    matching = {name: scope.text(text, row, "matching", what) for name, text in row.matching.items()}
    value: object = None
    if row.value is not None:
        value = scope.value(row.value, row, "value", what)
        if block.by_year:
            value = _by_year(value, scope, row, "value", what, row.value)
    for index, year in enumerate(years if block.by_year else [None], start=2):
        letter = get_column_letter(index)
        if row.formula is not None:
            content = Formula(REFERENCE.sub(lambda m: f"{letter}{found[m.group(1)]}", row.formula))
        elif row.total_of is not None and matching:
            content = Formula(totals[row.total_of].sum_matching(year, matching))
        elif row.total_of is not None:
            content = Formula(f"={totals[row.total_of].totals[year]}")
        else:
            content = scope.as_cell(value.get(year) if block.by_year else value, row, "value", what, row.value or "")
        cell = _put(page, number, index, content)
        if row.format is not None:
            cell.number_format = formats[row.format]
        if row.bold:
            cell.font = BOLD


# Table sheets: a header row, a row per record, and totals.


@dataclass(frozen=True)
class _Written:
    """Where a table sheet put its records and sums, for formulas on other sheets to name."""

    quoted: str
    """The sheet's name as a formula names it: 'Costs'."""
    first: int
    last: int
    """The first and last rows of the records."""
    letters: dict[str, str]
    """Each column's letter by its names (outside repeated groups)."""
    totals: dict[str, str]
    """Each year's total cell, such as 'Costs'!F12."""
    year_letters: dict[str, str]
    """Amounts in columns: each year's column."""
    year_letter: str = ""
    amount_letter: str = ""
    """Amounts in rows: the year column and the sum column."""

    def range(self, letter: str) -> str:
        return f"{self.quoted}!${letter}${self.first}:${letter}${self.last}"

    def sum_matching(self, year: str, matching: dict[str, str]) -> str:
        """A SUMIFS of the year's sums over the records whose named columns hold the given values."""
        if self.year_letters:
            criteria = []
            summed = self.year_letters[year]
        else:
            criteria = [(self.year_letter, year)]
            summed = self.amount_letter
        criteria += [(self.letters[name], text) for name, text in matching.items()]
        return f"=SUMIFS({self.range(summed)}," + ",".join(
            f"{self.range(letter)},{_criterion(text)}" for letter, text in criteria) + ")"


def _criterion(text: str) -> str:
    """A SUMIFS criterion that matches exactly `text`: wildcards escaped, a leading operator made literal."""
    escaped = "".join("~" + c if c in "*?~" else c for c in text).replace('"', '""')
    return f'"={escaped}"' if escaped[:1] in ("=", "<", ">") else f'"{escaped}"'


@dataclass(frozen=True)
class _Col:
    """A column as written: its header, where its cells come from and how they look."""

    header: str
    source: Column | None = None
    """The declared column (None for the columns amounts add)."""
    group: int | None = None
    """For a repeated column: its group's index among the sheet's columns."""
    n: int = 0
    """For a repeated column: the number of its item, from 1."""
    year: str | None = None
    """For a year's column (amounts in columns): the year."""
    role: str = ""
    """For the columns amounts in rows add: "year" or "amount"."""
    format: str | None = None


def _table(page: Worksheet, sheet: Sheet, scope: _Scope, years: list[str], formats: dict[str, str]) -> _Written:
    """Write a table; return where its records, columns and (if it has amounts) each year's total are."""
    assert sheet.rows is not None
    records = _records(scope.value(sheet.rows, sheet, "rows", "its rows"), scope, sheet, "rows", "its rows",
                       sheet.rows)
    entries = _entries(sheet, scope, records)
    lists = {index: [_records(scope.value(c.repeat, c, "repeat", "a repeated group", **entry), scope, c,
                              "repeat", "a repeated group", c.repeat) for entry in entries]
             for index, c in enumerate(sheet.columns) if c.repeat is not None}
    columns = _columns(sheet, scope, years, lists)
    letters = {name: get_column_letter(i) for i, c in enumerate(columns, start=1) if c.source and c.group is None
               for name in {c.source.id, c.source.header} - {None}}
    for index, column in enumerate(columns, start=1):
        cell = _put(page, 1, index, column.header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        # A year's or a sum's header sits over its numbers, on the right.
        cell.alignment = YEAR_HEADER_ALIGNMENT if column.year or column.role == "amount" else HEADER_ALIGNMENT
    amounts = sheet.amounts
    number = 1
    for year in (years if amounts is not None and amounts.layout == "rows" else [None]):
        for position, entry in enumerate(entries):
            number += 1
            names = entry if year is None else {**entry, "year": year}
            label = f"row {number}"
            sums: Mapping = {}
            if amounts is not None:
                sums = _by_year(scope.value(amounts.value, amounts, "value", f"the amounts, {label}", **names),
                                scope, amounts, "value", f"the amounts, {label}", amounts.value)
            for index, column in enumerate(columns, start=1):
                if column.group is not None:
                    items = lists[column.group][position]
                    if column.n > len(items):
                        continue
                    content = _column_value(column, scope, letters, number,
                                            {**names, "item": items[column.n - 1], "n": column.n})
                elif column.role == "year":
                    content = year
                elif column.role == "amount" or column.year is not None:
                    content = scope.as_cell(sums.get(column.year or year, 0), amounts, "value",
                                            f"the amounts, {label}", amounts.value)
                else:
                    content = _column_value(column, scope, letters, number, names)
                cell = _put(page, number, index, content)
                if column.format is not None:
                    cell.number_format = formats[column.format]
    quoted = "'" + sheet.name.replace("'", "''") + "'"
    written = _Written(quoted, 2, number, letters, {}, {})
    if amounts is None:
        return written
    totals = _totals(page, quoted, amounts, scope, columns, years, number, formats[amounts.format])
    if amounts.layout == "columns":
        return replace(written, totals=totals,
                       year_letters={c.year: get_column_letter(i) for i, c in enumerate(columns, start=1) if c.year})
    at = next(i for i, c in enumerate(columns, start=1) if c.role == "year")
    return replace(written, totals=totals, year_letter=get_column_letter(at), amount_letter=get_column_letter(at + 1))


def _entries(sheet: Sheet, scope: _Scope, records: list) -> list[dict[str, object]]:
    """What each row of the table sees: its record as `row`, and with `each`, the item and its number."""
    if sheet.each is None:
        return [{"row": record} for record in records]
    what = "its rows per record"
    return [{"row": record, "item": item, "n": n} for record in records
            for n, item in enumerate(_records(scope.value(sheet.each, sheet, "each", what, row=record), scope,
                                              sheet, "each", what, sheet.each), start=1)]


def _columns(sheet: Sheet, scope: _Scope, years: list[str], lists: dict[int, list[list[object]]]) -> list[_Col]:
    columns: list[_Col] = []
    for index, column in enumerate(sheet.columns):
        if column.repeat is None:
            assert column.header is not None
            header = scope.text(column.header, column, "header", f"column '{column.header}'")
            columns.append(_Col(header, column, format=column.format))
            continue
        for n in range(1, max(map(len, lists[index]), default=0) + 1):
            for inner in column.columns:
                assert inner.header is not None
                header = scope.text(inner.header, inner, "header", f"column '{inner.header}'", n=n)
                columns.append(_Col(header, inner, group=index, n=n, format=inner.format))
    amounts = sheet.amounts
    if amounts is not None and amounts.layout == "columns":
        columns += [_Col(year, year=year, format=amounts.format) for year in years]
    elif amounts is not None:
        columns += [_Col(scope.text(amounts.year_header, amounts, "year_header", "the amounts"), role="year"),
                    _Col(scope.text(amounts.header, amounts, "header", "the amounts"), role="amount",
                         format=amounts.format)]
    return columns


def _column_value(column: _Col, scope: _Scope, letters: dict[str, str], number: int,
                  names: dict[str, object]) -> object:
    source = column.source
    assert source is not None
    if source.formula is not None:
        return Formula(REFERENCE.sub(lambda m: f"{letters[m.group(1)]}{number}", source.formula))
    assert source.value is not None
    return scope.cell_value(source.value, source, "value", f"column '{column.header}', row {number}"
                            + _record_name(names["row"]), **names)


def _record_name(record: object) -> str:
    """A record's own name, if it has an obvious one, to say which record an expression failed on."""
    for key in ("id", "reference", "name", "item", "source"):
        found = getattr(record, key, None)
        if isinstance(found, str) and found:
            return f" ({found})"
    return ""


def _totals(page: Worksheet, quoted: str, amounts: Amounts, scope: _Scope, columns: list[_Col],
            years: list[str], last: int, number_format: str) -> dict[str, str]:
    """Total rows under the records, each a formula over exactly their rows; return each year's total cell."""
    first, number = 2, last
    totals: dict[str, str] = {}
    if amounts.layout == "columns":
        number += 1
        _put(page, number, 1, scope.text(amounts.total_label or "Total", amounts, "total_label",
                                         "the total row")).font = BOLD
        for index, column in enumerate(columns, start=1):
            if column.year is not None:
                letter = get_column_letter(index)
                _total_cell(_put(page, number, index, Formula(f"=SUM({letter}{first}:{letter}{last})")),
                            number_format)
                totals[column.year] = f"{quoted}!{letter}{number}"
        return totals
    at = next(i for i, c in enumerate(columns, start=1) if c.role == "year")
    y, a = get_column_letter(at), get_column_letter(at + 1)
    for year in [*years, None]:
        number += 1
        if year is None:
            label = scope.text(amounts.all_years_label, amounts, "all_years_label", "the total row")
            formula = Formula(f"=SUM({a}{first}:{a}{last})")
        else:
            label = scope.text(amounts.total_label or "Total {{ year }}", amounts, "total_label", "the total row",
                               year=year)
            formula = Formula(f'=SUMIF({y}{first}:{y}{last},"{year}",{a}{first}:{a}{last})')
            totals[year] = f"{quoted}!{a}{number}"
        _put(page, number, 1, label).font = BOLD
        for index in range(2, at):
            _put(page, number, index, "")
        _put(page, number, at, year or "")
        _total_cell(_put(page, number, at + 1, formula), number_format)
    return totals


def _total_cell(cell: Cell, number_format: str) -> None:
    cell.font, cell.border, cell.number_format = BOLD, TOTAL_BORDER, number_format


# Every sheet.


def _finish(page: Worksheet, table: bool, values: dict[tuple[str, str], object], title: str) -> None:
    """Make a sheet read well on screen and on paper: numbers with thousands separators, columns
    sized to their entries (long text wraps), each row as tall as its longest wrapped cell, and
    the print setup (see the module's docstring)."""
    page.freeze_panes = "A2"
    _number_formats(page, table, values)
    shown = {cell.coordinate: _shown(cell, values.get((page.title, cell.coordinate)))
             for row in page.iter_rows() for cell in row}
    columns = [_Measure.of(cells, shown) for cells in page.iter_cols()]
    orientation, widths, scale, over = _page_layout(columns)
    for letter, width, cells in zip((c.letter for c in columns), widths, page.iter_cols()):
        page.column_dimensions[letter].width = width
        for cell in cells[1:]:
            text = shown[cell.coordinate]
            if isinstance(cell.value, str) and cell.data_type != "f" and (len(text) > width - 2 or "\n" in text):
                cell.alignment = WRAP
            elif cell.alignment.vertical is None:
                cell.alignment = TOP
    for number, cells in enumerate(page.iter_rows(), start=1):
        lines = max((_lines(shown[c.coordinate], widths[c.column - 1], bool(c.font.b)) if c.alignment.wrap_text else 1
                     for c in cells if shown[c.coordinate]), default=0)
        if lines:
            page.row_dimensions[number].height = min(round(lines * LINE_HEIGHT + ROW_PADDING, 1), MAX_ROW_HEIGHT)
    _print_setup(page, orientation, scale, over, title)


def _number_formats(page: Worksheet, table: bool, values: dict[tuple[str, str], object]) -> None:
    """Give every number the pack left unformatted thousands separators and its own decimals (up to
    3); in a table, each column shows as many decimals as its most precise number."""
    places: dict[int, int] = {}
    plain = []
    for row in page.iter_rows(min_row=2):
        for cell in row:
            value = values.get((page.title, cell.coordinate)) if cell.data_type == "f" else cell.value
            if cell.number_format != "General" or isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            decimals = _decimals(value)
            key = cell.column if table else id(cell)
            places[key] = max(places.get(key, 0), decimals)
            plain.append((cell, key))
    for cell, key in plain:
        cell.number_format = "#,##0" + ("." + "0" * places[key] if places[key] else "")


def _decimals(value: int | float) -> int:
    if isinstance(value, int) or value.is_integer():
        return 0
    text = f"{value:.3f}".rstrip("0")
    return len(text.partition(".")[2])


def _shown(cell: Cell, value: object) -> str:
    """About what the cell shows: a number with its format's separators and signs; text as it is."""
    if cell.data_type == "f":
        if isinstance(value, FormulaError) or value is None:
            return str(value or "")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return str(value)
    else:
        value = cell.value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        decimals = cell.number_format.partition(".")[2].count("0")
        shown = f"{value:,.{decimals}f}"
        return ("£" + shown if "£" in cell.number_format else shown) + ("%" if "%" in cell.number_format else "")
    if isinstance(value, (dt.date, dt.datetime)):
        return "00/00/0000"
    return "" if value is None else str(value)


@dataclass(frozen=True)
class _Measure:
    """A column's widths: as wide as its longest entry (to MAX_WIDTH), and the least it may be:
    its longest word or number, or NARROWEST_WRAPPED if its cells hold longer text (a header
    alone may wrap to its longest word)."""

    letter: str
    natural: float
    least: float

    @classmethod
    def of(cls, cells: tuple[Cell, ...], shown: dict[str, str]) -> _Measure:
        texts = [shown[c.coordinate] for c in cells]
        longest = max((len(line) for text in texts for line in text.split("\n")), default=0)
        natural = min(max(longest + 2, 8), MAX_WIDTH)
        # Text breaks between words; numbers and dates do not break at all.
        pieces = [len(word) for c, text in zip(cells, texts) for word in
                  (text.split() if isinstance(c.value, str) and c.data_type != "f" else [text])]
        body = max((len(line) for text in texts[1:] for line in text.split("\n")), default=0)
        least = max(max(pieces, default=0) + 2, 6, NARROWEST_WRAPPED if body > NARROWEST_WRAPPED else 0)
        return cls(get_column_letter(cells[0].column), natural, min(natural, least))


def _page_layout(columns: list[_Measure]) -> tuple[str, list[float], int, bool]:
    """The orientation, the columns' widths, the print scale (percent) and whether the sheet runs
    over more than one page's width.

    Portrait if the sheet fits it; otherwise landscape, scaled down no further than
    SMALLEST_PRINTED allows, long text columns narrowed (down to NARROWEST_WRAPPED) as far as
    that needs; a sheet that still does not fit prints at full size, over more pages.
    """
    def points(widths: list[float]) -> float:
        return sum(widths) * POINTS_PER_WIDTH

    def capped(cap: float) -> list[float]:
        return [max(min(c.natural, cap), c.least) for c in columns]

    natural = capped(MAX_WIDTH)
    for orientation in ("portrait", "landscape"):
        printable = PAGE_POINTS[orientation] - 2 * 72 * SIDE_MARGIN
        if points(natural) <= printable:
            return orientation, natural, 100, False
    room = printable * SIZE / SMALLEST_PRINTED
    cap = float(MAX_WIDTH)
    while points(capped(cap)) > room and cap > 6:
        cap -= 1
    widths = capped(cap)
    if points(widths) <= room:
        return "landscape", widths, min(math.floor(100 * printable / points(widths)), 100), False
    return "landscape", capped(MAX_WIDTH / 2), 100, True


_ARIAL = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, *[556] * 10, 278, 278,
     584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667,
     778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556,
     278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500,
     334, 260, 334, 584)))
"""Arial's (and Liberation Sans') advance widths in thousandths of the font size; other characters
are taken as 1000 (wider than most), bold as 10% wider."""


def _points(text: str, bold: bool) -> float:
    return sum(_ARIAL.get(c, 1000) for c in text) * SIZE / 1000 * (1.1 if bold else 1)


def _lines(text: str, width: float, bold: bool) -> int:
    """How many lines `text` takes, wrapped between words in a column `width` wide, measured in the
    font's own widths (with a little to spare: too tall a row wastes a little paper, too short
    hides text)."""
    room = width * TEXT_POINTS_PER_WIDTH - 6  # less the cell's margins
    space = _points(" ", bold)
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0.0
        for word in paragraph.split(" "):
            size = _points(word, bold)
            if used and used + space + size > room:
                count += 1
                used = 0.0
            while size > room:  # a word too long for a line is broken
                count += 1
                size -= room
            used += size + (space if used else 0)
    return count


def _print_setup(page: Worksheet, orientation: str, scale: int, over: bool, title: str) -> None:
    setup = page.page_setup
    setup.orientation, setup.paperSize, setup.scale = orientation, page.PAPERSIZE_A4, scale
    page.sheet_properties.pageSetUpPr.fitToPage = False
    page.print_title_rows = "1:1"
    if over:  # more than one page wide: each page shows what its rows are
        page.print_title_cols = "A:A"
    page.page_margins.left = page.page_margins.right = SIDE_MARGIN
    page.page_margins.top = page.page_margins.bottom = 0.75
    page.page_margins.header = page.page_margins.footer = 0.3
    for part, text in ((page.oddHeader.center, title.replace("&", "&&")),
                       (page.oddFooter.left, "&A"), (page.oddFooter.right, "Page &P of &N")):
        _header_part(part, text)
    page.HeaderFooter.scaleWithDoc = False


def _header_part(part: _HeaderFooterPart, text: str) -> None:
    """A header or footer part in the sheet's font, not scaled down with the sheet."""
    part.text, part.font, part.size = text, f"{FONT},Regular", SIZE


TARGET = Target(
    name="workbook",
    summary="the workbook of figures the template pack declares (xlsx)",
    outputs=lambda slug: [f"{slug}*.xlsx"],
    build=build,
    promised=promised,
)
