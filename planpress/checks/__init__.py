"""The checks: each module yields findings for one family of rules."""

from __future__ import annotations

from planpress.checks import documents, money, plan_rules, progress, references, structure, unfinished
from planpress.errors import Finding
from planpress.load import PlanContent

# Problems that stop any build: the plan cannot be put together while these stand.
STRUCTURAL_FAMILIES = (references.check, structure.check, progress.check)
# The rules an assessor checks: a draft builds in spite of them, a final build does not.
RULE_FAMILIES = (money.check, plan_rules.check, unfinished.check, documents.check, progress.missing)


def run_checks(content: PlanContent) -> list[Finding]:
    """Every finding of every rule family (without the prose, which planpress.build renders)."""
    return [finding for family in (*STRUCTURAL_FAMILIES, *RULE_FAMILIES) for finding in family(content)]
