"""Writing an imported plan: sections, scheme descriptions, data files, pictures and what has no place.

Everything is written into a staging folder first and moved into place in one step, so an import
that fails half-way leaves no half-written plan. The text is laid out as `fmt` lays it out (one
sentence per line), so the first commit of an imported plan is already merge-friendly.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from planpress.collaborate.fmt import format_content, reflow
from planpress.errors import Finding, Location
from planpress.load.content import PLAN_FILE, SECTIONS_DIR
from planpress.load.pack import Pack
from planpress.start import MKDOCS, OWNER, _scalar, question_comment
from planpress.word.docx_read import Block, images, plain, to_markdown
from planpress.word.place import same_word, words
from planpress.word.walk import Sorted

UNPLACED = "content/unplaced.md"
PICTURES = "content/images"
_PICTURE_MARK = "planpress-picture:"
NO_ALT = "TBC: describe this picture"
"""The alternative text of a picture that had none: unfinished text, so `check` keeps asking for it."""


@dataclass
class Written:
    placed: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def write_plan(target: Path, scratch: Path, pack: Pack, sorted_: Sorted, data, media: Path, source: Path) -> Written:
    staging = scratch / "plan"
    written = Written()
    files: dict[str, str] = {}
    no_alt = _pictures(staging, sorted_, media)
    pieces = _pieces(sorted_, data)
    texts = dict(zip(pieces, to_markdown([blocks for blocks in pieces.values()])))
    targets = _link_targets(pack, sorted_, data)
    named = _named_items(pack, data)
    texts = {key: reflow(_short_links(text, targets, named) + "\n").strip() for key, text in texts.items()}
    # A picture's path is written from the file that shows it: content/images/ is ../images/ from a section.
    texts = {key: text.replace(_PICTURE_MARK, "images/" if key[0] == "unplaced" else "../images/")
             for key, text in texts.items()}
    _sections(pack, texts, files, written)
    _schemes(pack, sorted_, data, texts, files, written)
    _data_files(pack, data, files, written, source)
    _unplaced(sorted_, data, texts, files, written)
    for relative, text in files.items():
        path = staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _lay_out(staging)
    _findings(staging, data, no_alt, written)
    _move(staging, target)
    return written


# --- pictures ------------------------------------------------------------------------------


def _pictures(staging: Path, sorted_: Sorted, media: Path) -> list[str]:
    """Copy each picture into content/images, point the text at it, and give one with no alternative text a
    marker to replace. Returns the pictures that had none."""
    no_alt = []
    groups = list(sorted_.buckets.values()) + [blocks for _label, blocks in sorted_.unplaced]
    for blocks in groups:
        for image in images(blocks):
            _attr, alt, (src, _title) = image
            found = Path(src)
            if not found.is_file():
                continue
            name = _free_name(staging / PICTURES, found.name)
            (staging / PICTURES).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found, staging / PICTURES / name)
            image[2][0] = f"{_PICTURE_MARK}{name}"
            if not plain(alt):
                image[1] = [{"t": "Str", "c": NO_ALT}]
                no_alt.append(name)
    return no_alt


def _free_name(folder: Path, name: str) -> str:
    stem, suffix, number = Path(name).stem, Path(name).suffix, 1
    while (folder / name).exists():
        number += 1
        name = f"{stem}-{number}{suffix}"
    return name


# --- text ----------------------------------------------------------------------------------


def _pieces(sorted_: Sorted, data) -> dict[object, list[Block]]:
    """Every run of blocks to turn into Markdown, without the tables read as data."""
    pieces: dict[object, list[Block]] = {}
    for key, blocks in sorted_.buckets.items():
        pieces[key] = [b for b in blocks if id(b) not in data.taken and id(b) not in data.moved]
    for index, (_label, blocks) in enumerate(sorted_.unplaced):
        kept = [b for b in blocks if id(b) not in data.taken]
        if kept:
            pieces[("unplaced", index)] = kept
    return pieces


def _link_targets(pack: Pack, sorted_: Sorted, data) -> dict[str, str]:
    """Each place a Word file's internal link can point to, by its anchor (as pandoc names it), and the short
    link the plan writes for it: #risk-r1 is risk:R1, #pe2-falls-prevention-service scheme:PE2, a section's
    title section:its-id."""
    found = {}
    for kind, (name, path, key) in pack.data.kinds().items():
        items = data.files.get(name, {}).get(path[0], []) if len(path) == 1 else []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and item.get(key):
                found[f"{kind}-{_slug(str(item[key]))}"] = f"{kind}:{item[key]}"
    kind = pack.data.schemes.kind if pack.data.schemes else ""
    for _bucket, ref, _part in (k for k in sorted_.buckets if k[0] == "scheme"):
        name = sorted_.scheme_names.get(ref, "")
        found[_slug(f"{ref} {name}")] = f"{kind}:{ref}"
        found[_slug(ref)] = f"{kind}:{ref}"
    for section in pack.sections:
        found[_slug(section.title)] = f"section:{section.id}"
    return found


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _short_links(text: str, targets: dict[str, str], named: list[tuple[str, list[str]]] | None = None) -> str:
    """A link inside the Word file, to a risk, a task, a scheme or a section, as the short link every output
    turns into the right address again. A link to a place that is no item (a table of metrics, say) whose
    words name just one item ("non-elective admissions") is a short link to that item; any other link is
    kept as written."""
    def short(match: re.Match) -> str:
        said, anchor = match.group(1), match.group(2)
        if anchor in targets:
            return f"[{said}]({targets[anchor]})"
        fits = [link for link, name in named or [] if _names(words(said), name)]
        return f"[{said}]({fits[0] if len(fits) == 1 else '#' + anchor})"
    return re.sub(r"\[([^\]]*)\]\(#([^)\s]+)\)", short, text)


def _names(said: list[str], name: list[str]) -> bool:
    """Link words name an item when they stand in its name in order; two words or one must stand together
    ("emergency admissions" is not "Emergency hospital admissions for injuries due to falls")."""
    if not said:
        return False
    at = [next((i for i, n in enumerate(name) if same_word(w, n)), -1) for w in said]
    if -1 in at or at != sorted(at):
        return False
    return len(said) >= 3 or at == list(range(at[0], at[0] + len(said)))


def _named_items(pack: Pack, data) -> list[tuple[str, list[str]]]:
    """Each item that has a name besides its id (a metric), as its short link and the words of its name."""
    found = []
    for kind, (name, path, key) in pack.data.kinds().items():
        items = data.files.get(name, {}).get(path[0], []) if len(path) == 1 else []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and item.get(key) and item.get("name") and key != "name":
                found.append((f"{kind}:{item[key]}", words(str(item["name"]))))
    return found


def _front(values: dict) -> str:
    return "---\n" + yaml.safe_dump(values, sort_keys=False, allow_unicode=True, width=10_000) + "---\n"


def _sections(pack: Pack, texts: dict, files: dict[str, str], written: Written) -> None:
    for number, section in enumerate(pack.sections, start=1):
        relative = f"{SECTIONS_DIR}/{number:02d}-{section.id}.md"
        body = [_front({"id": section.id, "title": section.title, "owner": OWNER, "status": "draft"})]
        intro = texts.get(("section", section.id, ""), "")
        if intro:
            body.append(intro + "\n")
        answered = 0
        for part in section.parts:
            text = texts.get(("section", section.id, part.id), "")
            answered += bool(text)
            lines = [text] if text else question_comment(pack, part)
            body.append(f"## {part.title}\n\n" + "\n".join(lines) + "\n")
        files[relative] = "\n".join(body)
        written.placed.append(f"section {section.number} ({section.title}): text for {answered} of its "
                              f"{len(section.parts)} parts -> {relative}")


def _schemes(pack: Pack, sorted_: Sorted, data, texts: dict, files: dict[str, str], written: Written) -> None:
    spec = pack.data.schemes
    if spec is None:
        return
    refs = list(dict.fromkeys([key[1] for key in sorted_.buckets if key[0] == "scheme"] + list(data.schemes)))
    themes = _themes(pack, refs, data)
    for ref in refs:
        meta = {spec.key: ref, "name": sorted_.scheme_names.get(ref, "")}
        meta.update({k: v for k, v in data.schemes.get(ref, {}).items() if k != spec.key})
        for name, field_spec in spec.fields.items():
            if field_spec.type == "reference" and name in meta and meta[name] in themes:
                meta[name] = themes[meta[name]]
        meta.setdefault("status", "draft")
        relative = f"{spec.folder}/{ref}.md"
        body = [_front(meta)]
        intro = texts.get(("scheme", ref, ""), "")
        if intro:
            body.append(intro + "\n")
        for part in pack.scheme_parts:
            text = texts.get(("scheme", ref, part.id), "")
            body.append(f"## {part.title}\n\n" + (text if text else "\n".join(question_comment(pack, part))) + "\n")
        files[relative] = "\n".join(body)
    if refs:
        written.placed.append(f"{len(refs)} scheme descriptions ({', '.join(refs)}) -> {spec.folder}/")


def _themes(pack: Pack, refs: list[str], data) -> dict[str, str]:
    """Each group the schemes' details name (by name, such as a theme), and its id. When no table gave the
    groups, they are made from the schemes: each group's id is the capital letters its schemes' references
    share (PE for PE1 and PE2), and its list of schemes theirs."""
    spec = pack.data.schemes
    field_name = next((n for n, s in spec.fields.items() if s.type == "reference" and s.required), None)
    if field_name is None:
        return {}
    kind = spec.fields[field_name].to
    home = next(((name, key, item) for name, file_spec in pack.data.files.items()
                 for key, item in file_spec.fields.items() if item.kind == kind), None)
    if home is None:
        return {}
    data_name, list_key, item = home
    existing = data.files.get(data_name, {}).get(list_key)
    if existing:
        return {entry.get("name"): entry.get(item.key) for entry in existing if entry.get("name")}
    groups: dict[str, list[str]] = {}
    for ref in refs:
        group = data.schemes.get(ref, {}).get(field_name)
        if group:
            groups.setdefault(group, []).append(ref)
    list_field = next((n for n, s in item.fields.items() if s.type == "list" and not s.fields), None)
    entries, ids = [], {}
    for group, members in groups.items():
        letters = re.match(r"[A-Z]*", members[0]).group()
        for member in members[1:]:
            letters = "".join(a for a, b in zip(letters, member) if a == b) if letters else letters
        ids[group] = letters or group
        entry = {item.key: ids[group], "name": group}
        if list_field:
            entry[list_field] = members
        entries.append(entry)
    if entries:
        data.files.setdefault(data_name, {})[list_key] = entries
        data.report.append(f"the schemes' {field_name}s -> {pack.data.files[data_name].file}: {list_key} "
                           f"({len(entries)}, each with its schemes)")
    return ids


def _data_files(pack: Pack, data, files: dict[str, str], written: Written, source: Path) -> None:
    plan = dict(data.files.get("plan", {}))
    basics = {"area": _area(plan), "title": plan.pop("title", None) or f"{pack.name}",
              "period": {"start": pack.period.start, "end": pack.period.end} if pack.period else None,
              "status": "draft", "version": f"Imported from {source.name}", "template": pack.id}
    files[PLAN_FILE] = yaml.safe_dump({k: v for k, v in basics.items() if v is not None} | plan,
                                      sort_keys=False, allow_unicode=True, width=10_000)
    for name, spec in pack.data.files.items():
        values = data.files.get(name)
        if values:
            files[spec.file] = yaml.safe_dump(values, sort_keys=False, allow_unicode=True, width=10_000)
        elif spec.required:
            written.placed.append(f"nothing in the Word file for {spec.file}: write it (`python build.py fields` "
                                  "lists what goes in it)")


def _area(plan: dict) -> str:
    """The area's name, from the board's or the council's name ("Harrowdale Health and Wellbeing Board")."""
    board = str(plan.get("hwb") or "")
    if re.search(r"health and wellbeing board", board, re.IGNORECASE):
        return re.sub(r"\s*health and wellbeing board.*$", "", board, flags=re.IGNORECASE).strip()
    council = str(plan.get("local_authority") or "")
    name = re.sub(r"\s*\b(metropolitan |royal )?(borough |county |city |district )*council\b.*$", "", council,
                  flags=re.IGNORECASE).strip()
    return name or "[to be completed]"


