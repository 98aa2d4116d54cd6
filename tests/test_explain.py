"""`check --explain RULE`: every rule a finding can carry, and every family of rules, is explained."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from plan_edits import edit, run_here
from planpress.checks.registry import FAMILIES, load_builtin_families
from planpress.explain import explanation_for, load_explanations

# rule="name", rule=f"unknown-{kind}", and a module's RULE = "name" used as rule=RULE.
_RULE = re.compile(r'\brule=(f?)"([^"]+)"')
_RULE_CONSTANT = re.compile(r'^RULE = "([^"]+)"', re.MULTILINE)


def rule_names_in_code() -> set[str]:
    """Every rule name a Finding is given, in the core and in the packs' rules.py; {kind} read as a sample."""
    names = set()
    for path in [*(REPO / "planpress").rglob("*.py"), *(REPO / "templates").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        names |= {re.sub(r"\{[^}]*\}", "sample", name) for _, name in _RULE.findall(text)}
        if "rule=RULE" in text:
            names |= set(_RULE_CONSTANT.findall(text))
    return names


def test_every_rule_in_the_code_is_explained() -> None:
    explanations = load_explanations(REPO)
    names = rule_names_in_code()
    assert len(names) > 100 and "placeholder" in names and "unknown-sample" in names
    missing = sorted(name for name in names if explanation_for(name, explanations) is None)
    assert not missing, f"no explanation in templates/common/explanations.yaml for: {missing}"


def test_every_family_of_rules_is_explained() -> None:
    load_builtin_families()
    explanations = load_explanations(REPO)
    # The core's families (a pack's rules.py may have added its own to FAMILIES in this process), and
    # bcf-2014's own family, in its rules.py.
    families = {name for name, family in FAMILIES.items() if family.check.__module__.startswith("planpress.")}
    families |= {"performance-fund"}
    assert not [name for name in sorted(families) if name not in explanations]


def test_every_explanation_says_all_four_things() -> None:
    for name, explanation in load_explanations(REPO).items():
        for field in ("looks_for", "why", "example", "fix"):
            assert len(getattr(explanation, field).strip()) > 5, f"{name}: {field} is empty"


def test_explain_prints_what_a_rule_looks_for_why_an_example_and_the_fix(capsys, project: Path) -> None:
    code, text = run_here(capsys, project, "check", "--explain", "placeholder")
    assert code == 0
    assert text.startswith("placeholder\n")
    for start in ("What it looks for: ", "Why: ", "For example, this fires it:", "The fix: "):
        assert start in text


def test_a_rule_of_a_shape_is_explained_by_its_shape(capsys, project: Path) -> None:
    code, text = run_here(capsys, project, "check", "--explain", "unknown-scheme")
    assert code == 0 and text.startswith("unknown-scheme (one of unknown-<kind>)\n")
    code, text = run_here(capsys, project, "check", "--explain", "expenditure-total-mismatch")
    assert code == 0 and text.startswith("expenditure-total-mismatch (one of <kind>-total-mismatch)\n")


@pytest.mark.parametrize(("asked", "offered"), [("placehold", "placeholder"), ("empty_row", "empty-row"),
                                                 ("risk", "risk-factor-mismatch")])
def test_an_unknown_rule_is_an_error_naming_close_ones(capsys, project: Path, asked: str, offered: str) -> None:
    code, text = run_here(capsys, project, "check", "--explain", asked)
    assert code == 1
    assert text.startswith(f"Error: there is no rule called '{asked}'. Did you mean: ")
    assert offered in text.split("Did you mean: ")[1].split("?")[0]


def test_a_rule_like_no_other_lists_them_all(capsys, project: Path) -> None:
    code, text = run_here(capsys, project, "check", "--explain", "zzzz")
    assert code == 1 and "The rules are: " in text and "placeholder" in text


def test_explain_goes_with_check_only(project: Path) -> None:
    run = run_cli(project, "site", "--explain", "placeholder")
    assert run.code == 2 and "--explain goes with check" in run.err and "Traceback" not in run.err


def test_check_names_the_rules_it_found_and_how_to_ask(capsys, project: Path) -> None:
    edit(project, "content/sections/03-case-for-change.md", "\n## ", "\nThe figure is TBC.\n\n## ")
    code, text = run_here(capsys, project, "check")
    assert code == 0
    assert "Rules: placeholder (1).\nRun `python build.py check --explain RULE` to learn what a rule looks for and " \
           "how to fix it." in text
