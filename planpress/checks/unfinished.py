"""Unfinished text: placeholders anywhere in the content, questions left unanswered or echoed, empty rows.

The patterns are data in the template pack (`placeholders:`), not code. These findings are
warnings, so a draft checks clean enough to share; a final build refuses while any remain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planpress.checks.references import markdown_blocks
from planpress.errors import Finding, Location
from planpress.load.content import PlanContent, SchemeDoc, SectionDoc
from planpress.load.pack import PlaceholderPattern
from planpress.load.text import without_comments
from planpress.load.yamlsource import YamlDoc

UNFINISHED_RULES = frozenset({"placeholder", "unanswered", "question-echo", "empty-row"})

_WORD_BEFORE = re.compile(r"([A-Za-z]+)[^A-Za-z\n]{0,2}$")
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_SEPARATOR_CELL = re.compile(r"^\s*:?-{3,}:?\s*$")


def check(content: PlanContent) -> Iterator[Finding]:
    if content.pack is None:
        return
    patterns = content.pack.placeholders
    for doc in content.sources.values():
        yield from _yaml_placeholders(doc, patterns)
    for text_doc in [*content.sections, *content.schemes]:
        for text, first_line in markdown_blocks(text_doc):
            yield from _text_placeholders(text, Location(text_doc.file, first_line), patterns)
            yield from _empty_rows(text, Location(text_doc.file, first_line))
        yield from _echoed_questions(text_doc)


def find_placeholders(text: str, patterns: list[PlaceholderPattern]) -> Iterator[tuple[int, str, str]]:
    """(offset, matched text, pattern name) for every placeholder in `text`, overlaps reported once."""
    matches = []
    for pattern in patterns:
        for match in pattern.regex().finditer(text):
            # The word just before the match (only the last stretch of text is read: from the start, each
            # search would read all the text before it, and a page of placeholders would take hours).
            before = _WORD_BEFORE.search(text, max(0, match.start() - 100), match.start())
            if before and before.group(1).lower() in pattern.unless_after:
                continue
            matches.append((match.start(), match.end(), match.group(0), pattern.name))
    covered_to = -1
    for start, end, found, name in sorted(matches, key=lambda m: (m[0], -m[1])):
        if start >= covered_to:
            yield start, found, name
        covered_to = max(covered_to, end)


def _text_placeholders(text: str, start: Location, patterns: list[PlaceholderPattern]) -> Iterator[Finding]:
    line, counted = start.line, 0  # the offsets come in order: count the lines between them only
    for offset, found, name in find_placeholders(text, patterns):
        line += text.count("\n", counted, offset)
        counted = offset
        yield _placeholder(Location(start.file, line), found, name)


def _yaml_placeholders(doc: YamlDoc, patterns: list[PlaceholderPattern]) -> Iterator[Finding]:
    for path, value in _strings(doc.data, ()):
        for _, found, name in find_placeholders(value, patterns):
            yield _placeholder(doc.at(path), found, name)


def _strings(value: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


def _placeholder(where: Location, found: str, name: str) -> Finding:
    return Finding(where, "warning", f"Unfinished text: '{found}' ({name})",
                   "Replace it with the real text or figure before the plan is submitted", rule="placeholder")


def _empty_rows(text: str, start: Location) -> Iterator[Finding]:
    """Table rows with a label and nothing else ("Risk 2 | | |"): a row left to fill in."""
    for index, line in enumerate(text.split("\n")):
        row = _TABLE_ROW.match(line)
        if not row:
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row.group(1))]
        if len(cells) < 2 or all(_SEPARATOR_CELL.match(c) for c in cells if c):
            continue
        if not any(cells[1:]):
            label = f"'{cells[0]}'" if cells[0] else "with no text at all"
            yield Finding(Location(start.file, start.line + index), "warning",
                          f"A table row {label} is empty", "Fill in the row, or delete it", rule="empty-row")


def _echoed_questions(doc: SectionDoc | SchemeDoc) -> Iterator[Finding]:
    """An answer that is the template's question itself, pasted in and not yet answered."""
    for part in doc.parts:
        if part.pack_part is None:
            continue
        question = _normalise(part.pack_part.question)
        answer = _normalise(without_comments(part.markdown))
        if question and answer and question[:80] in answer and len(answer) < len(question) * 1.5:
            yield Finding(Location(doc.file, part.body_line), "warning",
                          f"The answer to '{part.heading}' repeats the template's question",
                          "Replace the question with the plan's answer", rule="question-echo")


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
