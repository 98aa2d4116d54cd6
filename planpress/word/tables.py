"""Recognising a Word plan's tables as the pack's data: a table whose header row names the fields of one of
the lists the pack's data.yaml declares (the risk log, the milestones, the sign-off ...) becomes that list.

Nothing here knows a round's tables: a header matches a field by its words ("Mitigating actions" is
`mitigation`, "Ref" the item's key, "2015/16" a year of an amount by year), and a cell is read as its
field's type. A cell that does not read (such as "£214,00") is kept as written, for `check` to report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from planpress.load.fields import FieldSpec
from planpress.load.models import parse_money
from planpress.load.pack import Pack
from planpress.word.place import same_word, words

YEAR = _YEAR = re.compile(r"^\d{4}/\d{2}$")
BY_YEAR = ("money by year", "whole numbers by year")
_EMPTY_CELL = {"", "-", "–", "—", "n/a", "not stated", "none"}
_URL = re.compile(r"<?(https?://\S+?|www\.\S+?)>?$")
_LINK_WORDS = {"link", "url", "address", "web"}


@dataclass(frozen=True)
class ListTarget:
    """A list the pack declares that a table can fill: its file, the list's key there, its items' fields."""

    data: str
    """The data file's name in data.yaml (`plan` for content/plan.yaml)."""
    file: str
    key: str
    item: FieldSpec
    totals: str | None = None
    """The map field (such as stated_totals) that holds this list's total row, when the file has one."""


@dataclass
class Read:
    """A table read as a list: its items, and each cell that did not read as its field's type."""

    target: ListTarget
    items: list[dict]
    total: dict | None = None
    unread: list[tuple[str, str, str]] = field(default_factory=list)
    """(field, the cell as written, what it should be)"""


def list_targets(pack: Pack) -> list[ListTarget]:
    """Every list of records a table may fill, in the plan file and the data files."""
    sources = [("plan", pack.data.plan)] + list(pack.data.files.items())
    found = []
    for name, spec in sources:
        if not spec.file:
            continue
        totals = next((f for f, s in spec.fields.items() if s.type == "map" and s.values in BY_YEAR), None)
        for key, item in spec.fields.items():
            if item.type == "list" and item.fields:
                has_total = totals is not None and key in spec.fields[totals].keys
                found.append(ListTarget(name, spec.file, key, item, totals if has_total else None))
    return found


def match_header(headers: list[str], fields: dict[str, FieldSpec], key: str,
                 kind: str = "") -> dict[int, list[str]] | None:
    """Which field each column holds, or None when a column names no field or a required field has no column."""
    scores = []
    for column, header in enumerate(headers):
        for name, spec in fields.items():
            score = header_score(header, name, spec, key, kind)
            if score > 0:
                scores.append((score, column, name))
    chosen: dict[int, list[str]] = {}
    taken: set[str] = set()
    for score, column, name in sorted(scores, key=lambda s: (-s[0], s[1])):
        spec = fields[name]
        if spec.type in BY_YEAR or _numbered(headers[column], name, spec):
            if column not in chosen and (spec.type not in BY_YEAR or _YEAR.match(headers[column].strip())):
                chosen[column] = [name]
            continue
        if name in taken:
            continue
        if column in chosen:
            # One header naming two fields ("Synopsis and link"): the second is only a link split off the cell.
            if name.lower() in _LINK_WORDS and score == max(s for s, c, _ in scores if c == column):
                chosen[column].append(name)
                taken.add(name)
            continue
        chosen[column] = [name]
        taken.add(name)
    if len(chosen) != len(headers):
        return None
    named = {n for names in chosen.values() for n in names}
    if kind and key in named and any(words(headers[c]) == words(kind) for c, n in chosen.items() if n == [key]):
        # The column that names the items ("Metric") may give each one's name and, in brackets, its unit.
        named |= {"name"} | {next((n for n, s in fields.items() if s.type == "text" and s.required
                                   and n not in (key, "name")), "name")}
    if any(spec.required and name not in named and not _in_brackets_of(name, spec, named) for name, spec in
           fields.items()):
        return None
    return chosen


def _in_brackets_of(name: str, spec: FieldSpec, named: set[str]) -> bool:
    """A choice a layout prints in brackets after a column that shares its first word ("Provider": "Kestrelford
    Council (Local authority)" gives provider and provider_type)."""
    first = name.split("_")[0]
    return spec.type == "choice" and any(other != name and other.split("_")[0] == first for other in named)


