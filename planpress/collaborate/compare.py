"""Compare two loaded versions of a plan: what the people who approve it need to see.

Works on the typed models (never on raw files), so a reflowed paragraph or reordered YAML
keys is no change, while a changed sentence, scheme or figure is. Text is compared word by
word; figures are listed with before, after and the difference.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from planpress.figures import compute
from planpress.load.models import Record
from planpress.load.content import PlanContent, SchemeDoc, SectionDoc
from planpress.render import money

Op = Literal["equal", "insert", "delete"]
PARAGRAPH = "\n\n"
"""The token that stands for a paragraph break in a word diff."""


@dataclass(frozen=True)
class WordDiff:
    """A text before and after, as runs of words that stayed, were inserted or were deleted."""

    runs: tuple[tuple[Op, str], ...]

    @property
    def changed(self) -> bool:
        return any(op != "equal" for op, _ in self.runs)

    def paragraphs(self, changed_only: bool = False) -> list[list[tuple[Op, str]]]:
        """The runs split at paragraph breaks, for outputs that write one paragraph at a time.

        With `changed_only`, the paragraphs where nothing changed are left out: an approver
        reads what changed, not the whole part again.
        """
        result: list[list[tuple[Op, str]]] = [[]]
        for op, text in self.runs:
            pieces = text.split(PARAGRAPH)
            for index, piece in enumerate(pieces):
                if index:
                    result.append([])
                if piece.strip():
                    result[-1].append((op, piece))
        return [p for p in result if p and (not changed_only or any(op != "equal" for op, _ in p))]

    def words(self, op: Op) -> str:
        return " ".join(" ".join(t.split()) for o, t in self.runs if o == op)


@dataclass(frozen=True)
class TextChange:
    """One part of a section or scheme (or one text field) that was added, removed or reworded."""

    label: str
    """Which part, as the reader knows it, such as "Vision for the next five years"."""
    change: Literal["added", "removed", "changed"]
    diff: WordDiff


@dataclass(frozen=True)
class DocChange:
    """A section or a scheme that was added, removed or changed."""

    kind: Literal["section", "scheme"]
    key: str
    """The section's id or the scheme's reference."""
    title: str
    change: Literal["added", "removed", "changed"]
    texts: tuple[TextChange, ...] = ()


Kind = Literal["money", "number", "date", "text"]
AGREED = "Total agreed value"


@dataclass(frozen=True)
class FigureChange:
    """One figure before and after. None on one side means it was added or removed."""

    group: str
    """Which table it belongs to: Pooled budget, Funding, Expenditure, Metrics, Risks, Milestones."""
    item: str
    """What it is, such as "PE2 Falls prevention service (Moorside Partnership NHS FT)"."""
    measure: str
    """Which figure of the item, such as "2015/16" or "likelihood"."""
    before: object
    after: object
    kind: Kind

    @property
    def difference(self) -> str:
        """The change as a reader says it: "+£412,000", "-3", "+30 days"; "" where it has no size."""
        if self.before is None or self.after is None or self.kind == "text":
            return ""
        if self.kind == "date":
            return f"{(self.after - self.before).days:+,} days"
        delta = Decimal(str(self.after)) - Decimal(str(self.before))
        sign = "+" if delta > 0 else "-" if delta < 0 else ""
        if self.kind == "money":
            return f"{sign}{money(abs(delta))}"
        return f"{sign}{_number(abs(delta))}"

    def shown(self, value: object) -> str:
        if value is None:
            return "(none)"
        if self.kind == "money":
            return money(value)
        if self.kind == "date":
            return f"{value.day} {value:%B %Y}"
        if self.kind == "number":
            return _number(value)
        return str(value)


@dataclass(frozen=True)
class PlanChanges:
    """Everything that changed between two versions of a plan."""

    before: str
    """The older version as the reader knows it, such as "v1.0 (12 March 2025)"."""
    after: str
    documents: tuple[DocChange, ...] = ()
    figures: tuple[FigureChange, ...] = ()
    notes: tuple[str, ...] = field(default=())
    """Problems loading either version, which may hide changes."""

    @property
    def empty(self) -> bool:
        return not self.documents and not self.figures

    def summary(self) -> str:
        """One sentence for the top of the report: "3 sections changed, 2 schemes added, pooled budget ..."."""
        parts = []
        for kind, plural in (("section", "sections"), ("scheme", "schemes")):
            for change in ("added", "removed", "changed"):
                count = sum(1 for d in self.documents if d.kind == kind and d.change == change)
                if count:
                    parts.append(f"{count} {kind if count == 1 else plural} {change}")
        headline = [f for f in self.figures if f.group == "Pooled budget" and f.item == AGREED
                    and f.before is not None and f.after is not None]
        for figure in headline:
            direction = "up" if figure.after > figure.before else "down"
            parts.append(f"pooled budget {figure.measure} {direction} by {money(abs(figure.after - figure.before))}")
        others = [f for f in self.figures if f not in headline]
        if others:
            parts.append(f"{len(others)} other figure{'s' if len(others) != 1 else ''} changed")
        if not parts:
            return f"No changes to the plan between {self.before} and {self.after}."
        return f"{_sentence_case(', '.join(parts))}."


# --- comparing -------------------------------------------------------------------------


def compare(old: PlanContent, new: PlanContent, before: str, after: str) -> PlanChanges:
    documents = [*_compare_sections(old, new), *_compare_schemes(old, new)]
    figures = [
        *_pooled_budget(old, new), *_funding(old, new), *_expenditure(old, new), *_other_finance(old, new),
        *_metrics(old, new), *_risks(old, new), *_milestones(old, new),
    ]
    return PlanChanges(before, after, tuple(documents), tuple(figures))


def word_diff(before: str, after: str) -> WordDiff:
    """Compare two Markdown texts word by word; layout (line breaks, spacing) is not a change."""
    old, new = _tokens(before), _tokens(after)
    runs: list[tuple[Op, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            runs.append(("delete", _join(old[i1:i2])))
        if tag in ("insert", "replace"):
            runs.append(("insert", _join(new[j1:j2])))
        if tag == "equal":
            runs.append(("equal", _join(old[i1:i2])))
    return WordDiff(tuple(runs))


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")
_BLOCK_MARK = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)")


def plain_text(markdown: str) -> str:
    """Markdown as a reader sees it: link text without the address, no emphasis marks.

    Paragraphs and list items are kept apart by blank lines so the diff can show them as such.
    """
    blocks: list[str] = []
    for line in markdown.splitlines():
        if not line.strip():
            blocks.append("")
            continue
        starts_item = bool(_BLOCK_MARK.match(line)) and not line.lstrip().startswith("|")
        text = _EMPHASIS.sub("", _LINK.sub(r"\1", _BLOCK_MARK.sub(_list_mark, line))).strip()
        if starts_item and blocks and blocks[-1]:
            blocks.append("")
        blocks.append(text)
    paragraphs, current = [], []
    for text in blocks + [""]:
        if text:
            current.append(text)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return PARAGRAPH.join(paragraphs)


def _list_mark(match: re.Match) -> str:
    mark = match.group(1).strip()
    return "" if mark.startswith(("#", ">")) else (mark + " " if mark[0].isdigit() else "• ")


def _tokens(markdown: str) -> list[str]:
    tokens: list[str] = []
    for index, paragraph in enumerate(plain_text(markdown).split(PARAGRAPH)):
        if index:
            tokens.append(PARAGRAPH)
        tokens.extend(paragraph.split())
    return tokens


def _join(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        if token == PARAGRAPH or text.endswith(PARAGRAPH) or not text:
            text += token
        else:
            text += " " + token
    return text


# --- sections and schemes ----------------------------------------------------------------


def _doc_parts(doc: SectionDoc | SchemeDoc) -> dict[str, str]:
    """A document's text by part, in order: the introduction, then each part by its heading."""
    parts = {"Introduction": doc.intro} if doc.intro.strip() else {}
    for part in doc.parts:
        label = part.pack_part.title if part.pack_part else part.heading
        parts[label] = part.markdown
    return parts


