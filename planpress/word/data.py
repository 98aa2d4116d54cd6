"""A Word plan's tables as the pack's data: which table is which list or record, and the lines around them.

tables.py matches one table's header to one list's fields and reads its cells; this module decides,
for every table of the document in turn, what it is: the list of schemes by group, a list of a data
file (in a scheme's description, that scheme's lines), one item's own list (a board's members, named
in the line before it), or a table of labels and values (the plan's or a scheme's details, a record).
A table read as data leaves the text; the line or chart that introduced it goes to the unplaced pieces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planpress.load.pack import Pack
from planpress.word import items
from planpress.word import tables as t
from planpress.word.docx_read import header_marked, images, plain, table_rows
from planpress.word.place import words
from planpress.word.trouble import under
from planpress.word.walk import Sorted


@dataclass
class Data:
    """What the tables gave: each data file's values (plan.yaml's too), and each scheme's front matter."""

    files: dict[str, dict] = field(default_factory=dict)
    schemes: dict[str, dict] = field(default_factory=dict)
    read: list[t.Read] = field(default_factory=list)
    report: list[str] = field(default_factory=list)
    taken: set[int] = field(default_factory=set)
    """The tables read as data (by id), which leave the text."""
    moved: set[int] = field(default_factory=set)
    """Lines that leave the text for the unplaced pieces (the line introducing a table read as data)."""
    leftover_rows: list[tuple[str, list[list[str]]]] = field(default_factory=list)
    aside: dict[str, dict] = field(default_factory=dict)
    """Schemes' details read from a column of a list ("Scheme type"), for the schemes no table of their own gave."""
    """Rows of a label-and-value table that name no field, for the unplaced pieces."""


def read_tables(pack: Pack, sorted_: Sorted) -> Data:
    """Each table that holds one of the pack's lists (or the plan's or a scheme's details) as data."""
    data = Data()
    targets = t.list_targets(pack)
    ids_of = _id_patterns(pack)
    pieces = _Pieces({id(b): i for i, (_label, blocks) in enumerate(sorted_.unplaced) for b in blocks})
    for bucket, table in sorted_.tables:
        with under(sorted_.heading_of.get(id(table), "")):
            _read_one(pack, sorted_, bucket, table, targets, ids_of, pieces, data)
    with under(""):
        _lead_ins(sorted_, pieces, data)
        _dedupe(data)
        for ref, details in data.aside.items():
            if ref in data.schemes:
                for name, value in details.items():
                    data.schemes[ref].setdefault(name, value)
    return data


def _read_one(pack: Pack, sorted_: Sorted, bucket, table, targets, ids_of, pieces, data: Data) -> None:
    """One table as the first kind of data it holds, or left in the text."""
    headers, rows = table_rows(table)
    scheme = bucket[1] if bucket and bucket[0] == "scheme" else None
    caption = _before(sorted_, bucket, table)
    if headers and _as_item_list(pack, headers, rows, data):
        data.taken.add(id(table))
        _caption_out(sorted_, caption, headers, data)
        _charts_out(pack, sorted_, bucket, table, headers, data)
    elif headers and _as_list(pack, targets, ids_of, headers, rows, scheme, data):
        data.taken.add(id(table))
        _caption_out(sorted_, caption, headers, data)
        _charts_out(pack, sorted_, bucket, table, headers, data)
    elif headers and caption is not None and _as_nested(targets, headers, rows, caption, ids_of, data):
        data.taken.update({id(table), id(caption)})
    elif headers and _as_details(pack, headers, rows, scheme, data, header_marked(table)):
        data.taken.add(id(table))
        _caption_out(sorted_, caption, headers, data)
    elif headers and bucket is None and _as_item_details(targets, table, headers, rows, pieces, data):
        data.taken.add(id(table))


@dataclass
class _Pieces:
    """The unplaced piece each block stands in, and the item each piece's tables describe."""

    of: dict[int, int]
    items: dict[int, tuple[t.ListTarget, dict]] = field(default_factory=dict)


