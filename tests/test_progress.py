"""Quarterly progress: the report holds every metric and scheme with the right status and variance,
and bad progress data is reported by check with file and line."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from conftest import run_cli
from planpress.build import check_plan
from planpress.figures import compute, progress
from planpress.render import number
from plan_edits import edit, expect

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