def header_score(header: str, name: str, spec: FieldSpec, key: str, kind: str = "") -> float:
    """How well a column header names a field: by the field's name, or the key for "Ref" and "No."."""
    if spec.type in BY_YEAR:
        return 1.0 if _YEAR.match(header.strip()) else 0.0
    if _numbered(header, name, spec):
        return 1.0
    said = words(header)
    if not said:
        return 0.0
    if name == key and said[0] in ("ref", "reference", "no", "number", "id", "code"):
        return 1.0
    if name == key and kind and said == words(kind):
        return 0.9  # "Board" over the boards' names: the column that names each item
    if name in ("name", "title") and kind and said[-1] == words(kind)[-1] and len(said) > 1:
        return 0.6  # "National condition" over the conditions' titles: the column that words each item
    named = words(name.replace("_", " "))
    if len(named) > 1 and not any(same_word(w, named[0]) for w in said):
        return 0.0  # "Scheme type" is not provider_type: a field of several words is named by its first
    shared = sum(1 for w in said if any(same_word(w, n) for n in named))
    if shared:
        return shared / len(set(said) | set(named))
    return _help_score(said, spec)


def _help_score(said: list[str], spec: FieldSpec) -> float:
    """A header of a few words that names no field may say what its help says ("What it buys": "What the
    line buys, ..."): most of its words in the help's first clause, or its one word in a short clause."""
    clause = words(re.split(r"[.,;:(]", spec.help)[0])
    shared = sum(1 for w in said if any(same_word(w, n) for n in clause))
    if len(said) == 1 and shared and len(clause) <= 3:
        return 0.35  # "Contributed by": "Who contributes it"
    return 0.4 if len(said) >= 2 and shared >= 2 and shared / max(len(said), len(clause)) >= 0.6 else 0.0


def is_total(cell: str) -> bool:
    """The total row under a table's lines: "Total", or "Total: protecting ..." (not "Total admissions ...")."""
    return re.match(r"^\s*total\s*(:|$)", cell, re.IGNORECASE) is not None


def _numbered(header: str, name: str, spec: FieldSpec) -> bool:
    """"Plan 1", "Plan 2": numbered columns, each one entry of a list of records (`plans`)."""
    singular = name.lower().rstrip("s")
    return spec.type == "list" and bool(spec.fields) and re.fullmatch(rf"{singular}s?\s*\d+", header.strip().lower()) \
        is not None


def read_table(target: ListTarget, headers: list[str], rows: list[list[str]], columns: dict[int, list[str]],
               ids_of: dict[str, re.Pattern]) -> Read:
    read = Read(target, [])
    for row in rows:
        if row and is_total(row[0]):
            read.total = {headers[c].strip(): row[c] for c in columns
                          if c < len(row) and _YEAR.match(headers[c].strip())}
            continue
        item: dict = {}
        for column, names in columns.items():
            cell = row[column].strip() if column < len(row) else ""
            _put(item, names, headers[column].strip(), cell, target.item.fields, ids_of, read)
        _named_not_keyed(item, target.item)
        read.items.append(item)
    return read


def _named_not_keyed(item: dict, spec: FieldSpec) -> None:
    """A column naming the items ("Metric") may hold each one's name, not its id: "Emergency admissions
    (per 100,000)" is the name, the unit in brackets, and an id made from the name."""
    key = spec.fields.get(spec.key)
    value = str(item.get(spec.key, ""))
    if key is None or not key.pattern or not value or re.match(key.pattern, value) or "name" not in spec.fields \
            or "name" in item:
        return
    unit = next((n for n, s in spec.fields.items() if s.type == "text" and s.required
                 and n not in (spec.key, "name") and n not in item), None)
    bracket = re.match(r"^(.*\S)\s*\(([^()]*)\)$", value)
    if unit and bracket:
        value, item[unit] = bracket.group(1), bracket.group(2)
    item["name"] = value
    item[spec.key] = "-".join(words(value)[:4])


