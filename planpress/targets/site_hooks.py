"""MkDocs hooks for the plan's website, named in the configuration planpress writes (planpress/targets/site.py).

Every page's content passes through the HTML policy (planpress/checks/html_policy.py) as soon as
Markdown has made it HTML, before any plugin sees it (the search index, and whatever plugin a
council adds), so nothing author text could carry (a script, an event handler, a javascript: link,
an image from another host) reaches the site, even in a draft build that `check` would have
stopped as final. What a plugin adds after that is the plugin's own, trusted like mkdocs.yml.
The table of contents beside each page is made from the headings' text: it gets the same
treatment, as text alone.

Then every table is put in a region that scrolls sideways on its own when the table is wider
than the column (a phone), so the page never does: the region has a tab stop, so a keyboard can
scroll it, and a name, the table's heading and first column ("Table: Risk register (Ref)"), so
a screen reader says what it is. It is Material's own wrapper, written into the HTML rather than
added by the theme's script, so it is there without JavaScript; the style sheet (planpress.css)
gives it shadows at the edge that hides more of the table.
"""

from __future__ import annotations

import html as html_text
import re

from mkdocs.plugins import event_priority

from planpress.checks.html_policy import clean, text_only


@event_priority(100)  # first: every plugin after it sees the author's HTML as the policy leaves it
def on_page_content(html, page, config, files):
    for link in _links(page.toc):
        link.title = text_only(link.title)
    return wrap_tables(clean(html))


_HEADING_OR_TABLE = re.compile(r"<h[1-6][^>]*>(?P<heading>.*?)</h[1-6]>|(?P<table><table\b.*?</table>)", re.S)
_FIRST_HEADER = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_TAG = re.compile(r"<[^>]+>")
_CELL = re.compile(r"<td\b(?P<attributes>[^>]*)>(?P<text>.*?)</td>", re.S)
LONG_CELL = 60  # characters: a cell with more text than this is given room (class pp-long), not squeezed
LONGER_CELL = 240  # characters: and one with more than this, more room (pp-longer)


def _mark_long(match: re.Match) -> str:
    """A cell of long text (a risk, a task) marked, so the style sheet gives it a width to wrap in."""
    attributes, text = match.group("attributes"), match.group("text")
    length = len(_words(text))
    if length <= LONG_CELL:
        return match.group(0)
    mark = "pp-longer" if length > LONGER_CELL else "pp-long"
    if 'class="' in attributes:
        attributes = attributes.replace('class="', f'class="{mark} ', 1)
    else:
        attributes += f' class="{mark}"'
    return f"<td{attributes}>{text}</td>"


def _words(fragment: str) -> str:
    return " ".join(html_text.unescape(_TAG.sub("", fragment)).split())


def wrap_tables(page: str) -> str:
    """Each table in a named, focusable region that scrolls sideways (Material's wrapper, as its script makes it)."""
    heading, used = "", set()

    def wrap(match: re.Match) -> str:
        nonlocal heading
        if match.group("heading") is not None:
            heading = _words(match.group("heading"))
            return match.group(0)
        table = match.group("table")
        first = _FIRST_HEADER.search(table)
        name = "Table: " + (heading or "untitled")
        if first and _words(first.group(1)):
            name += f" ({_words(first.group(1))})"
        unique, number = name, 2
        while unique in used:
            unique, number = f"{name} {number}", number + 1
        used.add(unique)
        table = _CELL.sub(_mark_long, table)
        cards = ""
        if "pp-longer" in table:
            table, cards = _as_cards(table), " pp-cards"
        return (f'<div class="md-typeset__scrollwrap{cards}" role="region" tabindex="0" '
                f'aria-label="{html_text.escape(unique, quote=True)}"><div class="md-typeset__table">'
                f"{table}</div></div>")

    return _HEADING_OR_TABLE.sub(wrap, page)


_ROW = re.compile(r"<tr\b(?P<attributes>[^>]*)>(?P<cells>.*?)</tr>", re.S)
_ANY_CELL = re.compile(r"<(?P<tag>t[hd])\b(?P<attributes>[^>]*)>(?P<text>.*?)</(?P=tag)>", re.S)
_GROUP = re.compile(r"<(?P<tag>table|thead|tbody|tfoot)\b")


def _as_cards(table: str) -> str:
    """A table with a paragraph in a cell (an assurance, a mitigation), made ready to be read on a
    phone as a card a row: the style sheet stacks each row's cells, each under its column's heading
    (data-label, shown as generated text that a screen reader skips, and the search does not index:
    the header cells name it). The roles keep the table a table to a screen reader when the style
    sheet lays its rows out as blocks."""
    head = _ROW.search(table)
    headers = [_words(cell.group("text")) for cell in _ANY_CELL.finditer(head.group("cells"))] \
        if head and "<th" in head.group("cells") and "<thead" in table[:head.start()] else []

    def row(match: re.Match) -> str:
        column = 0

        def cell(found: re.Match) -> str:
            nonlocal column
            tag, attributes, text = found.group("tag"), found.group("attributes"), found.group("text")
            header = headers[column] if column < len(headers) else ""
            column += 1
            if tag == "th":
                in_head = match.start() < table.find("</thead>")
                role = "columnheader" if in_head else "rowheader"
                return f'<th role="{role}"{attributes}>{text}</th>'
            label = f' data-label="{html_text.escape(header, quote=True)}"' if header else ""
            return f'<td role="cell"{label}{attributes}>{text}</td>'

        return f'<tr role="row"{match.group("attributes")}>{_ANY_CELL.sub(cell, match.group("cells"))}</tr>'

    table = _ROW.sub(row, table)
    return _GROUP.sub(lambda m: f'<{m.group("tag")} role="{"table" if m.group("tag") == "table" else "rowgroup"}"',
                      table)


def _links(items):
    for item in items or []:
        yield item
        yield from _links(getattr(item, "children", None))
