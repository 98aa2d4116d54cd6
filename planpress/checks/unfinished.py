"""Unfinished text: placeholders anywhere in the content, notes where headings should be, the
template's prompts left in, questions left unanswered or echoed, empty rows.

The patterns are data in the template pack (`placeholders:`), not code. These findings are
warnings, so a draft checks clean enough to share; a final build refuses while any remain.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import NamedTuple

from planpress.checks.needed_words import WordFinder, needed_alternatives
from planpress.checks.references import markdown_blocks
from planpress.errors import Finding, Location
from planpress.load.content import PlanContent, SchemeDoc, SectionDoc
from planpress.load.pack import PlaceholderPattern
from planpress.load.text import without_comments
from planpress.load.yamlsource import YamlDoc

UNFINISHED_RULES = frozenset({"placeholder", "note-heading", "template-prompt", "unanswered", "question-echo",
                              "empty-row"})
DEFAULT_FIX = "Replace it with the real text or figure before the plan is submitted"

_WORD_BEFORE = re.compile(r"([A-Za-z]+)[^A-Za-z\n]{0,2}$")
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_SEPARATOR_CELL = re.compile(r"^\s*:?-{3,}:?\s*$")
# A sentence ends at a full stop, a line break or a table cell's bar.
_SENTENCE_ENDS = (". ", "! ", "? ", "\n", "|")
_SENTENCE = re.compile(r"[^.!?|\n]+[.!?]*")
# A template prompt is matched sentence by sentence: one this alike, and at least this long, is the prompt.
PROMPT_LIKENESS = 0.85
PROMPT_MIN_WORDS = 6
_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")


class Prompt(NamedTuple):
    """One sentence of the template's questions, ready to compare."""

    words: tuple[str, ...]
    distinct: frozenset[str]
    text: str


def check(content: PlanContent) -> Iterator[Finding]:
    if content.pack is None:
        return
    patterns = content.pack.placeholders
    prompts = PromptIndex(template_prompts(content.pack))
    for doc in content.sources.values():
        yield from _yaml_placeholders(doc, patterns)
        yield from _yaml_prompts(doc, prompts)
    for text_doc in [*content.sections, *content.schemes]:
        yield from _part_headings(text_doc, patterns)
        for text, first_line in markdown_blocks(text_doc):
            yield from _text_placeholders(text, Location(text_doc.file, first_line), patterns)
            yield from _note_headings(text, Location(text_doc.file, first_line), patterns)
            yield from _empty_rows(text, Location(text_doc.file, first_line))
        echoed = list(_echoed_questions(text_doc))
        yield from echoed
        yield from _prompts_left(text_doc, prompts, skip={f.location.line for f in echoed})


def find_placeholders(text: str, patterns: list[PlaceholderPattern], look_in: str = "text",
                      among: list | None = None) -> Iterator[tuple[int, str, PlaceholderPattern]]:
    """(offset, matched text, pattern) for every placeholder in `text`, overlaps reported once.

    `look_in` picks the patterns: those for any text, or those only for a heading's text; `among`, when given,
    the few of them worth trying on a whole file of values (see _yaml_placeholders)."""
    matches = []
    for pattern, regex, _ in _prepared(patterns, look_in).worth_trying(text.casefold(), among):
        for match in regex.finditer(text):
            if not _finished_look_alike(text, match, pattern):
                matches.append((match.start(), match.end(), match.group(0), pattern))
    covered_to = -1
    for start, end, found, pattern in sorted(matches, key=lambda m: (m[0], -m[1])):
        if start >= covered_to:
            yield start, found, pattern
        covered_to = max(covered_to, end)


class _Prepared:
    """A pack's patterns for one place (any text, or headings), each with its regex and the words it cannot
    match without (needed_words.py: alternatives, each of sets of words), and one finder of all those words."""

    def __init__(self, patterns: list[PlaceholderPattern], look_in: str) -> None:
        self.patterns = patterns
        self.entries = [(p, p.regex(), needed_alternatives(p.pattern)) for p in patterns if p.look_in == look_in]
        self._finder = WordFinder(word for _, _, alternatives in self.entries
                                  for sets in alternatives for words in sets for word in words)
        self._always = [entry for entry in self.entries if any(not sets for sets in entry[2])]

    def worth_trying(self, folded_text: str, among: list | None = None) -> list:
        """The entries (of `among`, or all) that may match the text whose casefold() is `folded_text`: for one of
        their alternatives, a word of each set is in it. Regular expressions are costly; finding words is not."""
        present = self._finder.words_in(folded_text)
        if not present and among is None:  # most short values
            return self._always
        return [entry for entry in (self.entries if among is None else among) if _holds_one(present, entry[2])]


