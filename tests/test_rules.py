"""The rules an assessor and a finance lead check by hand: one test per rule, each breaking a copy
of the example plan in exactly one way and asserting the message, the file and the line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from plan_edits import edit, expect, line_of, reported


def yaml_line(project: Path, file: str, pattern: str) -> tuple[str, int]:
    """The first line of `file` matching the regex `pattern`, and its number."""
    text = (project / file).read_text(encoding="utf-8")
    match = re.search(pattern, text, re.MULTILINE)
    assert match, pattern
    return match.group(0), text[: match.start()].count("\n") + 1


def first_risk(project: Path) -> dict:
    return yaml.safe_load((project / "content/data/risks.yaml").read_text(encoding="utf-8"))["risks"][0]


# --- figures ---------------------------------------------------------------------------


def test_risk_factor_that_disagrees_with_likelihood_times_impact(project: Path) -> None:
    risk = first_risk(project)
    text, line = yaml_line(project, "content/data/risks.yaml", r"^    factor: \d+$")
    edit(project, "content/data/risks.yaml", text, "    factor: 14")
    product = risk["likelihood"] * risk["impact"]
    expect(run_cli(project, "check"),
           f"content/data/risks.yaml:{line}: Risk R1: the overall factor is given as 14, but likelihood x impact = "
           f"{risk['likelihood']} x {risk['impact']} = {product}. Write {product}, or leave 'factor' out and let "
           "the outputs work it out.")


def test_likelihood_outside_one_to_five(project: Path) -> None:
    text, line = yaml_line(project, "content/data/risks.yaml", r"^    likelihood: \d$")
    edit(project, "content/data/risks.yaml", text, "    likelihood: 7")
    expect(run_cli(project, "check"),
           f"content/data/risks.yaml:{line}: Risk R1: the likelihood is 7, outside 1 to 5. "
           "Score the likelihood from 1 (lowest) to 5 (highest).")


def test_agreed_budget_below_minimum(project: Path) -> None:
    line = edit(project, "content/plan.yaml", 'agreed: "£18,640,000"', 'agreed: "£17,000,000"')
    run = run_cli(project, "check")
    expect(run, f"content/plan.yaml:{line}: The agreed pooled budget for 2015/16 (£17,000,000) is below the minimum "
                "required value (£17,914,000) by £914,000. The total must be equal to or more than the minimum: "
                "raise the agreed value or correct the minimum.")


def test_expenditure_lines_that_do_not_add_up_to_the_stated_total(project: Path) -> None:
    # Only the stated expenditure total changes: the first line after 'expenditure:' in stated_totals.
    finance = (project / "content/data/finance.yaml").read_text(encoding="utf-8")
    start = finance.index("\nstated_totals:")
    expenditure_at = finance.index("expenditure:", start)
    old = finance[expenditure_at:].split("\n", 2)
    changed_line = finance[:expenditure_at].count("\n") + 2
    old_line = old[1]
    new_line = re.sub(r'"£[\d,]+"', '"£5,100,000"', old_line)
    (project / "content/data/finance.yaml").write_text(
        finance[:expenditure_at] + old[0] + "\n" + new_line + "\n" + old[2], encoding="utf-8")
    year = re.search(r"\d{4}/\d{2}", old_line).group(0)
    expect(run_cli(project, "check"),
           f"content/data/finance.yaml:{changed_line}: The expenditure lines for {year} add up to £5,120,000, but the "
           "stated total is £5,100,000 (a difference of £20,000). Correct the expenditure lines or the stated total "
           "so that they agree.")


def test_funding_that_does_not_cover_expenditure(project: Path) -> None:
    finance = yaml.safe_load((project / "content/data/finance.yaml").read_text(encoding="utf-8"))
    first_source = finance["funding"][0]["amounts"]["2014/15"]
    text, _ = yaml_line(project, "content/data/finance.yaml", re.escape(f'"{first_source}"'))
    edit(project, "content/data/finance.yaml", text, '"£0"')
    run = run_cli(project, "check")
    assert run.code == 1
    line = line_of(project, "content/data/finance.yaml", "\nexpenditure:") + 1
    expected = re.compile(rf"content/data/finance.yaml:{line}: Expenditure for 2014/15 \(£5,120,000\) is more than "
                          r"the funding \(£[\d,]+\) by £[\d,]+\. Reduce the expenditure lines or add the missing funding\.")
    assert any(expected.fullmatch(x) for x in reported(run)), "\n".join(reported(run))


def test_protection_larger_than_the_fund(project: Path) -> None:
    line = edit(project, "content/data/finance.yaml", '"£3,450,000"', '"£19,000,000"')
    expect(run_cli(project, "check"),
           f"content/data/finance.yaml:{line}: The amount for protecting social care in 2015/16 (£19,000,000) is "
           "larger than the whole fund (£18,640,000). It is a part of the pooled budget: correct the amount.")


def test_carers_amount_larger_than_the_fund(project: Path) -> None:
    finance = (project / "content/data/finance.yaml").read_text(encoding="utf-8")
    carers = finance.index("\ncarers_support:") + 1
    old = finance[carers:].split("\n", 3)
    line = finance[:carers].count("\n") + 2
    old[1] = re.sub(r'"£[\d,]+"', '"£6,000,000"', old[1])
    (project / "content/data/finance.yaml").write_text(finance[:carers] + "\n".join(old), encoding="utf-8")
    expect(run_cli(project, "check"),
           f"content/data/finance.yaml:{line}: The amount for carer-specific support in 2014/15 (£6,000,000) is "
           "larger than the whole fund (£5,120,000). It is a part of the pooled budget: correct the amount.")


def test_admissions_reduction_below_the_minimum_is_an_error(project: Path) -> None:
    line = edit(project, "content/data/finance.yaml", "planned_reduction: 895", "planned_reduction: 600")
    edit(project, "content/data/finance.yaml", 'stated_fund: "£1,333,550"', 'stated_fund: "£894,000"')
    expect(run_cli(project, "check"),
           f"content/data/finance.yaml:{line}: The planned reduction of 600 admissions is 2.41% of the baseline of "
           "24,860, below the minimum of 3.5% (871 admissions). Plan a reduction of at least 871 admissions, or "
           "record the local case for a lower ambition in 'local_case'.")


def test_admissions_reduction_below_the_minimum_with_a_local_case_is_a_warning(project: Path) -> None:
    line = edit(project, "content/data/finance.yaml", "planned_reduction: 895",
                "planned_reduction: 600\n  local_case: Admissions here are already among the lowest in England.")
    edit(project, "content/data/finance.yaml", 'stated_fund: "£1,333,550"', 'stated_fund: "£894,000"')
    run = run_cli(project, "check")
    expect(run, f"content/data/finance.yaml:{line}: The planned reduction of 600 admissions is 2.41% of the baseline "
                "of 24,860, below the minimum of 3.5% (871 admissions). The plan records a local case for a lower "
                "ambition; make sure the assessors will accept it.", code=0)
    assert "Warnings (1):" in run.out


def test_stated_performance_fund_that_disagrees(project: Path) -> None:
    line = edit(project, "content/data/finance.yaml", 'stated_fund: "£1,333,550"', 'stated_fund: "£1,334,000"')
    expect(run_cli(project, "check"),
           f"content/data/finance.yaml:{line}: The stated performance fund £1,334,000 is not the planned reduction x "
           "unit cost: 895 x £1,490 = £1,333,550. Write £1,333,550, or leave 'stated_fund' out and let the outputs "
           "show it.")


def test_stated_performance_fund_rounded_wrong_says_what_it_rounds_to(project: Path) -> None:
    line = edit(project, "content/data/finance.yaml", 'stated_fund: "£1,333,550"', 'stated_fund: "£1,333k"')
    expect(run_cli(project, "check"),
           f"content/data/finance.yaml:{line}: The stated performance fund £1,333k is not the planned reduction x "
           "unit cost: 895 x £1,490 = £1,333,550, which is £1,334k to the nearest £1,000. Write £1,334k (or the exact "
           "£1,333,550), or leave 'stated_fund' out and let the outputs show it.")


# --- schemes ---------------------------------------------------------------------------


def test_scheme_listed_without_annex(project: Path) -> None:
    line = edit(project, "content/data/themes.yaml", "PE4]", "PE4, PE5]")
    run = run_cli(project, "check")
    expect(run, f"content/data/themes.yaml:{line}: Scheme 'PE5' is listed but has no description in "
                "content/schemes/. Add content/schemes/PE5.md (Annex 1), or correct the reference. Did you mean 'PE4'?")


def test_annex_scheme_not_in_the_list(project: Path) -> None:
    edit(project, "content/data/themes.yaml", ", PE4]", "]")
    line = line_of(project, "content/schemes/PE4.md", "reference:")
    expect(run_cli(project, "check"),
           f"content/schemes/PE4.md:{line}: Scheme 'PE4' has a description but is not in the list of schemes. "
           "Add PE4 to its theme's 'schemes' in content/data/themes.yaml.")


# --- the plan of action ----------------------------------------------------------------


def set_dependencies(project: Path, task: str, depends: str) -> int:
    """Give `task` the dependencies `depends` (such as "[M3]"); return the line of depends_on."""
    path = project / "content/data/milestones.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {task}\n")
    end = text.find("\n  - id:", start + 1)
    end = len(text) if end == -1 else end
    block = text[start:end]
    if "depends_on:" in block:
        block = re.sub(r"depends_on:.*", f"depends_on: {depends}", block)
    else:
        block = block.rstrip("\n") + f"\n    depends_on: {depends}"
    text = text[:start] + block + text[end:]
    path.write_text(text, encoding="utf-8")
    return text[: text.index("depends_on:", start)].count("\n") + 1


def test_dependency_cycle_is_named(project: Path) -> None:
    set_dependencies(project, "M2", "[M1]")
    line = set_dependencies(project, "M1", "[M2]")
    run = run_cli(project, "check")
    expect(run, f"content/data/milestones.yaml:{line}: The tasks depend on each other in a circle: M1 → M2 → M1. "
                "No task can start: remove one of these dependencies.")


def test_date_outside_the_period(project: Path) -> None:
    text, line = yaml_line(project, "content/data/milestones.yaml", r"^    due: 2014-05-30$")
    edit(project, "content/data/milestones.yaml", text, "    due: 2016-05-30")
    run = run_cli(project, "check")
    expect(run, f"content/data/milestones.yaml:{line}: Task M1 is due on 30 May 2016, outside the plan's period "
                "(01 April 2014 to 31 March 2016). Correct the date, or change the period in content/plan.yaml.")


def test_task_due_before_a_task_it_depends_on(project: Path) -> None:
    milestones = yaml.safe_load((project / "content/data/milestones.yaml").read_text(encoding="utf-8"))["milestones"]
    late = max(milestones, key=lambda t: t["due"])
    early = next(t for t in milestones if t["id"] != late["id"] and t["id"] not in late.get("depends_on", [])
                 and t["due"] < late["due"] and not t.get("depends_on"))
    line = set_dependencies(project, early["id"], f"[{late['id']}]")
    run = run_cli(project, "check")
    expect(run, f"content/data/milestones.yaml:{line}: Task {early['id']} is due on {early['due']:%d %B %Y}, before "
                f"task {late['id']} that it depends on ({late['due']:%d %B %Y}). Move {early['id']}'s due date after "
                f"{late['id']}'s, or remove the dependency.")


# --- sign-off --------------------------------------------------------------------------


def test_signatory_without_name_once_agreed(project: Path) -> None:
    line = line_of(project, "content/plan.yaml", "  - organisation: NHS Calder Moor CCG")
    edit(project, "content/plan.yaml", "    name: Jonathan Ackroyd\n", "")
    expect(run_cli(project, "check"),
           f"content/plan.yaml:{line}: The sign-off for NHS Calder Moor CCG has no name, and the plan's status is "
           "agreed. Fill in the name, or set the status back to review.")


def test_signatory_without_name_is_fine_in_review(project: Path) -> None:
    edit(project, "content/plan.yaml", "    name: Jonathan Ackroyd\n", "")
    edit(project, "content/plan.yaml", "status: agreed", "status: review")
    assert run_cli(project, "check").code == 0


# --- unfinished text -------------------------------------------------------------------

PLACEHOLDERS = [
    ("tba", "to be confirmed"),
    ("TBC", "to be confirmed"),
    ("To be completed", "to be completed"),
    ("<dd/mm/yyyy>", "a prompt in angle brackets"),
    ("<date>", "a prompt in angle brackets"),
    ("£1xxk", "a figure to fill in"),
    ("X", "a letter standing for a missing figure or name"),
    ("xx", "a letter standing for a missing figure or name"),
    ("Xxx", "a letter standing for a missing figure or name"),
    ("[This section to be further developed]", "further development note"),
    ("Insert", "an instruction to insert text"),
    ("Awaiting information", "awaiting information"),
]


@pytest.mark.parametrize(("placeholder", "name"), PLACEHOLDERS)
def test_each_placeholder_form_is_found(project: Path, placeholder: str, name: str) -> None:
    sentence = f"{placeholder} on the number of people helped." if placeholder in ("Insert", "Awaiting information") \
        else f"The scheme will help {placeholder} people."
    line = edit(project, "content/sections/03-case-for-change.md", "\n## ", f"\n{sentence}\n\n## ") + 1
    run = run_cli(project, "check")
    expect(run, f"content/sections/03-case-for-change.md:{line}: Unfinished text: '{placeholder}' ({name}). "
                "Replace it with the real text or figure before the plan is submitted.", code=0)


def test_placeholder_in_yaml_is_found_with_its_line(project: Path) -> None:
    line = edit(project, "content/plan.yaml", "    name: Jonathan Ackroyd", "    name: TBC")
    expect(run_cli(project, "check"),
           f"content/plan.yaml:{line}: Unfinished text: 'TBC' (to be confirmed). Replace it with the real text or "
           "figure before the plan is submitted.", code=0)


LOOK_ALIKES = [
    "An X-ray at home saves a trip to hospital.",
    "As section x of the guidance sets out, the fund is pooled.",
    "Annex X lists the providers.",
    "The risk factor is likelihood x impact.",
    "The fund is 895 x £1,490.",
    "People awaiting the outcome of an assessment are visited.",
    "See <https://www.harrowdale.gov.uk/bcf>.",
    "Generation X carers are now in their fifties.",
    "The team meets weekly to insert new referrals into the caseload.",
]


@pytest.mark.parametrize("sentence", LOOK_ALIKES)
def test_look_alikes_are_not_placeholders(project: Path, sentence: str) -> None:
    edit(project, "content/sections/03-case-for-change.md", "\n## ", f"\n{sentence}\n\n## ")
    run = run_cli(project, "check")
    assert run.code == 0 and "Unfinished text" not in run.out, run.out


def test_question_answered_with_its_own_words(project: Path) -> None:
    path = project / "content/sections/06-alignment.md"
    text = path.read_text(encoding="utf-8")
    heading = "## Alignment with operating and strategic plans"
    start = text.index(heading)
    question = ("Describe how the plan fits the CCGs' two-year operating plans and five-year strategic plans, "
                "and the providers' plans.")
    path.write_text(text[:start] + heading + "\n\n" + question + "\n", encoding="utf-8")
    line = line_of(project, "content/sections/06-alignment.md", heading) + 1
    expect(run_cli(project, "check"),
           f"content/sections/06-alignment.md:{line}: The answer to 'Alignment with operating and strategic plans' "
           "repeats the template's question. Replace the question with the plan's answer.", code=0)


def test_empty_table_rows(project: Path) -> None:
    table = "| Risk | Likelihood | Impact |\n|---|---|---|\n| Risk 1 | 3 | 4 |\n| Risk 2 | | |\n"
    line = edit(project, "content/sections/05-risks.md", "\n## ", f"\n{table}\n## ") + 4
    expect(run_cli(project, "check"),
           f"content/sections/05-risks.md:{line}: A table row 'Risk 2' is empty. Fill in the row, or delete it.",
           code=0)


# --- prose that quotes the data --------------------------------------------------------


def test_prose_quotes_the_figures_in_every_output(project: Path) -> None:
    edit(project, "content/sections/01-plan-details.md", "\n## ",
         '\nThe pooled budget for 2015/16 is {{ pooled_budget["2015/16"].agreed | money }}; the falls service '
         'spends {{ money(scheme.PE2.spend["2015/16"]) }} and the performance fund is {{ p4p.fund | money }} '
         '({{ p4p.reduction_percent }}% of admissions).\n\n## ')
    run = run_cli(project, "data")
    assert run.code == 0, run.out + run.err
    data = json.loads((project / "output/harrowdale-bcf-plan.json").read_text(encoding="utf-8"))
    finance = yaml.safe_load((project / "content/data/finance.yaml").read_text(encoding="utf-8"))
    pe2 = sum(int(line["amounts"]["2015/16"].replace("£", "").replace(",", ""))
              for line in finance["expenditure"] if line["scheme"] == "PE2")
    text = json.dumps(data["sections"][0], ensure_ascii=False)
    assert "The pooled budget for 2015/16 is £18,640,000;" in text
    assert f"spends £{pe2:,} and the performance fund is £1,333,550 (3.60% of admissions)." in text


def test_prose_undefined_name_names_the_nearest(project: Path) -> None:
    line = edit(project, "content/sections/01-plan-details.md", "\n## ",
                "\nThe budget is {{ pooled_budgt['2015/16'].agreed | money }}.\n\n## ") + 1
    run = run_cli(project, "check")
    expect(run, f"content/sections/01-plan-details.md:{line}: In the text, 'pooled_budgt' is not a name of the "
                "plan's figures. Did you mean 'pooled_budget'?")


@pytest.mark.parametrize("expression", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ scheme.__class__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ money.__globals__['__builtins__'] }}",
])
def test_prose_cannot_reach_python_internals(project: Path, expression: str) -> None:
    line = edit(project, "content/sections/01-plan-details.md", "\n## ", f"\nText {expression}.\n\n## ") + 1
    run = run_cli(project, "check")
    assert run.code == 1
    found = [x for x in reported(run) if x.startswith(f"content/sections/01-plan-details.md:{line}: ")]
    assert found, run.out
    assert any("cannot use" in x or "is not a name" in x or "not one of the figures" in x for x in found), found
    assert "Traceback" not in run.out + run.err


def test_prose_cannot_read_files(project: Path) -> None:
    (project / "secret.txt").write_text("top secret")
    edit(project, "content/sections/01-plan-details.md", "\n## ",
         "\n{% include '../../secret.txt' %}{{ open('secret.txt').read() }}\n\n## ")
    run = run_cli(project, "check")
    assert run.code == 1
    assert "top secret" not in run.out + run.err
    assert "Traceback" not in run.out + run.err


# --- draft and final builds ------------------------------------------------------------


def test_draft_build_completes_with_rule_errors_and_says_how_many(project: Path) -> None:
    edit(project, "content/data/finance.yaml", 'stated_fund: "£1,333,550"', 'stated_fund: "£1,335k"')
    edit(project, "content/plan.yaml", "    name: Jonathan Ackroyd", "    name: TBC")
    run = run_cli(project, "data")
    assert run.code == 0, run.out + run.err
    assert "Every output is marked DRAFT (2 open problems)." in run.out
    data = json.loads((project / "output/harrowdale-bcf-plan.json").read_text(encoding="utf-8"))
    assert data["build"]["draft"] is True and data["build"]["open_problems"] == 2


def test_final_build_refuses_and_groups_what_is_left_by_owner(project: Path) -> None:
    assert run_cli(project, "data").code == 0
    before = (project / "output/harrowdale-bcf-plan.json").read_bytes()
    fund_line = edit(project, "content/data/finance.yaml", 'stated_fund: "£1,333,550"', 'stated_fund: "£1,335k"')
    vision_line = edit(project, "content/sections/02-vision.md", "\n## ", "\nFigures TBC.\n\n## ") + 1
    run = run_cli(project, "data", "--final")
    assert run.code == 1
    err = run.err
    assert "Rachel Ingham, Chief Finance Officer, NHS Harrowdale CCG (1):" in err
    assert f"  content/data/finance.yaml:{fund_line}: The stated performance fund" in err
    assert "Gillian Hartley, Director of Adult Social Care (1):" in err
    assert f"  content/sections/02-vision.md:{vision_line}: Unfinished text: 'TBC'" in err
    assert "The final build was refused: 2 problems left" in err
    assert (project / "output/harrowdale-bcf-plan.json").read_bytes() == before


def test_final_build_of_a_clean_agreed_plan_is_not_draft(project: Path) -> None:
    run = run_cli(project, "data", "--final")
    assert run.code == 0, run.out + run.err
    data = json.loads((project / "output/harrowdale-bcf-plan.json").read_text(encoding="utf-8"))
    assert data["build"]["draft"] is False


def test_check_json_gives_the_same_findings(project: Path) -> None:
    line = edit(project, "content/data/finance.yaml", 'stated_fund: "£1,333,550"', 'stated_fund: "£1,335k"')
    run = run_cli(project, "check", "--format", "json")
    assert run.code == 1
    report = json.loads(run.out)
    assert report["errors"] == 1
    finding = report["findings"][0]
    assert finding["file"] == "content/data/finance.yaml" and finding["line"] == line
    assert finding["rule"] == "p4p-fund-mismatch" and finding["severity"] == "error"
    assert finding["owner"] == "Rachel Ingham, Chief Finance Officer, NHS Harrowdale CCG"


# --- a change stated beside a metric's planned value ------------------------------------------

METRICS = "content/data/metrics.yaml"
NEL_PLANS = """    plans:
      - period: April 2014 to March 2015
        value: 24500
        stated_change: 1.4
      - period: January to December 2015
        value: 23965
        stated_change: 3.6