def _put(item: dict, names: list[str], header: str, cell: str, fields: dict[str, FieldSpec],
         ids_of: dict[str, re.Pattern], read: Read) -> None:
    if len(names) == 2:  # text, then a link at its end
        link = _URL.search(cell)
        if link:
            item[names[1]] = link.group(1)
            cell = cell[:link.start()].strip()
        names = names[:1]
    name = names[0]
    spec = fields[name]
    if cell.lower() in _EMPTY_CELL:
        return
    if spec.type in BY_YEAR:
        value, problem = cell_value(cell, "money" if spec.type == "money by year" else "whole number", spec)
        item.setdefault(name, {})[header] = value
    elif spec.type == "list" and spec.fields:
        value, problem = _record(cell, spec)
        item.setdefault(name, []).append(value)
        if problem:
            read.unread.append((f"{name} ({header})", cell, problem))
        return
    elif spec.type == "reference":
        # An id such as PE1 may have the item's name after it ("PE1 Falls prevention"); a name is taken whole.
        token = cell.split()[0].rstrip(",;:")
        other = _other_reference(token, name, fields, ids_of)
        named = any(pattern.match(token) for pattern in ids_of.values())
        value, problem, name = (token if named else cell), "", other or name
    else:
        if spec.type == "text":
            cell = _choice_in_brackets(item, cell, name, fields)
        value, problem = cell_value(cell, spec.type, spec)
        if problem:
            value, problem = _figure_and_band(item, cell, spec, fields, value, problem)
    if spec.type not in BY_YEAR:
        item[name] = value
    if problem:
        read.unread.append((f"{name} for {header}" if spec.type in BY_YEAR else name, cell, problem))


def _choice_in_brackets(item: dict, cell: str, name: str, fields: dict[str, FieldSpec]) -> str:
    """Text ending in a choice of a field that shares its first word, in brackets: "Mid Wessex Community Health
    NHS Trust (NHS community provider)" is the provider, and its provider_type."""
    match = re.match(r"^(.*\S)\s*\(([^()]+)\)$", cell)
    if match is None:
        return cell
    for other, spec in fields.items():
        chosen = next((c for c in spec.choices if c.lower() == match.group(2).strip().lower()), None)
        if chosen and other != name and other not in item and other.split("_")[0] == name.split("_")[0]:
            item[other] = chosen
            return match.group(1)
    return cell


def _figure_and_band(item: dict, cell: str, spec: FieldSpec, fields: dict[str, FieldSpec], value: object,
                     problem: str) -> tuple[object, str]:
    """A figure printed with its band, "16 (Very high)": the figure, and the band in the item's field whose
    choices hold it (a stated rating), where the item has one not yet filled."""
    match = re.match(r"^(\d[\d,.]*)\s*\(([^()]+)\)$", cell)
    if spec.type not in ("whole number", "number") or match is None:
        return value, problem
    band = match.group(2).strip().lower()
    for name, other in fields.items():
        chosen = next((c for c in other.choices if c.lower() == band), None)
        if chosen and name not in item:
            item[name] = chosen
            return cell_value(match.group(1), spec.type, spec)
    return value, problem


def _other_reference(token: str, name: str, fields: dict[str, FieldSpec], ids_of: dict[str, re.Pattern]) -> str | None:
    """A reference written in a column of another kind ("Scheme or theme": a theme's id where a scheme's
    reference was expected) goes in the field for the kind whose ids look like it."""
    kind = fields[name].to
    if kind in ids_of and ids_of[kind].match(token):
        return None
    for other, spec in fields.items():
        if other != name and spec.type == "reference" and spec.to in ids_of and ids_of[spec.to].match(token):
            return other
    return None


def cell_value(cell: str, kind: str, spec: FieldSpec) -> tuple[object, str]:
    """The cell as its field's type, or the cell as written and what it should have been."""
    try:
        if kind == "money":
            parse_money(cell)
            return cell, ""
        if kind == "whole number":
            return int(cell.replace(",", "")), ""
        if kind in ("number", "rating"):
            number = float(cell.replace(",", "").rstrip("%"))
            return int(number) if number.is_integer() else number, ""
        if kind in ("date", "date or month"):
            return _date(cell, kind), ""
        if kind == "yes or no":
            # "No: it continues from the previous plan": the answer, then the layout's words for it.
            return {"yes": True, "no": False}[re.split(r"[\s:.,;]", cell.strip(), maxsplit=1)[0].lower()], ""
        if kind == "choice":
            chosen = next((c for c in spec.choices if c.lower() == cell.lower()), None) or _choice_by_words(
                cell, spec.choices)
            return (chosen, "") if chosen else (cell, f"one of {', '.join(spec.choices)}")
        if kind == "list":
            return [part.strip() for part in re.split(r";|,(?![^()]*\))", cell) if part.strip()], ""
        if kind == "record":
            return _record(cell, spec)
    except (ValueError, KeyError):
        return cell, {"money": "a sum of money such as £214,000", "whole number": "a whole number",
                      "date": "a date", "date or month": "a date or a month"}.get(kind, f"a {kind}")
    return cell, ""


