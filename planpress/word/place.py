"""Where a heading of a Word plan goes: which section and part of the template pack it answers.

A heading names its place by number ("7) National conditions", "Section 7(a)", "7 a) i)", "4d.
List of planned schemes") or by title, reworded as people reword ("Risk log" for "Risk register"
is too far; "The risk log" and "Risk log and contingency" are near). Numbers are trusted first,
the title second; a heading that matches neither is kept as a heading inside the part it is in.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from planpress.load.pack import Pack, PackPart, PackSection

STOP = {"the", "of", "and", "a", "an", "or", "to", "in", "for", "on", "with", "by", "its", "their", "our"}

# "Section 7(a)", "7 a) i)", "7a.", "7.a", "7) ", "Part 7 (a)": a number, maybe a letter, maybe a roman numeral.
_NUMBERED = re.compile(
    r"^\s*(?:section|part)?\s*(?P<number>\d{1,2})\s*[.)]?\s*"
    r"(?:\(?(?P<label>[a-h])\s*[.)](?![a-z])\s*|\((?P<label2>[a-h])\)\s*)?"
    r"(?:\(?(?P<roman>i{1,3}|iv|v|vi{0,3}|ix|x)\s*[.)]\s*)?"
    r"[:.\-–]?\s*(?P<rest>.*)$", re.IGNORECASE)

# "a) Summary of plan", "(b) Governance": a part of the section the heading is in.
_LETTERED = re.compile(r"^\s*\(?([a-h])[.)]\s+(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Numbering:
    """What a heading's own numbering says: its section number, part label and whether it goes deeper."""

    number: str
    label: str
    deeper: bool
    title: str


def numbering(heading: str) -> Numbering | None:
    match = _NUMBERED.match(heading)
    if match is None:
        return None
    label = (match.group("label") or match.group("label2") or "").lower()
    return Numbering(match.group("number"), label, bool(match.group("roman")), match.group("rest").strip())


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP]


def likeness(one: str, other: str) -> float:
    """How alike two titles are, from 0 to 1: shared words (a word and its longer form count as one), and
    the letters in order, whichever is higher."""
    a, b = words(one), words(other)
    if not a or not b:
        return 0.0
    shared = sum(1 for w in a if any(same_word(w, v) for v in b))
    overlap = shared / max(len(a), len(b))
    letters = difflib.SequenceMatcher(None, " ".join(a), " ".join(b)).ratio()
    return max(overlap, letters)


def same_word(one: str, other: str) -> bool:
    short, long = sorted((one, other), key=len)
    return short == long or (len(short) >= 3 and long.startswith(short)) or (
        len(short) >= 5 and long[:5] == short[:5])


NEAR = 0.6
"""Titles at least this alike name the same section or part."""


@dataclass(frozen=True)
class Place:
    """What a heading opens: a section, a part of it, or a heading inside the current part (`sub`)."""

    section: PackSection | None
    part: PackPart | None
    sub: bool
    why: str


def place_heading(pack: Pack, text: str, current: PackSection | None) -> Place | None:
    """The section or part a heading opens, or a sub-heading of the current part, or None when it names
    nothing in the pack and there is no part to put it in."""
    found = numbering(text)
    if found is not None:
        section = next((s for s in pack.sections if s.number == found.number), None)
        if section is not None and (not found.title or likeness(found.title, section.title) >= NEAR
                                    or found.label or _matches_a_part(section, found.title)):
            if found.deeper:
                part = _part_by_label(section, found.label)
                return Place(section, part, True, f"numbered {found.number}{found.label} and deeper")
            if found.label:
                part = _part_by_label(section, found.label) or _part_by_title(section, found.title)
                if part is not None:
                    return Place(section, part, False, f"numbered {found.number}{found.label}")
            else:
                part = _part_by_title(section, found.title)
                if part is not None and likeness(found.title, section.title) < likeness(found.title, part.title):
                    return Place(section, part, False, f"numbered {found.number}, titled as part {part.label}")
                return Place(section, None, False, f"numbered {found.number}")
    lettered = _LETTERED.match(text)
    if found is None and lettered and current is not None:
        part = _part_by_label(current, lettered.group(1).lower())
        if part is not None and (likeness(lettered.group(2), part.title) >= NEAR or not lettered.group(2)):
            return Place(current, part, False, f"lettered {part.label} in section {current.number}")
    title = found.title if found and found.title else (lettered.group(2) if lettered else text)
    if current is not None:
        part = _part_by_title(current, title)
        if part is not None:
            return Place(current, part, False, f"titled as part {part.label} of section {current.number}")
    best = max(pack.sections, key=lambda s: likeness(title, s.title))
    if likeness(title, best.title) >= NEAR:
        return Place(best, None, False, f"titled as section {best.number}")
    for section in pack.sections:
        part = _part_by_title(section, title)
        if part is not None:
            return Place(section, part, False, f"titled as part {section.number}{part.label}")
    return None


def _matches_a_part(section: PackSection, title: str) -> bool:
    return _part_by_title(section, title) is not None


def _part_by_label(section: PackSection, label: str) -> PackPart | None:
    return next((p for p in section.parts if label and p.label.lower() == label), None)


def _part_by_title(section: PackSection, title: str) -> PackPart | None:
    if not title:
        return None
    best = max(section.parts, key=lambda p: likeness(title, p.title))
    return best if likeness(title, best.title) >= NEAR else None


def pack_score(pack: Pack, headings: list[str]) -> int:
    """How many of a document's headings name a section or part of the pack by title: the pack the plan follows
    is the one whose titles it uses most."""
    titles = [s.title for s in pack.sections] + [p.title for s in pack.sections for p in s.parts]
    score = 0
    for heading in headings:
        found = numbering(heading)
        title = found.title if found and found.title else heading
        if any(likeness(title, t) >= 0.8 for t in titles):
            score += 1
    return score
