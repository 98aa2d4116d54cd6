"""Homes for what real risk logs and milestone tables state: risks rated High/Medium/Low, risks owned
by a scheme, the scheme name a milestone prints, and milestones known only to the month. Each is
tested from both sides: the check fires with file:line and both figures, and finished text is clean."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from plan_edits import edit, line_of, lines, run_here
from planpress.load.content import load_content
from planpress.load.models import Month, parse_date_or_month, rating_parser
from planpress.targets.documents.markdown import render_plan_markdown

RISKS = "content/data/risks.yaml"
TASKS = "content/data/milestones.yaml"
CLEAN = "The plan is ready to build: 0 errors, 0 warnings"


def check(capsys, project: Path) -> tuple[int, list[str]]:
    code, text = run_here(capsys, project, "check")
    return code, lines(text)


def expect(capsys, project: Path, message: str) -> None:
    code, shown = check(capsys, project)
    assert code == 1 and message in shown, "\n".join(shown)


def expect_clean(capsys, project: Path) -> None:
    code, shown = check(capsys, project)
    assert code == 0 and any(line.startswith(CLEAN) for line in shown), "\n".join(shown)


WORD = {1: "Low", 2: "Low", 3: "Medium", 4: "High", 5: "high"}  # any case is read as the word


def rate_in_words(project: Path) -> None:
    """The example log as a plan that rates in words writes it: scale: words, no factors."""
    path = project / RISKS
    text = re.sub(r"^(    (?:likelihood|impact)): (\d)$", lambda m: f"{m.group(1)}: {WORD[int(m.group(2))]}",
                  path.read_text(encoding="utf-8"), flags=re.M)
    text = re.sub(r"^    factor: \d+\n", "", text, flags=re.M)
    path.write_text(text.replace("\nrisks:\n", "\nscale: words\nrisks:\n", 1), encoding="utf-8")


# --- risks rated in words ------------------------------------------------------------------


def test_a_log_rated_in_words_with_ratings_that_follow_is_clean(project: Path, capsys) -> None:
    rate_in_words(project)
    # R1: likelihood Medium, impact high -> High or Medium; R2: High x High -> High.
    edit(project, RISKS, "    impact: high\n", "    impact: high\n    rating: Medium\n")
    edit(project, RISKS, "    likelihood: High\n    impact: High\n", "    likelihood: High\n    impact: High\n"
                                                                      "    rating: high\n")
    expect_clean(capsys, project)


def test_a_word_in_a_log_scored_in_numbers(project: Path, capsys) -> None:
    line = edit(project, RISKS, "    likelihood: 3\n    impact: 5\n", "    likelihood: High\n    impact: 5\n")
    expect(capsys, project,
           f"{RISKS}:{line}: Risk R1: the likelihood is High, a word, but the risk log is scored in numbers (1 to 5). "
           "Write a number from 1 to 5, or put 'scale: words' at the top of the file to rate every risk "
           "Low, Medium or High.")


def test_a_number_in_a_log_rated_in_words(project: Path, capsys) -> None:
    rate_in_words(project)
    line = edit(project, RISKS, "    likelihood: Medium\n    impact: high\n", "    likelihood: Medium\n    impact: 5\n") + 1
    expect(capsys, project,
           f"{RISKS}:{line}: Risk R1: the impact is 5, a number, but the risk log is rated in words (scale: words). "
           "Write Low, Medium or High, or remove 'scale: words' from the top of the file to score every risk "
           "from 1 to 5.")


def test_a_whole_log_in_words_without_the_scale_is_one_message(project: Path, capsys) -> None:
    rate_in_words(project)
    edit(project, RISKS, "scale: words\n", "")
    line = line_of(project, RISKS, "risks:")
    code, shown = check(capsys, project)
    assert code == 1
    assert f"{RISKS}:{line}: The risk log is scored in numbers (1 to 5), but all 10 risks rate their likelihood " \
           "and impact in words. Put 'scale: words' at the top of the file, or score each risk from 1 to 5." in shown
    assert not [s for s in shown if "a word, but" in s]


def test_a_factor_in_a_log_rated_in_words(project: Path, capsys) -> None:
    rate_in_words(project)
    line = edit(project, RISKS, "    impact: high\n", "    impact: high\n    factor: 15\n") + 1
    expect(capsys, project,
           f"{RISKS}:{line}: Risk R1 gives a factor (15), but the risk log is rated in words (scale: words). "
           "Give the overall risk as 'rating:' (such as rating: High), and remove 'factor'.")


def test_a_rating_the_matrix_does_not_give(project: Path, capsys) -> None:
    rate_in_words(project)
    line = edit(project, RISKS, "    likelihood: High\n    impact: High\n",
                "    likelihood: High\n    impact: High\n    rating: Low\n") + 2
    expect(capsys, project,
           f"{RISKS}:{line}: Risk R2: the overall rating is Low, but likelihood High and impact High rate High on "
           "the risk matrix. Write rating: High, or correct the likelihood or the impact.")


def test_a_rating_far_from_the_band_of_the_factor(project: Path, capsys) -> None:
    # R2 is 4 x 4 = 16, Very high: High is a plan's own banding, Medium two bands away.
    line = edit(project, RISKS, "    factor: 16\n", "    factor: 16\n    rating: High\n") + 1
    expect_clean(capsys, project)
    edit(project, RISKS, "    rating: High\n", "    rating: Medium\n")
    expect(capsys, project,
           f"{RISKS}:{line}: Risk R2: the overall rating is Medium, but likelihood x impact = 4 x 4 = 16, in the "
           "band Very high. Write rating: Very high, or correct the likelihood or the impact.")


def test_a_misspelt_word_or_a_numeric_rating_is_refused_clearly(project: Path, capsys) -> None:
    line = edit(project, RISKS, "    likelihood: 3\n    impact: 5\n    factor: 15\n",
                "    likelihood: Hgh\n    impact: 5\n    factor: 15\n    rating: 15\n")
    code, shown = check(capsys, project)
    assert code == 1
    assert (f"{RISKS}:{line}: 'likelihood' should be a whole number or one of Low, Medium, High, not 'Hgh'. How likely "
            "it is, from 1 (rare) to 5 (almost certain); in a log with scale words, Low, Medium or High.") in shown
    assert any(s.startswith(f"{RISKS}:{line + 3}: 'rating' should be one of Low, Medium, High, Very high, not '15'.")
               for s in shown), "\n".join(shown)


def test_the_risk_log_and_the_workbook_show_the_words(project: Path, capsys) -> None:
    rate_in_words(project)
    code, _ = run_here(capsys, project, "site")
    assert code == 0
    page = (project / "output/site/risks.html").read_text(encoding="utf-8")
    assert "Overall risk" in page and "Risk factor" not in page
    assert re.search(r"<td[^>]*>High</td>\s*<td[^>]*>High</td>\s*<td[^>]*>High</td>", page)  # R2 by the matrix
    code, _ = run_here(capsys, project, "workbook")
    assert code == 0
    import openpyxl
    book = openpyxl.load_workbook(next((project / "output").glob("*.xlsx")))
    rows = list(book["Risk Log"].iter_rows(values_only=True))
    assert rows[0][2:6] == ("Likelihood", "Impact", "Overall risk factor", "Overall rating")
    assert rows[2][:4] == ("R2", rows[2][1], "High", "High") and rows[2][5] == "High"


# --- risks owned by a scheme ---------------------------------------------------------------


def test_a_risk_owned_by_an_unknown_scheme(project: Path, capsys) -> None:
    line = edit(project, RISKS, "    schemes: [IUR3]\n", "    scheme: IUR4\n    schemes: [IUR3]\n")
    code, shown = check(capsys, project)
    assert code == 1
    assert any(s.startswith(f"{RISKS}:{line}: ") and "IUR4" in s and "IUR3" in s for s in shown), "\n".join(shown)


def test_a_risk_owned_by_a_scheme_is_listed_in_its_description(project: Path, capsys) -> None:
    edit(project, RISKS, "    schemes: [IUR3]\n", "    scheme: IUR3\n")
    expect_clean(capsys, project)
    code, _ = run_here(capsys, project, "site")
    assert code == 0
    page = (project / "output/site/schemes/iur3.html").read_text(encoding="utf-8")
    assert "step-up and step-down beds are not used as intended" in page
    markdown = _document_markdown(project, capsys)
    annex = markdown[markdown.index("## IUR3:"):markdown.index("## CH1:")]
    assert "### Risks of the scheme" in annex and "R9" in annex
    assert "### Risks of the scheme" not in markdown[markdown.index("## CH1:"):]


def _document_markdown(project: Path, capsys) -> str:
    """The document's Markdown, as the documents target renders it before pandoc."""
    content, _ = load_content(project)
    return render_plan_markdown(content, draft=True).markdown


