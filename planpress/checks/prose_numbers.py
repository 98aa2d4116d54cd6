"""The numbers written in the plan's prose, read the way an assessor reads them: sentence by sentence.

The text is the authors' Markdown as loaded (sections and scheme descriptions). What is not prose
is blanked before reading, keeping every character's place so each number keeps its line: code
blocks and spans, {{ ... }} expressions (they quote the data, which other rules check), link and
picture addresses (a link's text stays), HTML and web addresses. Only the rule families in
planpress.checks.prose_figures decide what a number means; this module only finds them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal, InvalidOperation

from planpress.checks.author_markup import markdown_texts
from planpress.load.author_markdown import CODE, FENCE, code_lines
from planpress.load.content import PlanContent

SCALES = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000, "bn": 1_000_000_000,
          "billion": 1_000_000_000}

NUMBER = re.compile(
    r"(?<![\w.,/£-])(?P<money>£\s?)?(?P<digits>\d+(?:[.,]\d+)*)"
    r"(?P<scale>\s?(?:bn|m|k|billion|million|thousand)(?![\w]))?"
    r"(?P<percent>\s?%|\s?per\s?cent(?![\w]))?"
    r"(?![\w/]|-\d)")
VALID = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
YEAR = re.compile(r"(?<![\w£/.,-])(?:19|20)\d\d(?:[/-]\d\d(?:\d\d)?)?(?![\w/%]|-\d|\.\d|,\d)")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")

_BLANKED = [
    re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S),  # expressions quote the data, checked elsewhere
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"),  # a picture: its alt text and address
    re.compile(r"`[^`\n]+`"),
    re.compile(r"<[^>\n]+>"),
    re.compile(r"\bhttps?://\S+"),
]
_LINK = re.compile(r"\[(?P<text>[^\]\n]*)\]\((?P<target>[^)\s]*)[^)\n]*\)")
_BLOCK_START = re.compile(r"^\s*(?:[-+*]\s|\d{1,3}[.)]\s|#|\|)")
_SENTENCE_END = re.compile(r"(?<=[.!?])[)\"'”’]*\s+(?=[A-Z£\d(\"'“‘\[])")


@dataclass(frozen=True)
class Number:
    """A number as written, such as £18.6m, 1,250 or 14%, with where it is in its sentence."""

    written: str
    digits: str
    start: int
    end: int
    money: bool
    percent: bool
    scale: str
    """The word or letter after it that multiplies it (k, m, million), as written, or ""."""

    @property
    def value(self) -> Decimal | None:
        """What it stands for (£18.6m is 18,600,000), or None when its commas or points are not a number."""
        if not VALID.fullmatch(self.digits):
            return None
        try:
            return Decimal(self.digits.replace(",", "")) * self.multiplier
        except InvalidOperation:
            return None

    @property
    def quantum(self) -> Decimal:
        """The place of its last digit: 100,000 for £18.6m, 1 for 1,250; a figure is right to that place."""
        places = len(self.digits.split(".")[1]) if "." in self.digits else 0
        return Decimal(1).scaleb(-places) * self.multiplier

    @property
    def places(self) -> int:
        return len(self.digits.split(".")[1]) if "." in self.digits else 0

    @property
    def multiplier(self) -> int:
        return SCALES.get(self.scale.strip(), 1)

    @property
    def is_year(self) -> bool:
        return not (self.money or self.percent or self.scale) and bool(re.fullmatch(r"(?:19|20)\d\d", self.digits))


@dataclass(frozen=True)
class Sentence:
    """One sentence of prose (or one table row, or one heading), with what it links to."""

    file: str
    line: int
    text: str
    links: tuple[str, ...]
    """The links' targets, such as scheme:PE2."""
    kind: str = "prose"
    """prose, table or heading."""

    def line_at(self, offset: int) -> int:
        return self.line + self.text.count("\n", 0, offset)

    def numbers(self) -> tuple[Number, ...]:
        return self._numbers

    def years(self) -> frozenset[str]:
        """The years it names (2015, 2015/16), so that figures for different years are never compared."""
        return self._years

    # Four rules ask each sentence for its numbers: found once (a frozen dataclass keeps these in its __dict__).
    @cached_property
    def _numbers(self) -> tuple[Number, ...]:
        return tuple(_number(match) for match in NUMBER.finditer(self.text))

    @cached_property
    def _years(self) -> frozenset[str]:
        return frozenset(match.group(0).replace("-", "/") for match in YEAR.finditer(self.text))


