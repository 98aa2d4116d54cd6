"""Families of rules: a pack's pack.yaml says which run, with which parameters.

A family is a plain function tagged with a name and a parameter model; a pack's own rules.py
registers new families the same way. Families the core always runs (the content can be read
whole, every reference names something) are not listed in a pack.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planpress.errors import Finding, Location
from planpress.load.models import Record


class NoParams(Record):
    """A family that takes no parameters."""


class ItemsParams(Record):
    """Parameters of a family that checks each item of one list in one data file."""

    file: str
    """The data file holding the items, such as ambitions."""
    items: str
    """The list in that file, such as ambitions."""
    what: str = "item"
    """What one item is called in messages, such as ambition."""


@dataclass(frozen=True)
class Family:
    name: str
    check: Callable[..., Iterable[Finding]]
    """check(content, params) -> findings."""
    params: type[Record]
    """The parameters a pack may give, validated like content."""
    figures: Callable[..., object] | None = None
    """figures(content, params) -> what the family works out, for prose and layouts (or None)."""
    figures_name: str = ""
    """The name those figures go by in prose and layouts."""
    blocking: bool = False
    """Its errors stop every build (the outputs cannot be put together), not only a final one."""
    reads_prose: bool = False
    """It reads every sentence of the prose (planpress.checks.prose_numbers): on a long plan, the costliest
    kind of rule, so such families run together, apart from the others, sharing the sentences once read."""


FAMILIES: dict[str, Family] = {}

BUILTIN_MODULES = ("planpress.checks.money", "planpress.checks.plan_rules", "planpress.checks.scheme_list",
                   "planpress.checks.stated_change", "planpress.checks.progress", "planpress.checks.funding",
                   "planpress.checks.required", "planpress.checks.capacity",
                   "planpress.checks.prose_figures", "planpress.checks.breakdown",
                   "planpress.checks.accessibility")


def rule_family(name: str, params: type[Record] = NoParams, blocking: bool = False,
                reads_prose: bool = False) -> Callable:
    """Register `check(content, params)` as the family `name`."""
    def register(check: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        FAMILIES[name] = Family(name, check, params, blocking=blocking, reads_prose=reads_prose)
        return check
    return register


def family_figures(family: str, name: str) -> Callable:
    """Register `figures(content, params)` as what family `family` works out, quoted as `name`."""
    def register(figures: Callable[..., object]) -> Callable[..., object]:
        from dataclasses import replace

        FAMILIES[family] = replace(FAMILIES[family], figures=figures, figures_name=name)
        return figures
    return register


def load_builtin_families() -> None:
    for module in BUILTIN_MODULES:
        importlib.import_module(module)


def selected(content) -> list[tuple[Family, Record]]:
    """The families the plan's pack switches on, with their parameters, in the pack's order."""
    if content.models is None:
        return []
    load_builtin_families()
    return [(FAMILIES[name], params) for name, params in content.models.rule_params.items() if name in FAMILIES]


def run_selected(content, blocking: bool, reads_prose: bool | None = None) -> list[Finding]:
    """The findings of the pack's families that block every build (or of those that do not); of those that read
    the prose's sentences, or of the others, when `reads_prose` is given."""
    found: list[Finding] = []
    for family, params in selected(content):
        if family.blocking == blocking and reads_prose in (None, family.reads_prose):
            found += _run(family, params, content)
    return found


def _run(family: Family, params: Record, content) -> list[Finding]:
    """One family's findings; a family that fails is itself a finding in the pack, never a traceback."""
    try:
        return list(family.check(content, params))
    except Exception as error:  # a pack's parameters or its own rule do not fit this plan
        where = Location(f"templates/{content.pack.id}/pack.yaml")
        return [Finding(where, "error", f"The rule family '{family.name}' failed on this plan: "
                        f"{type(error).__name__}: {error}",
                        "Check the family's parameters in the pack against the fields its data.yaml declares",
                        rule="rule-family-failed", blocks_build=True)]


def pack_figures(content) -> dict[str, object]:
    """What the pack's families work out, by the names prose and layouts quote them by."""
    found: dict[str, object] = {}
    for family, params in selected(content):
        if family.figures is not None:
            try:
                found[family.figures_name] = family.figures(content, params)
            except Exception:  # the family's check reports the failure; its figures are left out
                found[family.figures_name] = None
    return found