"""


def _nel(project: Path, baseline: str, value: str, stated: str) -> int:
    """Give nel-admissions a baseline and a second planned value with its stated change; return that line."""
    edit(project, METRICS, "      value: 24860\n", f"      value: {baseline}\n")
    edit(project, METRICS, "        value: 24500\n        stated_change: 1.4\n", "        value: 24500\n")
    edit(project, METRICS, "        value: 23965\n        stated_change: 3.6\n",
         f"        value: {value}\n        stated_change: {stated}\n")
    return line_of(project, METRICS, f"stated_change: {stated}\n")


def test_a_stated_reduction_that_does_not_follow_from_baseline_and_plan(project: Path) -> None:
    """The issue's example: baseline 1,200, plan 960, "25%" printed beside it, which is 20%."""
    assert NEL_PLANS in (project / METRICS).read_text(encoding="utf-8")
    line = _nel(project, "1200", "960", "25")
    expect(run_cli(project, "check"),
           f"{METRICS}:{line}: Metric nel-admissions, January to December 2015: the stated change is 25%, but from "
           "the baseline 1,200 to the planned 960 it is a reduction of 20.0% (an improvement, as lower is better). "
           "Write 20.0 (the size of the change, as a percentage of the baseline), or leave 'stated_change' out and "
           "let the outputs work it out.")


