"""Starting a plan: `python build.py templates` lists the packs, `python build.py new DIR --template ID` starts one.

A new plan holds every section with each part's heading and the template's question (as a
comment an author replaces with the answer), and every data file the pack requires with each
field: required ones present and empty (so `check` lists every figure left to fill in), the
others as commented examples with their help. `check` then lists everything left to write, and
a final build refuses until it is done.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

import yaml

from planpress.load.content import PLAN_FILE, SECTIONS_DIR
from planpress.load.fields import FieldSpec
from planpress.load.pack import FilesSpec, Pack, PackPart
from planpress.load.pack_loader import known_packs, read_pack_by_id

OWNER = "Plan lead"
"""Who answers for everything in a new plan until the team names people (data_owners, each section's owner)."""
TO_WRITE = "[to be completed]"
"""A required text field's value in a new plan: unfinished text, which check lists and a final build refuses."""


# --- python build.py templates -----------------------------------------------------------


def list_templates(root: Path, args: argparse.Namespace) -> int:
    for pack_id in known_packs(root):
        pack, problems = read_pack_by_id(root, pack_id)
        if pack is None:
            print(f"{pack_id}: cannot be read ({len(problems)} problem(s); `check` on a plan using it lists them)\n")
            continue
        based = f"Builds on {pack.extends}. " if pack.extends else ""
        print(f"{pack.id}: {pack.name}")
        for line in textwrap.wrap(pack.description, 84):
            print(f"    {line}")
        questions = sum(len(s.parts) for s in pack.sections)
        print(f"    {based}Outputs: {', '.join(pack.outputs)}. {len(pack.sections)} sections, {questions} questions.")
        print()
    print("Start a plan with: python build.py new FOLDER --template ID")
    return 0


# --- python build.py new DIR --template ID ------------------------------------------------


def new_plan(root: Path, args: argparse.Namespace) -> int:
    chosen = target_and_pack(root, args, "new my-plan")
    if chosen is None:
        return 1
    target, pack = chosen
    written = write_new_plan(target, pack)
    print(f"Started a plan on {pack.name} in {target}: {len(written)} files.")
    print(f"Next: python build.py check --project {args.arguments[0]}  (it lists everything left to write)")
    return 0


def target_and_pack(root: Path, args: argparse.Namespace, example: str) -> tuple[Path, Pack] | None:
    """The folder a new plan goes in and the pack it follows, or None (and why, printed) when there
    is no folder, it already holds a plan, or no such pack can be used."""
    if len(args.arguments) != 1 or not args.template:
        print(f"Error: say where the plan goes and which template it follows, such as `python build.py {example} "
              "--template bcf-2026` (`python build.py templates` lists them).", file=sys.stderr)
        return None
    target = Path(args.arguments[0])
    target = target if target.is_absolute() else Path.cwd() / target
    if (target / "content").exists():
        print(f"Error: {target}/content already exists: a plan is there. Nothing was written.", file=sys.stderr)
        return None
    pack, problems = read_pack_by_id(root, args.template)
    if pack is None:
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        print(f"Error: there is no usable template pack '{args.template}'. Known: {', '.join(known_packs(root))}. "
              "Nothing was written.", file=sys.stderr)
        return None
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"Error: the folder {target} cannot be made ({error.strerror or error}). Give a folder you can write "
              "to, such as ../plan-2026. Nothing was written.", file=sys.stderr)
        return None
    return target, pack


def write_new_plan(target: Path, pack: Pack) -> list[Path]:
    files = {PLAN_FILE: plan_file(pack)}
    for number, section in enumerate(pack.sections, start=1):
        files[f"{SECTIONS_DIR}/{number:02d}-{section.id}.md"] = section_file(pack, section.id, section.title,
                                                                             section.parts)
    data = pack.data
    if data.schemes is not None:
        files[f"{data.schemes.folder}/EXAMPLE.md"] = scheme_file(pack, data.schemes, pack.scheme_parts, _years(pack))
    for name, spec in data.files.items():
        if spec.required:
            files[spec.file] = data_file(name, spec, _years(pack))
    files["README.md"] = readme(pack)
    files["mkdocs.yml"] = MKDOCS.replace("{site_name}", _scalar(pack.name))
    written = []
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    if data.progress is not None:
        (target / data.progress.folder).mkdir(parents=True, exist_ok=True)
    return written


def plan_file(pack: Pack) -> str:
    period = pack.period
    owners = {"plan": OWNER} | {name: OWNER for name, spec in pack.data.files.items() if spec.required}
    head = [f"# The plan's details, for {pack.name}.",
            "# Fill in every value marked [to be completed] or left empty; the commented lines are",
            "# optional fields with their help. `python build.py check` lists what is left.",
            "",
            f"area: {_scalar(TO_WRITE)}  # the Health and Wellbeing Board area, such as Kestrelford",
            f"title: {_scalar(pack.name)}",
            "period:",
            f"  start: {period.start if period else ''}",
            f"  end: {period.end if period else ''}",
            "status: draft",
            'version: "0.1"',
            f"template: {pack.id}",
            "# Who answers for each data file: replace with the names of the people who write them.",
            "data_owners:",
            *(f"  {name}: {owner}" for name, owner in owners.items()),
            ""]
    return "\n".join(head + _fields(pack.data.plan.fields, 0, _years(pack))) + "\n"