# --- the scheme name a milestone prints ----------------------------------------------------


@pytest.mark.parametrize("printed", ["Falls prevention service", "PE2 Falls prevention", "falls prevention",
                                     "Falls Prevention Service.", "Falls service", "Fals prevention service"])
def test_a_scheme_name_that_is_the_schemes_is_clean(project: Path, capsys, printed: str) -> None:
    edit(project, TASKS, "    scheme: PE2\n    owner: Joanne Whitley\n    start: 2014-11-03",
         f"    scheme: PE2\n    scheme_name: {printed}\n    owner: Joanne Whitley\n    start: 2014-11-03")
    expect_clean(capsys, project)


def test_a_milestone_printed_with_another_schemes_name(project: Path, capsys) -> None:
    line = edit(project, TASKS, "    scheme: PE2\n    owner: Joanne Whitley\n    start: 2014-11-03",
                "    scheme: PE2\n    scheme_name: Carers' support\n    owner: Joanne Whitley\n    start: 2014-11-03") + 1
    expect(capsys, project,
           f"{TASKS}:{line}: Task M8 names scheme PE2 'Carers' support', but PE2 is 'Falls prevention service'; "
           "that is the name of PE3. Write scheme_name: Falls prevention service, or change the scheme to PE3 if "
           "the task belongs to it.")


