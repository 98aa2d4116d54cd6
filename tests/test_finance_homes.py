"""Finance facts real plans state: the protection amount broken down by scheme and purpose, the Care Act
amount, a minimum pooled budget given for only some years, and stated figures rounded to a precision.

Each rule from both sides: it fires on a copy of the example plan broken in one way, with the file, the
line and the message an author sees; and it says nothing about the example as finished.
"""

from __future__ import annotations

import pickle
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypandoc
import pytest

from plan_edits import edit, line_of, lines, run_here
from planpress.load.models import Rounded, parse_money, stated_agrees, step_of

FINANCE = "content/data/finance.yaml"
# The example's breakdown: scheme EN3's two lines, the second marked as the Care Act amount.
BREAKDOWN_FIRST = '''      "2014/15": "£1,450,000"
      "2015/16": "£2,800,000"
  - scheme: EN3
    purpose: "Care Act'''
CARE_ACT = '''care_act:
  "2014/15": "£0"
  "2015/16": "£650,000"'''
PROTECTION = '''social_care_protection:
  "2014/15": "£1,450,000"
  "2015/16": "£3,450,000"'''


def check(capsys, project: Path) -> tuple[int, list[str]]:
    code, text = run_here(capsys, project, "check")
    return code, lines(text)


def clean(capsys, project: Path) -> None:
    code, found = check(capsys, project)
    assert code == 0, "\n".join(found)
    assert "The plan is ready to build: 0 errors, 0 warnings" in " ".join(found), "\n".join(found)


# --- stated figures keep the precision they are written to ---------------------------------------


@pytest.mark.parametrize(("written", "value", "step"), [
    ("£87k", 87_000, 1_000), ("£1.2m", 1_200_000, 100_000), ("£18.64m", 18_640_000, 10_000),
    ("£86,420", 86_420, None), (86420, 86_420, None), ("£1,250,000.50", Decimal("1250000.50"), None),
])
def test_a_sum_keeps_the_precision_it_was_written_to(written, value, step) -> None:
    amount = parse_money(written)
    assert amount == value
    assert step_of(amount) == step


def test_a_rounded_sum_is_a_plain_sum_in_arithmetic_and_survives_copying() -> None:
    amount = parse_money("£87k")
    assert isinstance(amount, Rounded) and amount.written == "£87k"
    assert type(amount + 1) is Decimal and amount * 2 == 174_000
    copied = pickle.loads(pickle.dumps(amount))
    assert (copied, copied.step, copied.written) == (87_000, 1_000, "£87k")
    assert stated_agrees(amount, Decimal(86_500)) and stated_agrees(amount, Decimal(87_499))
    assert not stated_agrees(amount, Decimal(86_420))
    assert not stated_agrees(parse_money("£87,000"), Decimal(86_999))


def test_stated_totals_rounded_right_check_clean(capsys, project: Path) -> None:
    edit(project, FINANCE, '''  expenditure:
    "2014/15": "£5,120,000"
    "2015/16": "£18,640,000"''', '''  expenditure:
    "2014/15": "£5.12m"
    "2015/16": "£18.6m"''')
    edit(project, FINANCE, '''  funding:
    "2014/15": "£5,120,000"''', '''  funding:
    "2014/15": "£5,120k"''')
    edit(project, FINANCE, 'stated_fund: "£1,333,550"', 'stated_fund: "£1.33m"')
    clean(capsys, project)


def test_a_stated_total_rounded_wrong_gives_the_exact_figure_and_what_it_rounds_to(capsys, project: Path) -> None:
    line = edit(project, FINANCE, '''  expenditure:
    "2014/15": "£5,120,000"
    "2015/16": "£18,640,000"''', '''  expenditure:
    "2014/15": "£5,120,000"
    "2015/16": "£18.7m"''') + 2
    code, found = check(capsys, project)
    assert code == 1
    assert (f"{FINANCE}:{line}: The expenditure lines for 2015/16 add up to £18,640,000, which is £18.6m to the "
            "nearest £100,000, but the stated total is £18.7m (a difference of -£60,000). Write £18.6m (or the exact "
            "£18,640,000) as the stated total, or correct the expenditure lines.") in found