def _compare_docs(kind, old_docs: dict, new_docs: dict, title, fields) -> list[DocChange]:
    changes = []
    for key in [*new_docs, *(k for k in old_docs if k not in new_docs)]:
        old, new = old_docs.get(key), new_docs.get(key)
        if old is None or new is None:
            doc = new or old
            change = "added" if old is None else "removed"
            texts = tuple(TextChange(label, change, word_diff("" if old is None else text, text if old is None else ""))
                          for label, text in _doc_parts(doc).items())
            changes.append(DocChange(kind, key, title(doc), change, texts))
            continue
        texts = [*_field_texts(old, new, fields), *_part_texts(_doc_parts(old), _doc_parts(new))]
        if texts:
            changes.append(DocChange(kind, key, title(new), "changed", tuple(texts)))
    return changes


def _field_texts(old, new, fields: dict[str, str]) -> list[TextChange]:
    texts = []
    for name, label in fields.items():
        before, after = getattr(old.meta, name) or "", getattr(new.meta, name) or ""
        if str(before) != str(after):
            texts.append(TextChange(label, "changed", word_diff(str(before), str(after))))
    return texts


def _part_texts(old: dict[str, str], new: dict[str, str]) -> list[TextChange]:
    texts = []
    for label in [*new, *(k for k in old if k not in new)]:
        diff = word_diff(old.get(label, ""), new.get(label, ""))
        if diff.changed:
            change = "added" if label not in old else "removed" if label not in new else "changed"
            texts.append(TextChange(label, change, diff))
    return texts


