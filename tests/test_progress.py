"""Quarterly progress: the report holds every metric and scheme with the right status and variance,
and bad progress data is reported by check with file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from conftest import REPO, run_cli
from planpress.build import check_plan
from planpress.figures import compute, progress
from planpress.render import number
from plan_edits import edit, expect, lines, reported, run_here

QUARTERS = ["2014-q2", "2014-q3"]
Q3 = "content/progress/2014-q3.yaml"


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join([p.text for p in document.paragraphs] + cells)


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(str(path)).pages)


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("quarter", QUARTERS)
def test_report_has_every_metric_and_scheme_with_status_and_variance(built_project: Path, quarter: str) -> None:
    checked = check_plan(built_project)
    figures = progress(checked.content, compute(checked.content), quarter)
    word = squash(docx_text(built_project / f"output/harrowdale-bcf-progress-{quarter}.docx"))
    pdf = squash(pdf_text(built_project / f"output/harrowdale-bcf-progress-{quarter}.pdf"))
    assert len(figures.schemes) == len(checked.content.schemes)
    assert len(figures.metrics) == len(checked.content.metrics.metrics)
    for text in (word, pdf):
        assert figures.quarter.label in text
        for row in figures.metrics:
            target, actual, status = number(row.target), number(row.entry.actual), row.status.capitalize()
            assert re.search(rf"{re.escape(target)}\s+{re.escape(actual)}\s+{status}", text), \
                f"{row.metric.id}: {target} {actual} {status} not found in order"
        for row in figures.schemes:
            variance = f"£{row.variance:,}" if row.variance >= 0 else f"-£{-row.variance:,}"
            budget, projected = f"£{row.budget:,}", f"£{row.projected:,}"
            assert re.search(re.escape(budget) + r"\s+" + re.escape(projected) + r"\s+" + re.escape(variance), text), \
                f"{row.reference}: {budget} {projected} {variance} not found in order"
    total = f"£{figures.variance_total:,}" if figures.variance_total >= 0 else f"-£{-figures.variance_total:,}"
    assert total in word and total in pdf


def test_example_statuses_are_as_computed_from_plan_and_actual(built_project: Path) -> None:
    content = check_plan(built_project).content
    q3 = progress(content, compute(content), "2014-q3")
    statuses = {row.metric.id: row.status for row in q3.metrics}
    # delayed transfers: 2,531 days against a target of 2,370, lower is better
    assert statuses["delayed-transfers"] == "off track"
    # emergency admissions: 18,290 against 18,375, lower is better
    assert statuses["nel-admissions"] == "on track"
    # reablement: 83.4% against the plan's 82.5% for 2014/15, higher is better
    assert statuses["reablement-91-days"] == "on track"
    variances = {row.reference: row.variance for row in q3.schemes}
    assert variances["IUR3"] == 52000 and variances["CH1"] == -15000 and variances["PE2"] == 0


def test_report_command_builds_one_quarter(project: Path) -> None:
    run = run_cli(project, "report", "2014-q2")
    assert run.code == 0, run.out + run.err
    assert sorted(p.name for p in (project / "output").iterdir()) == [
        "harrowdale-bcf-progress-2014-q2.docx", "harrowdale-bcf-progress-2014-q2.pdf"]


def test_report_command_for_a_quarter_not_reported(project: Path) -> None:
    run = run_cli(project, "report", "2015-q1")
    assert run.code == 1
    assert "There is no content/progress/2015-q1.yaml (quarters reported: 2014-q2, 2014-q3)." in run.err
    assert "Traceback" not in run.err
    run = run_cli(project, "report", "Q3")
    assert run.code == 1 and "'Q3' is not a quarter written like 2025-q3" in run.err


def test_unknown_metric_in_progress(project: Path) -> None:
    line = edit(project, Q3, "metric: delayed-transfers", "metric: delayed-transfer")
    expect(run_cli(project, "check"), f"{Q3}:{line}: There is no metric 'delayed-transfer' in the plan. "
                                      "Did you mean 'delayed-transfers'?")


def test_unknown_scheme_in_progress(project: Path) -> None:
    line = edit(project, Q3, "scheme: IUR3", "scheme: IUR4")
    expect(run_cli(project, "check"), f"{Q3}:{line}: There is no scheme 'IUR4' in the plan. Did you mean 'IUR3'?")


def test_quarter_outside_the_plan(project: Path) -> None:
    (project / "content/progress/2016-q1.yaml").write_text(
        (project / Q3).read_text(encoding="utf-8"), encoding="utf-8")
    expect(run_cli(project, "check"), "content/progress/2016-q1.yaml:1: Quarter 1 of 2016/17 (April to June 2016) "
                                      "is outside the plan's period (01 April 2014 to 31 March 2016). Rename the file "
                                      "after a quarter of the plan, such as 2014-q3.yaml.")


def test_outturn_that_is_not_money(project: Path) -> None:
    line = edit(project, Q3, 'projected_outturn: "£362,000"', 'projected_outturn: "£362,00"')
    expect(run_cli(project, "check"), f"{Q3}:{line}: 'projected_outturn' should be a well-formed sum of money, "
                                      "such as 1250000 or \"£1,250,000\", not '£362,00'. What the scheme is now "
                                      "expected to spend in the financial year, such as \"£410,000\".")


def test_period_with_no_planned_value(project: Path) -> None:
    text = (project / Q3).read_text(encoding="utf-8")
    block_start = text.index("metric: reablement-91-days")
    period_line = text[:text.index('period: "2014/15"', block_start)].count("\n") + 1
    edit(project, Q3, 'metric: reablement-91-days\n    period: "2014/15"',
         'metric: reablement-91-days\n    period: "April to December 2014"')
    expect(run_cli(project, "check"),
           f"{Q3}:{period_line}: The plan has no value for 'reablement-91-days' in the period 'April to December "
           "2014'. Use one of the plan's periods ('2014/15', '2015/16'), or give the planned value for this period "
           "as 'target:'.")


def test_progress_file_badly_named(project: Path) -> None:
    (project / "content/progress/q3-2014.yaml").write_text("meeting: 2015-02-12\n", encoding="utf-8")
    expect(run_cli(project, "check"), "content/progress/q3-2014.yaml: 'q3-2014.yaml' is not named after a quarter. "
                                      "Name a progress file <year>-q<N>.yaml, such as 2025-q3.yaml for October to "
                                      "December 2025 (quarter 3 of 2025/26).")


def test_report_command_final_refuses_unfinished_text(project: Path) -> None:
    edit(project, Q3, "summary: >-\n", "summary: >-\n  Figures TBC.\n")
    run = run_cli(project, "report", "2014-q3", "--final")
    assert run.code == 1
    assert "Unfinished text: 'TBC'" in run.err and "The final build was refused" in run.err
    assert not (project / "output").exists()


# --- a metric with no data since its baseline ---------------------------------------------------

SURVEY = """  - metric: patient-experience
    period: "2014/15"
    actual: 63.1
