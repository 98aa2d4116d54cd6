"""The checks: the core's own, which every plan gets, and the families of rules a pack switches on."""

from __future__ import annotations

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


def rule_findings(content: PlanContent) -> list[Finding]:
    """The rules' findings; the unfinished-text check (the longest on a long plan) beside the others, on
    another core when the machine has one (planpress/side_by_side.py)."""
    def unfinished_text() -> list[Finding]:
        return list(unfinished.check(content))

    def the_others() -> list[Finding]:
        return [f for family in CORE_RULES if family is not unfinished.check for f in family(content)] \
            + run_selected(content, blocking=False)

    first, rest = run_side_by_side([Job("the unfinished-text check", unfinished_text, weight=2),
                                    Job("the plan's rules", the_others)])
    return first + rest


def run_checks(content: PlanContent) -> list[Finding]:
    """Every finding of every rule family (without the prose, which planpress.build renders)."""
    return structural_findings(content) + rule_findings(content)
