"""`python build.py next-round DIR --template ID`: carry a plan into the next round's template.

The new plan starts as `new` would write it, then takes from the old one whatever has a home
in the new template: the text of each part the new pack maps across (or that keeps its
section and part ids), each item's description, the data files of the same name with the
fields the new template declares, and the plan's details. Figures by year start empty for the
new years; fields the new pack lists under `carry_over.start_afresh` start empty too. Nothing
is dropped: what has no home goes, whole, into NEXT-ROUND.md beside the new plan, with what
moved and what is new.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from planpress.build import check_plan
from planpress.load.content import PLAN_FILE, SECTIONS_DIR, PlanContent, load_content
from planpress.load.fields import FieldSpec
from planpress.load.models import CorePlan
from planpress.load.pack import CarryFrom, FilesSpec, Pack, PackPart
from planpress.start import OWNER, question_comment, target_and_pack, write_new_plan

REPORT = "NEXT-ROUND.md"
ITEM_LINK = re.compile(r"\[([^\]\n]+)\]\(([a-z][a-z-]*):([^)\s]+)\)")


@dataclass
class CarryReport:
    """What moved, what is new and what has no home in the new template (kept here, whole)."""

    old: Pack
    new: Pack
    moved: list[str] = field(default_factory=list)
    new_questions: list[str] = field(default_factory=list)
    to_fill: list[str] = field(default_factory=list)
    no_home: list[tuple[str, str]] = field(default_factory=list)
    """(what it was, its whole text) for each thing the new template has no place for."""

    def markdown(self) -> str:
        out = [f"# From {self.old.name} to {self.new.name}", "",
               "Made by `python build.py next-round`. Every answer, item and figure of the earlier plan is",
               "either in this plan or below, under *No home in the new template*. Read each carried",
               "answer again for the new round: it was written for the earlier one.", "",
               f"## Moved ({len(self.moved)})", "", *(f"- {line}" for line in self.moved), "",
               f"## New in this round: to write ({len(self.new_questions)})", "",
               *(f"- {line}" for line in self.new_questions), "",
               f"## To fill in afresh ({len(self.to_fill)})", "", *(f"- {line}" for line in self.to_fill), "",
               f"## No home in the new template ({len(self.no_home)})", "",
               "Kept here whole, so nothing is lost: move what still matters into the plan by hand.", ""]
        for title, text in self.no_home:
            fence = "~~~yaml" if title.startswith(("'", "The data file", "The earlier")) else "~~~markdown"
            out += [f"### {title}", "", fence, text.rstrip(), "~~~", ""]
        return "\n".join(out).rstrip() + "\n"


def run(root: Path, args: argparse.Namespace) -> int:
    chosen = target_and_pack(root, args, "next-round ../plan-2026")
    if chosen is None:
        return 1
    target, new_pack = chosen
    content, findings = load_content(root)
    unreadable = [f for f in findings if f.severity == "error"]
    if content.pack is None or content.plan is None or unreadable:
        for finding in unreadable:
            print(f"  {finding}", file=sys.stderr)
        print("Error: the plan must load before it can move to the next round: fix the errors above. "
              "Nothing was written.", file=sys.stderr)
        return 1
    report = carry_plan(content, new_pack, target)
    checked = check_plan(target)
    print(f"Started {new_pack.name} in {target}: {_count(report.moved, 'thing')} moved, "
          f"{_count(report.new_questions, 'new question')}, {_count(report.to_fill, 'value')} to fill "
          f"in afresh, {_count(report.no_home, 'thing')} with no home in the new template (kept in {REPORT}).")
    print(f"`check` on it finds {len(checked.unfinished)} things left to do: "
          f"python build.py check --project {args.arguments[0]}")
    return 0


def carry_plan(content: PlanContent, new: Pack, target: Path) -> CarryReport:
    """Write the new plan in `target` from the loaded old one, and its report; return the report."""
    old = content.pack
    report = CarryReport(old, new)
    write_new_plan(target, new)
    mapping = new.carry_over.sources.get(old.id, CarryFrom())
    afresh = set(new.carry_over.start_afresh)
    years = new.period.financial_years() if new.period else []
    carrier = _Carrier(report, mapping, afresh, years)
    _write(target / PLAN_FILE, _yaml(carrier.plan(content, new)))
    carrier.sections(content, new, target)
    carrier.schemes(content, new, target)
    carrier.data_files(content, new, target)
    (target / REPORT).write_text(report.markdown(), encoding="utf-8")
    return report


@dataclass
class _Carrier:
    report: CarryReport
    mapping: CarryFrom
    afresh: set[str]
    years: list[str]

    # --- the plan's details -----------------------------------------------------------------

    def plan(self, content: PlanContent, new: Pack) -> dict:
        raw = dict(content.sources[PLAN_FILE].data)
        period = new.period
        result = {"area": raw.get("area"), "title": new.name,
                  "period": {"start": period.start, "end": period.end} if period else raw.get("period"),
                  "status": "draft", "version": "0.1", "template": new.id}
        owners = dict(raw.get("data_owners") or {})
        result["data_owners"] = {"plan": owners.get("plan", OWNER)} | {
            name: owners.get(name, OWNER) for name, spec in new.data.files.items() if spec.required or name in owners}
        if raw.get("accounts"):
            result["accounts"] = raw["accounts"]
        core = set(CorePlan.model_fields)
        declared = {k: v for k, v in raw.items() if k not in core}
        result |= self.record("plan", declared, new.data.plan.fields, PLAN_FILE)
        return result

    # --- Markdown: sections and item descriptions ---------------------------------------------

    def sections(self, content: PlanContent, new: Pack, target: Path) -> None:
        texts: dict[str, list[tuple[str, str]]] = {}
        owners: dict[str, str] = {}
        for doc in content.sections:
            section = doc.pack_section
            if section is None:
                continue
            if doc.intro.strip():
                self.report.no_home.append((f"The introduction of section {section.numbered_title}", doc.intro))
            for part in doc.parts:
                if part.pack_part is None:
                    self.report.no_home.append((f"Section {section.numbered_title}: '{part.heading}'", part.markdown))
                    continue
                if not part.markdown.strip():
                    continue
                old_key = f"{section.id}/{part.pack_part.id}"
                new_key = self._part_target(old_key, new)
                where = f"{section.numbered_title}: {part.pack_part.title}"
                if new_key is None:
                    self.report.no_home.append((f"Section {where}", part.markdown))
                    continue
                texts.setdefault(new_key, []).append((where, self.links(part.markdown, new)))
                owners.setdefault(new_key.split("/")[0], doc.meta.owner)
                new_section, new_part = new_key.split("/")
                self.report.moved.append(f"Section {where} → {new.section(new_section).numbered_title}: "
                                         f"{_part(new.section(new_section).parts, new_part).title}")
        for number, section in enumerate(new.sections, start=1):
            lines = ["---", f"id: {section.id}", f"title: {_scalar(section.title)}",
                     f"owner: {_scalar(owners.get(section.id, OWNER))}", "status: draft", "---", ""]
            for part in section.parts:
                lines += [f"## {part.title}", ""]
                carried = texts.get(f"{section.id}/{part.id}", [])
                for where, markdown in carried:
                    lines += [f"<!-- Carried from the {content.pack.id} plan, {where}. Read it again for this round. -->",
                              "", markdown.strip(), ""]
                if not carried:
                    lines += [*question_comment(new, part), ""]
                    if part.data is None:
                        self.report.new_questions.append(f"{section.numbered_title}: {part.title}")
            _write(target / SECTIONS_DIR / f"{number:02d}-{section.id}.md", "\n".join(lines))

    def links(self, markdown: str, new: Pack) -> str:
        """Links to kinds of item or sections the new template has no place for become their plain text."""
        kinds = set(new.data.kinds()) | ({new.data.schemes.kind} if new.data.schemes else set())
        sections = {s.id for s in new.sections}

        def plain(match: re.Match) -> str:
            text, kind, name = match.groups()
            if kind in kinds or (kind == "section" and name in sections):
                return match.group(0)
            self.report.moved.append(f"The link to {kind} '{name}' ('{text}') became plain text: "
                                     f"the new template has no {kind} '{name}'")
            return text

        return ITEM_LINK.sub(plain, markdown)

    def _part_target(self, old_key: str, new: Pack) -> str | None:
        if old_key in self.mapping.parts:
            return self.mapping.parts[old_key] or None
        section_id, part_id = old_key.split("/")
        section = new.section(section_id)
        return old_key if section and _part(section.parts, part_id) else None

    def schemes(self, content: PlanContent, new: Pack, target: Path) -> None:
        spec = new.data.schemes
        if spec is None or not content.schemes:
            for doc in content.schemes:
                self.report.no_home.append((f"The item description {doc.file}", _read(content.root / doc.file)))
            return
        (target / spec.folder / "EXAMPLE.md").unlink(missing_ok=True)
        for doc in content.schemes:
            raw = dict(content.sources[doc.file].data)
            front = self.record("schemes", raw, spec.fields, doc.file)
            if "status" in spec.fields:
                front["status"] = "draft"
            key = str(raw.get(spec.key or "reference", Path(doc.file).stem))
            lines = ["---", _yaml(front).rstrip(), "---", ""]
            answered = {}
            for part in doc.parts:
                new_id = self._scheme_part_target(part.pack_part.id if part.pack_part else "", new)
                if part.pack_part is None or new_id is None:
                    if part.markdown.strip():
                        self.report.no_home.append((f"{doc.file}: '{part.heading}'", part.markdown))
                    continue
                answered.setdefault(new_id, []).append((part.pack_part.title, self.links(part.markdown, new)))
            for part in new.scheme_parts:
                lines += [f"## {part.title}", ""]
                for title, markdown in answered.get(part.id, []):
                    lines += [f"<!-- Carried from '{title}' in the {content.pack.id} plan. -->", "", markdown.strip(), ""]
                if part.id not in answered:
                    lines += [*question_comment(new, part), ""]
            _write(target / spec.folder / f"{key}.md", "\n".join(lines))
            self.report.moved.append(f"{spec.kind or 'Item'} {key} ({raw.get('name', '')}) → {spec.folder}/{key}.md")

    def _scheme_part_target(self, old_id: str, new: Pack) -> str | None:
        if old_id in self.mapping.scheme_parts:
            return self.mapping.scheme_parts[old_id] or None
        return old_id if _part(new.scheme_parts, old_id) else None

    # --- data files -----------------------------------------------------------------------------

    def data_files(self, content: PlanContent, new: Pack, target: Path) -> None:
        old_files = content.pack.data.files
        for name, old_spec in old_files.items():
            doc = content.sources.get(old_spec.file)
            if doc is None:
                continue
            new_spec = new.data.files.get(name)
            if new_spec is None:
                self.report.no_home.append((f"The data file {old_spec.file}", _yaml(doc.data)))
                continue
            carried = self.record(name, dict(doc.data or {}), new_spec.fields, old_spec.file)
            _write(target / new_spec.file, _file_head(new_spec) + _yaml(carried))
            self.report.moved.append(f"Data file {old_spec.file} → {new_spec.file}")

    # --- one record, field by field -----------------------------------------------------------

    def record(self, path: str, raw: dict, fields: dict[str, FieldSpec], file: str, label: str = "") -> dict:
        """The fields of `raw` the new declaration has, by name or by the pack's mapping; the rest reported.

        `path` names the field in the declaration (metrics.metrics.plans); `label` the item, for the report."""
        shown = f"{file}, {label}" if label else file
        result: dict = {}
        mapped = {old.split(".", 1)[1]: new.split(".", 1)[1] for old, new in self.mapping.fields.items()
                  if old.split(".", 1)[0] == path.split(".")[0] and old.count(".") == 1}
        for name, value in raw.items():
            new_name = mapped.get(name, name)
            spec = fields.get(new_name)
            where = f"{path}.{new_name}"
            if spec is None:
                self.report.no_home.append((f"'{name}' in {shown}", _yaml({name: value})))
            elif where in self.afresh:
                self.report.to_fill.append(f"{shown}: {new_name} (starts afresh each round; the earlier value is kept below)")
                self.report.no_home.append((f"The earlier '{name}' in {shown}", _yaml({name: value})))
                if spec.required:
                    result[new_name] = None
            elif spec.type == "choice" and value not in spec.choices:
                self.report.to_fill.append(f"{shown}: {new_name} was '{value}'; choose one of {', '.join(spec.choices)}")
                result[new_name] = None
            else:
                result[new_name] = self.value(where, value, spec, shown)
        given = {mapped.get(name, name) for name in raw}
        for name, spec in fields.items():
            if name not in given and spec.required:
                result[name] = None
                self.report.to_fill.append(f"{shown}: {name} (new in this round)")
        return result

    def value(self, path: str, value: object, spec: FieldSpec, file: str) -> object:
        if spec.type in ("money by year", "whole numbers by year") and isinstance(value, dict):
            old_years = {str(k): v for k, v in value.items() if str(k) not in self.years}
            if old_years:
                self.report.to_fill.append(f"{file}: {path.rsplit('.', 1)[-1]} for {', '.join(self.years)} "
                                           f"(it gave {', '.join(f'{y}: {v}' for y, v in old_years.items())})")
            return {year: value.get(year) for year in self.years} or value
        if spec.type == "record" and isinstance(value, dict):
            return self.record(path, value, spec.fields, file, path.rsplit(".", 1)[-1])
        if spec.type == "list" and spec.fields and isinstance(value, list):
            name = path.rsplit(".", 1)[-1]
            return [self.record(path, dict(item), spec.fields, file, _item_label(name, index, item, spec))
                    if isinstance(item, dict) else item for index, item in enumerate(value)]
        return value


def _count(items: list, word: str) -> str:
    return f"{len(items)} {word}" + ("" if len(items) == 1 else "s")


def _item_label(name: str, index: int, item: dict, spec: FieldSpec) -> str:
    """"risks R3" or "funding item 4": an item as the report names it."""
    key = item.get(spec.key or "id")
    return f"{name} {key}" if key else f"{name} item {index + 1}"


def _part(parts: list[PackPart], part_id: str) -> PackPart | None:
    return next((p for p in parts if p.id == part_id), None)


def _file_head(spec: FilesSpec) -> str:
    return (f"# {spec.help}\n# Carried from the earlier plan by `python build.py next-round`: empty values are "
            "to fill in for the new round (NEXT-ROUND.md lists them).\n\n")


class _Dumper(yaml.SafeDumper):
    """YAML as an author writes it: blocks, the fields in order, nothing written for an empty value."""


_Dumper.add_representer(type(None), lambda dumper, _: dumper.represent_scalar("tag:yaml.org,2002:null", ""))


def _yaml(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88, default_flow_style=False)


def _scalar(text: str) -> str:
    return _yaml(text).strip().removesuffix("...").strip()


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