def test_a_milestone_printed_with_a_name_no_scheme_has(project: Path, capsys) -> None:
    line = edit(project, TASKS, "    scheme: PE2\n    owner: Joanne Whitley\n    start: 2014-11-03",
                "    scheme: PE2\n    scheme_name: Home from hospital\n    owner: Joanne Whitley\n"
                "    start: 2014-11-03") + 1
    expect(capsys, project,
           f"{TASKS}:{line}: Task M8 names scheme PE2 'Home from hospital', but PE2 is 'Falls prevention service'. "
           "Write scheme_name: Falls prevention service, as the scheme list names it.")


def test_a_theme_task_prints_the_themes_name(project: Path, capsys) -> None:
    line = edit(project, TASKS, "    theme: IUR\n", "    theme: IUR\n    scheme_name: Care closer to home\n") + 1
    expect(capsys, project,
           f"{TASKS}:{line}: Task M34 names theme IUR 'Care closer to home', but IUR is 'Integrated urgent "
           "response'; that is the name of CH. Write scheme_name: Integrated urgent response, or change the theme "
           "to CH if the task belongs to it.")


# --- milestones known only to the month ----------------------------------------------------


def test_months_as_a_plan_writes_them_are_clean_and_shown_as_months(project: Path, capsys) -> None:
    # M14 depends on M13 (due 31 October 2014): due in October 2014 is its last day, not before it.
    edit(project, TASKS, "    start: 2014-11-03\n    due: 2014-12-01\n", "    start: October 2014\n    due: 2014-10\n")
    edit(project, TASKS, "    start: 2014-04-01\n    due: 2014-05-30\n", "    start: Apr 2014\n    due: May 2014\n")
    expect_clean(capsys, project)
    code, _ = run_here(capsys, project, "site")
    assert code == 0
    page = (project / "output/site/plan-of-action.html").read_text(encoding="utf-8")
    assert re.search(r"<td[^>]*>April 2014</td>\s*<td[^>]*>May 2014</td>", page)
    assert re.search(r"<td[^>]*>October 2014</td>\s*<td[^>]*>October 2014</td>", page)