def _holds_one(present: set[str], alternatives: tuple[tuple[frozenset[str], ...], ...]) -> bool:
    """Whether, for one of the alternatives, a word of each of its sets is present (loops: the quickest here)."""
    for sets in alternatives:
        for words in sets:
            if present.isdisjoint(words):
                break
        else:
            return True
    return False


_PREPARED: dict[tuple[int, str], _Prepared] = {}


def _prepared(patterns: list[PlaceholderPattern], look_in: str) -> _Prepared:
    """The patterns that look in `look_in`, made ready once for a pack's list (a check asks for every piece of text)."""
    kept = _PREPARED.get((id(patterns), look_in))
    if kept is None or kept.patterns is not patterns:
        if len(_PREPARED) > 8:  # each check of a changed plan reads the pack again (serve): keep only the latest
            _PREPARED.clear()
        kept = _PREPARED[(id(patterns), look_in)] = _Prepared(patterns, look_in)
    return kept


def _finished_look_alike(text: str, match: re.Match, pattern: PlaceholderPattern) -> bool:
    """Whether the words before the match make it finished text ("section x", "was to be determined")."""
    # Only the last stretch of text is read: from the start, each search would read all the text
    # before it, and a page of placeholders would take hours.
    stretch_start = max(0, match.start() - 200)
    before = _WORD_BEFORE.search(text, max(stretch_start, match.start() - 100), match.start())
    if before and before.group(1).lower() in pattern.unless_after:
        return True
    if pattern.unless_later and any(regex.search(_rest_of_sentence(text, match.end())) for regex in pattern.later_regexes()):
        return True
    if not pattern.unless_earlier:
        return False
    stretch = text[stretch_start:match.start()]
    sentence_so_far = stretch[max((stretch.rfind(end) + len(end) if end in stretch else 0) for end in _SENTENCE_ENDS):]
    return any(regex.search(sentence_so_far) for regex in pattern.earlier_regexes())


def _rest_of_sentence(text: str, start: int) -> str:
    """From `start` to the end of its sentence, reading at most 200 characters."""
    stretch = text[start:start + 200]
    ends = [stretch.find(end) for end in _SENTENCE_ENDS if end in stretch]
    return stretch[:min(ends)] if ends else stretch


def _text_placeholders(text: str, start: Location, patterns: list[PlaceholderPattern]) -> Iterator[Finding]:
    line, counted = start.line, 0  # the offsets come in order: count the lines between them only
    for offset, found, pattern in find_placeholders(text, patterns):
        line += text.count("\n", counted, offset)
        counted = offset
        yield _placeholder(Location(start.file, line), found, pattern)


def _yaml_placeholders(doc: YamlDoc, patterns: list[PlaceholderPattern]) -> Iterator[Finding]:
    values = list(_strings(doc.data, ()))
    # A file holds thousands of short values: only the patterns whose words are somewhere in the file are tried.
    among = _prepared(patterns, "text").worth_trying("\n".join(value for _, value in values).casefold())
    if not among:
        return
    for path, value in values:
        for _, found, pattern in find_placeholders(value, patterns, among=among):
            yield _placeholder(doc.at(path), found, pattern)


def _note_headings(text: str, start: Location, patterns: list[PlaceholderPattern]) -> Iterator[Finding]:
    """Headings inside a part ("### Diagram to go here showing ...") that are notes, not titles."""
    in_code = False
    for index, line in enumerate(text.split("\n")):
        if _FENCE.match(line):
            in_code = not in_code
        heading = None if in_code else _HEADING.match(line)
        if heading:
            yield from _note_heading(heading.group(1), Location(start.file, start.line + index), patterns)


def _part_headings(doc: SectionDoc | SchemeDoc, patterns: list[PlaceholderPattern]) -> Iterator[Finding]:
    for part in doc.parts:
        yield from _note_heading(part.heading, Location(doc.file, part.line), patterns)


def _note_heading(heading: str, where: Location, patterns: list[PlaceholderPattern]) -> Iterator[Finding]:
    for _, found, pattern in find_placeholders(heading, patterns, look_in="heading"):
        yield Finding(where, "warning", f"The heading '{heading}' is a note, not a title ('{found}': {pattern.name})",
                      pattern.fix or DEFAULT_FIX, rule="note-heading")
        return  # one finding a heading is enough