def test_a_rounded_agreed_budget_is_checked_to_its_precision_and_shown_as_written(capsys, project: Path) -> None:
    edit(project, "content/plan.yaml", 'agreed: "£18,640,000"', 'agreed: "£18.6m"')
    clean(capsys, project)
    code, _ = run_here(capsys, project, "site")
    assert code == 0
    finance = (project / "output/site/finance.html").read_text(encoding="utf-8")
    assert "£18.6m" in finance
    line = edit(project, "content/plan.yaml", 'agreed: "£18.6m"', 'agreed: "£18.5m"')
    code, found = check(capsys, project)
    assert code == 1
    assert (f"content/plan.yaml:{line}: The agreed pooled budget for 2015/16 is £18.5m, but the funding sources in "
            f"{FINANCE} add up to £18,640,000, which is £18.6m to the nearest £100,000 (a difference of £140,000). "
            "Make the funding sources add up to the agreed value, or correct the agreed value.") in found


# --- a minimum pooled budget for only some years --------------------------------------------------


def test_a_plan_without_a_minimum_for_a_year_checks_clean_and_says_not_stated(capsys, project: Path) -> None:
    edit(project, "content/plan.yaml", '    minimum: "£17,914,000"\n', "")
    clean(capsys, project)
    code, _ = run_here(capsys, project, "site")
    assert code == 0
    code, _ = run_here(capsys, project, "documents")
    assert code == 0
    docx = next((project / "output").glob("*.docx"))
    text = " ".join(pypandoc.convert_file(str(docx), "plain", extra_args=["--wrap=none"]).split())
    assert "2014/15 £4,872,000 £5,120,000" in text
    assert "2015/16 Not stated £18,640,000" in text
    assert "None" not in text
    site = (project / "output/site/finance.html").read_text(encoding="utf-8")
    assert "Not stated" in site and ">None<" not in site


def test_the_minimum_still_binds_the_year_that_states_it(capsys, project: Path) -> None:
    edit(project, "content/plan.yaml", '    minimum: "£17,914,000"\n', "")
    line = edit(project, "content/plan.yaml", 'agreed: "£5,120,000"', 'agreed: "£4,800,000"')
    code, found = check(capsys, project)
    assert code == 1
    assert (f"content/plan.yaml:{line}: The agreed pooled budget for 2014/15 (£4,800,000) is below the minimum "
            "required value (£4,872,000) by £72,000. The total must be equal to or more than the minimum: raise the "
            "agreed value or correct the minimum.") in found


# --- the protection amount by scheme and purpose, and the Care Act amount -------------------------


def test_the_example_breakdown_checks_clean_and_is_shown(capsys, project: Path) -> None:
    clean(capsys, project)
    code, _ = run_here(capsys, project, "site")
    assert code == 0
    site = (project / "output/site/finance.html").read_text(encoding="utf-8")
    for shown in ("Care Act 2014 duties", "How the amount for protecting social care is spent",
                  "Care Act implementation: carers", "£650,000", "£2,800,000"):
        assert shown in site, shown


def test_breakdown_lines_that_do_not_add_up_to_the_protection_amount(capsys, project: Path) -> None:
    edit(project, FINANCE, BREAKDOWN_FIRST, BREAKDOWN_FIRST.replace("£2,800,000", "£2,750,000"))
    line = line_of(project, FINANCE, PROTECTION) + 2
    code, found = check(capsys, project)
    assert code == 1
    assert (f"{FINANCE}:{line}: The protection_breakdown lines for 2015/16 add up to £3,400,000, but the amount "
            "stated for protecting social care (social_care_protection) is £3,450,000 (a difference of -£50,000). "
            "Correct the lines of protection_breakdown or the amount in social_care_protection so that they "
            "agree.") in found


def test_a_rounded_protection_amount_is_read_at_its_precision(capsys, project: Path) -> None:
    edit(project, FINANCE, PROTECTION, PROTECTION.replace('"£3,450,000"', '"£3.45m"'))
    clean(capsys, project)
    line = edit(project, FINANCE, '"2015/16": "£3.45m"', '"2015/16": "£3.4m"')
    code, found = check(capsys, project)
    assert code == 1
    assert (f"{FINANCE}:{line}: The protection_breakdown lines for 2015/16 add up to £3,450,000, which is £3.5m to "
            "the nearest £100,000, but the amount stated for protecting social care (social_care_protection) is "
            "£3.4m (a difference of £50,000). Write £3.5m (or the exact £3,450,000) as social_care_protection, or "
            "correct the lines.") in found


