"""Author Markdown that the Word and PDF documents (or the website) cannot show as written.

Text from the YAML data reaches tables through the `cell` filter, which escapes pipes and
joins lines, so it always renders. Author Markdown is inserted as written, so what would
break a document there is reported here, with its file and line, instead of being lost:

- a pipe table row with more or fewer cells than its header (an unescaped "|" in a cell);
- a table row split over two lines (a cell cannot hold a line break);
- raw HTML, which pandoc drops from Word and PDF;
- a grid table, which the website cannot read;
- a level-1 heading, which would start a new template section in the documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planpress.checks.references import markdown_blocks
from planpress.errors import Finding, Location
from planpress.load.content import PlanContent, SchemeDoc, SectionDoc

_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_ROW = re.compile(r"^\s*\|")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CODE_SPAN = re.compile(r"`[^`]*`")
_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
_AUTOLINK = re.compile(r"<(https?://|mailto:)[^>]*>|<[^<>@\s]+@[^<>\s]+>")
_GRID = re.compile(r"^\s*\+(-+|=+)\+")
_H1 = re.compile(r"^#\s")


def check(content: PlanContent) -> Iterator[Finding]:
    for doc in [*content.sections, *content.schemes]:
        for text, first_line in markdown_blocks(doc):
            yield from _block(doc, text, first_line)


def _block(doc: SectionDoc | SchemeDoc, text: str, first_line: int) -> Iterator[Finding]:
    lines = text.split("\n")
    in_fence = False
    table_cells: int | None = None
    piped = False  # whether the table's rows start with "|", as its header does
    for index, line in enumerate(lines):
        where = Location(doc.file, first_line + index)
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        is_row = bool(_TABLE_ROW.match(line)) or (table_cells is not None and not piped
                                                  and "|" in _CODE_SPAN.sub("", line))
        if table_cells is not None and not is_row:
            if line.strip():
                yield Finding(where, "error", "This line continues the table row above it, but a table cell "
                              "cannot hold a line break: the row would be cut in two",
                              "Keep each row of a table on one line", rule="table-row-split")
            table_cells = None
        if is_row:
            if table_cells is None:
                piped = bool(_TABLE_ROW.match(line))
            table_cells = yield from _table_line(lines, index, line, table_cells, where)
            continue
        yield from _inline(line, where)


def _table_line(lines: list[str], index: int, line: str, table_cells: int | None,
                where: Location):
    """Check one row of a pipe table; return the header's cell count while inside a table."""
    if table_cells is None:
        following = lines[index + 1] if index + 1 < len(lines) else ""
        return count_cells(line) if _SEPARATOR.match(following) else None
    if _SEPARATOR.match(line):
        return table_cells
    cells = count_cells(line)
    if cells != table_cells:
        yield Finding(where, "error",
                      f"This table row has {cells} cells but the table's header has {table_cells}",
                      "Write a '|' inside a cell as '\\|', and give every row as many cells as the header",
                      rule="table-cells")
    yield from _inline(line, where)
    return table_cells


def count_cells(row: str) -> int:
    """The cells of a pipe table row: unescaped pipes outside code spans, less the outer ones."""
    text = _CODE_SPAN.sub("``", row.strip()).replace("\\|", "")
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|"):
        text = text[:-1]
    return text.count("|") + 1


def _inline(line: str, where: Location) -> Iterator[Finding]:
    text = _AUTOLINK.sub("", _CODE_SPAN.sub("", line))
    if _HTML.search(text):
        yield Finding(where, "warning", "This line holds HTML, which the Word and PDF documents leave out",
                      "Write it in Markdown (emphasis, lists, links, pipe tables) so every output shows it",
                      rule="raw-html")
    if _GRID.match(line):
        yield Finding(where, "warning", "This looks like a grid table, which the website cannot show",
                      "Write the table as a pipe table (| a | b |)", rule="grid-table")
    if _H1.match(line):
        yield Finding(where, "error", "A '#' heading would start a new section of the template in the documents",
                      "Use '###' for a heading inside a part", rule="heading-level")