"""
NO_DATA = """  - metric: patient-experience
    no_data: The GP Patient Survey is annual; the next results are published in June 2015.
"""


def test_a_metric_with_no_data_since_its_baseline_is_allowed_and_said_so(project: Path) -> None:
    edit(project, Q3, SURVEY, NO_DATA)
    run = run_cli(project, "check")
    assert run.code == 0, run.out + run.err
    content = check_plan(project).content
    q3 = progress(content, compute(content), "2014-q3")
    row = next(r for r in q3.metrics if r.metric.id == "patient-experience")
    assert row.status is None and row.no_data.startswith("The GP Patient Survey is annual")
    assert [r.metric.id for r in q3.no_data] == ["patient-experience"]
    assert len(q3.on_track) + len(q3.off_track) == len(q3.metrics) - 1

    from planpress.render.progress_charts import progress_charts
    chart = next(c for c in progress_charts(q3) if c.filename.endswith("-metrics.svg"))
    assert "Proportion of people with a long-term condition" not in chart.alt.split(" Not shown")[0]
    assert "Not shown, with no data yet since the baseline: Proportion of people with a long-term" in chart.alt
    bars = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', chart.svg)
    assert len(bars) == len(q3.metrics) - 1 and all(float(w) > 0 for w in bars)

    run = run_cli(project, "report", "2014-q3")
    assert run.code == 0, run.out + run.err
    word = squash(docx_text(project / "output/harrowdale-bcf-progress-2014-q3.docx"))
    assert ("No data yet No data yet since the baseline (2013/14): The GP Patient Survey is annual; the next "
            "results are published in June 2015.") in word
    assert "6 metrics were reported this quarter: 3 on track, 2 off track, 1 with no data yet since the baseline." in word


def test_a_metric_with_neither_an_actual_nor_a_reason(project: Path) -> None:
    line = edit(project, Q3, SURVEY, '  - metric: patient-experience\n    period: "2014/15"\n')
    expect(run_cli(project, "check"),
           f"{Q3}:{line}: The update gives 'patient-experience' no actual and no reason why there is none. Give the "
           "latest actual as 'actual:', or say why there is no data since the baseline as 'no_data:', such as "
           "\"The survey is annual; the next results are published in June 2015\".")


def test_a_metric_with_an_actual_and_a_reason_for_no_data(project: Path) -> None:
    line = edit(project, Q3, SURVEY, SURVEY + "    no_data: The survey is annual.\n") + 3
    expect(run_cli(project, "check"),
           f"{Q3}:{line}: The update gives 'patient-experience' both an actual (63.1) and a reason why there is no "
           "data. Keep the actual and remove 'no_data:', or remove the actual if there is truly no data yet.")


def test_an_actual_with_no_period(project: Path) -> None:
    line = edit(project, Q3, SURVEY, '  - metric: patient-experience\n    actual: 63.1\n')
    expect(run_cli(project, "check"),
           f"{Q3}:{line}: The actual 63.1 for 'patient-experience' has no period. Say which period it covers as "
           "'period:': one of the plan's ('2014/15', '2015/16'), or another with the planned value for it as "
           "'target:'.")


# --- the total row under the scheme lines -------------------------------------------------------


def test_the_example_states_totals_that_agree(project: Path) -> None:
    text = (project / Q3).read_text(encoding="utf-8")
    assert 'stated_totals:\n  projected_outturn: "£5,177,000"\n  budget: "£5,120,000"\n' in text
    run = run_cli(project, "check")
    assert run.code == 0 and "progress-total" not in run.out + run.err, run.out + run.err


def test_a_stated_total_outturn_that_is_not_the_sum_of_the_lines(project: Path) -> None:
    line = edit(project, Q3, 'projected_outturn: "£5,177,000"', 'projected_outturn: "£5,128,000"')
    expect(run_cli(project, "check"),
           f"{Q3}:{line}: The projected outturns of the 13 schemes add up to £5,177,000, but the stated total is "
           "£5,128,000 (a difference of £49,000). Write £5,177,000 as the total, or correct the line that is wrong.")


def test_a_line_changed_under_a_stated_total(project: Path) -> None:
    """The real mistake the other way round: one line mistyped, the printed total left as it was."""
    edit(project, Q3, 'scheme: PE3\n    projected_outturn: "£210,000"', 'scheme: PE3\n    projected_outturn: "£201,000"')
    line = (project / Q3).read_text(encoding="utf-8").split("\n").index('  projected_outturn: "£5,177,000"') + 1
    expect(run_cli(project, "check"),
           f"{Q3}:{line}: The projected outturns of the 13 schemes add up to £5,168,000, but the stated total is "
           "£5,177,000 (a difference of -£9,000). Write £5,168,000 as the total, or correct the line that is wrong.")


def test_a_stated_total_budget_that_is_not_the_plan_budget(project: Path) -> None:
    line = edit(project, Q3, 'budget: "£5,120,000"', 'budget: "£5,210,000"')
    expect(run_cli(project, "check"),
           f"{Q3}:{line}: The 2014/15 budgets of the 13 schemes (from the expenditure plan) add up to £5,120,000, "
           "but the stated total is £5,210,000 (a difference of -£90,000). Write £5,120,000 as the total, or "
           "correct the line that is wrong.")


def test_a_stated_total_rounded_right_agrees_and_rounded_wrong_shows_the_exact_sum(project: Path) -> None:
    edit(project, Q3, 'projected_outturn: "£5,177,000"', 'projected_outturn: "£5.2m"')
    run = run_cli(project, "check")
    assert run.code == 0 and "progress-total" not in run.out + run.err, run.out + run.err
    line = edit(project, Q3, 'projected_outturn: "£5.2m"', 'projected_outturn: "£5.1m"')
    expect(run_cli(project, "check"),
           f"{Q3}:{line}: The projected outturns of the 13 schemes add up to £5,177,000, which is £5.2m to the "
           "nearest £100,000, but the stated total is £5.1m (a difference of £77,000). Write £5.2m (or the exact "
           "£5,177,000) as the total, or correct the line that is wrong.")


def test_a_stated_total_of_something_else(project: Path) -> None:
    line = edit(project, Q3, 'budget: "£5,120,000"', 'variance: "£57,000"')
    run = run_cli(project, "check")
    assert run.code == 1 and "Traceback" not in run.err
    assert any(r.startswith(f"{Q3}:{line}:") and "variance" in r for r in reported(run)), reported(run)


# --- the same homes in the current round --------------------------------------------------------

ROUND = REPO / "examples" / "bcf-2026"


@pytest.fixture
def current(tmp_path: Path) -> Path:
    project = tmp_path / "plan"
    shutil.copytree(ROUND, project, ignore=shutil.ignore_patterns("output", ".output-*"))
    shutil.copytree(REPO / "templates", project / "templates")
    return project


def test_current_round_stated_change_and_totals(current: Path, capsys: pytest.CaptureFixture) -> None:
    metrics, q2 = "content/data/metrics.yaml", "content/progress/2026-q2.yaml"
    code, out = run_here(capsys, current, "check")
    assert code == 0, out
    # 1,842 to 1,770 is a reduction of 3.9%: 3.9 agrees, 25 does not
    edit(current, metrics, '      - {period: "2026-05", value: 1785}', '      - {period: "2026-05", value: 1785, stated_change: 3.1}')
    line = edit(current, metrics, '      - {period: "2026-04", value: 1770}',
                '      - {period: "2026-04", value: 1770, stated_change: 25}')
    spent = sum(int(m.replace(",", "")) for m in re.findall(r'spent_to_date: "£([\d,]+)"',
                                                             (current / q2).read_text(encoding="utf-8")))
    (current / q2).write_text((current / q2).read_text(encoding="utf-8")
                              + f'stated_totals:\n  spent_to_date: "£{spent + 1000:,}"\n', encoding="utf-8")
    total_line = (current / q2).read_text(encoding="utf-8").count("\n")
    code, out = run_here(capsys, current, "check")
    assert code == 1
    found = lines(out)
    assert (f"{metrics}:{line}: Metric emergency-admissions, 2026-04: the stated change is 25%, but from the baseline "
            "1,842 to the planned 1,770 it is a reduction of 3.9% (an improvement, as lower is better). Write 3.9 (the "
            "size of the change, as a percentage of the baseline), or leave 'stated_change' out and let the outputs "
            "work it out.") in found, out
    assert not any("2026-05: the stated change" in l for l in found), out
    assert any(l.startswith(f"{q2}:{total_line}: The spend to date of the") and f"stated total is £{spent + 1000:,} "
               "(a difference of -£1,000)" in l for l in found), out


def test_current_round_metric_with_no_data(current: Path, capsys: pytest.CaptureFixture) -> None:
    q2 = "content/progress/2026-q2.yaml"
    text = (current / q2).read_text(encoding="utf-8")
    block = re.search(r"  - metric: (\S+)\n    period: .*\n    actual: .*\n", text)
    edit(current, q2, block.group(0), f"  - metric: {block.group(1)}\n    no_data: The first figures are due in July.\n")
    code, out = run_here(capsys, current, "check")
    assert code == 0, out
    code, out = run_here(capsys, current, "report", "2026-q2")
    assert code == 0, out
    word = squash(docx_text(current / "output" / next(p.name for p in (current / "output").glob("*2026-q2.docx"))))
    assert "No data yet since the baseline" in word and "The first figures are due in July." in word
