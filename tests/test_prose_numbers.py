"""Numbers in the prose that an assessor would catch: each rule fires on a mistake planted in a copy of
the example plan, with its exact message and line, and stays quiet on finished sentences that look alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from plan_edits import lines, run_here
from planpress.checks.prose_figures import (NumberFormatParams, PercentagesParams, SameFigureParams,
                                            differing_figures, malformed_numbers, wrong_percentages)
from planpress.checks.prose_numbers import text_sentences


def append(project: Path, file: str, *sentences: str) -> int:
    """Add a paragraph at the end of a content file; return the line of its first sentence."""
    path = project / file
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(text + "\n".join(sentences) + "\n", encoding="utf-8")
    return text.count("\n") + 1


def check(capsys: pytest.CaptureFixture, project: Path) -> list[str]:
    return lines(run_here(capsys, project, "check")[1])


def found_in(*paragraphs: str) -> list[str]:
    """What the three text-only families say about paragraphs, each in a section of its own."""
    found = [sentence for index, paragraph in enumerate(paragraphs)
             for sentence in text_sentences(f"s{index}.md", 1, paragraph)]
    return [str(f) for f in [*malformed_numbers(found, NumberFormatParams()),
                             *wrong_percentages(found, PercentagesParams()),
                             *differing_figures(found, SameFigureParams())]]


SECTION = "content/sections/08-engagement.md"


# --- number-format ------------------------------------------------------------------------------


def test_a_point_where_the_thousands_comma_goes(capsys, project: Path) -> None:
    line = append(project, SECTION, "The survey reached 12.400 people across the borough.")
    assert (f"{SECTION}:{line}: '12.400 people' has a point where the thousands are separated, so it reads as "
            "12.4. Write 12,400.") in check(capsys, project)


def test_money_with_a_point_where_the_thousands_comma_goes(capsys, project: Path) -> None:
    line = append(project, SECTION, "Healthwatch was paid £12.400 for running the events.")
    assert (f"{SECTION}:{line}: '£12.400' has a point where the thousands are separated, so it reads as 12.4. "
            "Write £12,400.") in check(capsys, project)


def test_commas_out_of_place(capsys, project: Path) -> None:
    line = append(project, SECTION, "The service expects 12,40 referrals in its first year.")
    assert (f"{SECTION}:{line}: '12,40 referrals' has a comma out of place: a comma goes before each group of "
            "three digits. Write 1,240 if that is the figure meant.") in check(capsys, project)


def test_a_comma_before_four_digits() -> None:
    assert found_in("The team made 1,2345 visits.") == [
        "s0.md:1: '1,2345 visits' has a comma out of place: a comma goes before each group of three digits. "
        "Write 12,345 if that is the figure meant."]


# --- stated-percentages ------------------------------------------------------------------------


def test_a_share_that_does_not_follow_from_its_figures(capsys, project: Path) -> None:
    line = append(project, SECTION, "The pilot reached 310 of 2,480 patients (14%) on the register.")
    assert (f"{SECTION}:{line}: 310 of 2,480 is 12.5%, not 14%. Write 13%, or correct the figures it comes "
            "from.") in check(capsys, project)


def test_a_change_that_does_not_follow_from_its_figures(capsys, project: Path) -> None:
    line = append(project, SECTION, "Admissions fell from 1,200 to 1,050 (a 10% reduction).")
    assert (f"{SECTION}:{line}: From 1,200 to 1,050 is a reduction of 12.5%, not 10%. Write 13%, or correct the "
            "figures it comes from.") in check(capsys, project)


def test_a_share_with_its_whole_named_first() -> None:
    assert found_in("Of the 640 people who answered the survey, 480 (60%) backed the neighbourhood teams.") == [
        "s0.md:1: 480 of 640 is 75%, not 60%. Write 75%, or correct the figures it comes from."]


def test_a_change_over_a_period() -> None:
    assert found_in("Admissions will fall from 2,000 to 1,800 a year, a 20% reduction.") == [
        "s0.md:1: From 2,000 to 1,800 is a reduction of 10%, not 20%. Write 10%, or correct the figures it "
        "comes from."]


def test_a_change_stated_before_its_figures() -> None:
    assert found_in("We plan an increase of 20% from 400 to 460 places.") == [
        "s0.md:1: From 400 to 460 is an increase of 15%, not 20%. Write 15%, or correct the figures it comes from."]


def test_a_change_the_wrong_way() -> None:
    assert found_in("Delays went from 1,200 to 1,350, a reduction of 12.5%.") == [
        "s0.md:1: From 1,200 to 1,350 is an increase, not a reduction. Correct the figures or the word; the "
        "increase is 12.5%."]


def test_one_decimal_place_is_compared_at_one_decimal_place() -> None:
    assert found_in("We reached 311 of 2,480 patients (12.6%), and 311 of 2,480 patients (12.5%).") == [
        "s0.md:1: 311 of 2,480 is 12.54%, not 12.6%. Write 12.5%, or correct the figures it comes from."]


# --- same-figure -------------------------------------------------------------------------------


def test_one_figure_with_two_values_in_two_sections(capsys, project: Path) -> None:
    first = append(project, "content/sections/05-risks.md", "We expect 1,250 emergency admissions avoided.")
    line = append(project, "content/sections/06-alignment.md", "We expect 1,400 emergency admissions avoided.")
    assert (f"content/sections/06-alignment.md:{line}: '1,400 emergency admissions avoided' here, but '1,250 "
            f"emergency admissions avoided' in content/sections/05-risks.md:{first}. If they are the same figure, "
            "make them agree (or quote it from the data with {{ ... }}); if not, say what differs, such as the "
            "year or the area.") in check(capsys, project)


def test_a_figure_named_before_it() -> None:
    assert found_in("The carers' hub budget of £1.2m covers both services.",
                    "The carers' hub budget of £1.5m was agreed in March.") == [
        "s1.md:1: 'carers' hub budget of £1.5m' here, but 'carers' hub budget of £1.2m' in s0.md:1. If they are "
        "the same figure, make them agree (or quote it from the data with {{ ... }}); if not, say what differs, such as the year "
        "or the area."]


# --- quoted-figures ----------------------------------------------------------------------------


def test_a_rounded_scheme_figure_that_is_not_the_data_rounded(capsys, project: Path) -> None:
    line = append(project, SECTION, "In 2015/16 the falls service (PE2) costs £390k.")
    assert (f"{SECTION}:{line}: £390k here, but scheme PE2's spend in 2015/16 is £380,000, which is £380k. "
            'Correct the figure, or quote it from the data: {{ scheme.PE2.spend["2015/16"] | money }}.'
            ) in check(capsys, project)


def test_a_rounded_pooled_budget_that_is_not_the_data_rounded(capsys, project: Path) -> None:
    line = append(project, SECTION, "The pooled budget for 2015/16 is £18.7m.")
    assert (f"{SECTION}:{line}: £18.7m here, but the pooled budget for 2015/16 is £18,640,000, which is £18.6m. "
            'Correct the figure, or quote it from the data: {{ pooled_budget["2015/16"].agreed | money }}.'
            ) in check(capsys, project)


def test_the_scheme_named_as_the_scheme_in_its_own_description(capsys, project: Path) -> None:
    line = append(project, "content/schemes/PE2.md", "The scheme costs £0.4m in 2014/15.")
    assert (f"content/schemes/PE2.md:{line}: £0.4m here, but scheme PE2's spend in 2014/15 is £90,000, which is "
            '£0.1m. Correct the figure, or quote it from the data: {{ scheme.PE2.spend["2014/15"] | money }}.'
            ) in check(capsys, project)


# --- look-alikes that are right, or not what a rule is about ------------------------------------

LOOK_ALIKES = [
    # Figures that are right at the precision they are given.
    "The falls service (PE2) will cost £380k in 2015/16, and the pooled budget for 2015/16 is £18.6m.",
    "In 2015/16 the falls service (PE2) costs £0.38m.",
    "The pooled budget for 2015/16 is £18,640,000.",
    "The pilot reached 310 of 2,480 patients (12.5%) on the register.",
    "Of the 2,480 patients on the register, 310 (13%) were reached.",
    "Admissions fell from 1,200 to 1,050, a reduction of 12.5 per cent.",
    "Over-65s are projected to rise from 28,050 in 2010 to 35,550 in 2030, a rise of 27 per cent.",
    "We plan an increase of 15% from 400 to 460 places.",
    "Of the 21 wards, 6 (29%) are among the most deprived fifth in England.",
    "Admissions will fall from 2,000 to 1,800 a year, a 10% reduction.",
    # Hedged, or about something else.
    "About 310 of 2,480 patients, roughly 10%, were seen within a day.",
    "Only 3 of the 34 practices, 10% of their patients, took part.",
    "The pooled budget exceeds £18 million in 2015/16.",
    "The pooled budget of about £19m includes the Disabled Facilities Grant.",
    "The case load grew from 1,200 to 1,350 (12.5%) over the year.",
    "Care plans were written for 4.15% (or 2,400) of all over 65s.",
    "People aged from 65 to 74, an increase of 20% since 2011, are the focus of the falls work.",
    "The pooled budget for 2015/16 includes £584,000 for the Disabled Facilities Grant.",
    "In 2015/16 the falls service (PE2) is expected to save £200k in hospital costs.",
    # Decimals, lists, times and names that are not malformed numbers.
    "The density is 47.0 persons per hectare, and 1.500 is the ratio used in the model.",
    "Sections 1,2 and 3 describe the vision, and the team works 8am to 8pm on weekdays.",
    "Version 2.100 of the tool was installed in 2014.",
    # The same words with another year, or a different thing counted.
    "In 2014/15 we expect 1,250 emergency admissions avoided.",
    "The section 75 agreement sets out the risk share.",
    "People are followed up 91 days after discharge.",
]

LOOK_ALIKES_ELSEWHERE = [
    "In 2015/16 we expect 1,400 emergency admissions avoided.",
    "The section 256 agreement sets out the earlier transfer.",
    "People are followed up 28 days after discharge.",
]


def test_look_alikes_in_text_are_left_alone() -> None:
    assert found_in(" ".join(LOOK_ALIKES), " ".join(LOOK_ALIKES_ELSEWHERE)) == []


def test_look_alikes_in_the_plan_are_left_alone(capsys, project: Path) -> None:
    append(project, SECTION, *LOOK_ALIKES)
    append(project, "content/sections/05-risks.md", *LOOK_ALIKES_ELSEWHERE)
    append(project, "content/schemes/PE2.md", "The scheme costs £90k in 2014/15 and is reviewed each year.")
    assert check(capsys, project)[-1].startswith("The plan is ready to build: 0 errors, 0 warnings")


def test_numbers_in_code_expressions_and_links_are_not_read() -> None:
    assert found_in("Write `12.400 people` as 12,400; {{ '12.400 people' }}; see [12,40 beds](https://x.org/12,40).") \
        == []