def _compare_sections(old: PlanContent, new: PlanContent) -> list[DocChange]:
    def title(doc: SectionDoc) -> str:
        number = doc.pack_section.number if doc.pack_section else ""
        return f"Section {number}: {doc.meta.title}" if number else doc.meta.title

    fields = {"title": "Title", "owner": "Owner", "status": "Status"}
    return _compare_docs("section", {d.meta.id: d for d in old.sections}, {d.meta.id: d for d in new.sections},
                         title, fields)


def _compare_schemes(old: PlanContent, new: PlanContent) -> list[DocChange]:
    def title(doc: SchemeDoc) -> str:
        return f"{doc.meta.reference} {doc.meta.name}"

    fields = {"name": "Name", "theme": "Theme", "lead": "Lead", "owner": "Owner", "status": "Status",
              "strategic_objective": "Strategic objective"}
    return _compare_docs("scheme", {d.meta.reference: d for d in old.schemes},
                         {d.meta.reference: d for d in new.schemes}, title, fields)


# --- figures -----------------------------------------------------------------------------


def _changes(group: str, item: str, old: dict, new: dict, kind: Kind) -> list[FigureChange]:
    """A FigureChange for every measure whose value differs between two {measure: value} maps."""
    return [FigureChange(group, item, measure, old.get(measure), new.get(measure), kind)
            for measure in [*new, *(k for k in old if k not in new)]
            if old.get(measure) != new.get(measure)]


def _keyed(group: str, old: dict, new: dict, kind: Kind, measures) -> list[FigureChange]:
    """Compare two {item: record} maps, each record giving {measure: value} through `measures`."""
    result = []
    for item in [*new, *(k for k in old if k not in new)]:
        before = measures(old[item]) if item in old else {}
        after = measures(new[item]) if item in new else {}
        result += _changes(group, item, before, after, kind)
    return result


def _pooled_budget(old: PlanContent, new: PlanContent) -> list[FigureChange]:
    if not (old.plan and new.plan):
        return []
    result = []
    for label, attribute in ((AGREED, "agreed"), ("Minimum required value", "minimum")):
        before = {b.year: getattr(b, attribute) for b in old.plan.pooled_budget}
        after = {b.year: getattr(b, attribute) for b in new.plan.pooled_budget}
        result += _changes("Pooled budget", label, before, after, "money")
    return result


def _funding(old: PlanContent, new: PlanContent) -> list[FigureChange]:
    if not (old.finance and new.finance):
        return []
    result = _keyed("Funding", {f.source: f for f in old.finance.funding}, {f.source: f for f in new.finance.funding},
                    "money", lambda f: dict(f.amounts))
    return result + _totals("Funding", "Total funding", old, new, "funding_by_year")


def _expenditure(old: PlanContent, new: PlanContent) -> list[FigureChange]:
    if not (old.finance and new.finance):
        return []

    def lines(content: PlanContent) -> dict[str, object]:
        names = {s.meta.reference: s.meta.name for s in content.schemes}
        return {f"{e.scheme} {names.get(e.scheme, '')} ({e.provider})".replace("  ", " "): e
                for e in content.finance.expenditure}

    result = _keyed("Expenditure", lines(old), lines(new), "money", lambda e: dict(e.amounts))
    return result + _totals("Expenditure", "Total expenditure", old, new, "expenditure_by_year")


def _totals(group: str, item: str, old: PlanContent, new: PlanContent, attribute: str) -> list[FigureChange]:
    try:
        before, after = getattr(compute(old), attribute), getattr(compute(new), attribute)
    except (AssertionError, KeyError, AttributeError):  # a version that did not load whole has no totals
        return []
    return _changes(group, item, before, after, "money")


