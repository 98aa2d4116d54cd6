"""Tables of label and value that together describe one item of a list, under a heading of their own.

A layout may print each item of a list (a commentary from each partner, say) as a heading followed by
a few tables of label and value: who signed, the figures, the answers to questions, then a paragraph
that opens with a bold lead-in naming a field. Nothing here knows a round's wording: a row names a
field by the field's name or by a clause of its help in data.yaml, a figure by year by the year in the
label, and a value the layout prints inside a label or after another value goes back to its field.
"""

from __future__ import annotations

import re

from planpress.load.fields import FieldSpec
from planpress.word import tables as t
from planpress.word.docx_read import plain
from planpress.word.place import same_word, words

YEAR_IN = re.compile(r"\b\d{4}/\d{2}\b")
_DATE_AT_END = re.compile(r",\s*(\d{1,2} [A-Z][a-z]+ \d{4})\s*$")


def flat_fields(item: FieldSpec) -> dict[str, FieldSpec]:
    """An item's fields, with each record's own fields as "record.field" (a record printed as rows)."""
    flat: dict[str, FieldSpec] = {}
    for name, spec in item.fields.items():
        if spec.type == "record" and spec.fields:
            flat.update({f"{name}.{inner}": s for inner, s in spec.fields.items() if s.type != "list"})
        elif spec.type != "list":
            flat[name] = spec
    return flat


def match_rows(rows: list[list[str]], flat: dict[str, FieldSpec]) -> dict[int, tuple[str, str | None]]:
    """Which field (and year, for a figure by year) each row gives. Each field (each year of one) goes to the
    row that names it best; a row naming two years is a change worked out between them, and gives nothing."""
    scores = []
    for index, row in enumerate(rows):
        if len(row) < 2:
            return {}
        years = YEAR_IN.findall(row[0])
        if len(years) > 1:
            continue
        year = years[0] if years else None
        label = YEAR_IN.sub(" ", row[0]) if year else row[0]
        for path, spec in flat.items():
            by_year = spec.type in t.BY_YEAR
            if by_year != bool(year) and by_year:
                continue
            score = label_score(label, path.split(".")[-1], spec)
            kind = "whole number" if spec.type == "whole numbers by year" else (
                "money" if spec.type == "money by year" else spec.type)
            if score >= 0.3 and kind not in ("text", "reference", "choice") and t.cell_value(row[1].strip(), kind,
                                                                                             spec)[1]:
                score /= 2  # a figure's row whose cell is no such figure ("+40 (+0.2%)" for a whole number)
            if score >= 0.3:
                scores.append((score, index, path, year if by_year else None))
    chosen: dict[int, tuple[str, str | None]] = {}
    for score, index, path, year in sorted(scores, key=lambda s: (-s[0], s[1])):
        if index not in chosen and (path, year) not in chosen.values():
            chosen[index] = (path, year)
    _by_choice(rows, flat, chosen)
    return chosen


def label_score(label: str, name: str, spec: FieldSpec) -> float:
    """A label names a field as a table's row label does (tables.py), or by one of its parts around a colon
    ("Question 3: ..." for a field whose help says it answers the template's question 3), or by words that
    all stand in a clause of the field's help ("Answered by": "Who answered for the provider")."""
    best = 0.0
    named_by = words(name.replace("_", " "))
    for part in [label] + [p for p in label.split(":") if p.strip()]:
        best = max(best, t.row_score(part, name, spec))
        said = words(re.sub(r"\([^)]*\)", " ", part))
        if len(said) == len(named_by) and all(same_word(w, n) for w, n in zip(said, named_by)):
            return 1.0  # the field's own name ("plan" for plans)
        for clause in re.split(r"[.,;:(]", spec.help):
            named = words(clause)
            if not said or len(named) < 2:
                continue
            shared = sum(1 for w in said if any(same_word(w, n) for n in named))
            if shared == len(said):
                best = max(best, 0.4)  # all the label's words stand in the clause ("Answered by")
            elif shared / max(len(said), len(named)) >= 0.4:
                best = max(best, shared / max(len(said), len(named)))
    return best


def _by_choice(rows: list[list[str]], flat: dict[str, FieldSpec], chosen: dict) -> None:
    """A row no label placed, whose answer is one of the choices of just one field not yet given ("Partly")."""
    given = {path for path, _year in chosen.values()}
    for index, row in enumerate(rows):
        if index in chosen or len(row) < 2:
            continue
        answer = _first_sentence(row[1]).lower()
        fits = [p for p, s in flat.items() if s.type == "choice" and p not in given
                and answer in [c.lower() for c in s.choices]]
        if len(fits) == 1:
            chosen[index] = (fits[0], None)
            given.add(fits[0])


