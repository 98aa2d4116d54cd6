"""A reviewer's word changes to one paragraph, made to the Markdown block the paragraph was built from.

The change is worked out on the words (difflib on the paragraph's words before and after the
review) and each changed run of words is found again in the block's plain words, with the words
either side of it (_place says how many). Its characters are then replaced in the source,
so the markup around the words stays: "**early help**" with "early" replaced by "timely" becomes
"**timely help**". Words that are not found (the block says something else, or a value was put
in by an expression) are left to the author, with their text; a change the source already holds
is skipped, which is what makes absorbing the same file twice change nothing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from planpress.word.source_text import Block, normal

MOST_CONTEXT = 6
"""Words either side of a change it is looked for with first."""
LEAST_CONTEXT = 2
"""Words either side (as many as there are, up to this) a change must still be found with."""
MARKUP_PAIRS = ("**", "__", "*", "_", "`")


@dataclass(frozen=True)
class Hunk:
    """One run of words changed: what it said, what it says now, and the words around it before."""

    old: tuple[str, ...]
    new: tuple[str, ...]
    left: tuple[str, ...]
    right: tuple[str, ...]
    new_left: tuple[str, ...]
    new_right: tuple[str, ...]

    def describe(self) -> str:
        old, new = " ".join(self.old), " ".join(self.new)
        if not old:
            return f'inserted "{new}"'
        if not new:
            return f'deleted "{old}"'
        return f'replaced "{old}" with "{new}"'


@dataclass(frozen=True)
class Outcome:
    hunk: Hunk
    state: str
    """applied, already (the source says it), or unplaced."""
    line: int
    why: str = ""


def hunks(before: str, after: str) -> list[Hunk]:
    old_words, new_words = before.split(), after.split()
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    found = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        found.append(Hunk(tuple(old_words[i1:i2]), tuple(new_words[j1:j2]),
                          tuple(old_words[max(0, i1 - MOST_CONTEXT):i1]), tuple(old_words[i2:i2 + MOST_CONTEXT]),
                          tuple(new_words[max(0, j1 - MOST_CONTEXT):j1]), tuple(new_words[j2:j2 + MOST_CONTEXT])))
    return found


def apply_to_block(block: Block, before: str, after: str) -> tuple[str, list[Outcome]]:
    """The block's whole file with the paragraph's changes made, and what became of each change."""
    source = block.plain.source
    plain = block.plain.text
    edits: list[tuple[int, int, str]] = []
    outcomes = []
    line_of = lambda offset: source.count("\n", 0, offset) + 1  # noqa: E731
    for hunk in hunks(before, after):
        span = _place(plain, hunk)
        if span in ("already", None):
            outcomes.append(Outcome(hunk, "already", block.line) if span else Outcome(
                hunk, "unplaced", block.line,
                "its words were not found in the source (changed since the build, or made by the template)"))
            continue
        start, end = span
        made = _edits(block, start, end, hunk)
        if made is None:
            outcomes.append(Outcome(hunk, "unplaced", line_of(block.plain.offsets[min(start, len(plain) - 1)]),
                                    "the words run across formatting (bold, a link): make this change by hand"))
            continue
        edits += made
        outcomes.append(Outcome(hunk, "applied", line_of(made[0][0])))
    for start, end, text in sorted(edits, reverse=True):
        source = source[:start] + text + source[end:]
        source = _without_empty_markup(source, start, len(text))
    return source, outcomes


def _place(plain: str, hunk: Hunk) -> tuple[int, int] | str | None:
    """Where the change goes in `plain` (the start and end of the old words' characters; for an insertion,
    where it goes), "already" when the source says the new words, None when it cannot be told.

    First with all the words around it (the new words first, to see whether the source has them already),
    then with fewer (the source may differ a little around it, such
    as a value put in by an expression), but never fewer than LEAST_CONTEXT: a word alone ("four") is
    often in a paragraph twice, and after an earlier absorb the one left would be the wrong one.
    """
    if _matches(plain, hunk.new_left, hunk.new, hunk.new_right, MOST_CONTEXT):
        return "already"  # asked first: the words around an insertion are there before and after it
    if len(found := _matches(plain, hunk.left, hunk.old, hunk.right, MOST_CONTEXT)) == 1:
        return found[0].span("words")
    for context in range(MOST_CONTEXT - 1, LEAST_CONTEXT - 1, -1):
        if len(found := _matches(plain, hunk.left, hunk.old, hunk.right, context)) == 1:
            return found[0].span("words")
    return None


def _matches(plain: str, left: tuple[str, ...], words: tuple[str, ...], right: tuple[str, ...], context: int) -> list:
    before, after = left[max(0, len(left) - context):], right[:context]
    return list(re.finditer(_pattern(before, words, after), plain))


def _pattern(before: tuple[str, ...], words: tuple[str, ...], after: tuple[str, ...]) -> str:
    join = lambda run: r"\s".join(re.escape(word) for word in run)  # noqa: E731
    group = f"(?P<words>{join(words)})"
    if words:
        body = r"\s".join(part for part in (join(before), group, join(after)) if part)
    else:  # an insertion sits at the start of the word after it, or at the end of the words before
        body = join(before) + (r"\s" if before and after else "") + group + join(after)
    return r"(?<!\S)" + body + r"(?!\S)"


def _edits(block: Block, start: int, end: int, hunk: Hunk) -> list[tuple[int, int, str]] | None:
    """The source edits for one change: one span, or word by word where the words run across markup."""
    plain, source = block.plain, block.plain.source
    new = " ".join(hunk.new)
    if not hunk.old:  # an insertion: before the next word, or after the last one
        if hunk.right:
            at = plain.offsets[start]
            return [(at, at, new + " ")]
        _, at = plain.span(start - 1, start)
        return [(at, at, " " + new)]
    words_start, words_end = start, end
    if new:  # the characters both share at either end stay, with any markup among them
        start, end, new = _trimmed(plain.text, start, end, new)
        if start == end:
            at = plain.offsets[start] if start < len(plain.text) else plain.span(start - 1, start)[1]
            return [(at, at, new)]
    s, e = plain.span(start, end)
    if normal(_unmarked(source[s:e])) == normal(plain.text[start:end]):
        if not new:
            return [_deletion(source, s, e)]
        return [(s, e, new)]
    if len(hunk.old) != len(hunk.new) and plain.text.count(plain.text[words_start:words_end]) != 1:
        return None  # which of the places the words are at is meant cannot be told
    return _word_by_word(plain, words_start, hunk)


def _word_by_word(plain, at: int, hunk: Hunk) -> list[tuple[int, int, str]]:
    """A change across markup made word by word in place, so the markup between the words is kept: each old
    word becomes the new word in its place, the last old word takes any new words left over, and old
    words left over go ("**very** useful" to "of great use" is "**of** great use")."""
    new = list(hunk.new)
    targets = [new[i] if i < len(new) else "" for i in range(len(hunk.old))]
    if len(new) > len(hunk.old):
        targets[-1] = " ".join(new[len(hunk.old) - 1:])
    edits = []
    for old_word, target in zip(hunk.old, targets):
        word_start = plain.text.index(old_word, at)
        at = word_start + len(old_word)
        if not target:
            ws, we = plain.span(word_start, at)
            edits.append(_deletion(plain.source, ws, we))
            continue
        start, end, target = _trimmed(plain.text, word_start, at, target)  # "help." to "support." keeps the "."
        if start == end:
            point = plain.offsets[start] if start < len(plain.text) else plain.span(start - 1, start)[1]
            edits.append((point, point, target))
        else:
            ws, we = plain.span(start, end)
            edits.append((ws, we, target))
    return edits


def _trimmed(plain: str, start: int, end: int, new: str) -> tuple[int, int, str]:
    """The change narrowed to the characters that differ: "Harrowdale." to "Better." changes "Harrowdale",
    so the closing "*" before the full stop in "*Living Well in Harrowdale*." is left where it is."""
    old = plain[start:end]
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return start + head, end - tail, new[head:len(new) - tail]


def _unmarked(text: str) -> str:
    return " ".join(text.split())


def _deletion(source: str, s: int, e: int) -> tuple[int, int, str]:
    """Deleted words and one space beside them, so no double space is left."""
    if e < len(source) and source[e] == " ":
        return s, e + 1, ""
    if s > 0 and source[s - 1] == " ":
        return s - 1, e, ""
    return s, e, ""


def _without_empty_markup(source: str, at: int, length: int) -> str:
    """A pair of emphasis marks left with nothing between them (every word in bold deleted) goes too,
    with one of the two spaces it leaves side by side."""
    if length:
        return source
    for pair in MARKUP_PAIRS:
        if source[max(0, at - len(pair)):at] == pair and source[at:at + len(pair)] == pair:
            start, end = at - len(pair), at + len(pair)
            if source[start - 1:start] == " " and source[end:end + 1] == " ":
                end += 1
            return source[:start] + source[end:]
    return source