def section_file(pack: Pack, section_id: str, title: str, parts: list[PackPart]) -> str:
    lines = ["---", f"id: {section_id}", f"title: {_scalar(title)}", f"owner: {OWNER}", "status: draft", "---", ""]
    for part in parts:
        lines += [f"## {part.title}", "", *question_comment(pack, part), ""]
    return "\n".join(lines)


def scheme_file(pack: Pack, spec: FilesSpec, parts: list[PackPart], years: list[str]) -> str:
    front = _fields(spec.fields, 0, years)
    lines = ["---", "# One file per scheme, named after its reference (such as S1.md): rename this one.", *front,
             "---", ""]
    for part in parts:
        lines += [f"## {part.title}", "", *question_comment(pack, part), ""]
    return "\n".join(lines)


def data_file(name: str, spec: FilesSpec, years: list[str]) -> str:
    head = [f"# {spec.help}" if spec.help else f"# {name}",
            "# Required fields are present: fill in the empty values and those marked [to be completed].",
            "# Commented lines are optional fields, with their help; remove the # to use one.", ""]
    return "\n".join(head + _fields(spec.fields, 0, years)) + "\n"


def _years(pack: Pack) -> list[str]:
    return pack.period.financial_years() if pack.period else []


def question_comment(pack: Pack, part: PackPart) -> list[str]:
    """The template's question as a comment: invisible in every output, and no answer until text is written."""
    source = pack.data.files[part.data].file if part.data in pack.data.files else PLAN_FILE
    answered_by = f" The figures come from {source}: the outputs show them here." if part.data else ""
    wrapped = textwrap.wrap(f"The template asks: {part.question}{answered_by}", 88)
    return ["<!--", *wrapped, "Write the answer here, then delete this comment.", "-->"]


def _fields(fields: dict[str, FieldSpec], indent: int, years: list[str], commented: bool = False) -> list[str]:
    """Each field as YAML: a required one with an empty value to fill in, an optional one commented out."""
    lines: list[str] = []
    for name, spec in fields.items():
        lines += _field(name, spec, indent, years, commented or not spec.required)
    return lines


def _field(name: str, spec: FieldSpec, indent: int, years: list[str], off: bool) -> list[str]:
    pad, mark = " " * indent, "# " if off else ""
    lines = [f"{pad}# {line}" for line in textwrap.wrap(spec.help, 88 - indent)]
    if spec.type == "record":
        return lines + [f"{pad}{mark}{name}:", *_fields(spec.fields, indent + 2, years, off)]
    if spec.type == "list" and spec.fields:  # one item to copy: a dash, then its fields below it
        return lines + [f"{pad}{mark}{name}:", f"{pad}  {mark}-", *_fields(spec.fields, indent + 4, years, off)]
    if spec.type == "list":
        return lines + [f"{pad}{mark}{name}:", f"{pad}  {mark}- {_empty_value(spec.of or 'text', spec)}".rstrip()]
    if spec.type in ("money by year", "whole numbers by year"):
        return lines + [f"{pad}{mark}{name}:", *(f"{pad}  {mark}{year}:" for year in years or ["2025/26"])]
    if spec.type == "map":
        return lines + [f"{pad}{mark}{name}:", *(f"{pad}  {mark}{key}:" for key in spec.keys or ["name"])]
    return lines + [f"{pad}{mark}{name}: {_empty_value(spec.type, spec)}".rstrip()]


def _empty_value(kind: str, spec: FieldSpec) -> str:
    """What a new plan holds for a field: text to replace, or nothing where a figure or a choice is needed."""
    if kind == "choice":
        return f"  # one of: {', '.join(spec.choices)}"
    if kind == "text" and not spec.pattern:
        return _scalar(TO_WRITE)
    return ""


def _scalar(text: str) -> str:
    return yaml.safe_dump(text, default_style=None, allow_unicode=True, width=10_000).strip().removesuffix("\n...")


def readme(pack: Pack) -> str:
    return f"""# {pack.name}: a new plan

This plan was started with `python build.py new`. It follows the template pack `{pack.id}`
({pack.name}).

- `content/sections/`: one file per section of the template. Under each heading is the
  template's question, in a comment: write the answer there and delete the comment.
- `content/data/`: the figures. Every empty value and every `[to be completed]` is yours to fill
  in; commented lines are optional fields, with their help.
- `content/schemes/EXAMPLE.md`: copy it once per scheme, named after its reference.
- The field reference is `templates/{pack.id}/FIELDS.md` in planpress.

From the planpress folder:

    python build.py check --project PATH-TO-THIS-FOLDER
    python build.py --project PATH-TO-THIS-FOLDER

`check` lists everything left to write, by owner; `--final` refuses until it is done. The
planpress README explains the rest: how to preview, build and publish.
"""


MKDOCS = """# The plan's website: settings and branding a council may edit (the planpress README explains).
site_name: {site_name}
use_directory_urls: false
theme:
  name: material
  language: en
  # No web fonts: the site loads nothing from another host.
  font: false
  features:
    - navigation.sections
    - navigation.top
    - search.highlight
plugins:
  - search
extra:
  generator: false
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - md_in_html
  - tables
  - toc:
      permalink: false
  - pymdownx.superfences
"""


run_new = new_plan
run = list_templates