def _unplaced(sorted_: Sorted, data, texts: dict, files: dict[str, str], written: Written) -> None:
    lines = ["# What the import could not place", "",
             "Each piece below is from the Word file, kept as written: move it where it belongs in content/,",
             "or delete it if the plan does not need it, then delete this file.", ""]
    count = 0
    for index, (label, _blocks) in enumerate(sorted_.unplaced):
        text = texts.get(("unplaced", index))
        if text:
            count += 1
            lines += [f"## Piece {count}: {label}", "", text, ""]
    for label, rows in data.leftover_rows:
        count += 1
        lines += [f"## Piece {count}: {label}", "", *(" | ".join(row) for row in rows), ""]
    if count:
        files[UNPLACED] = "\n".join(lines)
        written.placed.append(f"{count} piece{'' if count == 1 else 's'} with no place in the template -> {UNPLACED}")


# --- after writing ---------------------------------------------------------------------------


def _lay_out(staging: Path) -> None:
    """Lay the files out as `fmt` does (field order of the pack, list items indented), where it can read them."""
    try:
        changed = format_content(staging, [])
    except Exception:  # noqa: BLE001 - a plan fmt cannot read is still imported; check says why
        return
    for relative, text in changed.items():
        (staging / relative).write_text(text, encoding="utf-8")