def test_a_month_due_before_the_month_it_starts(project: Path, capsys) -> None:
    line = edit(project, TASKS, "    start: 2014-11-03\n    due: 2014-12-01\n",
                "    start: December 2014\n    due: November 2014\n") + 1
    expect(capsys, project,
           f"{TASKS}:{line}: Task M14 is due (November 2014) before it starts (December 2014). "
           "Correct the start or the due date.")


def test_a_month_due_before_a_task_it_depends_on(project: Path, capsys) -> None:
    # M14 depends on M13, due 31 October 2014: due in September 2014 is before it.
    line = edit(project, TASKS, "    start: 2014-11-03\n    due: 2014-12-01\n    depends_on: [M13]",
                "    start: 2014-09\n    due: 2014-09\n    depends_on: [M13]") + 2
    expect(capsys, project,
           f"{TASKS}:{line}: Task M14 is due in September 2014, before task M13 that it depends on "
           "(31 October 2014). Move M14's due date after M13's, or remove the dependency.")


def test_a_month_outside_the_period(project: Path, capsys) -> None:
    line = edit(project, TASKS, "    due: 2016-03-31\n", "    due: April 2016\n")
    expect(capsys, project,
           f"{TASKS}:{line}: Task M36 is due in April 2016, outside the plan's period (01 April 2014 to "
           "31 March 2016). Correct the date, or change the period in content/plan.yaml.")


@pytest.mark.parametrize("written", ["Octember 2014", "2014-13", "Q3 2014/15"])
def test_a_date_that_is_neither_is_refused_clearly(project: Path, capsys, written: str) -> None:
    line = edit(project, TASKS, "    due: 2014-12-01\n", f"    due: {written}\n")
    code, shown = check(capsys, project)
    assert code == 1
    assert any(s.startswith(f"{TASKS}:{line}: 'due' should be a date written as YYYY-MM-DD, or a month such as "
                            f"2025-10 or October 2025, not '{written}'.") for s in shown), "\n".join(shown)


def test_date_or_month_and_rating_values() -> None:
    assert parse_date_or_month("2014-10") == Month(2014, 10)
    assert parse_date_or_month(" Sept 2014 ") == Month(2014, 9)
    assert parse_date_or_month("2014-10-31") == dt.date(2014, 10, 31)
    assert Month(2015, 2).end == dt.date(2015, 2, 28) and Month(2014, 12).end == dt.date(2014, 12, 31)
    assert str(Month(2014, 10)) == "October 2014"
    with pytest.raises(ValueError):
        parse_date_or_month("May 1850")
    parse = rating_parser(["Low", "Medium", "High"])
    assert parse("HIGH") == "High" and parse(4) == 4 and parse("4") == 4
    for bad in (True, 2.5, "Very high"):
        with pytest.raises(ValueError):
            parse(bad)
    with pytest.raises(ValueError):
        rating_parser(["Low", "High"], numbers=False)(3)


# --- the current round's pack: the same homes ----------------------------------------------


def test_the_current_round_rates_in_words_and_names_the_owning_scheme(tmp_path: Path, capsys) -> None:
    import shutil

    from conftest import REPO
    project = tmp_path / "plan"
    shutil.copytree(REPO / "examples" / "bcf-2026", project, ignore=shutil.ignore_patterns("output", ".output-*"))
    shutil.copytree(REPO / "templates", project / "templates")
    rate_in_words(project)
    edit(project, RISKS, "    schemes: [S1, S8, S9]\n", "    rating: Medium\n    scheme: S8\n    schemes: [S1, S8, S9]\n")
    line = line_of(project, RISKS, "    rating: Medium")
    expect(capsys, project,
           f"{RISKS}:{line}: Risk R1: the overall rating is Medium, but likelihood High and impact High rate High on "
           "the risk matrix. Write rating: High, or correct the likelihood or the impact.")
    edit(project, RISKS, "    rating: Medium\n", "    rating: High\n")
    expect_clean(capsys, project)
    code, _ = run_here(capsys, project, "site")
    assert code == 0
    register = (project / "output/site/risks.html").read_text(encoding="utf-8")
    assert "Overall risk" in register and "(owner)" in register
    assert "winter demand for discharge services" in (project / "output/site/schemes/s8.html").read_text(encoding="utf-8")
