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
        *_pooled_budget(old, new), *_data_files(old, new),
        *_totals("Funding", "Total funding", old, new, "funding_by_year"),
        *_totals("Expenditure", "Total expenditure", old, new, "expenditure_by_year"),
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


def _compare_docs(kind, old_docs: dict, new_docs: dict, title) -> list[DocChange]:
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
        texts = [*_field_texts(old, new), *_part_texts(_doc_parts(old), _doc_parts(new))]
        if texts:
            changes.append(DocChange(kind, key, title(new), "changed", tuple(texts)))
    return changes


def _field_texts(old, new) -> list[TextChange]:
    """The front matter's values that changed (title, owner, status, ...), whatever the pack declares."""
    texts = []
    for name in dict.fromkeys([*type(new.meta).model_fields, *type(old.meta).model_fields]):
        if name in ("id", "reference"):
            continue
        before, after = _shown_field(getattr(old.meta, name, None)), _shown_field(getattr(new.meta, name, None))
        if before != after:
            texts.append(TextChange(_label(name), "changed", word_diff(before, after)))
    return texts


def _shown_field(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_shown_field(v) for v in value)
    if isinstance(value, Record):
        return "; ".join(f"{_label(k)}: {_shown_field(v)}" for k, v in value.model_dump().items() if v)
    return str(value)


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

    return _compare_docs("section", {d.meta.id: d for d in old.sections}, {d.meta.id: d for d in new.sections}, title)


def _compare_schemes(old: PlanContent, new: PlanContent) -> list[DocChange]:
    def title(doc: SchemeDoc) -> str:
        return f"{doc.meta.reference} {doc.meta.name}"

    return _compare_docs("scheme", {_reference(d): d for d in old.schemes}, {_reference(d): d for d in new.schemes},
                         title)


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
    """The headline of a plan whose plan.yaml states its pooled budget by year (an older round's)."""
    if not (getattr(old.plan, "pooled_budget", None) and getattr(new.plan, "pooled_budget", None)):
        return []
    result = []
    for label, attribute in ((AGREED, "agreed"), ("Minimum required value", "minimum")):
        before = {b.year: getattr(b, attribute) for b in old.plan.pooled_budget}
        after = {b.year: getattr(b, attribute) for b in new.plan.pooled_budget}
        result += _changes("Pooled budget", label, before, after, "money")
    return result


def _totals(group: str, item: str, old: PlanContent, new: PlanContent, attribute: str) -> list[FigureChange]:
    try:
        before, after = getattr(compute(old), attribute), getattr(compute(new), attribute)
    except (AssertionError, KeyError, AttributeError):  # a version that did not load whole has no totals
        return []
    return _changes(group, item, before, after, "money")


def _data_files(old: PlanContent, new: PlanContent) -> list[FigureChange]:
    """Every figure and short text in the data files, whatever the pack declares in them: lists of
    items are matched item by item (by id, scheme, source, period ...), so a reordered list is no
    change, and each changed value is one row."""
    names = {s.meta.reference: s.meta.name for s in [*old.schemes, *new.schemes] if _reference(s)}
    result: list[FigureChange] = []
    for name in dict.fromkeys([*new.data, *old.data]):
        before, after = old.data.get(name), new.data.get(name)
        if before is None or after is None:  # a file that did not load, or that one version lacks
            continue
        result += _record(_label(name), "", "", before, after, names)
    return result


def _record(group: str, item: str, prefix: str, old: Record | None, new: Record | None, names) -> list[FigureChange]:
    """The changes inside one record: its lists of items are groups of their own."""
    result = []
    shape = new if new is not None else old
    tables = [name for name in type(shape).model_fields if isinstance(getattr(shape, name), dict)]
    for field_name in type(shape).model_fields:
        before, after = getattr(old, field_name, None), getattr(new, field_name, None)
        value = after if after is not None else before
        # A record's one table by period (amounts by year) needs no name: its measures are the years.
        label = prefix if tables == [field_name] else _join_label(prefix, _label(field_name))
        if _is_item_list(before) or _is_item_list(after):
            inner = _label(field_name) if not item else group
            result += _items(inner, item, label if item else "", before or [], after or [], names)
        elif isinstance(value, Record):
            result += _record(group, item or _label(field_name), prefix if not item else label, before, after, names)
        else:
            result += _values(group, item or _label(field_name), prefix if not item else label, before, after)
    return result


