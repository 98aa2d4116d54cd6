"""The checks: the core's own, which every plan gets, and the families of rules a pack switches on."""

from __future__ import annotations

import dataclasses

from planpress.checks import author_markup, documents, html_policy, progress, references, structure, unfinished
from planpress.checks.registry import run_selected
from planpress.side_by_side import Job, run_side_by_side
from planpress.errors import Finding
from planpress.load.content import PlanContent

# Problems that stop any build: the plan cannot be put together while these stand.
CORE_STRUCTURAL = (references.check, structure.check, progress.check, author_markup.check)
# What an assessor checks in any plan: a draft builds in spite of them, a final build does not.
CORE_RULES = (unfinished.check, documents.check, html_policy.check)


def structural_findings(content: PlanContent) -> list[Finding]:
    return [f for family in CORE_STRUCTURAL for f in family(content)] + run_selected(content, blocking=True)


def all_findings(content: PlanContent) -> tuple[list[Finding], list[Finding]]:
    """The structural findings and the rules', found side by side on the machine's cores (side_by_side.py).

    On a long plan the unfinished-text check and the rules that read the prose's sentences take the longest:
    each half of the plan's files is a job of its own for the first (every one of its findings is about one
    file), and the second are a job apart from the other rules. The weights, measured on a plan of 10,000
    schemes, start the longest first."""
    def the_other_rules() -> list[Finding]:
        return [f for family in CORE_RULES if family is not unfinished.check for f in family(content)] \
            + run_selected(content, blocking=False, reads_prose=False)

    structural, prose, others, *unfinished_halves = run_side_by_side([
        Job("the structural checks", lambda: structural_findings(content), weight=6, part_of_check=True),
        Job("the rules that read the prose", lambda: run_selected(content, blocking=False, reads_prose=True),
            weight=11, part_of_check=True),
        Job("the plan's other rules", the_other_rules, weight=4, part_of_check=True),
        *(Job("the unfinished-text check", lambda half=half: list(unfinished.check(half)), weight=9.5,
              part_of_check=True) for half in (_half(content, 0), _half(content, 1)))])
    return structural, [f for found in (*unfinished_halves, prose, others) for f in found]


def _half(content: PlanContent, which: int) -> PlanContent:
    """Every other text file and YAML file of the plan, from the first (0) or the second (1)."""
    return dataclasses.replace(content, sections=content.sections[which::2], schemes=content.schemes[which::2],
                               sources=dict(list(content.sources.items())[which::2]))


def run_checks(content: PlanContent) -> list[Finding]:
    """Every finding of every rule family (without the prose, which planpress.build renders)."""
    structural, rules = all_findings(content)
    return structural + rules
