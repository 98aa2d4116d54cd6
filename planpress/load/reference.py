"""`python build.py fields`: every field a plan of its template holds, made from the pack's declarations.

The same declarations drive loading and every validation message, so this reference cannot
drift from what `check` accepts. Each pack keeps the output as its FIELDS.md (a test keeps it current).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planpress.load.content import PLAN_FILE, SECTIONS_DIR, load_content
from planpress.load.fields import FieldSpec
from planpress.load.models import CorePlan, SectionFrontMatter
from planpress.load.pack import FilesSpec, Pack
from planpress.load.pack_loader import read_pack_by_id


def run(root: Path, args: argparse.Namespace) -> int:
    """The reference for the plan's template, or for any pack with --template ID."""
    if getattr(args, "template", None):
        pack, problems = read_pack_by_id(root, args.template)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        if pack is None:
            print(f"There is no usable template pack '{args.template}'.", file=sys.stderr)
            return 1
        print(field_reference(pack), end="")
        return 0
    content, findings = load_content(root)
    if content.pack is None:
        for finding in findings:
            print(f"  {finding}", file=sys.stderr)
        print("The plan's template pack could not be read: fix the errors above.", file=sys.stderr)
        return 1
    print(field_reference(content.pack), end="")
    return 0


def field_reference(pack: Pack) -> str:
    """The whole reference as Markdown: the plan's details, each kind of file, each data file."""
    data = pack.data
    out = [f"# The fields of a plan written to the {pack.name} (`{pack.id}`)\n",
           f"Made from `templates/{pack.id}/data.yaml`{_laid_over(pack)} by `python build.py fields`: "
           "do not edit by hand.",
           "A field marked *yes* must be given; the others may be left out.\n"]
    out += _file_section(PLAN_FILE, "The plan's details. The first fields are those every plan has.",
                         _core_rows(CorePlan) + _rows(data.plan.fields))
    out += _file_section(f"{SECTIONS_DIR}/*.md (front matter)", "Each section of the template, one file each.",
                         _core_rows(SectionFrontMatter))
    if data.schemes is not None:
        out += _file_section(f"{data.schemes.folder}/*.md (front matter)", data.schemes.help, _rows(data.schemes.fields))
    for name, spec in data.files.items():
        out += _file_section(spec.file, _file_help(name, spec), _rows(spec.fields))
    if data.progress is not None:
        out += _file_section(f"{data.progress.folder}/<year>-q<N>.yaml", data.progress.help, _rows(data.progress.fields))
    return "\n".join(out).rstrip() + "\n"


def _laid_over(pack: Pack) -> str:
    parents = [layer.name for layer in pack.layers[1:-1]]
    return "".join(f" laid over `templates/{name}/data.yaml`" for name in parents)


def _file_help(name: str, spec: FilesSpec) -> str:
    optional = "" if spec.required else " A plan may leave this file out."
    return f"{spec.help or ''} Its name for owners, prose and layouts: `{name}`.{optional}".strip()


def _file_section(title: str, help_text: str, rows: list[str]) -> list[str]:
    return [f"## `{title}`\n", help_text + "\n", "| Field | Type | Required | What to write |",
            "|:---|:---|:---|:---|", *rows, ""]


def _rows(fields: dict[str, FieldSpec], prefix: str = "") -> list[str]:
    rows = []
    for name, spec in fields.items():
        path = f"{prefix}{name}"
        rows.append(f"| `{path}` | {describe(spec)} | {'yes' if spec.required else ''} | {_cell(spec.help)} |")
        if spec.fields:
            rows += _rows(spec.fields, f"{path}[]." if spec.type == "list" else f"{path}.")
    return rows


def _core_rows(model) -> list[str]:
    rows = []
    for name, info in model.model_fields.items():
        kind = _core_type(info.annotation)
        rows.append(f"| `{name}` | {kind} | {'yes' if info.is_required() else ''} | {_cell(info.description or '')} |")
    return rows


def _core_type(annotation: object) -> str:
    text = str(getattr(annotation, "__name__", annotation))
    return {"str": "text", "Period": "record: start and end dates", "dict": "map of text"}.get(
        text, "choice of draft, review, agreed" if "Literal" in text else "map of text" if "dict" in text else text)


def describe(spec: FieldSpec) -> str:
    """A field's type as an author reads it: "list of references to scheme", "choice of High, Medium, Low"."""
    units = f" ({spec.units})" if spec.units else ""
    if spec.type == "choice":
        return "choice of " + ", ".join(spec.choices)
    if spec.type == "rating":
        return ("whole number or one of " if spec.numbers else "one of ") + ", ".join(spec.choices) + " (any case)"
    if spec.type == "reference":
        return f"reference to a {spec.to}"
    if spec.type == "list":
        if spec.fields:
            named = f", each a {spec.kind} named by `{spec.key}`" if spec.kind else ""
            return f"list of records{named}"
        if spec.of == "reference":
            return f"list of references to a {spec.to}"
        return f"list of {spec.of}{units}"
    if spec.type == "map":
        keys = " or ".join(spec.keys) if spec.keys else "any name"
        return f"map from {keys} to {spec.values or 'text'}"
    if spec.type == "record":
        return "group of fields"
    return spec.type + units


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
