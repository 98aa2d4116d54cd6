"""Walking a Word plan's blocks in order and sorting them into the pack's sections, parts and schemes.

Each heading moves the walk: to a section or part of the pack (place.py), to a scheme's description
(a heading that opens with a scheme's reference, "PE1: Falls prevention"), or, deeper than the part
it is in, to a heading inside that part. The template's own questions, printed under each part,
are left out (the outputs print them); the table of contents too (every output makes its own).
Whatever has no place (the cover, an appendix the pack does not hold) is kept as unplaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planpress.load.pack import Pack, PackPart, PackSection
from planpress.word.docx_read import Block, plain
from planpress.word.trouble import under
from planpress.word.place import NEAR, likeness, numbering, place_heading, words

Bucket = tuple[str, str, str]
"""Where blocks go: ("section", section id, part id or "" for its opening text) or ("scheme", ref, part id)."""


@dataclass
class Sorted:
    buckets: dict[Bucket, list[Block]] = field(default_factory=dict)
    scheme_names: dict[str, str] = field(default_factory=dict)
    unplaced: list[tuple[str, list[Block]]] = field(default_factory=list)
    """(what came before it, the blocks), in the document's order"""
    tables: list[tuple[Bucket | None, Block]] = field(default_factory=list)
    """Every table, with where it stood (it is kept there too, until tables.py reads it as data)."""
    headings: list[tuple[str, str]] = field(default_factory=list)
    """(the heading as written, where it went) for the report"""
    heading_of: dict[int, str] = field(default_factory=dict)
    """Each table's heading as written (by the table's id), to say where an import stopped."""
    questions_left_out: int = 0
    toc_left_out: int = 0


@dataclass
class _Where:
    bucket: Bucket | None = None
    section: PackSection | None = None
    part: PackPart | None = None
    level: int = 0
    """The level of the heading that opened the current part (headings deeper than it stay inside)."""
    scheme_level: int = 0
    in_toc: bool = False
    label: str = "before the first heading (the cover)"


def sort_blocks(pack: Pack, blocks: list[Block]) -> Sorted:
    out, at = Sorted(), _Where()
    key_pattern = _scheme_pattern(pack)
    heading = ""
    for block in blocks:
        kind = block["t"]
        with under(heading):
            if kind == "Header":
                heading = plain(block)
                _heading(pack, block, out, at, key_pattern)
            elif at.in_toc and kind in ("Para", "Plain"):
                out.toc_left_out += 1
            elif kind in ("Para", "Plain") and at.part is not None and _is_question(plain(block), at.part):
                out.questions_left_out += 1
            else:
                if kind == "Table":
                    out.tables.append((at.bucket, block))
                    out.heading_of[id(block)] = heading
                _keep(out, at, block)
    return out


def _keep(out: Sorted, at: _Where, block: Block) -> None:
    if at.bucket is None:
        if out.unplaced and out.unplaced[-1][0] == at.label:
            out.unplaced[-1][1].append(block)
        else:
            out.unplaced.append((at.label, [block]))
    else:
        out.buckets.setdefault(at.bucket, []).append(block)