def _other_finance(old: PlanContent, new: PlanContent) -> list[FigureChange]:
    """The named parts of the fund (the pack's within-fund amounts) and any group of figures in the
    finance file (such as a performance element), figure by figure."""
    if not (old.finance and new.finance):
        return []
    result = []
    params = new.models.rule_params.get("within-fund") if new.models else None
    for attribute, what in (params.amounts.items() if params else ()):
        result += _changes("Funding", what[:1].upper() + what[1:], dict(getattr(old.finance, attribute, {}) or {}),
                           dict(getattr(new.finance, attribute, {}) or {}), "money")
    for name in type(new.finance).model_fields:
        before, after = getattr(old.finance, name, None), getattr(new.finance, name, None)
        if not isinstance(after if after is not None else before, Record):
            continue
        group = name.replace("_", " ").capitalize()
        numbers_before, numbers_after = _numbers(before), _numbers(after)
        for measure in dict.fromkeys([*numbers_before, *numbers_after]):
            b, a = numbers_before.get(measure), numbers_after.get(measure)
            if b != a:
                kind = "money" if isinstance(a if a is not None else b, Decimal) else "number"
                result.append(FigureChange(group, measure.replace("_", " "), "", b, a, kind))
    return result


def _numbers(record: Record | None) -> dict[str, object]:
    """The figures of a group of fields: its numbers and sums of money, by field."""
    if record is None:
        return {}
    values = {name: getattr(record, name) for name in type(record).model_fields}
    return {name: value for name, value in values.items()
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)}


def _metrics(old: PlanContent, new: PlanContent) -> list[FigureChange]:
    if not (old.metrics and new.metrics):
        return []

    def values(metric) -> dict[str, float]:
        return {f"baseline ({metric.baseline.period})": metric.baseline.value,
                **{f"plan {p.period}": p.value for p in metric.plans}}

    return _keyed("Metrics", {m.id: m for m in old.metrics.metrics}, {m.id: m for m in new.metrics.metrics},
                  "number", values)


def _risks(old: PlanContent, new: PlanContent) -> list[FigureChange]:
    if not (old.risks and new.risks):
        return []

    def figures(risk) -> dict[str, object]:
        values = {"likelihood": risk.likelihood, "impact": risk.impact,
                  "risk factor": risk.likelihood * risk.impact}
        if risk.financial_impact:
            values["financial impact"] = risk.financial_impact.amount
        return values

    old_risks, new_risks = {r.id: r for r in old.risks.risks}, {r.id: r for r in new.risks.risks}
    result = []
    for change in _keyed("Risks", old_risks, new_risks, "number", figures):
        kind = "money" if change.measure == "financial impact" else "number"
        result.append(dataclasses.replace(change, kind=kind))
    for rid in [*new_risks, *(k for k in old_risks if k not in new_risks)]:
        before = old_risks[rid].risk if rid in old_risks else None
        after = new_risks[rid].risk if rid in new_risks else None
        if before != after:
            result.append(FigureChange("Risks", rid, "risk", before, after, "text"))
    return result


def _milestones(old: PlanContent, new: PlanContent) -> list[FigureChange]:
    if not (old.milestones and new.milestones):
        return []
    old_tasks = {m.id: m for m in old.milestones.milestones}
    new_tasks = {m.id: m for m in new.milestones.milestones}
    result = _keyed("Milestones", old_tasks, new_tasks, "date", lambda m: {"start": m.start, "due": m.due})
    for mid in [*new_tasks, *(k for k in old_tasks if k not in new_tasks)]:
        for name in ("task", "owner"):
            before = getattr(old_tasks[mid], name) if mid in old_tasks else None
            after = getattr(new_tasks[mid], name) if mid in new_tasks else None
            if before != after:
                result.append(FigureChange("Milestones", mid, name, before, after, "text"))
        before = ", ".join(old_tasks[mid].depends_on) if mid in old_tasks else None
        after = ", ".join(new_tasks[mid].depends_on) if mid in new_tasks else None
        if before != after and (before or after):
            result.append(FigureChange("Milestones", mid, "depends on", before or None, after or None, "text"))
    return result


# --- small helpers -------------------------------------------------------------------------


def _number(value: object) -> str:
    number = Decimal(str(value))
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}".rstrip("0").rstrip(".")


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def version_label(name: str, day: dt.date | None) -> str:
    """"v1.0 (12 March 2025)", as the report names a version."""
    return f"{name} ({day.day} {day:%B %Y})" if day else name