def _choice_by_words(cell: str, choices: list[str]) -> str | None:
    """A choice printed as words ("Home adaptation works" for home_adaptation): the one choice whose words it holds."""
    said = set(words(cell))
    found = [c for c in choices if set(words(c.replace("_", " "))) <= said and words(c.replace("_", " "))]
    return found[0] if len(found) == 1 else None


def _date(cell: str, kind: str) -> object:
    for style in ("%d %B %Y", "%d/%m/%Y", "%Y-%m-%d", "%d %b %Y"):
        try:
            return dt.datetime.strptime(cell, style).date()
        except ValueError:
            pass
    if kind == "date or month":
        dt.datetime.strptime(cell, "%B %Y")
        return cell
    raise ValueError(cell)


def _record(cell: str, spec: FieldSpec) -> tuple[object, str]:
    """A record printed in one cell as "£450,000 (the council)" or "24,500 (2025/26), 1.4% lower than the
    baseline": its figure, then the text in brackets, then a percentage for a field counted in per cent."""
    fields = spec.fields
    parts = [part.strip() for part in cell.split(",")]
    if fields and all(s.type == "text" for s in fields.values()) and len(parts) == len(fields) and all(parts):
        return dict(zip(fields, parts)), ""  # "Tom Hartigan, Programme Manager, tom@...": each field in turn
    figure = next((n for n, s in fields.items() if s.type in ("money", "number", "whole number")), None)
    text = next((n for n, s in fields.items() if s.type == "text" and s.required), None)
    percent = next((n for n, s in fields.items() if s.units == "%"), None)
    match = re.match(r"^(?P<figure>[^()]+?)\s*\((?P<text>.*)\)(?:,\s*(?P<tail>[^()]*))?$", cell) or \
        re.match(r"^(?P<figure>[£\d][\d,.]*)\s+(?P<text>[^\d()].*)(?P<tail>)$", cell)
    if not (figure and text and match):
        return cell, "a figure followed by words in brackets"
    value, problem = cell_value(match.group("figure").strip(), fields[figure].type, fields[figure])
    record = {figure: value, text: match.group("text").strip()}
    tail = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*%", match.group("tail") or "")
    if percent and tail:
        number = float(tail.group(1).replace(",", ""))
        record[percent] = int(number) if number.is_integer() else number
    return record, problem


def row_header_fields(rows: list[list[str]], fields: dict[str, FieldSpec]) -> dict[int, str] | None:
    """For a table of label and value (each row named by its first cell): which field each row gives,
    or None unless most rows name a field that is not a list of records. Each field goes to the row that
    names it best, so a row the build works out from a field ("Planned reduction as a share of the
    baseline") does not take the field from the row that states it."""
    if any(len(row) < 2 for row in rows):
        return None
    scores = []
    for index, row in enumerate(rows):
        for name, spec in fields.items():
            if spec.type == "list" and spec.fields:
                continue
            score = row_score(row[0], name, spec)
            if score >= 0.3 and spec.type not in ("text", "reference", "list", "record") \
                    and cell_value(row[1].strip(), spec.type, spec)[1]:
                score /= 2  # a figure's row whose cell is no figure of that kind ("3.60%" for a whole number)
            if score >= 0.3:
                scores.append((score, index, name))
    chosen: dict[int, str] = {}
    for score, index, name in sorted(scores, key=lambda s: (-s[0], s[1])):
        if index not in chosen and name not in chosen.values():
            chosen[index] = name
    return chosen if len(chosen) >= max(2, (len(rows) + 1) // 2) else None


def row_score(label: str, name: str, spec: FieldSpec) -> float:
    """A row's label names a field by its words, or by a clause of its help ("Integrated Care Boards", a
    field whose help names them; "Cost of one non-elective admission" for a field helped "The cost of one
    admission, if ..."). Words in brackets are left out: they give a value ("(January to December 2013)")."""
    label = re.sub(r"\([^)]*\)", " ", label)
    score = header_score(label, name, spec, "")
    said = set(words(label))
    helped = set(words(spec.help.split(".")[0]))
    if len(said) >= 2 and said <= helped:
        score = max(score, 0.5)
    for clause in re.split(r"[.,;:(]", spec.help):
        named = words(clause)
        if len(named) >= 2 and len(said) >= 2:
            shared = sum(1 for w in said if any(same_word(w, n) for n in named))
            if shared / max(len(said), len(named)) >= 0.5:  # most words shared, not a few common ones
                score = max(score, shared / max(len(said), len(named)))
    return score