def _heading(pack: Pack, block: Block, out: Sorted, at: _Where, key_pattern: re.Pattern | None) -> None:
    level, (_id, classes, _kv), _inlines = block["c"]
    text = plain(block)
    at.in_toc = "TOC-Heading" in classes or words(text) in (["contents"], ["table", "contents"])
    if at.in_toc:
        out.headings.append((text, "left out: the table of contents (every output makes its own)"))
        return
    where = _scheme_heading(pack, text, level, at, key_pattern) or _pack_heading(pack, text, level, at)
    if where is None:
        # Deeper than the part it is in: a heading inside the part. Otherwise nothing to put it in.
        if at.bucket is not None and level > at.level:
            _keep(out, at, {"t": "Header", "c": [_inside(level, at), ["", [], []], block["c"][2]]})
            out.headings.append((text, "kept as a heading inside the part above it"))
            return
        # What follows has no place: kept as unplaced under this heading's name (a heading alone is a title
        # of what follows, such as an appendix the pack does not hold).
        at.bucket, at.part, at.section, at.label = None, None, None, f"after the heading '{text}'"
        out.headings.append((text, "no section or part of the template: what follows it is unplaced"))
        return
    if where == "sub":
        found = numbering(text)
        # "7 a) i) Our local definition": the outputs number the part; the heading inside keeps its words.
        inlines = [{"t": "Str", "c": found.title}] if found and found.deeper and found.title else block["c"][2]
        _keep(out, at, {"t": "Header", "c": [_inside(level, at), ["", [], []], inlines]})
        out.headings.append((text, "kept as a heading inside the part above it"))
        return
    out.headings.append((text, where))
    if at.bucket and at.bucket[0] == "scheme" and at.bucket[2] == "":
        out.scheme_names.setdefault(at.bucket[1], _name_after_ref(text))


def _inside(level: int, at: _Where) -> int:
    """The Markdown level of a heading inside a part (### and deeper): as many levels below the part's `##`
    as it was below the part's heading in the Word file."""
    return min(6, 2 + max(1, level - at.level))


def _scheme_heading(pack: Pack, text: str, level: int, at: _Where, key_pattern: re.Pattern | None) -> str | None:
    """A scheme's description ("PE1: Falls prevention"), a part of the one the walk is in, or ("sub") a
    heading inside it."""
    first = re.split(r"[\s:.\-–]+", text.strip(), maxsplit=1)[0]
    if key_pattern is not None and key_pattern.match(first):
        at.bucket, at.section, at.part = ("scheme", first, ""), None, None
        at.level = at.scheme_level = level
        return f"the description of scheme {first}"
    if not (at.bucket and at.bucket[0] == "scheme" and level > at.scheme_level):
        return None
    best = max(pack.scheme_parts, key=lambda p: likeness(text, p.title), default=None)
    if best is not None and likeness(text, best.title) >= NEAR and (at.part is None or level <= at.level):
        at.bucket, at.part, at.level = ("scheme", at.bucket[1], best.id), best, level
        return f"scheme {at.bucket[1]}: {best.title}"
    return "sub"


def _pack_heading(pack: Pack, text: str, level: int, at: _Where) -> str | None:
    in_section = at.section if at.bucket and at.bucket[0] == "section" else None
    placed = place_heading(pack, text, in_section)
    if at.part is not None and level > at.level:
        # Deeper than the part it is in: a heading inside it, unless its own number names another part.
        if placed is None or placed.sub or placed.part in (None, at.part) or numbering(text) is None:
            return "sub"
    if placed is None:
        return None
    if placed.sub:
        if placed.part is not None:
            at.bucket, at.section, at.part = ("section", placed.section.id, placed.part.id), placed.section, placed.part
        return "sub"
    at.section, at.part, at.level = placed.section, placed.part, level
    at.bucket = ("section", placed.section.id, placed.part.id if placed.part else "")
    at.label = f"after the heading '{text}'"
    where = f"section {placed.section.number}" + (f"{placed.part.label} ({placed.part.title})" if placed.part else
                                                  f" ({placed.section.title})")
    return f"{where}: {placed.why}"


def _is_question(text: str, part: PackPart) -> bool:
    """The template's question, printed under the part's heading (by the build, or left in by an author)."""
    return len(text) > 20 and likeness(text, part.question) >= 0.9


def _name_after_ref(text: str) -> str:
    return re.sub(r"^\S+?[\s:.\-–]+", "", text.strip(), count=1).strip()


def _scheme_pattern(pack: Pack) -> re.Pattern | None:
    schemes = pack.data.schemes if pack.data else None
    if schemes is None or not schemes.key or schemes.key not in schemes.fields:
        return None
    pattern = schemes.fields[schemes.key].pattern
    return re.compile(pattern) if pattern else None