def _as_item_details(targets, table, headers, rows, pieces: _Pieces, data: Data) -> bool:
    """A table of label and value under a heading the pack does not hold: part of one item of a list whose
    items the layout prints as such tables (items.py); the tables under one heading describe one item."""
    piece = pieces.of.get(id(table))
    if piece is None:
        return False
    candidates = ([] if header_marked(table) else [headers]) + rows
    best = None
    for target in ([pieces.items[piece][0]] if piece in pieces.items else targets):
        flat = items.flat_fields(target.item)
        chosen = items.match_rows(candidates, flat)
        if len(chosen) >= max(2, (len(candidates) + 1) // 2) and (best is None or len(chosen) > len(best[1])):
            best = (target, chosen, flat)
    if best is None:
        return False
    target, chosen, flat = best
    if piece not in pieces.items:
        pieces.items[piece] = (target, {})
        data.files.setdefault(target.data, {}).setdefault(target.key, []).append(pieces.items[piece][1])
    item = pieces.items[piece][1]
    problems: list = []
    items.fill(item, candidates, chosen, flat, problems)
    if problems:
        data.read.append(t.Read(target, [], unread=problems))
    for index, row in enumerate(candidates):
        # A row naming two years is a change the outputs work out between them: not kept.
        if index not in chosen and len(items.YEAR_IN.findall(row[0])) < 2:
            data.leftover_rows.append((f"a row of the table '{' | '.join(headers)}'", [row]))
    data.report.append(f"a table of {' | '.join(headers)} -> {target.file}: {target.key} (one item: "
                       f"{len(chosen)} of its {len(candidates)} rows)")
    return True


def _lead_ins(sorted_: Sorted, pieces: _Pieces, data: Data) -> None:
    """In a piece whose tables gave an item, a paragraph that opens with a bold lead-in naming a text field
    gives that field (it follows the tables, so it wins over a table's row that only points to it)."""
    for piece, (target, item) in pieces.items.items():
        flat = items.flat_fields(target.item)
        for block in sorted_.unplaced[piece][1]:
            found = items.lead_in(block, flat)
            if found and found[1]:
                items.put(item, found[0], found[1])
                data.taken.add(id(block))


def _as_list(pack: Pack, targets, ids_of, headers, rows, scheme: str | None, data: Data) -> bool:
    aside = _scheme_columns(pack, targets, headers)
    if aside:
        # A column giving a detail of each line's scheme ("Scheme type"), printed from the scheme: read the
        # rest as the list, then give each scheme its detail.
        kept = [i for i in range(len(headers)) if i not in aside]
        lines = [[row[i] if i < len(row) else "" for i in kept] for row in rows]
        if not _as_list(pack, targets, ids_of, [headers[i] for i in kept], lines, scheme, data):
            return False
        _scheme_details_from(pack, data.read[-1], rows, aside, data)
        return True
    best = None
    for target in targets:
        fields = dict(target.item.fields)
        implied = _implied_scheme_field(pack, fields, scheme)
        if implied:
            fields = {n: s for n, s in fields.items() if n != implied}
        columns = t.match_header(headers, fields, target.item.key, target.item.kind)
        if columns is not None and (best is None or len(columns) > len(best[1])):
            best = (target, columns, implied)
    if best is None:
        return False
    target, columns, implied = best
    read = t.read_table(target, headers, rows, columns, ids_of)
    if implied:
        for item in read.items:
            item[implied] = scheme
    data.read.append(read)
    values = data.files.setdefault(target.data, {})
    values.setdefault(target.key, []).extend(read.items)
    if read.total and target.totals:
        values.setdefault(target.totals, {})[target.key] = read.total
    data.report.append(f"a table headed {' | '.join(headers)} -> {target.file}: {target.key} "
                       f"({len(read.items)} {'row' if len(read.items) == 1 else 'rows'})")
    return True


def _scheme_columns(pack: Pack, targets, headers: list[str]) -> dict[int, str]:
    """Columns named exactly as a field of the schemes' front matter ("Scheme type": scheme_type), not their
    reference or name, nor a field of any list ("Lead" is a risk's lead too)."""
    spec = pack.data.schemes
    if spec is None:
        return {}
    listed = {n for target in targets for n in target.item.fields}
    names = {tuple(words(n.replace("_", " "))): n for n in spec.fields if n not in (spec.key, "name", *listed)}
    return {i: names[tuple(words(h))] for i, h in enumerate(headers) if tuple(words(h)) in names}


def _scheme_details_from(pack: Pack, read: t.Read, rows: list[list[str]], aside: dict[int, str], data: Data) -> None:
    """Each line's scheme detail, from the column put aside, into that scheme's front matter where no table
    of the scheme's own gave it."""
    kind = pack.data.schemes.kind
    ref_field = next((n for n, f in read.target.item.fields.items() if f.type == "reference" and f.to == kind), None)
    lines = [row for row in rows if not (row and t.is_total(row[0]))]
    for item, row in zip(read.items, lines):
        ref = item.get(ref_field) if ref_field else None
        for index, name in aside.items():
            if ref and index < len(row) and row[index].strip():
                data.aside.setdefault(str(ref), {}).setdefault(name, row[index].strip())


def _as_item_list(pack: Pack, headers: list[str], rows: list[list[str]], data: Data) -> bool:
    """The list of the plan's items (schemes) by group: a column naming the group ("Theme"), one the item's
    reference ("Ref"), others its details ("Scheme" for its name, "Lead") or its spend by year, which the
    expenditure plan gives. Each row gives that item's group and details."""
    spec = pack.data.schemes
    if spec is None or not spec.kind:
        return False
    group = next((n for n, s in spec.fields.items() if s.type == "reference" and s.required), None)
    if group is None:
        return False
    columns: dict[int, str] = {}
    for index, header in enumerate(headers):
        said = words(header)
        if said == words(spec.fields[group].to):
            columns[index] = group
        elif said and said[0] in ("ref", "reference"):
            columns[index] = spec.key
        elif said == words(spec.kind) and "name" in spec.fields:
            columns[index] = "name"
        elif t.YEAR.match(header.strip()) or words(header) == ["total"]:
            continue
        else:
            best = max(spec.fields, key=lambda n: t.header_score(header, n, spec.fields[n], spec.key))
            if t.header_score(header, best, spec.fields[best], spec.key) < 0.3:
                return False
            columns[index] = best
    if sorted(set(columns.values())) != sorted(columns.values()) or {group, spec.key} - set(columns.values()):
        return False
    count = 0
    for row in rows:
        values = {name: row[i].strip() for i, name in columns.items() if i < len(row) and row[i].strip()}
        ref = values.pop(spec.key, "")
        if not ref or t.is_total(row[0]):
            continue
        details = data.schemes.setdefault(ref, {})
        for name, value in values.items():
            details.setdefault(name, value)
        count += 1
    data.report.append(f"a table headed {' | '.join(headers)} -> the list of {spec.kind}s by "
                       f"{spec.fields[group].to} ({count} rows; the spend by year comes from the expenditure plan)")
    return True


def _before(sorted_: Sorted, bucket, table) -> dict | None:
    """The paragraph just before a table, which may say whose rows it holds ("Members of the ... Board:")."""
    blocks = sorted_.buckets.get(bucket, []) if bucket else []
    index = next((i for i, b in enumerate(blocks) if b is table), 0)
    previous = blocks[index - 1] if index else None
    return previous if previous is not None and previous["t"] in ("Para", "Plain") else None


def _caption_out(sorted_: Sorted, caption: dict | None, headers: list[str], data: Data) -> None:
    """A line ending in a colon just before a table read as data introduces that table: without the table it
    would dangle in the text, so it goes with the unplaced pieces, for the author to keep or delete."""
    if caption is not None and plain(caption).endswith(":"):
        data.moved.add(id(caption))
        sorted_.unplaced.append((f"the line before the table '{' | '.join(headers)}', read as data", [caption]))


def _charts_out(pack: Pack, sorted_: Sorted, bucket, table, headers: list[str], data: Data) -> None:
    """Pictures just before a table read as data, in a part the data answers, are most likely its chart (a
    Gantt chart above the milestones), which the outputs draw from the data: they move to the unplaced
    pieces, so the plan does not show them twice, and the author keeps or deletes them."""
    section = pack.section(bucket[1]) if bucket and bucket[0] == "section" else None
    part = next((p for p in section.parts if p.id == bucket[2]), None) if section else None
    if part is None or not part.data:
        return
    blocks = sorted_.buckets[bucket]
    index = next(i for i, b in enumerate(blocks) if b is table) - 1
    if index >= 0 and id(blocks[index]) in data.moved:
        index -= 1  # the line introducing the table, already moved
    charts = []
    while index >= 0 and _only_pictures(blocks[index]):
        charts.insert(0, blocks[index])
        index -= 1
    if charts:
        data.moved.update(id(b) for b in charts)
        sorted_.unplaced.append((f"the pictures just before the table '{' | '.join(headers)}', read as data "
                                 "(the outputs draw its charts)", charts))


def _only_pictures(block: dict) -> bool:
    """A figure, or a paragraph that holds pictures and nothing else."""
    if block["t"] == "Figure":
        return True
    return block["t"] in ("Para", "Plain") and bool(images(block)) and not plain(
        [inline for inline in block["c"] if inline.get("t") != "Image"])


def _as_nested(targets, headers, rows, caption: dict, ids_of, data: Data) -> bool:
    """A table of one item's own list (a board's members), named in the line before it: it goes in that item."""
    said = plain(caption)
    if not said.endswith(":"):
        return False
    for target in targets:
        for name, spec in target.item.fields.items():
            if spec.type != "list" or not spec.fields:
                continue
            first = next((n for n, s in spec.fields.items() if s.required), "")
            columns = t.match_header(headers, spec.fields, first, name.rstrip("s"))
            parents = data.files.get(target.data, {}).get(target.key, [])
            key = target.item.key if target.item.key in target.item.fields else "name"
            parent = next((p for p in parents if str(p.get(key, "")) and str(p.get(key)) in said), None)
            if columns is None or parent is None:
                continue
            read = t.read_table(t.ListTarget(target.data, target.file, name, spec), headers, rows, columns, ids_of)
            parent[name] = read.items
            data.read.append(read)
            data.report.append(f"a table headed {' | '.join(headers)} -> {target.file}: the {name} of "
                               f"{parent.get(key)}")
            return True
    return False


def _implied_scheme_field(pack: Pack, fields: dict, scheme: str | None) -> str | None:
    """Inside a scheme's description a table needs no column naming the scheme: it is that scheme's."""
    kind = pack.data.schemes.kind if pack.data.schemes else ""
    if scheme is None or not kind:
        return None
    return next((n for n, s in fields.items() if s.type == "reference" and s.to == kind and s.required), None)


def _as_details(pack: Pack, headers, rows, scheme: str | None, data: Data, marked: bool) -> bool:
    """A table of label and value rows: in a scheme's description, the scheme's details; elsewhere the plan's,
    or a record of a data file (such as the figures of a performance element), whichever names most rows."""
    # A first row marked as the header names the columns ("Scheme | Details"); unmarked, it may be a detail.
    candidates = ([] if marked else [headers]) + rows
    if scheme:
        homes = [(pack.data.schemes.fields, data.schemes.setdefault(scheme, {}), f"the details of scheme {scheme}",
                  f"{pack.data.schemes.folder}/{scheme}.md")] if pack.data.schemes else []
    else:
        homes = [(pack.data.plan.fields, data.files.setdefault("plan", {}), pack.data.plan.file, pack.data.plan.file)]
        for name, spec in pack.data.files.items():
            for key, record in spec.fields.items():
                if record.type == "record" and record.fields:
                    values = data.files.setdefault(name, {}).setdefault(key, {})
                    homes.append((record.fields, values, f"{spec.file}: {key}", spec.file))
    scored = [(t.row_header_fields(candidates, fields), fields, values, label, file)
              for fields, values, label, file in homes]
    scored = [s for s in scored if s[0] is not None]
    if not scored:
        _drop_empty(data)
        return False
    chosen, fields, values, label, file = max(scored, key=lambda s: len(s[0]))
    for index, row in enumerate(candidates):
        if index not in chosen:
            if index or marked:  # an unmarked first row may be column titles ("Summary | Details")
                data.leftover_rows.append((f"a row of the table '{' | '.join(headers)}'", [row]))
            continue
        name, cell = chosen[index], row[1].strip()
        kind = fields[name].type if fields[name].type != "reference" else "text"
        value, problem = t.cell_value(cell, kind, fields[name])
        if cell.lower() not in ("", "-", "–"):
            values[name] = value
        if problem:
            target = t.ListTarget("", file, "", fields[name])
            data.read.append(t.Read(target, [], unread=[(name, cell, problem)]))
    _from_brackets(fields, values, [candidates[i][0] for i in chosen])
    _drop_empty(data)
    data.report.append(f"a table of {' | '.join(headers)} -> {label}")
    return True


def _from_brackets(fields: dict, values: dict, labels: list[str]) -> None:
    """A layout may print a field inside another row's label: "admissions in the baseline period (January to
    December 2013)". A text field no row gave, whose words that label holds, takes the words in brackets."""
    for name, spec in fields.items():
        if name in values or spec.type != "text":
            continue
        named = words(name.replace("_", " "))
        for label in labels:
            bracket = re.search(r"\(([^)]+)\)\s*$", label)
            if bracket and named and set(named) <= set(words(label[:bracket.start()])):
                values[name] = bracket.group(1).strip()
                break


def _drop_empty(data: Data) -> None:
    """Records no table filled are not written."""
    for values in data.files.values():
        for key in [k for k, v in values.items() if v == {}]:
            del values[key]


def from_properties(pack: Pack, found: dict[str, str], data: Data) -> None:
    """The plan's title, and the field the pack's document names as its author ("{hwb}"), from the Word
    file's properties, where no table gave them."""
    plan = data.files.setdefault("plan", {})
    author = re.fullmatch(r"\{(\w+)\}", pack.document.author.strip())
    for name, value in (("title", found["title"]), (author.group(1) if author else "", found["author"])):
        if name and value and name not in plan and (name == "title" or name in pack.data.plan.fields):
            plan[name] = value
            what = "title" if name == "title" else "author"
            data.report.append(f"the Word file's {what} -> content/plan.yaml: {name}")


def _dedupe(data: Data) -> None:
    """A line printed twice (in a scheme's description and in the whole plan's table) is one line, the fuller."""
    for values in data.files.values():
        for key, entries in values.items():
            if isinstance(entries, list) and entries and isinstance(entries[0], dict):
                seen, kept = [], []
                for item in entries:
                    if item not in seen:
                        seen.append(item)
                        kept.append(item)
                # A line of the whole plan's table that a scheme's own table prints with more (what it buys).
                values[key] = [item for item in kept if not any(
                    other is not item and len(other) > len(item) and all(other.get(k) == v for k, v in item.items())
                    for other in kept)]


def _id_patterns(pack: Pack) -> dict[str, re.Pattern]:
    """Each kind's id pattern (scheme: PE1, theme: PE), so a reference cell goes to the right field."""
    found = {}
    if pack.data.schemes and pack.data.schemes.key in pack.data.schemes.fields:
        pattern = pack.data.schemes.fields[pack.data.schemes.key].pattern
        if pattern:
            found[pack.data.schemes.kind] = re.compile(pattern)
    for spec in pack.data.files.values():
        for item in spec.fields.values():
            if item.kind and item.fields.get(item.key) is not None and item.fields[item.key].pattern:
                found[item.kind] = re.compile(item.fields[item.key].pattern)
    return found
