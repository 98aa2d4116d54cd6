"""Find and read a plan's template pack, and make the typed records its declarations describe.

A pack is looked for in the plan's own templates/ folder first, then in planpress's, so an
example plan in examples/ uses the packs of the repository it sits in. Everything a pack says
is validated like content: a mistake in a pack is a finding with its file and line.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ConfigDict

from planpress.errors import Finding, Location, closest
from planpress.load import models as m
from planpress.load.fields import record_model, walk
from planpress.load.pack import DATA_FILE, PACK_FILE, FilesSpec, Pack, PackData, PlaceholderPattern
from planpress.load.validate import validate
from planpress.load.yamlsource import YamlDoc, YamlProblem, merge_docs, parse_yaml, read_text

REPOSITORY_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PACK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$")
"""A pack's name: a folder of templates/, never a path that could lead elsewhere (and load its code)."""
COMMON = "common"


class _DeclaredPlan(m.CorePlan):
    """content/plan.yaml: the fields every plan has, then those its pack declares."""

    model_config = ConfigDict(use_attribute_docstrings=False)


@dataclass(frozen=True)
class PackModels:
    """The record types a pack's declarations describe, and the parameters of its rules."""

    plan: type[m.Record]
    schemes: type[m.Record] | None
    progress: type[m.Record] | None
    files: dict[str, type[m.Record]]
    rule_params: dict[str, m.Record] = field(default_factory=dict)
    workbook: m.Record | None = None
    """The pack's workbook.yaml, read and checked once with the pack (None when it has none)."""


def template_folders(root: Path) -> list[Path]:
    """Where packs are looked for: the plan's templates/, then the repository's."""
    folders = [root / "templates"]
    if REPOSITORY_TEMPLATES.resolve() != folders[0].resolve():
        folders.append(REPOSITORY_TEMPLATES)
    return [folder for folder in folders if folder.is_dir()]


def pack_folder(root: Path, pack_id: str) -> Path | None:
    return next((folder / pack_id for folder in template_folders(root) if (folder / pack_id / PACK_FILE).is_file()),
                None)


def common_folder(pack: Pack) -> Path:
    """The shared layouts beside a pack: templates/common/."""
    assert pack.folder is not None
    return pack.folder.parent / COMMON


def known_packs(root: Path) -> list[str]:
    return sorted({p.parent.name for folder in template_folders(root) for p in folder.glob(f"*/{PACK_FILE}")})


def read_pack_by_id(root: Path, pack_id: str) -> tuple[Pack | None, list[Finding]]:
    """The pack called `pack_id`, with its problems (None when it cannot be used)."""
    folder = pack_folder(root, pack_id)
    if folder is None:
        return None, []
    pack, models, problems = _read_pack(root, folder)
    return (pack if models is not None else None), problems


def load_pack(root: Path, plan_doc: YamlDoc, findings: list[Finding]) -> tuple[Pack | None, PackModels | None]:
    """The pack content/plan.yaml names in `template`, with its record types; None when it cannot be used."""
    pack_id = plan_doc.data.get("template") if isinstance(plan_doc.data, dict) else None
    if not pack_id:
        findings.append(Finding(plan_doc.at(()), "error", "The required field 'template' is missing",
                                "Add 'template: ...' naming the template the plan follows: one of "
                                + ", ".join(known_packs(root)), rule="missing-field"))
        return None, None
    if not isinstance(pack_id, str) or not PACK_NAME.match(pack_id):
        findings.append(Finding(plan_doc.at(("template",)), "error",
                                f"'template' should be the name of a template pack, not {str(pack_id)[:60]!r}",
                                "Name a pack in templates/ (a plain name, with no '/' or '..'): one of "
                                + ", ".join(known_packs(root)), rule="unknown-pack"))
        return None, None
    folder = pack_folder(root, str(pack_id))
    if folder is None:
        known = known_packs(root)
        guess = closest(str(pack_id), known)
        findings.append(Finding(plan_doc.at(("template",)), "error",
                                f"There is no template pack called '{pack_id}'",
                                (f"Did you mean '{guess}'? " if guess else "")
                                + f"Use one of: {', '.join(known) or '(none found in templates/)'}",
                                rule="unknown-pack"))
        return None, None
    pack, models, problems = _read_pack(root, folder)
    findings.extend(problems)
    return pack, models


_CACHE: dict[tuple, tuple[Pack | None, PackModels | None, list[Finding]]] = {}


