"""Template packs: a template is data, the core names no round, and every pack's fields get the same messages.

The CLI runs in-process here (`cli.main([...])`), as sqlite-utils tests its CLI: the exact
words an author reads are asserted, and that no traceback reaches them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, copy_project
from plan_edits import edit, lines
from plan_edits import run_here as run

ROUND_WORDS = ("ccg", "pay_for_performance", "p4p", "2014", "annex", "ibcf")
STRATEGY = REPO / "examples" / "system-strategy"


@pytest.fixture
def strategy(tmp_path: Path) -> Path:
    """A writable copy of the example five-year system strategy, with its own copy of the packs."""
    project = tmp_path / "strategy"
    shutil.copytree(STRATEGY, project, ignore=shutil.ignore_patterns("output", ".output-*"))
    shutil.copytree(REPO / "templates", project / "templates")
    return project


# --- the core names no round ---------------------------------------------------------------


def test_the_core_names_no_round_of_any_template() -> None:
    """planpress/ holds machinery only: a round's words live in its pack under templates/."""
    found = []
    for path in sorted((REPO / "planpress").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for word in ROUND_WORDS:
                if word in line.lower():
                    found.append(f"{path.relative_to(REPO)}:{number}: '{word}' in {line.strip()}")
    assert found == []


def test_every_pack_is_a_folder_of_data(capsys: pytest.CaptureFixture) -> None:
    packs = sorted(p.parent.name for p in (REPO / "templates").glob("*/pack.yaml"))
    assert packs == ["bcf-2014", "bcf-2025", "bcf-2026", "system-strategy"]


# --- both example plans check clean ----------------------------------------------------------


def test_the_example_plan_of_each_pack_checks_clean(capsys: pytest.CaptureFixture) -> None:
    for project in (REPO, STRATEGY):
        code, text = run(capsys, project, "check")
        assert code == 0, text
        assert "0 errors, 0 warnings" in text, text


# --- a field declared by a pack: the same messages in every pack ---------------------------


def test_bcf_pack_field_mistakes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = copy_project(tmp_path / "plan")
    wrong_type = edit(project, "content/data/risks.yaml", "likelihood: 3", "likelihood: hihg")
    unknown = edit(project, "content/data/milestones.yaml", "    owner:", "    ownr:")
    edit(project, "content/data/metrics.yaml", "    unit: per 100,000 population\n", "")
    code, text = run(capsys, project, "check")
    assert code == 1
    reported = lines(text)
    assert (f"content/data/risks.yaml:{wrong_type}: 'likelihood' should be a whole number or one of Low, Medium, "
            "High, not 'hihg'. How likely it is, from 1 (rare) to 5 (almost certain); in a log with scale words, Low, "
            "Medium or High.") in reported
    assert any(line.startswith(f"content/data/milestones.yaml:{unknown}: Unknown field 'ownr'. Did you mean 'owner'?")
               for line in reported), text
    assert ("content/data/metrics.yaml:6: The required field 'unit' is missing in item 1 of 'metrics'. Add 'unit: ...' "
            "(What the values count, such as \"admissions\", \"per 100,000 population\" or \"%\").") in reported, text


def test_strategy_pack_field_mistakes(strategy: Path, capsys: pytest.CaptureFixture) -> None:
    wrong_type = edit(strategy, "content/data/ambitions.yaml", "      value: 2468", "      value: lots")
    unknown = edit(strategy, "content/data/interventions.yaml", "    lead:", "    leed:")
    choice = edit(strategy, "content/data/risks.yaml", "rating: High", "rating: Severe")
    edit(strategy, "content/plan.yaml", "unit_of_planning:", "# unit_of_planning:")
    code, text = run(capsys, strategy, "check")
    assert code == 1
    reported = lines(text)
    assert (f"content/data/ambitions.yaml:{wrong_type}: 'value' should be a number, not 'lots'. "
            "The baseline value.") in reported, text
    assert any(line.startswith(f"content/data/interventions.yaml:{unknown}: Unknown field 'leed'. "
                               "Did you mean 'lead'?") for line in reported), text
    assert (f"content/data/risks.yaml:{choice}: 'rating' should be one of 'High', 'Medium' or 'Low', not 'Severe'. "
            "How serious the risk is, all things considered.") in reported, text
    assert any(line.startswith("content/plan.yaml:") and "The required field 'unit_of_planning' is missing" in line
               and "Add 'unit_of_planning: ...'" in line for line in reported), text


def test_a_reference_declared_by_a_pack_is_checked_with_a_suggestion(strategy: Path,
                                                                   capsys: pytest.CaptureFixture) -> None:
    line = edit(strategy, "content/data/interventions.yaml", "ambitions: [A2, A3, A6]", "ambitions: [A2, A33, A6]")
    code, text = run(capsys, strategy, "check")
    assert code == 1
    assert f"content/data/interventions.yaml:{line}: There is no ambition 'A33'. Did you mean 'A3'?" in lines(text)


def test_a_link_to_a_declared_kind_is_checked(strategy: Path, capsys: pytest.CaptureFixture) -> None:
    file = "content/sections/03-quality-and-outcomes.md"
    text = (strategy / file).read_text(encoding="utf-8")
    (strategy / file).write_text(text + "\nSee [the admissions ambition](ambition:A30).\n", encoding="utf-8")
    line = text.count("\n") + 2
    code, out = run(capsys, strategy, "check")
    assert code == 1
    assert (f"{file}:{line}: The link to ambition 'A30' goes nowhere: there is no such ambition. "
            "Did you mean 'A3'?") in lines(out)


# --- the stated improvement of an outcome ambition -----------------------------------------


def test_a_stated_improvement_that_does_not_follow_from_baseline_and_target(strategy: Path,
                                                                            capsys: pytest.CaptureFixture) -> None:
    """The issue's own example: "25%" stated for 1,200 to 960, which is 20%."""
    file = "content/data/ambitions.yaml"
    text = (strategy / file).read_text(encoding="utf-8")
    start = text.index("  - id: A3")
    block = text[start:text.index("  - id: A4")]
    changed = re.sub(r"baseline:\n      value: [\d.]+", "baseline:\n      value: 1200", block)
    changed = re.sub(r"target:\n      value: [\d.]+", "target:\n      value: 960", changed)
    changed = re.sub(r"stated_improvement: [\d.]+", "stated_improvement: 25", changed)
    (strategy / file).write_text(text.replace(block, changed), encoding="utf-8")
    stated_line = text[:start].count("\n") + changed[:changed.index("stated_improvement")].count("\n") + 1
    code, out = run(capsys, strategy, "check")
    assert code == 1
    assert (f"{file}:{stated_line}: Ambition A3: the stated improvement is 25%, but from 1,200 to 960 it is 20.0%. "
            "Write 20.0, or leave 'stated_improvement' out and let the outputs work it out.") in lines(out), out


def test_a_target_worse_than_its_baseline(strategy: Path, capsys: pytest.CaptureFixture) -> None:
    file = "content/data/ambitions.yaml"
    line = edit(strategy, file, "      value: 2118", "      value: 2600")
    code, out = run(capsys, strategy, "check")
    assert code == 1
    assert (f"{file}:{line}: Ambition A1: the target 2,600 is worse than the baseline 2,468, and lower is better. "
            "Correct the target, or the direction in which the measure is better.") in lines(out), out


def test_intervention_dates_inside_the_period(strategy: Path, capsys: pytest.CaptureFixture) -> None:
    line = edit(strategy, "content/data/interventions.yaml", "due: 2016-03-31", "due: 2014-03-31")
    code, out = run(capsys, strategy, "check")
    assert code == 1
    assert any(l.startswith(f"content/data/interventions.yaml:{line}: Intervention I1 is due on 31 March 2014, "
                            "outside the plan's period") for l in lines(out)), out


# --- a pack's own mistakes: file, line, what and how -----------------------------------------


def test_an_unknown_family_of_rules_in_a_pack(strategy: Path, capsys: pytest.CaptureFixture) -> None:
    line = edit(strategy, "templates/system-strategy/pack.yaml", "  date-order:", "  date-ordre:")
    code, out = run(capsys, strategy, "check")
    assert code == 1
    assert any(l.startswith(f"templates/system-strategy/pack.yaml:{line}: There is no family of rules called "
                            "'date-ordre'. Did you mean 'date-order'?") for l in lines(out)), out


def test_a_wrong_parameter_of_a_family(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = copy_project(tmp_path / "plan")
    line = edit(project, "templates/bcf-2014/pack.yaml", 'unit_cost: "£1,490"', 'unit_cost: "£1,49x"')
    code, out = run(capsys, project, "check")
    assert code == 1
    assert (f"templates/bcf-2014/pack.yaml:{line}: 'unit_cost' should be a well-formed sum of money, such as 1250000 "
            "or \"£1,250,000\", not '£1,49x'. The national cost of one non-elective admission, used to value the "
            "reduction.") in lines(out), out


def test_a_misspelt_field_type_in_data_yaml(strategy: Path, capsys: pytest.CaptureFixture) -> None:
    line = edit(strategy, "templates/system-strategy/data.yaml", "type: choice\n            choices: [High",
                "type: choise\n            choices: [High")
    code, out = run(capsys, strategy, "check")
    assert code == 1
    assert any(l.startswith(f"templates/system-strategy/data.yaml:{line}: 'type' should be one of ")
               and "not 'choise'" in l for l in lines(out)), out


def test_a_reference_to_no_kind_in_data_yaml(strategy: Path, capsys: pytest.CaptureFixture) -> None:
    edit(strategy, "templates/system-strategy/data.yaml", "to: ambition\n            required: true",
         "to: ambitoin\n            required: true")
    code, out = run(capsys, strategy, "check")
    assert code == 1
    assert "The reference names 'ambitoin', which is no kind of item" in out


def test_an_unknown_template_gets_a_suggestion(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = copy_project(tmp_path / "plan")
    line = edit(project, "content/plan.yaml", "template: bcf-2014", "template: bcf-2104")
    code, out = run(capsys, project, "check")
    assert code == 1
    assert (f"content/plan.yaml:{line}: There is no template pack called 'bcf-2104'. Did you mean 'bcf-2014'? "
            "Use one of: bcf-2014, bcf-2025, bcf-2026, system-strategy.") in lines(out), out


# --- Python in a pack: only for a new kind of rule, loaded from the pack --------------------


def test_the_bcf_pack_rule_is_loaded_from_the_pack(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Pay for performance is the bcf-2014 pack's own rule (templates/bcf-2014/rules.py)."""
    project = copy_project(tmp_path / "plan")
    line = edit(project, "content/data/finance.yaml", "stated_fund: \"£1,333,550\"", "stated_fund: \"£1,334,000\"")
    code, out = run(capsys, project, "check")
    assert code == 1
    assert (f"content/data/finance.yaml:{line}: The stated performance fund £1,334,000 is not the planned reduction x "
            "unit cost: 895 x £1,490 = £1,333,550. Write £1,333,550, or leave 'stated_fund' out and let the "
            "outputs show it.") in lines(out), out


def test_a_rules_file_that_fails_names_its_line(strategy: Path, capsys: pytest.CaptureFixture) -> None:
    pack = strategy / "templates" / "system-strategy"
    (pack / "rules.py").write_text("from planpress.checks.registry import rule_family\n\nraise ValueError('oops')\n",
                                   encoding="utf-8")
    edit(strategy, "templates/system-strategy/pack.yaml", "rules:\n", "rules_file: rules.py\nrules:\n")
    code, out = run(capsys, strategy, "check")
    assert code == 1
    assert ("templates/system-strategy/rules.py:3: The pack's rules could not be loaded: ValueError: oops. "
            "Fix the Python in the pack's rules file.") in lines(out), out


def test_a_new_kind_of_rule_in_a_small_pack(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A pack written from nothing, with one data file and a rule of its own, as a council might add."""
    project = tmp_path / "tiny"
    pack = project / "templates" / "tiny"
    pack.mkdir(parents=True)
    (pack / "pack.yaml").write_text(
        "id: tiny\nname: A tiny template\noutputs: [data]\nrules_file: rules.py\n"
        "rules:\n  at-most:\n    limit: 10\n"
        "sections:\n  - id: intro\n    number: '1'\n    title: Introduction\n    parts:\n"
        "      - {id: why, title: Why, question: 'Why this plan?'}\n", encoding="utf-8")
    (pack / "data.yaml").write_text(
        "files:\n  counts:\n    file: content/data/counts.yaml\n    fields:\n"
        "      counts:\n        type: list\n        required: true\n        kind: count\n"
        "        fields:\n          id: {type: text, required: true, help: The count's name.}\n"
        "          value: {type: whole number, required: true, help: How many.}\n", encoding="utf-8")
    (pack / "rules.py").write_text(
        "from planpress.checks.registry import rule_family\nfrom planpress.errors import Finding\n"
        "from planpress.load.models import Record\n\n\n"
        "class Limit(Record):\n    limit: int\n    \"\"\"The largest count allowed.\"\"\"\n\n\n"
        "@rule_family('at-most', Limit)\ndef check(content, params):\n"
        "    for item in content.data['counts'].counts:\n        if item.value > params.limit:\n"
        "            yield Finding(item.where('value'), 'error', f'{item.id} is {item.value}, more than {params.limit}',"
        " 'Lower it', rule='too-many')\n", encoding="utf-8")
    (project / "content" / "sections").mkdir(parents=True)
    (project / "content" / "data").mkdir()
    (project / "content" / "plan.yaml").write_text(
        "area: Testshire\nperiod: {start: 2025-04-01, end: 2026-03-31}\nstatus: draft\nversion: v1\n"
        "template: tiny\n", encoding="utf-8")
    (project / "content" / "sections" / "01-intro.md").write_text(
        "---\nid: intro\ntitle: Introduction\nowner: A Person\nstatus: draft\n---\n\n## Why\n\nBecause.\n",
        encoding="utf-8")
    (project / "content" / "data" / "counts.yaml").write_text(
        "counts:\n  - id: beds\n    value: 4\n  - id: chairs\n    value: 12\n", encoding="utf-8")
    code, out = run(capsys, project, "check")
    assert code == 1
    assert "content/data/counts.yaml:5: chairs is 12, more than 10. Lower it." in lines(out), out
    code, out = run(capsys, project, "data")
    assert code == 0, out
    assert (project / "output" / "testshire-plan.json").is_file()


# --- the field reference is made from the declarations ---------------------------------------


@pytest.mark.parametrize("pack", ["bcf-2014", "bcf-2025", "bcf-2026", "system-strategy"])
def test_each_pack_field_reference_is_current(pack: str, capsys: pytest.CaptureFixture) -> None:
    """templates/<pack>/FIELDS.md is `python build.py fields --template <pack>`: regenerate it when data.yaml changes."""
    code, text = run(capsys, REPO, "fields", "--template", pack)
    assert code == 0
    assert (REPO / "templates" / pack / "FIELDS.md").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("project", [REPO, STRATEGY], ids=["bcf-2014", "system-strategy"])
def test_fields_of_the_plan_own_template(project: Path, capsys: pytest.CaptureFixture) -> None:
    code, text = run(capsys, project, "fields")
    assert code == 0
    pack = re.search(r"^template: (\S+)", (project / "content/plan.yaml").read_text(encoding="utf-8"), re.M).group(1)
    assert text == (REPO / "templates" / pack / "FIELDS.md").read_text(encoding="utf-8")


def test_every_declared_field_has_help() -> None:
    """Every field an author may write has a line of help, in every pack."""
    from planpress.load.fields import walk
    from planpress.load.pack_loader import known_packs, read_pack_by_id

    missing = []
    for pack_id in known_packs(REPO):
        pack, problems = read_pack_by_id(REPO, pack_id)
        assert pack is not None, problems
        data = pack.data
        groups = [data.plan, data.schemes, data.progress, *data.files.values()]
        for group in (g for g in groups if g is not None):
            missing += [f"{pack_id}: {'.'.join(path)}" for path, spec in walk(group.fields)
                        if not spec.help.strip()]
    assert len(known_packs(REPO)) == 4
    assert missing == []


def test_check_reads_the_pack_workbook_too(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A mistake in workbook.yaml is found by `check`, before anyone builds."""
    project = copy_project(tmp_path / "plan")
    line = edit(project, "templates/bcf-2014/workbook.yaml", "{label: Status, value: status}",
                "{label: Status, valeu: status}")
    code, out = run(capsys, project, "check")
    assert code == 1
    assert any(l.startswith(f"templates/bcf-2014/workbook.yaml:{line}: Unknown field 'valeu'. Did you mean 'value'?")
               for l in lines(out)), out


def test_a_family_whose_parameters_do_not_fit_the_plan(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A pack that points a rule at a field its data does not have gets a finding, not a traceback."""
    project = copy_project(tmp_path / "plan")
    edit(project, "templates/bcf-2014/pack.yaml", "    budgets: plan.pooled_budget", "    budgets: plan.pooled_budgt")
    code, out = run(capsys, project, "check")
    assert code == 1
    assert any(l.startswith("templates/bcf-2014/pack.yaml: The rule family 'pooled-budget' failed on this plan: "
                            "AttributeError") for l in lines(out)), out