def _first_sentence(cell: str) -> str:
    return re.split(r"(?<=\w)\.\s", cell.strip(), maxsplit=1)[0].strip().rstrip(".")


def fill(item: dict, rows: list[list[str]], chosen: dict, flat: dict[str, FieldSpec], problems: list) -> None:
    """Each chosen row's cell into the item, as its field's type; a value the layout printed beside another
    (a date after a name, words after a yes or no, a period in the label) into its own field."""
    for index, (path, year) in chosen.items():
        spec, cell, label = flat[path], rows[index][1].strip(), rows[index][0]
        if spec.type == "choice" and _first_sentence(cell) != cell:
            put(item, _text_named_in(label, flat, item, path), cell[len(_first_sentence(cell)):].lstrip(". "))
            cell = _first_sentence(cell)
        if spec.type == "text" and "date" not in words(spec.help) and _DATE_AT_END.search(cell) and \
                _unfilled_date(flat, item, path):  # a signature "with the date" keeps it
            date_path = _unfilled_date(flat, item, path)
            put(item, date_path, t.cell_value(_DATE_AT_END.search(cell).group(1), "date", flat[date_path])[0])
            cell = cell[:_DATE_AT_END.search(cell).start()]
        kind = {"whole numbers by year": "whole number", "money by year": "money"}.get(spec.type, spec.type)
        value, problem = t.cell_value(cell, kind if kind != "reference" else "text", spec)
        if problem:
            problems.append((path, cell, problem))
        if year:
            put(item, path, {**_get(item, path), year: value})
        else:
            put(item, path, value)
        period = YEAR_IN.search(label)
        if period and not year:
            # "2013/14 outturn": the period the figure is for, printed in its label, is a field of its own.
            own = path.rsplit(".", 1)[-1]
            sibling = next((p for p, s in flat.items() if s.type == "text" and p != path and
                            p.rsplit(".", 1)[-1].startswith(own + "_") and p.rsplit(".", 1)[0] == path.rsplit(".", 1)[0]
                            ), None)
            if sibling:
                put(item, sibling, period.group(0))
    _from_brackets(item, rows, chosen, flat)


def _from_brackets(item: dict, rows, chosen: dict, flat: dict[str, FieldSpec]) -> None:
    """A text field no row gave, whose words a chosen row's label holds, takes the words in its brackets."""
    for path, spec in flat.items():
        if spec.type != "text" or _get(item, path) != {}:
            continue
        named = words(path.rsplit(".", 1)[-1].replace("_", " "))
        for index in chosen:
            bracket = re.search(r"\(([^)]+)\)\s*$", rows[index][0])
            if bracket and named and set(named) <= set(words(rows[index][0][:bracket.start()])):
                put(item, path, bracket.group(1).strip())
                break


def _text_named_in(label: str, flat: dict[str, FieldSpec], item: dict, besides: str) -> str | None:
    """A text field not yet given whose name's words the label holds ("... the resultant implications ...")."""
    said = set(words(label))
    return next((p for p, s in flat.items() if s.type == "text" and p != besides and _get(item, p) == {}
                 and set(words(p.rsplit(".", 1)[-1].replace("_", " "))) <= said), None)


def _unfilled_date(flat: dict[str, FieldSpec], item: dict, besides: str) -> str | None:
    return next((p for p, s in flat.items() if s.type == "date" and p != besides and _get(item, p) == {}), None)


def _get(item: dict, path: str | None) -> object:
    value: object = item
    for key in (path or "").split("."):
        if not isinstance(value, dict) or key not in value:
            return {}
        value = value[key]
    return value


def put(item: dict, path: str | None, value: object) -> None:
    if not path or value in ("", None):
        return
    *outer, last = path.split(".")
    for key in outer:
        item = item.setdefault(key, {})
    item[last] = value


def lead_in(block: dict, flat: dict[str, FieldSpec]) -> tuple[str, str] | None:
    """A paragraph opening with a bold lead-in that names a text field ("The provider's comments."): that
    field, and the words after the lead-in."""
    inlines = block.get("c") if block.get("t") in ("Para", "Plain") else None
    if not inlines or inlines[0].get("t") != "Strong":
        return None
    lead = plain(inlines[0]["c"])
    said = words(lead)
    # The last word of a lead-in is what it names ("The provider's comments": comments, not provider).
    best = max(((t.header_score(lead, p.rsplit(".", 1)[-1], s, ""), bool(said) and same_word(said[-1], p.split(".")[-1]),
                 p) for p, s in flat.items() if s.type == "text"), default=(0.0, False, ""))
    best = (best[0], best[2])
    if best[0] < 0.3:
        return None
    return best[1], plain(inlines[1:]).strip()
