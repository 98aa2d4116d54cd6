"""Every reference names something that exists, once: whatever kinds of item the pack declares.

The pack's data.yaml says which lists hold named items (`kind`, `key`) and which fields refer
to them (`type: reference`, `to:`); these checks read those declarations, so they hold for
every template alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from planpress.errors import Finding, Location, closest
from planpress.load.content import PlanContent, SchemeDoc, SectionDoc
from planpress.load.fields import FieldSpec
from planpress.load.models import Record


def check(content: PlanContent) -> Iterator[Finding]:
    yield from _unique_schemes(content)
    yield from _unique_ids(content)
    yield from _references(content)
    yield from _years(content)
    yield from _markdown_links(content)
    yield from _data_owner_names(content)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A hint naming the closest known name, or listing the known names when none is close."""
    known = sorted(set(known))
    guess = closest(name, known)
    if guess:
        return f"Did you mean '{guess}'?"
    shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
    return f"Use one of: {shown}" if known else "There is nothing of that kind to refer to yet"


def scheme_refs(content: PlanContent) -> set[str]:
    return {scheme_key(s) for s in content.schemes}


def scheme_key(doc: SchemeDoc) -> str:
    return str(getattr(doc.meta, "reference", ""))


def items_of_kind(content: PlanContent, kind: str) -> list[Record] | None:
    """The items of a kind the pack declares (risk, metric, ...), or None when their file did not load."""
    place = content.pack.data.kinds().get(kind) if content.pack and content.pack.data else None
    if place is None:
        return None
    file, path, _ = place
    value = content.data.get(file)
    for name in path:
        if value is None:
            return None
        value = getattr(value, name)
    return list(value or [])


def known_names(content: PlanContent, kind: str) -> set[str] | None:
    """The names items of a kind go by; None when they cannot be known (their file is broken)."""
    if kind == "section":
        return {s.id for s in content.pack.sections} if content.pack else None
    if content.pack and content.pack.data and content.pack.data.schemes and kind == content.pack.data.schemes.kind:
        return scheme_refs(content) if content.schemes_complete() else None
    place = content.pack.data.kinds().get(kind) if content.pack and content.pack.data else None
    items = items_of_kind(content, kind)
    if place is None or items is None:
        return None
    return {str(getattr(item, place[2])) for item in items}


def _unique_schemes(content: PlanContent) -> Iterator[Finding]:
    seen: dict[str, SchemeDoc] = {}
    kind = content.pack.data.schemes.kind if content.pack and content.pack.data and content.pack.data.schemes else ""
    for scheme in content.schemes:
        ref = scheme_key(scheme)
        if ref in seen:
            yield Finding(scheme.meta.where("reference"), "error",
                          f"The {kind} reference '{ref}' is already used by {seen[ref].file}",
                          f"Give each {kind} its own reference", rule=f"duplicate-{kind}")
        else:
            seen[ref] = scheme


def _unique_ids(content: PlanContent) -> Iterator[Finding]:
    if content.pack is None or content.pack.data is None:
        return
    for kind, (_, _, key) in content.pack.data.kinds().items():
        first: dict[str, Record] = {}
        for record in items_of_kind(content, kind) or []:
            value = getattr(record, key)
            if value in first:
                yield Finding(record.where(key), "error",
                              f"The {kind} '{value}' is given twice (first on line {first[value].where().line})",
                              f"Give each {kind} its own {key}", rule=f"duplicate-{kind}")
            else:
                first[value] = record


def declared_records(content: PlanContent) -> Iterator[tuple[Record, dict[str, FieldSpec]]]:
    """Every record in the content (plan, item front matter, data, progress) with the fields declared for it."""
    data = content.pack.data if content.pack else None
    if data is None:
        return
    if content.plan is not None:
        yield from _records(content.plan, data.plan.fields)
    if data.schemes is not None:
        for doc in content.schemes:
            yield from _records(doc.meta, data.schemes.fields)
    for name, spec in data.files.items():
        if content.data.get(name) is not None:
            yield from _records(content.data[name], spec.fields)
    if data.progress is not None:
        for report in content.progress.values():
            yield from _records(report, data.progress.fields)


def _records(record: Record, fields: dict[str, FieldSpec]) -> Iterator[tuple[Record, dict[str, FieldSpec]]]:
    yield record, fields
    for name, spec in fields.items():
        value = getattr(record, name, None)
        if spec.fields and isinstance(value, Record):
            yield from _records(value, spec.fields)
        elif spec.fields and isinstance(value, list):
            for item in value:
                yield from _records(item, spec.fields)