def _read_pack(root: Path, folder: Path) -> tuple[Pack | None, PackModels | None, list[Finding]]:
    """Read a pack once per version of its files: building its record types is the costly part."""
    findings: list[Finding] = []
    chain = _pack_chain(root, folder, findings)
    files = [layer / name for layer in chain for name in (PACK_FILE, DATA_FILE, "workbook.yaml")]
    files += [folder.parent / COMMON / "placeholders.yaml", *(p for layer in chain for p in layer.glob("*.py"))]
    key = (str(root), str(folder), tuple((str(f), f.stat().st_mtime_ns) for f in files if f.is_file()))
    if key not in _CACHE:
        pack, models = _build_pack(root, chain, findings) if chain else (None, None)
        _CACHE.clear()
        _CACHE[key] = (pack, models, findings)
    return _CACHE[key]


def _pack_chain(root: Path, folder: Path, findings: list[Finding]) -> list[Path]:
    """The pack's folder, then the folders of the packs it extends, nearest first ([] when the chain is broken)."""
    chain = [folder]
    while True:
        doc = _parse(root, chain[-1] / PACK_FILE, findings)
        if doc is None:
            return []
        parent = doc.data.get("extends") if isinstance(doc.data, dict) else None
        if not parent:
            return chain
        parent_folder = pack_folder(root, str(parent))
        problem = (f"There is no template pack called '{parent}' to extend" if parent_folder is None else
                   f"The pack extends '{parent}', which extends it in turn" if parent_folder in chain else "")
        if problem:
            guess = closest(str(parent), [p for p in known_packs(root) if p not in {f.name for f in chain}])
            findings.append(Finding(doc.at(("extends",)), "error", problem,
                                    (f"Did you mean '{guess}'? " if guess else "")
                                    + "Name a pack in templates/ that does not extend this one", rule="pack-extends"))
            return []
        chain.append(parent_folder)


def _layered_doc(root: Path, chain: list[Path], name: str, findings: list[Finding]) -> YamlDoc | None:
    """One of the pack's files, laid over the same file of each pack it extends (None if no layer has it)."""
    merged: YamlDoc | None = None
    for layer in reversed(chain):
        if (layer / name).is_file():
            doc = _parse(root, layer / name, findings)
            if doc is None:
                return None
            merged = doc if merged is None else merge_docs(merged, doc)
    return merged


def _build_pack(root: Path, chain: list[Path], findings: list[Finding]) -> tuple[Pack | None, PackModels | None]:
    folder = chain[0]
    pack_doc = _layered_doc(root, chain, PACK_FILE, findings)
    data_doc = _layered_doc(root, chain, DATA_FILE, findings)
    pack = validate(Pack, pack_doc, findings) if pack_doc else None
    data = validate(PackData, data_doc, findings) if data_doc else PackData()
    if pack is None or data is None:
        return None, None
    own = pack.placeholders or _common_placeholders(root, folder, findings)
    pack = pack.model_copy(update={"placeholders": [*own, *pack.more_placeholders]})
    pack = pack.model_copy(update={"folder": folder, "data": data, "layers": [*chain, folder.parent / COMMON]})
    before = len(findings)
    if pack.rules_file:
        rules = pack.find(pack.rules_file)
        _load_rules_file(root, rules or folder / pack.rules_file, pack, findings)
    params = _rule_params(pack_doc, pack, findings)
    _check_references(data_doc, data, findings)
    workbook_folder = next((layer for layer in chain if (layer / "workbook.yaml").is_file()), folder)
    workbook = _read_workbook(root, workbook_folder, findings)
    if len(findings) > before:
        return None, None
    models = PackModels(
        plan=record_model("Plan", data.plan.fields, base=_DeclaredPlan),
        schemes=_model("Scheme", data.schemes),
        progress=_model("Progress", data.progress),
        files={name: record_model(name.capitalize(), spec.fields) for name, spec in data.files.items()},
        rule_params=params,
        workbook=workbook,
    )
    return pack, models


class _Placeholders(m.Record):
    placeholders: list[PlaceholderPattern]
    """The forms of unfinished text to find anywhere in the content."""


def _common_placeholders(root: Path, folder: Path, findings: list[Finding]) -> list[PlaceholderPattern]:
    """The shared patterns of unfinished text, templates/common/placeholders.yaml, for a pack with none of its own."""
    path = folder.parent / COMMON / "placeholders.yaml"
    if not path.is_file():
        return []
    found, _ = _read_model(root, path, _Placeholders, findings)
    return found.placeholders if found else []


def _model(name: str, spec: FilesSpec | None) -> type[m.Record] | None:
    return record_model(name, spec.fields) if spec is not None else None