def _findings(staging: Path, data, no_alt: list[str], written: Written) -> None:
    for read in data.read:
        file = read.target.file or PLAN_FILE
        for name, cell, problem in read.unread:
            where = _line_of(staging, file, cell) if read.target.file else _find_anywhere(staging, cell)
            written.findings.append(Finding(
                where, "error", f"The cell '{cell}' (the {name.replace('_', ' ')}) does not read as {problem}: "
                f"it is kept as written", "Correct it in the file", rule="import-cell"))
    for name in no_alt:
        where = _find_anywhere(staging, f"images/{name}")
        written.findings.append(Finding(
            where, "warning", f"The picture images/{name} had no alternative text in the Word file",
            f"Replace '{NO_ALT}' with a sentence saying what it shows, for readers who cannot see it",
            rule="import-picture-alt"))
    unplaced = staging / UNPLACED
    if unplaced.is_file():
        for number, line in enumerate(unplaced.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith("## Piece "):
                written.findings.append(Finding(
                    Location(UNPLACED, number), "warning",
                    f"{line[3:]}: kept here, not placed in the plan",
                    "Move it where it belongs in content/, or delete it", rule="import-unplaced"))


def _line_of(staging: Path, relative: str, text: str) -> Location:
    path = staging / relative
    if path.is_file():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if text in line:
                return Location(relative, number)
    return Location(relative, 0)


def _find_anywhere(staging: Path, text: str) -> Location:
    for path in sorted((staging / "content").rglob("*")):
        if path.suffix in (".md", ".yaml"):
            found = _line_of(staging, path.relative_to(staging).as_posix(), text)
            if found.line:
                return found
    return Location("content", 0)


def _move(staging: Path, target: Path) -> None:
    """The content in one step (a rename within the target's folder), then mkdocs.yml if the folder has none."""
    target.mkdir(parents=True, exist_ok=True)
    landing = target / ".content-import"
    if landing.exists():
        shutil.rmtree(landing)
    shutil.copytree(staging / "content", landing)
    landing.rename(target / "content")
    if not (target / "mkdocs.yml").exists():
        title = yaml.safe_load((target / PLAN_FILE).read_text(encoding="utf-8")).get("title", "The plan")
        (target / "mkdocs.yml").write_text(MKDOCS.replace("{site_name}", _scalar(title)), encoding="utf-8")
