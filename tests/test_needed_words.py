"""The shortcut of the unfinished-text check (planpress/checks/needed_words.py) never hides a placeholder:
with it and without it, every pattern of every pack finds the same in a corpus of real and planted text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from planpress.checks import unfinished
from planpress.checks.needed_words import WordFinder, needed_alternatives, needed_words

PATTERN_FILES = sorted(REPO.glob("templates/*/placeholders.yaml")) + sorted(REPO.glob("templates/*/pack.yaml"))
REFERENCE = Path("/work/shared/reference")


def all_patterns() -> list[str]:
    found = []
    for path in PATTERN_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in ("placeholders", "more_placeholders"):
            found += [item["pattern"] for item in data.get(key) or [] if isinstance(item, dict) and "pattern" in item]
    return sorted(set(found))


def corpus() -> list[str]:
    """The example plans' text, paragraph by paragraph, and the README's and tests' own examples of mistakes."""
    files = [*REPO.glob("content/**/*.md"), *REPO.glob("content/**/*.yaml"), *REPO.glob("examples/**/*.md"),
             *REPO.glob("examples/**/*.yaml"), *REPO.glob("tests/test_unfinished.py"), *REPO.glob("tests/test_rules.py"),
             REPO / "README.md", *REPO.glob("templates/**/*.yaml"), *REFERENCE.glob("*.txt")]
    texts = []
    for path in files:
        texts += [part for part in re.split(r"\n\s*\n", path.read_text(encoding="utf-8", errors="replace")) if part]
    return texts


def test_every_pattern_has_a_shortcut_or_always_runs():
    patterns = all_patterns()
    assert len(patterns) > 30
    with_words = [p for p in patterns if needed_words(p)]
    assert len(with_words) >= len(patterns) - 2  # the shortcut is not a no-op
    assert needed_words(r"\bTBC\b") == frozenset({"tbc"})
    assert needed_words(r"(?:in|for) the (?:final|next) draft") == frozenset({"in the final draft", "in the next draft",
                                                                             "for the final draft", "for the next draft"})
    assert needed_words(r"[Xx]{2,}") == frozenset({"x"})
    assert needed_words(r"\w+") is None
    # For the check that finds every word at once: every set a sequence needs, in each alternative.
    assert needed_alternatives(r"\bto be \w+ by") == ((frozenset({"to be "}), frozenset({" by"})),)
    assert needed_alternatives(r"£\s?[xX]+") == ((frozenset({"£"}), frozenset({"x"})),)
    assert needed_alternatives(r"(?:Add|Put)\s+(?:a|the)\b|Ask\s+\w+ team") == (
        (frozenset({"add", "put"}), frozenset({"a", "the"})), (frozenset({"ask"}), frozenset({" team"})))
    assert needed_alternatives(r"\w+") == ((),)


def test_the_word_finder_finds_every_word_a_text_holds_overlapping_or_not():
    finder = WordFinder(["to be", "be agreed", "x", "tbc", "to "])
    assert finder.words_in("it is to be agreed, tbc") == {"to be", "be agreed", "to ", "tbc"}
    assert finder.words_in("nothing here") == set()
    assert WordFinder([]).words_in("anything") == set()


@pytest.mark.parametrize("pattern", all_patterns())
def test_the_shortcut_never_skips_text_the_pattern_matches(pattern: str):
    for ignore_case in (False, True):
        regex = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
        for text in CORPUS:
            if regex.search(text):
                folded = text.casefold()
                words = needed_words(pattern)
                assert words is None or any(word in folded for word in words), (pattern, text[:200])
                assert any(all(any(word in folded for word in words) for words in sets)
                           for sets in needed_alternatives(pattern)), (pattern, text[:200])


def test_the_check_finds_the_same_with_and_without_it(monkeypatch):
    from planpress.build import check_plan

    found = [(f.location, f.message) for f in check_plan(REPO).findings if f.rule == "placeholder"]
    monkeypatch.setattr(unfinished, "needed_alternatives", lambda pattern: ((),))
    monkeypatch.setattr(unfinished, "_PREPARED", {})
    again = [(f.location, f.message) for f in check_plan(REPO).findings if f.rule == "placeholder"]
    assert found == again


CORPUS = corpus()