def test_a_stated_change_on_a_plan_that_worsens_names_the_direction(project: Path) -> None:
    line = _nel(project, "1000", "1050", "10")
    expect(run_cli(project, "check"),
           f"{METRICS}:{line}: Metric nel-admissions, January to December 2015: the stated change is 10%, but from "
           "the baseline 1,000 to the planned 1,050 it is a rise of 5.0% (a worsening, as lower is better). "
           "Write 5.0 (the size of the change, as a percentage of the baseline), or leave 'stated_change' out and "
           "let the outputs work it out.")


@pytest.mark.parametrize("stated", ["20", "20.0", "-20", "19.96", "19.964"])
def test_a_stated_change_agrees_at_the_precision_written(project: Path, stated: str) -> None:
    """1,000 to 800.36 is a 19.964% reduction: 20, 20.0, -20 (as a spreadsheet prints a fall) and 19.96 all agree."""
    _nel(project, "1000", "800.36", stated)
    run = run_cli(project, "check")
    assert run.code == 0, run.out + run.err
    assert "stated-change" not in run.out + run.err


@pytest.mark.parametrize("stated,worked_out", [("20.1", "20.0"), ("19.9", "20.0"), ("19.97", "20.0"), ("21", "20.0")])
def test_a_stated_change_off_at_its_own_precision_is_reported(project: Path, stated: str, worked_out: str) -> None:
    line = _nel(project, "1000", "800.36", stated)
    run = run_cli(project, "check")
    assert run.code == 1
    found = [r for r in reported(run) if r.startswith(f"{METRICS}:{line}: Metric nel-admissions")]
    assert len(found) == 1 and f"it is a reduction of {worked_out}%" in found[0], reported(run)


