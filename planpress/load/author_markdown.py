"""What an author's Markdown may hold beyond text: found line by line, so a check can name the line.

Three things are looked for, outside fenced code blocks:

    nesting      lists and quotes inside each other, bounded (planpress.load.limits)
    raw blocks   pandoc's raw attribute (```{=typst}, `x`{=openxml}), which would put code of the
                 author's own into the Word and PDF documents: never allowed
    pictures     ![alt](path), and ![alt][name] with its [name]: path, which must be files in content/

The scanning is deliberately simple and linear: it sees what pandoc and MkDocs would read as
these things, and never takes time out of proportion to the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


TEXT, FENCE, CODE = 0, 1, 2


def code_lines(lines: list[str]) -> list[int]:
    """For each line: TEXT, FENCE (it opens a fenced code block) or CODE (inside one, or closing it)."""
    states: list[int] = []
    fence = ""
    for text in lines:
        match = _FENCE.match(text)
        if fence:
            states.append(CODE)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not match.group(2).strip():
                fence = ""
        elif match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            fence = match.group(1)
            states.append(FENCE)
        else:
            states.append(TEXT)
    return states


# --- nesting -------------------------------------------------------------------------------------

_CONTAINER = re.compile(r"[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")


def nesting(line: str) -> int:
    """How deep a line is nested: each '>' and each list marker at its start, and every two columns
    of indentation before the first of them (a tab counts four)."""
    indent = 0
    for char in line:
        if char == " ":
            indent += 1
        elif char == "\t":
            indent += 4 - indent % 4
        else:
            break
    markers, at = 0, 0
    while (match := _CONTAINER.match(line, at)) and match.end() > at:
        markers += 1
        at = match.end()
    return indent // 2 + markers


def too_deep(text: str, limit: int) -> tuple[int, int, int] | None:
    """Where the text first goes deeper than `limit` (outside code blocks): that line's index, the
    deepest nesting in the text and its line's index; None when it never does."""
    lines = text.split("\n")
    first, best, where = None, 0, 0
    for index, (line, state) in enumerate(zip(lines, code_lines(lines))):
        if state == TEXT and line.strip():
            depth = nesting(line)
            if depth > limit and first is None:
                first = index
            if depth > best:
                best, where = depth, index
    return None if first is None else (first, best, where)


# --- raw blocks ----------------------------------------------------------------------------------

_RAW_INLINE = re.compile(r"`[ \t]*\{[ \t]*=[ \t]*([^}\s]*)")
_RAW_FENCE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})[ \t]*\{[ \t]*=[ \t]*([^}\s]*)")


@dataclass(frozen=True)
class Raw:
    index: int
    """The line's index in the text (0 for its first line)."""
    format: str
    block: bool


def raw_blocks(text: str) -> Iterator[Raw]:
    """Every raw block (```{=format}) and raw inline (`code`{=format}) in the text."""
    lines = text.split("\n")
    for index, (line, state) in enumerate(zip(lines, code_lines(lines))):
        fence = _RAW_FENCE.match(line) if state == FENCE else None
        if fence:
            yield Raw(index, fence.group(1) or "?", True)
        elif state == TEXT:
            for match in _RAW_INLINE.finditer(line):
                yield Raw(index, match.group(1) or "?", False)


def raw_in_text(text: str) -> Raw | None:
    """The first raw attribute anywhere in a value of a data file (where fences are not looked for)."""
    for index, line in enumerate(text.split("\n")):
        match = _RAW_FENCE.match(line) or _RAW_INLINE.search(line)
        if match:
            return Raw(index, match.group(1) or "?", bool(_RAW_FENCE.match(line)))
    return None


# --- pictures ------------------------------------------------------------------------------------

# ![alt](destination "title"): the alt may hold one level of brackets; the destination is <...> or
# a run without spaces, with balanced parentheses one level deep.
_INLINE_IMAGE = re.compile(
    r"!\[(?P<alt>(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]"
    r"\([ \t]*(?:<(?P<angled>[^<>\n]*)>|(?P<plain>(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+))")
_REFERENCE_IMAGE = re.compile(
    r"!\[(?P<alt>(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\](?:\[(?P<label>[^\[\]]*)\])?")
_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\[\]]+)\]:[ \t]*(?:<(?P<angled>[^<>\n]*)>|(?P<plain>\S+))")


@dataclass(frozen=True)
class Picture:
    index: int
    """The index of the line its destination is written on."""
    start: int
    end: int
    """Where its destination is in the whole text (offsets), to be rewritten."""
    destination: str


def _label(text: str) -> str:
    return " ".join(text.lower().split())


def pictures(text: str) -> list[Picture]:
    """Every picture in the text with its destination: inline, and by reference to a definition."""
    lines = text.split("\n")
    code = [state != TEXT for state in code_lines(lines)]
    offsets, at = [], 0
    for line in lines:
        offsets.append(at)
        at += len(line) + 1
    definitions: dict[str, Picture] = {}
    for index, line in enumerate(lines):
        match = None if code[index] else _DEFINITION.match(line)
        if match:
            group = "angled" if match.group("angled") is not None else "plain"
            definitions.setdefault(_label(match.group("label")), Picture(
                index, offsets[index] + match.start(group), offsets[index] + match.end(group), match.group(group)))
    found: list[Picture] = []
    used: set[int] = set()
    for index, line in enumerate(lines):
        if code[index] or "![" not in line:
            continue
        for match in _INLINE_IMAGE.finditer(line):
            group = "angled" if match.group("angled") is not None else "plain"
            found.append(Picture(index, offsets[index] + match.start(group), offsets[index] + match.end(group),
                                 match.group(group)))
            used.add(offsets[index] + match.start())
        for match in _REFERENCE_IMAGE.finditer(line):
            if offsets[index] + match.start() in used:
                continue
            label = match.group("label") or match.group("alt")
            definition = definitions.get(_label(label)) if label is not None else None
            if definition is not None and definition not in found:
                found.append(definition)
    return found


PICTURE_TYPES = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".gif": b"GIF8"}
"""The kinds of picture every output can show, by their file name's ending, with how such a file starts."""

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def unescape(destination: str) -> str:
    """A destination as the file name it stands for: backslash escapes and %-escapes undone."""
    from urllib.parse import unquote

    return unquote(re.sub(r"\\(.)", r"\1", destination))


def address_problem(destination: str) -> str:
    """Why a picture's destination cannot be a file in content/ ("" when it may be one)."""
    if _SCHEME.match(destination) or destination.startswith("//"):
        return "is an address on the web (or a data: address), not a file in the plan"
    if destination.startswith(("/", "\\")):
        return "is an absolute path, not a file in the plan"
    if "\\" in unescape(destination):
        return "has a backslash '\\' in its path"
    if not destination.strip():
        return "names no file"
    return ""