def _strings(value: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


def _placeholder(where: Location, found: str, pattern: PlaceholderPattern) -> Finding:
    return Finding(where, "warning", f"Unfinished text: '{found}' ({pattern.name})", pattern.fix or DEFAULT_FIX,
                   rule="placeholder")


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


def template_prompts(pack) -> list[Prompt]:
    """Each sentence of the template's questions (of sections and of item descriptions), as its words."""
    questions = [part.question for section in pack.sections for part in section.parts]
    questions += [part.question for part in pack.scheme_parts]
    prompts = {}
    for question in questions:
        for sentence in _sentences(question):
            words = prompt_words(sentence)
            if len(words) >= PROMPT_MIN_WORDS:
                prompts[words] = Prompt(words, frozenset(words), sentence.strip())
    return list(prompts.values())


def _prompts_left(doc: SectionDoc | SchemeDoc, prompts: PromptIndex, skip: set[int]) -> Iterator[Finding]:
    """Sentences of the template's prompts left in the text, as written or slightly edited, in a table too."""
    for text, first_line in markdown_blocks(doc):
        for index, line in enumerate(without_comments(text).split("\n")):
            where = Location(doc.file, first_line + index)
            if where.line not in skip:
                yield from _prompt_findings(line, where, prompts)


def _yaml_prompts(doc: YamlDoc, prompts: PromptIndex) -> Iterator[Finding]:
    for path, value in _strings(doc.data, ()):
        yield from _prompt_findings(value, doc.at(path), prompts)


def _prompt_findings(text: str, where: Location, prompts: PromptIndex) -> Iterator[Finding]:
    for sentence in _sentences(text):
        prompt = _alike_prompt(prompt_words(sentence), prompts)
        if prompt:
            yield Finding(where, "warning", f"The template's prompt is left in the text: '{_shortened(sentence)}' "
                          f"is the template's '{_shortened(prompt)}'",
                          "Answer the prompt in the plan's own words, and delete it", rule="template-prompt")
            return  # one finding a line is enough


def _alike_prompt(words: tuple[str, ...], prompts: PromptIndex) -> str | None:
    """The prompt these words are (nearly) the same as, compared word by word; None if none is."""
    if len(words) < PROMPT_MIN_WORDS:
        return None
    distinct = frozenset(words)
    repeated = len(words) - len(distinct)
    # No prompt can share more words than the sentence has of all the prompts' words together: most sentences
    # are ruled out by that alone, with one intersection.
    if 2 * (len(distinct & prompts.vocabulary) + repeated) < PROMPT_LIKENESS * (len(words) + prompts.shortest):
        return None
    matcher = None
    for prompt, shared in prompts.shared_words(distinct):
        # The most words the two can share: each shared word, and each repeat of one. The cheap bound
        # first; difflib's exact count only for the few prompts that pass it.
        if 2 * (shared + repeated) < PROMPT_LIKENESS * (len(words) + len(prompt.words)):
            continue
        matcher = matcher or difflib.SequenceMatcher(None, (), words, autojunk=False)
        matcher.set_seq1(prompt.words)
        if matcher.ratio() >= PROMPT_LIKENESS:
            return prompt.text
    return None


class PromptIndex:
    """The template's prompts (template_prompts), indexed by word, so that a sentence is compared only with the
    prompts it shares words with: every sentence of the plan is compared."""

    def __init__(self, prompts: list[Prompt]) -> None:
        self.prompts = prompts
        self.vocabulary = frozenset().union(*(prompt.distinct for prompt in prompts))
        self.shortest = min((len(prompt.words) for prompt in prompts), default=0)
        self._having: dict[str, list[int]] = {}
        for number, prompt in enumerate(prompts):
            for word in prompt.distinct:
                self._having.setdefault(word, []).append(number)

    def shared_words(self, distinct: frozenset[str]) -> list[tuple[Prompt, int]]:
        """Each prompt that shares words with a sentence, in their order, with how many distinct words it shares."""
        shared: dict[int, int] = {}
        for word in distinct & self.vocabulary:
            for number in self._having[word]:
                shared[number] = shared.get(number, 0) + 1
        return [(self.prompts[number], shared[number]) for number in sorted(shared)]


def _sentences(text: str) -> list[str]:
    return [sentence.strip() for sentence in _SENTENCE.findall(text) if sentence.strip()]


def _shortened(text: str, most: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 3].rstrip() + "..."


_NOT_WORD = re.compile(r"[^\w\s]")


def _normalise(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


# Words that carry no meaning of their own, so "the providers' plans" and "the plans of providers" compare alike.
_FILLER = frozenset("a an the of and or to in for on with by its their your our this these those".split())


def prompt_words(sentence: str) -> tuple[str, ...]:
    """A sentence's meaningful words, each without a plural or possessive s: "the providers' plans" -> provider plan."""
    # Each word is letters and digits only (_normalise), so a plural s is a final s after three of them;
    # read without a regular expression, since every sentence of the plan is compared.
    words = [word[:-1] if len(word) > 3 and word[-1] == "s" else word
             for word in _normalise(sentence.replace("'", "")).split()]
    return tuple([word for word in words if word not in _FILLER])
