"""`python build.py check --explain RULE`: what a rule looks for, why, an example that fires it, and the fix.

The explanations are data, in templates/common/explanations.yaml, one for every rule name a finding
can carry and every family of rules a pack can switch on (tests/test_explain.py keeps them complete).
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

import yaml

from planpress.errors import PlanError
from planpress.load.models import Record

EXPLANATIONS = Path("templates/common/explanations.yaml")
# The repository's own copy, for a plan folder whose templates/ has none.
BUILTIN = Path(__file__).resolve().parent.parent / EXPLANATIONS


class Explanation(Record):
    looks_for: str
    """What the rule finds."""
    why: str
    """Why it matters to the plan's readers or assessors."""
    example: str
    """Text that fires it."""
    fix: str
    """How to fix it."""


def load_explanations(root: Path) -> dict[str, Explanation]:
    path = root / EXPLANATIONS if (root / EXPLANATIONS).is_file() else BUILTIN
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {name: Explanation(**fields) for name, fields in data["rules"].items()}


def explanation_for(rule: str, explanations: dict[str, Explanation]) -> tuple[str, Explanation] | None:
    """The explanation of `rule`: by its own name, or by a name of its shape (unknown-<kind> for unknown-risk)."""
    if rule in explanations:
        return rule, explanations[rule]
    shaped = [name for name in explanations if "<" in name and _shape(name).fullmatch(rule)]
    # The most particular shape wins: <kind>-total-mismatch over <group_field>-mismatch.
    best = max(shaped, key=lambda name: len(re.sub(r"<[^>]*>", "", name)), default=None)
    return (best, explanations[best]) if best else None


def _shape(name: str) -> re.Pattern[str]:
    return re.compile("[a-z0-9_]+(?:[-_][a-z0-9_]+)*".join(re.escape(part) for part in re.split(r"<[^>]*>", name)))


def close_names(rule: str, explanations: dict[str, Explanation]) -> list[str]:
    """Rule names like `rule`: misspellings, and names that hold it (placeholder for 'place')."""
    names = sorted(explanations)
    holding = [name for name in names if rule and rule.lower() in name]
    return list(dict.fromkeys(difflib.get_close_matches(rule.lower(), names, n=5, cutoff=0.6) + holding))[:8]


def explain(root: Path, rule: str) -> int:
    try:
        explanations = load_explanations(root)
    except (OSError, yaml.YAMLError, TypeError, KeyError, ValueError) as error:
        raise PlanError(f"The explanations in {EXPLANATIONS} cannot be read: {error}") from None
    found = explanation_for(rule.strip(), explanations)
    if found is None:
        close = close_names(rule.strip(), explanations)
        hint = f"Did you mean: {', '.join(close)}?" if close else f"The rules are: {', '.join(sorted(explanations))}."
        print(f"Error: there is no rule called '{rule}'. {hint} `python build.py check` names the rules of "
              "its findings in its last lines.", file=sys.stderr)
        return 1
    name, explanation = found
    print(_shown(rule.strip(), name, explanation))
    return 0


def _shown(rule: str, name: str, explanation: Explanation) -> str:
    title = rule if rule == name else f"{rule} (one of {name})"
    return "\n".join([
        title,
        "",
        f"What it looks for: {explanation.looks_for}",
        f"Why: {explanation.why}",
        "",
        "For example, this fires it:",
        *(f"    {line}" for line in explanation.example.split("\n")),
        "",
        f"The fix: {explanation.fix}",
    ])