def test_lines_marked_care_act_that_do_not_add_up_to_the_care_act_amount(capsys, project: Path) -> None:
    edit(project, FINANCE, CARE_ACT, CARE_ACT.replace("£650,000", "£600,000"))
    line = line_of(project, FINANCE, CARE_ACT.replace("£650,000", "£600,000")) + 2
    code, found = check(capsys, project)
    assert code == 1
    assert (f"{FINANCE}:{line}: The protection_breakdown lines marked 'counts_toward: care_act' for 2015/16 add up "
            "to £650,000, but the amount stated for the Care Act 2014 duties (care_act) is £600,000 (a difference "
            "of £50,000). Mark every line that is part of the Care Act 2014 duties with 'counts_toward: care_act' "
            "and correct their amounts, or correct care_act, so that they agree.") in found


def test_a_scheme_giving_more_to_protection_than_it_spends(capsys, project: Path) -> None:
    line = edit(project, FINANCE, '''  - scheme: EN3
    purpose: "Care Act''', '''  - scheme: PE1
    purpose: "Care Act''')
    line += 5  # the line's 2015/16 amount
    code, found = check(capsys, project)
    assert code == 1
    assert (f"{FINANCE}:{line}: Scheme PE1's line in protection_breakdown for 2015/16 is £650,000, more than the "
            "scheme's expenditure that year (£600,000) by £50,000. A scheme cannot give more to protecting social "
            "care than it spends: correct the line, or the scheme's expenditure lines.") in found


def test_a_care_act_amount_larger_than_the_fund(capsys, project: Path) -> None:
    line = edit(project, FINANCE, CARE_ACT, CARE_ACT.replace("£650,000", "£19,000,000")) + 2
    code, found = check(capsys, project)
    assert code == 1
    assert (f"{FINANCE}:{line}: The amount for the Care Act 2014 duties in 2015/16 (£19,000,000) is larger than the "
            "whole fund (£18,640,000). It is a part of the pooled budget: correct the amount.") in found


def test_a_mark_that_is_not_one_of_the_amounts_is_named(capsys, project: Path) -> None:
    line = edit(project, FINANCE, "counts_toward: care_act", "counts_toward: care act")
    code, found = check(capsys, project)
    assert code == 1
    assert any(item.startswith(f"{FINANCE}:{line}:") and "care_act" in item for item in found), "\n".join(found)


def test_a_plan_without_a_breakdown_or_care_act_amount_checks_clean(capsys, project: Path) -> None:
    text = (project / FINANCE).read_text(encoding="utf-8")
    start, end = text.index("protection_breakdown:\n"), text.index("\n# Carer-specific support")
    (project / FINANCE).write_text(text[:start] + text[end:], encoding="utf-8")
    assert "\ncare_act:" not in (project / FINANCE).read_text(encoding="utf-8")
    clean(capsys, project)
    code, _ = run_here(capsys, project, "site")
    assert code == 0
    site = (project / "output/site/finance.html").read_text(encoding="utf-8")
    assert "How the amount for protecting social care is spent" not in site
    assert "Care Act 2014 duties" not in site


def test_the_documents_and_workbook_show_the_breakdown_under_section_7a(capsys, project: Path) -> None:
    code, _ = run_here(capsys, project, "documents")
    assert code == 0
    docx = next((project / "output").glob("*.docx"))
    text = " ".join(pypandoc.convert_file(str(docx), "plain", extra_args=["--wrap=none"]).split())
    section = text[text.index("a) Protecting social care services", text.index("a) Protecting social care services")
                              + 1):]
    section = section[:section.index("b) 7 day services")]
    assert "2015/16 £3,450,000 £650,000 £520,000" in section
    assert "EN3 Care Act implementation" in section and "Care Act 2014 duties £0 £650,000" in section
    assert "Total: protecting social care services £1,450,000 £3,450,000" in section
    code, _ = run_here(capsys, project, "workbook")
    assert code == 0
    book = openpyxl.load_workbook(next((project / "output").glob("*.xlsx")))
    rows = {row[0]: row[1:] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert rows["Care Act 2014 duties"] == (0, 650_000)
