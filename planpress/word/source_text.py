"""The content files as a reader of the Word document sees them: plain words, each knowing where it was typed.

Both halves of absorb need this: the build marks each Word paragraph with the source block whose
words it shows, and absorb finds a reviewer's old words in that block and edits the characters
they came from, leaving the Markdown around them (**bold**, links, line ends) as it was.

A block is what pandoc makes one Word paragraph (or table row) from: a paragraph of lines, one
list item, a heading, one row of a pipe table; in YAML, one value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = "content"
MARKDOWN_SUFFIXES = (".md",)
DATA_SUFFIXES = (".yaml", ".yml")

# Quotes as Word and pandoc's "smart" typography curl them, straightened on both sides; the dashes and
# ellipsis pandoc makes of "--", "---" and "..." are made on the Markdown's side (_SMART).
_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ",
                             "\u2011": "-"})
_SMART = (("---", "\N{EM DASH}"), ("--", "\N{EN DASH}"), ("...", "\N{HORIZONTAL ELLIPSIS}"))
_LIST_MARKER = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+")
_HEADING = re.compile(r"^#{1,6}\s+")
_ATTRIBUTES = re.compile(r"\s*\{[#.][^}]*\}\s*$")
_YAML_VALUE = re.compile(r"^\s*(?:-\s+)?(?:[\w\"'/ .-]+:\s+)?(?P<value>.+?)\s*$")


def normal(text: str) -> str:
    """Text as compared: curly quotes straightened, runs of spaces as one."""
    return " ".join(text.translate(_TYPOGRAPHY).split())


@dataclass(frozen=True)
class Plain:
    """Plain words of some Markdown, and for each of their characters the index it came from in `source`."""

    text: str
    offsets: tuple[int, ...]
    source: str
    ends: tuple[int, ...] = ()
    """Where each character's source ends (an en dash stands for two typed characters)."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source slice that plain characters start..end came from."""
        ends = self.ends or tuple(o + 1 for o in self.offsets)
        return self.offsets[start], ends[end - 1]


@dataclass(frozen=True)
class Block:
    """One block of a content file: where it starts and ends (1-based lines) and its plain words."""

    file: str
    line: int
    end_line: int
    plain: Plain
    data: bool
    """From a YAML data file: its words are figures and fields, changed there, not in prose."""
    cells: tuple[str, ...] = ()
    """A pipe-table row's cells, as plain text."""
    front: bool = False
    """A value of the file's front matter (a section's title, a scheme's name), which a heading shows."""


def plain_markdown(source: str, base: int = 0, whole: str | None = None) -> Plain:
    """The words of inline Markdown with the markup taken out, mapped back to `source` character by character
    (or, for a block of a file, to `whole`, the file, where `source` starts at `base`)."""
    chars: list[str] = []
    offsets: list[int] = []
    ends: list[int] = []
    i, n = 0, len(source)

    def keep(char: str, at: int, width: int = 1) -> None:
        if char.isspace() or char == "|":
            if chars and chars[-1] != " ":
                chars.append(" ")
                offsets.append(base + at)
                ends.append(base + at + 1)
            return
        chars.append(char)
        offsets.append(base + at)
        ends.append(base + at + width)

    while i < n:
        char = source[i]
        if char == "\\" and i + 1 < n and not source[i + 1].isspace():
            keep(source[i + 1], i + 1)
            i += 2
        elif char in "-." and (smart := next((pair for pair in _SMART if source.startswith(pair[0], i)), None)):
            keep(smart[1], i, len(smart[0]))
            i += len(smart[0])
        elif char == ">" and source[i + 1:i + 2] in (" ", "") and _at_line_start(source, i):
            i += 1  # a quotation's marker
        elif char in "*`" or (char == "_" and _at_word_edge(source, i)):
            i += 1
        elif char == "!" and source.startswith("![", i):
            i += 1
        elif char == "[":
            i += 1
        elif char == "]":
            i = _after_link_target(source, i)
        elif char == "<" and source.startswith(("<http://", "<https://"), i) and ">" in source[i:]:
            autolink_end = source.index(">", i)  # an autolink shows its address without the brackets
            for at in range(i + 1, autolink_end):
                keep(source[at], at)
            i = autolink_end + 1
        elif char == "{" and re.match(r"\{[#.][^}]*\}", source[i:]):
            i = source.index("}", i) + 1
        else:
            keep(char, i)
            i += 1
    while chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
        ends.pop()
    return Plain("".join(chars).translate(_TYPOGRAPHY), tuple(offsets), source if whole is None else whole,
                 tuple(ends))


def _at_line_start(source: str, i: int) -> bool:
    line_start = source.rfind("\n", 0, i) + 1
    return not source[line_start:i].strip()


def _at_word_edge(source: str, i: int) -> bool:
    """An underscore is emphasis at the edge of a word, part of the word inside one (snake_case)."""
    before = source[i - 1] if i else " "
    after = source[i + 1] if i + 1 < len(source) else " "
    return not (before.isalnum() and after.isalnum())


