"""Every reference names something that exists, once: schemes, themes, tasks, risks, boards, years."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from planpress.errors import Finding, Location, closest
from planpress.load import DATA_FILES, PlanContent, SchemeDoc, SectionDoc
from planpress.models import Record


def check(content: PlanContent) -> Iterator[Finding]:
    yield from _unique_schemes(content)
    yield from _theme_list(content)
    yield from _unique_ids(content)
    yield from _scheme_references(content)
    yield from _milestone_references(content)
    yield from _board_references(content)
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
    return {s.meta.reference for s in content.schemes}


# --- schemes and themes ----------------------------------------------------------------


def _unique_schemes(content: PlanContent) -> Iterator[Finding]:
    seen: dict[str, SchemeDoc] = {}
    for scheme in content.schemes:
        ref = scheme.meta.reference
        if ref in seen:
            yield Finding(scheme.meta.where("reference"), "error",
                          f"The scheme reference '{ref}' is already used by {seen[ref].file}",
                          "Give each scheme its own reference", rule="duplicate-scheme")
        else:
            seen[ref] = scheme


def _theme_list(content: PlanContent) -> Iterator[Finding]:
    if content.themes is None:
        return
    schemes = {s.meta.reference: s for s in content.schemes}
    theme_ids = [t.id for t in content.themes.themes]
    listed: dict[str, str] = {}
    for theme in content.themes.themes:
        for index, ref in enumerate(theme.schemes):
            where = theme.where("schemes", index)
            if ref in listed:
                yield Finding(where, "error", f"Scheme '{ref}' is listed twice (also under theme {listed[ref]})",
                              "List each scheme once, under its theme", rule="duplicate-scheme")
                continue
            listed[ref] = theme.id
            scheme = schemes.get(ref)
            if scheme is None and not content.schemes_complete():
                continue  # its file may be the broken one: that finding says enough
            if scheme is None:
                yield Finding(where, "error", f"Scheme '{ref}' is listed but has no description in content/schemes/",
                              f"Add content/schemes/{ref}.md (Annex 1), or correct the reference. "
                              + did_you_mean(ref, schemes), rule="scheme-without-annex")
            elif scheme.meta.theme != theme.id:
                yield Finding(scheme.meta.where("theme"), "error",
                              f"Scheme '{ref}' says its theme is '{scheme.meta.theme}', "
                              f"but content/data/themes.yaml lists it under '{theme.id}'",
                              "Make the two agree", rule="theme-mismatch")
    for scheme in content.schemes:
        ref = scheme.meta.reference
        if scheme.meta.theme not in theme_ids:
            yield Finding(scheme.meta.where("theme"), "error", f"There is no theme '{scheme.meta.theme}'",
                          did_you_mean(scheme.meta.theme, theme_ids), rule="unknown-theme")
        if ref not in listed:
            yield Finding(scheme.meta.where("reference"), "error",
                          f"Scheme '{ref}' has a description but is not in the list of schemes",
                          f"Add {ref} to its theme's 'schemes' in content/data/themes.yaml",
                          rule="annex-not-listed")


def _unique_ids(content: PlanContent) -> Iterator[Finding]:
    groups: list[tuple[str, list[Record], str]] = []
    if content.themes:
        groups.append(("theme", content.themes.themes, "id"))
    if content.metrics:
        groups.append(("metric", content.metrics.metrics, "id"))
    if content.risks:
        groups.append(("risk", content.risks.risks, "id"))
    if content.milestones:
        groups.append(("milestone", content.milestones.milestones, "id"))
    if content.documents:
        groups.append(("document", content.documents.documents, "ref"))
    if content.governance:
        groups.append(("board", content.governance.boards, "name"))
    for kind, records, key in groups:
        first: dict[str, Record] = {}
        for record in records:
            value = getattr(record, key)
            if value in first:
                yield Finding(record.where(key), "error",
                              f"The {kind} '{value}' is given twice (first on line {first[value].where().line})",
                              f"Give each {kind} its own {key}", rule=f"duplicate-{kind}")
            else:
                first[value] = record


def _scheme_references(content: PlanContent) -> Iterator[Finding]:
    known = scheme_refs(content)
    if not content.schemes or not content.schemes_complete():
        return
    references: list[tuple[Location, str]] = []
    if content.finance:
        references += [(line.where("scheme"), line.scheme) for line in content.finance.expenditure]
    if content.risks:
        references += [(risk.where("schemes", i), ref)
                       for risk in content.risks.risks for i, ref in enumerate(risk.schemes)]
    if content.milestones:
        references += [(task.where("scheme"), task.scheme)
                       for task in content.milestones.milestones if task.scheme]
    for where, ref in references:
        if ref not in known:
            yield Finding(where, "error", f"There is no scheme '{ref}'", did_you_mean(ref, known),
                          rule="unknown-scheme")


def _milestone_references(content: PlanContent) -> Iterator[Finding]:
    if content.milestones is None:
        return
    tasks = {t.id for t in content.milestones.milestones}
    themes = {t.id for t in content.themes.themes} if content.themes else None
    for task in content.milestones.milestones:
        for index, dependency in enumerate(task.depends_on):
            where = task.where("depends_on", index)
            if dependency == task.id:
                yield Finding(where, "error", f"Task {task.id} depends on itself",
                              "Remove it from its own 'depends_on'", rule="self-dependency")
            elif dependency not in tasks:
                yield Finding(where, "error", f"Task {task.id} depends on '{dependency}', which does not exist",
                              did_you_mean(dependency, tasks), rule="unknown-task")
        if task.theme and themes is not None and task.theme not in themes:
            yield Finding(task.where("theme"), "error", f"There is no theme '{task.theme}'",
                          did_you_mean(task.theme, themes), rule="unknown-theme")


def _board_references(content: PlanContent) -> Iterator[Finding]:
    if content.governance is None:
        return
    names = [b.name for b in content.governance.boards]
    for board in content.governance.boards:
        if board.reports_to and board.reports_to not in names:
            yield Finding(board.where("reports_to"), "error", f"There is no board called '{board.reports_to}'",
                          did_you_mean(board.reports_to, names), rule="unknown-board")


def _years(content: PlanContent) -> Iterator[Finding]:
    """Every amount is for a year the plan covers."""
    if content.plan is None:
        return
    years = content.plan.period.financial_years()
    keyed: list[tuple[Record, tuple]] = [(b, ("year",)) for b in content.plan.pooled_budget]
    finance = content.finance
    if finance:
        keyed += [(f, ("amounts",)) for f in finance.funding]
        keyed += [(e, ("amounts",)) for e in finance.expenditure]
        keyed += [(finance, ("stated_totals", kind)) for kind in finance.stated_totals]
        keyed += [(finance, ("social_care_protection",)), (finance, ("carers_support",))]
    if content.providers:
        keyed += [(p.figures, (name,)) for p in content.providers.providers
                  for name in ("plans", "prevented_by_bcf")]
    for record, path in keyed:
        value = record
        for name in path:
            value = getattr(value, name) if not isinstance(value, dict) else value[name]
        for year in ([value] if isinstance(value, str) else value):
            if year not in years:
                yield Finding(record.where(*path, year) if not isinstance(value, str) else record.where(*path),
                              "error", f"The year {year} is outside the plan's period ({', '.join(years)})",
                              "Use one of the plan's years, or change the period in content/plan.yaml",
                              rule="year-outside-period")


def _data_owner_names(content: PlanContent) -> Iterator[Finding]:
    if content.plan is None:
        return
    known = ["plan", *DATA_FILES]
    for name in content.plan.data_owners:
        if name not in known:
            yield Finding(content.plan.where("data_owners", name), "error",
                          f"There is no data file called '{name}' to own", did_you_mean(name, known),
                          rule="unknown-data-file")


# --- links in Markdown -----------------------------------------------------------------

_LINK = re.compile(r"\]\((scheme|section|milestone|risk|metric):([^)\s]*)\)")


def _markdown_links(content: PlanContent) -> Iterator[Finding]:
    # A kind whose file did not load is left out, so its links are not all reported as broken.
    targets = {
        "scheme": scheme_refs(content) if content.schemes_complete() else None,
        "section": {s.id for s in content.pack.sections} if content.pack else None,
        "milestone": {t.id for t in content.milestones.milestones} if content.milestones else None,
        "risk": {r.id for r in content.risks.risks} if content.risks else None,
        "metric": {x.id for x in content.metrics.metrics} if content.metrics else None,
    }
    for doc in [*content.sections, *content.schemes]:
        for text, first_line in markdown_blocks(doc):
            for match in _LINK.finditer(text):
                kind, name = match.groups()
                if targets[kind] is not None and name not in targets[kind]:
                    line = first_line + text.count("\n", 0, match.start())
                    yield Finding(Location(doc.file, line), "error",
                                  f"The link to {kind} '{name}' goes nowhere: there is no such {kind}",
                                  did_you_mean(name, targets[kind]), rule="broken-link")


def markdown_blocks(doc: SectionDoc | SchemeDoc) -> Iterator[tuple[str, int]]:
    """The Markdown of a section or scheme, as (text, line of its first line) pieces."""
    yield doc.intro, doc.intro_line
    for part in doc.parts:
        yield part.markdown, part.body_line