def _number(match: re.Match) -> Number:
    return Number(match.group(0), match.group("digits"), match.start(), match.end(), bool(match.group("money")),
                  bool(match.group("percent")), match.group("scale") or "")


def sentences(content: PlanContent) -> Iterator[Sentence]:
    """Every sentence of the sections' and scheme descriptions' Markdown, outside code, with its line."""
    # Four rules read every sentence: each text is split once and kept with the content.
    cache = content.sentences_cache
    for text in markdown_texts(content):
        key = (text.file, text.line, text.text)
        if key not in cache:
            cache[key] = list(text_sentences(text.file, text.line, text.text))
        yield from cache[key]


def text_sentences(file: str, first_line: int, markdown: str) -> Iterator[Sentence]:
    prose, links = readable(markdown)
    for offset, block, kind in _blocks(prose):
        pieces = _SENTENCE_END.split(block) if kind == "prose" else [block]
        searched = 0
        for piece in pieces:
            start = offset + block.index(piece, searched)
            searched = start - offset + len(piece)
            targets = tuple(target for at, target in links if start <= at < start + len(piece))
            yield Sentence(file, first_line + prose.count("\n", 0, start), piece, targets, kind)


def readable(markdown: str) -> tuple[str, list[tuple[int, str]]]:
    """The text with what is not prose blanked (same length, same lines), and each link's place and target."""
    lines = markdown.split("\n")
    states = code_lines(lines)
    text = "\n".join(" " * len(line) if state in (FENCE, CODE) else line for line, state in zip(lines, states))
    for pattern in _BLANKED:
        text = pattern.sub(_blank, text)
    links: list[tuple[int, str]] = []

    def keep_text(match: re.Match) -> str:
        links.append((match.start(), match.group("target")))
        return " " + match.group("text") + _blank_of(match.group(0)[len(match.group("text")) + 1:])

    return _LINK.sub(keep_text, text), links


def _blank(match: re.Match) -> str:
    return _blank_of(match.group(0))


def _blank_of(text: str) -> str:
    # A blank keeps line breaks (lines stay where they were) and is not a word or a digit.
    return re.sub(r"[^\n]", " ", text)


def _blocks(text: str) -> Iterator[tuple[int, str, str]]:
    """Paragraphs and list items (whose sentences may run over lines), and table rows and headings (one
    each), with where each starts in the text."""
    block_start, block_end = -1, -1
    offset = 0
    for line in text.split("\n"):
        kind = "table" if line.lstrip().startswith("|") else "heading" if line.lstrip().startswith("#") else "prose"
        if block_start >= 0 and (kind != "prose" or not line.strip() or _BLOCK_START.match(line)):
            yield block_start, text[block_start:block_end], "prose"
            block_start = -1
        if kind != "prose":
            yield offset, line, kind
        elif line.strip():
            block_start = offset if block_start < 0 else block_start
            block_end = offset + len(line)
        offset += len(line) + 1
    if block_start >= 0:
        yield block_start, text[block_start:block_end], "prose"


def words_after(sentence: Sentence, number: Number, count: int) -> list[str]:
    """Up to `count` words straight after a number, stopping at punctuation or another number."""
    return _words(sentence.text[number.end:], count)


def words_before(sentence: Sentence, number: Number, count: int) -> list[str]:
    """Up to `count` words straight before a number, in their order, stopping at punctuation."""
    found: list[str] = []
    for token in reversed(sentence.text[:number.start].split()):
        if token[-1] in ",.;:(!?" or not WORD.fullmatch(token):
            break
        found.insert(0, token.lower())
        if len(found) == count:
            break
    return found


def _words(text: str, count: int) -> list[str]:
    found: list[str] = []
    for token in text.split():
        word = WORD.fullmatch(token.rstrip(",.;:)!?"))
        if word is None:
            break
        found.append(token.rstrip(",.;:)!?").lower())
        if len(found) == count or token[-1] in ",.;:)!?":
            break
    return found
