"""What a regular expression cannot match without: a set of words, one of which is in every match.

The unfinished-text check runs some forty patterns over every paragraph of the plan, and a regular
expression reads the whole text for each. Most patterns cannot match without one of a few words
("to be", "TBC", "Please"), and looking for a word is a hundred times quicker than running the
expression; so a pattern runs only on text that holds one of its words. Worked out from the
pattern as Python's own parser reads it, so a pack's new pattern gets the same shortcut:

- characters in a row (or classes of one letter's cases, [Xx]), and a few plain alternatives
  among them ("(?:in|for|by) the"), are words the match must hold one of;
- of alternatives, every one must give words (the match holds one of their words);
- a part repeated at least once gives its own words; optional parts, character classes,
  anchors and look-arounds give none (and end a run of characters);
- of a sequence, every part's words are needed (needed_alternatives, which keeps alternatives
  apart: "Add a ..." or "Ask ...") or, for one set alone (needed_words), the part with the fewest
  words that prose seldom holds (a word of five letters or more, or with a sign such as "?" or "£").

The check finds every pattern's words in a paragraph at once (WordFinder) and tries only the
patterns whose words it holds. Words are compared case-folded on both sides, so a pattern that
ignores case (or not) is never skipped wrongly. A pattern with nothing certain to look for always runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import ahocorasick

try:  # Python 3.11 and later
    from re import _constants as codes, _parser as parser
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as codes  # type: ignore[no-redef]
    import sre_parse as parser  # type: ignore[no-redef]

_REPEATS = {codes.MAX_REPEAT, codes.MIN_REPEAT} | ({codes.POSSESSIVE_REPEAT} if hasattr(codes, "POSSESSIVE_REPEAT")
                                                   else set())


@lru_cache(maxsize=None)
def needed_words(pattern: str) -> frozenset[str] | None:
    """Case-folded words, one of which every match of `pattern` holds; None when nothing is certain."""
    try:
        return _in_sequence(parser.parse(pattern))
    except Exception:  # a construct this does not know: no shortcut, the pattern always runs
        return None


class WordFinder:
    """Which of many words a text holds, found in one reading of the text however many words there are
    (an Aho-Corasick automaton, pyahocorasick's, in C), where looking for each word would read it again."""

    def __init__(self, words) -> None:
        self._automaton = ahocorasick.Automaton()
        for word in set(words):
            self._automaton.add_word(word, word)
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def words_in(self, folded_text: str) -> set[str]:
        return set() if self._empty else {word for _, word in self._automaton.iter(folded_text)}


def needed_alternatives(pattern: str) -> tuple[tuple[frozenset[str], ...], ...]:
    """What a match of `pattern` holds, as alternatives: a match holds, for one of them at least, a word of each
    of its sets (of a sequence, each part is needed; of alternatives, one). For a search that finds all the
    words at once, where requiring more costs nothing. ((),) when nothing is certain."""
    try:
        return tuple(tuple(sets) for sets in _alternatives_in_sequence(parser.parse(pattern)))
    except Exception:  # a construct this does not know: nothing certain
        return ((),)


MOST_CONDITIONS = 16
"""The most alternatives followed; beyond, alternatives are merged into one set of words (any of them)."""


def _alternatives_in_sequence(items) -> list[list[frozenset[str]]]:
    found: list[list[frozenset[str]]] = [[]]
    for part in _parts(items):
        if isinstance(part, frozenset):
            found = [sets + [part] for sets in found]
            continue
        item = _item_alternatives(*part)
        if len(found) * len(item) > MOST_CONDITIONS:  # too many: the item's words, any of them, instead
            item = [_item_sets(*part)]
        found = [sets + more for sets in found for more in item]
    return found


def _parts(items) -> Iterator[frozenset[str] | tuple]:
    """A sequence's parts: the words of each run of characters in a row (a few alternatives: "in the", "by the"),
    and every other item as (op, value)."""
    runs = {""}
    for op, value in items:
        texts = _finite(op, value)
        if texts is not None and len(runs) * len(texts) <= MOST_ALTERNATIVES:
            runs = {run + text for run in runs for text in texts}
            continue
        if all(runs):
            yield frozenset(run.casefold() for run in runs)
        runs = {""}
        yield op, value
    if all(runs):
        yield frozenset(run.casefold() for run in runs)


def _item_alternatives(op, value) -> list[list[frozenset[str]]]:
    if op is codes.SUBPATTERN:
        return _alternatives_in_sequence(value[-1])
    if op is codes.BRANCH:
        return [sets for branch in value[1] for sets in _alternatives_in_sequence(branch)]
    if op in _REPEATS:
        least, _, item = value
        return _alternatives_in_sequence(item) if least >= 1 else [[]]
    if getattr(codes, "ATOMIC_GROUP", None) is op:
        return _alternatives_in_sequence(value)
    return [[]]


def _in_sequence(items) -> frozenset[str] | None:
    """The one set of words most worth looking for (see _usefulness), of those the sequence needs."""
    return max(_sets_in_sequence(items), key=_usefulness, default=None)


def _sets_in_sequence(items) -> list[frozenset[str]]:
    return [words for part in _parts(items)
            for words in ([part] if isinstance(part, frozenset) else _item_sets(*part))]


def _usefulness(words: frozenset[str]) -> tuple[bool, int, int]:
    """Rare words first (five letters, or a sign), then the fewest of them (each is a search), then the rarest."""
    rarity = min(map(_rarity, words))
    return rarity >= 5, -len(words), rarity


MOST_ALTERNATIVES = 64
"""The most texts a run of parts is followed as ("(in|for|by) the (final|next)": six); beyond, it is cut."""


def _finite(op, value) -> set[str] | None:
    """Every text a part can match, when they are few and plain (a letter, "(?:s)?", "(?:in|for|by)"); else None."""
    letter = _one_letter(op, value)
    if letter is not None:
        return {letter}
    if op is codes.SUBPATTERN:
        return _finite_sequence(value[-1])
    if op is codes.BRANCH:
        branches = [_finite_sequence(branch) for branch in value[1]]
        if any(branch is None for branch in branches):
            return None
        texts = set().union(*branches)
        return texts if len(texts) <= MOST_ALTERNATIVES else None
    if op in _REPEATS and value[0] == 0 and value[1] == 1:  # optional: (?:s)?
        inner = _finite_sequence(value[2])
        return None if inner is None else inner | {""}
    return None


def _finite_sequence(items) -> set[str] | None:
    texts = {""}
    for op, value in items:
        part = _finite(op, value)
        if part is None or len(texts) * len(part) > MOST_ALTERNATIVES:
            return None
        texts = {text + more for text in texts for more in part}
    return texts


def _rarity(word: str) -> int:
    """How seldom prose holds a word, roughly: its length, and more for a sign ("?", "£", "<") than a letter."""
    return len(word) + (3 if any(not (c.isalnum() or c.isspace()) for c in word) else 0)


def _one_letter(op, value) -> str | None:
    """The character a literal, or a class of one letter's cases ([Xx]), stands for; else None."""
    if op is codes.LITERAL:
        return chr(value)
    if op is codes.IN and value and all(kind is codes.LITERAL for kind, _ in value):
        folded = {chr(code).casefold() for _, code in value}
        if len(folded) == 1:
            return folded.pop()
    return None


def _item_sets(op, value) -> list[frozenset[str]]:
    """The sets of words a part of a sequence needs: a group's or a repeated part's own (each needed), or one set
    for alternatives (a word of any of them)."""
    if op is codes.SUBPATTERN:
        return _sets_in_sequence(value[-1])
    if op is codes.BRANCH:
        branches = [_in_sequence(branch) for branch in value[1]]
        return [frozenset().union(*branches)] if all(branches) else []
    if op in _REPEATS:
        least, _, item = value
        return _sets_in_sequence(item) if least >= 1 else []
    if getattr(codes, "ATOMIC_GROUP", None) is op:
        return _sets_in_sequence(value)
    return []  # a class, any character, an anchor, a look-around, a back-reference