def _after_link_target(source: str, i: int) -> int:
    """Past "](target)" or "]{attributes}" after a link's text; past a lone "]" otherwise."""
    if source.startswith("](", i):
        close = source.find(")", i)
        return close + 1 if close != -1 else i + 1
    if source.startswith("]{", i):
        close = source.find("}", i)
        return close + 1 if close != -1 else i + 1
    return i + 1


def markdown_blocks(file: str, text: str) -> list[Block]:
    """The blocks of a Markdown file after its front matter, each with its first and last line."""
    lines = text.split("\n")
    start = _after_front_matter(lines)
    blocks: list[Block] = []
    starts = [0]  # where each line starts in the file
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    index = start
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped or stripped.startswith(":::") or stripped.startswith("```") or _is_table_rule(stripped):
            index += 1
            continue
        end = _block_end(lines, index)
        blocks.append(_block(file, lines, text, starts, index, end))
        index = end + 1
    return blocks


def _after_front_matter(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return index + 1
    return 0


def _is_table_rule(stripped: str) -> bool:
    return stripped.startswith("|") and set(stripped) <= set("|-: ")


def _block_end(lines: list[str], index: int) -> int:
    """The last line of the block starting at `index`: a heading or table row is one line; a list item
    runs on over its indented lines; a paragraph runs to a blank line or the next list item."""
    first = lines[index].strip()
    if _HEADING.match(first) or first.startswith("|"):
        return index
    is_item = bool(_LIST_MARKER.match(lines[index]))
    end = index
    while end + 1 < len(lines):
        following = lines[end + 1]
        if not following.strip() or following.strip().startswith((":::", "|", "#")):
            break
        if _LIST_MARKER.match(following) and (is_item or not following.startswith(" ")):
            break
        if is_item and not following.startswith((" ", "\t")):
            break
        end += 1
    return end


def _block(file: str, lines: list[str], whole: str, starts: list[int], index: int, end: int) -> Block:
    """A block's plain words, with its leading heading hashes or list marker left out of them."""
    first = lines[index]
    skip = 0
    if match := (_HEADING.match(first) or _LIST_MARKER.match(first)):
        skip = match.end()
    body_start = starts[index] + skip
    body_end = starts[end + 1] - 1
    body = whole[body_start:body_end]
    attributes = _ATTRIBUTES.search(body) if _HEADING.match(first) else None
    if attributes:
        body = body[:attributes.start()]
    plain = plain_markdown(body, base=body_start, whole=whole)
    cells = ()
    if first.strip().startswith("|"):
        cells = tuple(normal(plain_markdown(cell).text) for cell in first.strip().strip("|").split("|"))
    return Block(file, index + 1, end + 1, plain, data=False, cells=cells)


_FRONT_VALUE = re.compile(r"^[A-Za-z_][\w-]*:[ \t]+(?P<quote>[\"']?)(?P<value>[^\n]*?)(?P=quote)[ \t]*$")


def front_matter_blocks(file: str, text: str) -> list[Block]:
    """One block per one-line value at the top level of a Markdown file's front matter, mapped to the
    characters of the value in the file (inside its quotes), so a heading made from it can be edited there."""
    lines = text.split("\n")
    end = _after_front_matter(lines)
    blocks, at = [], 0
    for number, line in enumerate(lines[:end], start=1):
        match = _FRONT_VALUE.match(line) if 1 < number < end else None
        if match and match.group("value") and match.group("value") not in (">", "|", ">-", "|-"):
            start = at + match.start("value")
            value = match.group("value")
            plain = Plain(value.translate(_TYPOGRAPHY), tuple(range(start, start + len(value))), text,
                          tuple(range(start + 1, start + len(value) + 1)))
            blocks.append(Block(file, number, number, plain, data=False, front=True))
        at += len(line) + 1
    return blocks


def data_blocks(file: str, text: str) -> list[Block]:
    """One block per value in a YAML file (its line), quotes taken off; comments and keys alone left out."""
    blocks = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped.endswith(":"):
            continue
        match = _YAML_VALUE.match(line)
        value = match.group("value") if match else stripped
        value = value.strip().strip("\"'")
        if value in (">", "|", ">-", "|-"):
            continue
        plain = Plain(normal(value), tuple(range(len(normal(value)))), value)
        blocks.append(Block(file, number, number, plain, data=True))
    return blocks


def content_blocks(root: Path) -> list[Block]:
    """Every block of every Markdown and YAML file under content/, in a stable order."""
    blocks: list[Block] = []
    folder = root / CONTENT_DIR
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.is_symlink() or path.suffix not in MARKDOWN_SUFFIXES + DATA_SUFFIXES:
            continue
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix in MARKDOWN_SUFFIXES:
            blocks += front_matter_blocks(name, text) + markdown_blocks(name, text)
        else:
            blocks += data_blocks(name, text)
    return blocks