def test_a_stated_change_from_a_baseline_of_zero(project: Path) -> None:
    line = line_of(project, METRICS, "      value: 24860\n")
    edit(project, METRICS, "      value: 24860\n", "      value: 0\n")
    expect(run_cli(project, "check"),
           f"{METRICS}:{line}: Metric nel-admissions: the baseline is 0, so no change can be stated as a percentage "
           "of it. Correct the baseline, or state the change in its own units.")


def test_a_stated_change_that_is_not_a_number(project: Path) -> None:
    line = line_of(project, METRICS, "stated_change: 3.6")
    edit(project, METRICS, "stated_change: 3.6", 'stated_change: "3.6% reduction"')
    run = run_cli(project, "check")
    assert run.code == 1 and "Traceback" not in run.err
    assert any(r.startswith(f"{METRICS}:{line}: 'stated_change'") for r in reported(run)), reported(run)


def test_the_stated_change_is_shown_beside_the_planned_value(built_project: Path) -> None:
    """The example states 3.6% beside the 2015 admissions plan: the site's table and the workbook show it."""
    site = (built_project / "output/site/metrics.html").read_text(encoding="utf-8")
    assert "23,965 (January to December 2015), 3.6% lower than the baseline" in site
    assert "688 (2014/15)</td>" in site  # a plan value with no stated change gets no words
    import openpyxl
    sheet = openpyxl.load_workbook(built_project / "output/harrowdale-bcf-part2.xlsx")["HWB Benefits Plan"]
    rows = list(sheet.iter_rows(values_only=True))
    header, nel = rows[0], next(r for r in rows if r[0] and r[0].startswith("Total non-elective"))
    assert nel[header.index("Plan 2 change on the baseline (%)")] == 3.6


def test_a_clean_draft_build_names_no_count_of_problems(project: Path) -> None:
    """A clean draft says DRAFT without "0 open problems", which reads as an alarm."""
    run = run_cli(project)
    assert run.code == 0, run.out + run.err
    assert "Every output is marked DRAFT. Build the submission" in run.out
    assert "0 open problems" not in run.out