def _references(content: PlanContent) -> Iterator[Finding]:
    """Each declared reference names an item that exists (unless that kind's file is the broken one)."""
    known: dict[str, set[str] | None] = {}
    for record, fields in declared_records(content):
        for name, spec in fields.items():
            kind = spec.references()
            value = getattr(record, name, None)
            if not kind or value in (None, "", []):
                continue
            if kind not in known:
                known[kind] = known_names(content, kind)
            names = known[kind]
            if names is None:
                continue
            values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
            for index, ref in values:
                if ref not in names:
                    where = record.where(name, index) if index is not None else record.where(name)
                    yield Finding(where, "error", f"There is no {kind} '{ref}'", did_you_mean(ref, names),
                                  rule=f"unknown-{kind}")


_BY_YEAR = {"money by year", "whole numbers by year"}


def _years(content: PlanContent) -> Iterator[Finding]:
    """Every amount is for a year the plan covers."""
    if content.plan is None:
        return
    years = content.plan.period.financial_years()
    for record, fields in declared_records(content):
        for name, spec in fields.items():
            value = getattr(record, name, None)
            if value is None:
                continue
            if spec.type == "financial year":
                found = [((name,), value)]
            elif spec.type in _BY_YEAR:
                found = [((name, year), year) for year in value]
            elif spec.type == "map" and spec.values in _BY_YEAR:
                found = [((name, key, year), year) for key, by_year in value.items() for year in by_year]
            else:
                continue
            for path, year in found:
                if year not in years:
                    yield Finding(record.where(*path), "error",
                                  f"The year {year} is outside the plan's period ({', '.join(years)})",
                                  "Use one of the plan's years, or change the period in content/plan.yaml",
                                  rule="year-outside-period")


def _data_owner_names(content: PlanContent) -> Iterator[Finding]:
    if content.plan is None:
        return
    known = ["plan", *content.data_files()]
    for name in content.plan.data_owners:
        if name not in known:
            yield Finding(content.plan.where("data_owners", name), "error",
                          f"There is no data file called '{name}' to own", did_you_mean(name, known),
                          rule="unknown-data-file")


# --- links in Markdown -----------------------------------------------------------------

# A link to an item: [text](risk:R3). The kinds are those the pack declares.
LINK = re.compile(r"\]\(([a-z][a-z-]*):([^)\s]*)\)")
_NOT_KINDS = {"http", "https", "mailto", "tel", "ftp", "file", "data", "javascript"}


def link_kinds(content: PlanContent) -> list[str]:
    """Every kind an author may link to: sections, the item descriptions and the declared kinds."""
    kinds = ["section"]
    data = content.pack.data if content.pack else None
    if data and data.schemes and data.schemes.kind:
        kinds.append(data.schemes.kind)
    return kinds + list(data.kinds() if data else [])


def _markdown_links(content: PlanContent) -> Iterator[Finding]:
    # A kind whose file did not load is left out, so its links are not all reported as broken.
    kinds = link_kinds(content)
    targets = {kind: known_names(content, kind) for kind in kinds}
    for doc in [*content.sections, *content.schemes]:
        for text, first_line in markdown_blocks(doc):
            for match in LINK.finditer(text):
                kind, name = match.groups()
                if kind in _NOT_KINDS:
                    continue
                if kind not in targets:
                    line = first_line + text.count("\n", 0, match.start())
                    yield Finding(Location(doc.file, line), "error", f"The link '{kind}:{name}' names no kind of item",
                                  did_you_mean(kind, kinds), rule="broken-link")
                elif targets[kind] is not None and name not in targets[kind]:
                    line = first_line + text.count("\n", 0, match.start())
                    yield Finding(Location(doc.file, line), "error",
                                  f"The link to {kind} '{name}' goes nowhere: there is no such {kind}",
                                  did_you_mean(name, targets[kind]), rule="broken-link")


def markdown_blocks(doc: SectionDoc | SchemeDoc) -> Iterator[tuple[str, int]]:
    """The Markdown of a section or scheme, as (text, line of its first line) pieces."""
    yield doc.intro, doc.intro_line
    for part in doc.parts:
        yield part.markdown, part.body_line