def _items(group: str, item: str, prefix: str, old: list, new: list, names) -> list[FigureChange]:
    labels = _item_labels(old, new, names)
    before = {labels[id(x)]: x for x in old}
    after = {labels[id(x)]: x for x in new}
    result = []
    for key in [*after, *(k for k in before if k not in after)]:
        if item:  # a list inside an item (a metric's plans by quarter): the key is part of the measure
            result += _record(group, item, _join_label(prefix, key), before.get(key), after.get(key), names)
        else:
            result += _record(group, key, "", before.get(key), after.get(key), names)
    return result


def _values(group: str, item: str, measure: str, before: object, after: object) -> list[FigureChange]:
    """One value, or a {period: amount} table of them, as rows."""
    if isinstance(before, dict) or isinstance(after, dict):
        before, after = dict(before or {}), dict(after or {})
        kinds = {_kind(v) for v in [*before.values(), *after.values()] if v is not None}
        kind = kinds.pop() if len(kinds) == 1 else "text"
        return [dataclasses.replace(change, measure=_join_label(measure, change.measure))
                for change in _changes(group, item, before, after, kind)]
    if isinstance(before, (list, tuple)) or isinstance(after, (list, tuple)):
        before = ", ".join(map(str, before)) if before else None
        after = ", ".join(map(str, after)) if after else None
    if before == after:
        return []
    kinds = {_kind(v) for v in (before, after) if v is not None}
    kind = kinds.pop() if len(kinds) == 1 else "text"  # a date that became a month, say: compared as written
    shown = (lambda v: v) if kind != "text" else (lambda v: None if v is None else str(v))
    return [FigureChange(group, item, measure, shown(before), shown(after), kind)]


def _kind(value: object) -> Kind:
    if isinstance(value, bool):
        return "text"
    if isinstance(value, Decimal):
        return "money"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    return "text"


_PRIMARY = ("id", "reference", "scheme", "source", "stream", "period", "year", "quarter", "month", "name", "title")
"""Fields that name an item in a list, the first one an item has naming it."""


def _item_labels(old: list[Record], new: list[Record], names: dict[str, str]) -> dict[int, str]:
    """A label for each item, the same in both versions: its naming field (a scheme with its name),
    its provider, and as many further short texts as make the labels unique in each version."""
    items = [*old, *new]
    def fields(record: Record) -> dict[str, str]:
        return {name: str(value) for name, value in record.model_dump().items()
                if isinstance(value, (str, int, dt.date)) and not isinstance(value, bool) and len(str(value)) < 120}

    values = [fields(x) for x in items]
    shared = [name for name in dict.fromkeys(n for v in values for n in v)]
    primary = next((name for name in _PRIMARY if name in shared), None)
    extra = [name for name in shared if name != primary and name != "provider"]
    chosen = ["provider"] if "provider" in shared and primary != "provider" else []
    if primary is None and not chosen and extra:  # no naming field: the first short text names it
        primary = extra.pop(0)

    def label(value: dict[str, str], index: int) -> str:
        main = value.get(primary, "") if primary else ""
        if primary == "scheme" and main in names:
            main = f"{main} {names[main]}"
        details = [value[name] for name in chosen if value.get(name)]
        text = f"{main} ({', '.join(details)})" if details and main else main or ", ".join(details)
        return text or f"Item {index + 1}"

    def unique() -> bool:
        first = [label(v, i) for i, v in enumerate(values[:len(old)])]
        second = [label(v, i) for i, v in enumerate(values[len(old):])]
        return len(set(first)) == len(first) and len(set(second)) == len(second)

    while not unique() and extra:
        chosen.append(extra.pop(0))
    numbers = [*range(len(old)), *range(len(new))]  # "Item 3" counts within its own version
    return {id(x): label(v, n) for x, v, n in zip(items, values, numbers)}


def _is_item_list(value: object) -> bool:
    return isinstance(value, (list, tuple)) and bool(value) and all(isinstance(x, Record) for x in value)


def _reference(scheme) -> str:
    return getattr(scheme.meta, "reference", "") or ""


def _label(name: str) -> str:
    return _sentence_case(str(name).replace("_", " "))


def _join_label(*parts: str) -> str:
    return " ".join(p for p in parts if p)


# --- small helpers -------------------------------------------------------------------------


def _number(value: object) -> str:
    number = Decimal(str(value))
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}".rstrip("0").rstrip(".")


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def version_label(name: str, day: dt.date | None) -> str:
    """"v1.0 (12 March 2025)", as the report names a version."""
    return f"{name} ({day.day} {day:%B %Y})" if day else name
