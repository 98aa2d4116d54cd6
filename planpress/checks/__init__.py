"""The checks: each module yields findings for one family of rules."""

from __future__ import annotations

from planpress.checks import references, structure
from planpress.errors import Finding
from planpress.load import PlanContent

RULE_FAMILIES = (references.check, structure.check)


def run_checks(content: PlanContent) -> list[Finding]:
    """Every finding of every rule family, in a stable order: by file, then line."""
    findings = [finding for family in RULE_FAMILIES for finding in family(content)]
    return findings