def _shown(root: Path, path: Path) -> str:
    """A pack file's name as an author should read it: relative to the plan's folder, unless far from it."""
    relative = os.path.relpath(path, root)
    return str(path.resolve()) if relative.startswith(os.path.join("..", "..", "..")) else relative


def _parse(root: Path, path: Path, findings: list[Finding]) -> YamlDoc | None:
    file = _shown(root, path)
    try:
        return parse_yaml(read_text(path, file), file)
    except YamlProblem as problem:
        findings.append(problem.finding)
        return None


def _read_model(root: Path, path: Path, model: type[m.Record],
                findings: list[Finding]) -> tuple[m.Record | None, YamlDoc | None]:
    doc = _parse(root, path, findings)
    return (validate(model, doc, findings) if doc else None), doc


def _rule_params(doc: YamlDoc, pack: Pack, findings: list[Finding]) -> dict[str, m.Record]:
    """Each family the pack switches on, with its parameters validated against the family's own model."""
    from planpress.checks.registry import FAMILIES, load_builtin_families

    load_builtin_families()
    params: dict[str, m.Record] = {}
    for name, given in pack.rules.items():
        family = FAMILIES.get(name)
        if family is None:
            guess = closest(name, FAMILIES)
            findings.append(Finding(doc.at(("rules", name)), "error", f"There is no family of rules called '{name}'",
                                    (f"Did you mean '{guess}'? " if guess else "")
                                    + f"Known families: {', '.join(sorted(FAMILIES))}", rule="unknown-rule-family"))
            continue
        sub = YamlDoc(doc.file_of(("rules", name)), given or {},
                      {k[2:]: v for k, v in doc.lines.items() if k[:2] == ("rules", name)}, doc.line_of(("rules", name)))
        record = validate(family.params, sub, findings)
        if record is not None:
            params[name] = record
    return params


def _load_rules_file(root: Path, path: Path, pack: Pack, findings: list[Finding]) -> None:
    """Run a pack's rules.py, which registers its own families of rules (loaded by path, like a MkDocs hook)."""
    if not path.is_file():
        findings.append(Finding(Location(_shown(root, path.parent / PACK_FILE)), "error",
                                f"The pack names a rules file '{path.name}' that does not exist",
                                "Create it, or remove 'rules_file' from pack.yaml", rule="pack-rules-file"))
        return
    name = f"planpress_pack_{pack.id.replace('-', '_')}_rules"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # a pack's code is the maintainer's: say where it failed, never a traceback
        findings.append(Finding(Location(_shown(root, path), _error_line(error, path)), "error",
                                f"The pack's rules could not be loaded: {type(error).__name__}: {error}",
                                "Fix the Python in the pack's rules file", rule="pack-rules-file"))


def _error_line(error: Exception, path: Path) -> int:
    line = getattr(error, "lineno", None) or 0
    tb = error.__traceback__
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename) == path:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _read_workbook(root: Path, folder: Path, findings: list[Finding]) -> m.Record | None:
    """A pack's workbook.yaml is read with the pack, so `check` reports its mistakes, not only a build."""
    from planpress.errors import ContentErrors
    from planpress.targets.workbook_spec import SPEC_FILE, load_workbook_spec

    try:
        return load_workbook_spec(folder, _shown(root, folder / SPEC_FILE))
    except ContentErrors as problems:
        findings.extend(problems.findings)
        return None


def _check_references(doc: YamlDoc | None, data: PackData, findings: list[Finding]) -> None:
    """Every `to:` in data.yaml names a kind of item the pack declares."""
    kinds = set(data.kinds()) | {"section"} | ({data.schemes.kind} if data.schemes and data.schemes.kind else set())
    groups = [("plan", data.plan), ("schemes", data.schemes), ("progress", data.progress),
              *((("files", name), spec) for name, spec in data.files.items())]
    for prefix, spec in groups:
        if spec is None:
            continue
        for path, field_spec in walk(spec.fields):
            if field_spec.type == "reference" or field_spec.of == "reference":
                kind = field_spec.to
                if kind not in kinds:
                    where = doc.at((*(prefix if isinstance(prefix, tuple) else (prefix,)), "fields",
                                    *_fields_path(path))) if doc else Location(DATA_FILE)
                    findings.append(Finding(where, "error", f"The reference names '{kind}', which is no kind of item",
                                            f"Use one of: {', '.join(sorted(kinds))}", rule="pack-reference"))


def _fields_path(path: tuple) -> tuple:
    """("risks", "schemes") -> ("risks", "fields", "schemes"): where a nested field sits in data.yaml."""
    out: list[str] = []
    for index, name in enumerate(path):
        out += ([name] if index == 0 else ["fields", name])
    return tuple(out)
