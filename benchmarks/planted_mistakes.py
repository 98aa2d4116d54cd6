"""Plant reviewers' kinds of mistake into a copy of the example plan, one at a time, and count how
many `check` catches; plant finished sentences that look like them, and count the false alarms.

Run: .venv/bin/python benchmarks/planted_mistakes.py [-v] [--blind]

Each case is written in this project's own words (not copied from a real plan) and edits one
place: a paragraph added to a section or scheme, a sentence changed, or a YAML value changed.
The example plan checks clean, so any finding after the edit is the plant being caught (for a
mistake) or a false alarm (for a finished passage). -v prints what `check` said for each.
The kinds follow issue 13: notes to self, headings that are notes, letters for figures, Word's
broken cross-references, template prompts left in, malformed and inconsistent numbers, and the
facts that have a home of their own in the content model (see the pack's data.yaml).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planpress.build import check_plan  # noqa: E402
from planpress.errors import PlanError  # noqa: E402

VISION = "content/sections/02-vision.md"
CASE = "content/sections/03-case-for-change.md"
ACTION = "content/sections/04-plan-of-action.md"
CONDITIONS = "content/sections/07-national-conditions.md"
ENGAGEMENT = "content/sections/08-engagement.md"
ALIGNMENT = "content/sections/06-alignment.md"
FALLS = "content/schemes/PE2.md"
FINANCE = "content/data/finance.yaml"
RISKS = "content/data/risks.yaml"
METRICS = "content/data/metrics.yaml"
MILESTONES = "content/data/milestones.yaml"
PLAN = "content/plan.yaml"
Q3 = "content/progress/2014-q3.yaml"
STATED_SPEND = '  expenditure:\n    "2014/15": "£5,120,000"\n    "2015/16": "£18,640,000"'


@dataclass(frozen=True)
class Plant:
    kind: str
    file: str
    new: str
    """The text planted: a paragraph added after the line holding `after`, or `old` replaced."""
    after: str = ""
    old: str = ""
    mistake: bool = True
    """False for a finished passage that must not be reported."""


def paragraph(kind: str, file: str, after: str, text: str, mistake: bool = True) -> Plant:
    return Plant(kind, file, text, after=after, mistake=mistake)


def replace(kind: str, file: str, old: str, new: str, mistake: bool = True) -> Plant:
    return Plant(kind, file, new, old=old, mistake=mistake)


NOTES = "note to self"
HEADINGS = "heading that is a note"
LETTERS = "letters for figures"
WORD = "Word's broken cross-reference"
PROMPTS = "template prompt left in"
NUMBERS = "numbers in prose"
HOMES = "fact with a home of its own"

MISTAKES = [
    paragraph(NOTES, VISION, "## Vision for the next five years",
              "The workforce section of this vision is still being worked up with the trusts."),
    paragraph(NOTES, CASE, "## Needs analysis",
              "Ward-level projections to follow here once public health have rerun the model."),
    paragraph(NOTES, ACTION, "## Governance",
              "This paragraph needs updating once the section 75 agreement is signed."),
    paragraph(NOTES, ENGAGEMENT, "## Service provider engagement",
              "Further information is required about the care home forum's involvement."),
    paragraph(NOTES, CONDITIONS, "### The Care Act 2014",
              "We are waiting for the final costings from the council's finance team before this part is complete."),
    paragraph(NOTES, ALIGNMENT, "## Alignment with operating and strategic plans",
              "The trust's two-year plan aligns with ours (to check with the trust's planning lead)."),
    paragraph(NOTES, FALLS, "## The evidence base",
              "Local evaluation results will be added to this section at a later date."),
    paragraph(NOTES, VISION, "## The difference for patients and service users",
              "Case study TBC - Healthwatch are finding a family willing to be named."),
    paragraph(NOTES, CASE, "## Risk stratification",
              "The proportion of people in the top two tiers who have a care plan is to be confirmed by the CSU."),
    paragraph(NOTES, ACTION, "## Management and oversight",
              "Escalation route: TBA."),
    paragraph(HEADINGS, CASE, "## Needs analysis", "### Map of the wards to be inserted"),
    paragraph(HEADINGS, FALLS, "## The delivery chain", "### Insert the falls pathway diagram"),
    paragraph(HEADINGS, VISION, "## Changes to the pattern of services",
              "### Chart goes here showing the shift from beds to community"),
    paragraph(LETTERS, CASE, "## Needs analysis",
              "Around XXXX people in the borough care for a relative for more than 20 hours a week."),
    paragraph(LETTERS, FALLS, "## Impact of the scheme",
              "The scheme should prevent xx falls a year, saving £Xk in ambulance call-outs."),
    paragraph(LETTERS, ACTION, "## Management and oversight",
              "The escalation procedure is set out on page XX of the programme handbook."),
    paragraph(LETTERS, CONDITIONS, "### The Care Act 2014",
              "Appendix X gives the council's Care Act cost model."),
    paragraph(LETTERS, CASE, "## Risk stratification",
              "Of those at highest risk, x% have had a joint assessment."),
    paragraph(LETTERS, VISION, "## The difference for patients and service users",
              "We expect XX% fewer people to move into a care home and YY% more to stay at home after reablement."),
    paragraph(LETTERS, ENGAGEMENT, "## Patient, service user and public engagement",
              "The consultation reached NNN people across Xx events."),
    paragraph(WORD, ACTION, "## Governance",
              "The terms of reference are in Error! Reference source not found. of this plan."),
    paragraph(WORD, ALIGNMENT, "## Alignment with other initiatives",
              "See the pioneer bid, summarised at Error! Bookmark not defined., for the shared record."),
    paragraph(PROMPTS, ALIGNMENT, "## Alignment with operating and strategic plans",
              "Describe how the plan fits the CCG's two-year operating plan and five-year strategic plan, "
              "and the plans of providers."),
    paragraph(PROMPTS, ENGAGEMENT, "## Service provider engagement",
              "Describe how NHS trusts, primary care, social care providers and the voluntary sector have been "
              "engaged in developing this plan."),
    replace(PROMPTS, FALLS, "name: Falls prevention service", 'name: ""'),
    paragraph(NUMBERS, CASE, "## Needs analysis",
              "The borough has 12.400 people living with diabetes, the highest rate in the county."),
    paragraph(NUMBERS, CASE, "## Risk stratification",
              "Last winter 310 of 2,480 people discharged after a fall (14%) were readmitted within 30 days."),
    paragraph(NUMBERS, VISION, "## Vision for the next five years",
              "By 2016 the pooled budget for 2015/16 will be £19,100,000."),
    paragraph(NUMBERS, CASE, "## Needs analysis",
              "Unpaid carers number about 4,1000 in the borough."),
    paragraph(NUMBERS, ENGAGEMENT, "## Patient, service user and public engagement",
              "Of the 640 people who answered the survey, 480 (60%) backed the neighbourhood teams."),
    paragraph(NUMBERS, VISION, "## Vision for the next five years",
              "Harrowdale has about 270,000 residents, and the number is rising."),
    paragraph(NUMBERS, ENGAGEMENT, "## Patient, service user and public engagement",
              "Emergency admissions will fall from 2,000 to 1,800 a year, a 20% reduction."),
    paragraph(NOTES, FALLS, "## Feedback loop", "Comments from the falls clinic leads are still awaited."),
    paragraph(NOTES, ALIGNMENT, "## Alignment with other initiatives",
              "Need to add a line on the primary care co-commissioning bid here."),
    paragraph(NOTES, ACTION, "## Management and oversight",
              "Check these reporting dates with Sarah in the programme office."),
    paragraph(NOTES, VISION, "## Vision for the next five years", "DRAFT v0.4 - not for circulation"),
    paragraph(PROMPTS, FALLS, "## Overview of the scheme",
              "| Cohort | Services |\n|---|---|\n| Describe the model of care and support the scheme delivers "
              "and who it is for | |"),
    replace(PROMPTS, FALLS, "strategic_objective: >-", "strategic_objective: ''\nold_objective: >-"),
    paragraph(HEADINGS, ACTION, "## Milestones and interdependencies", "### Gantt chart - TBC"),
    # Facts with a home of their own in the data, each stated wrongly.
    replace(HOMES, METRICS, "stated_change: 3.6", "stated_change: 4.6"),
    replace(HOMES, Q3, 'projected_outturn: "£5,177,000"', 'projected_outturn: "£5,128,000"'),
    replace(HOMES, Q3, "    actual: 83.4\n", ""),
    replace(HOMES, FINANCE, '"2015/16": "£2,800,000"', '"2015/16": "£2,850,000"'),
    replace(HOMES, FINANCE, 'care_act:\n  "2014/15": "£0"\n  "2015/16": "£650,000"',
            'care_act:\n  "2014/15": "£0"\n  "2015/16": "£600,000"'),
    replace(HOMES, FINANCE, STATED_SPEND, STATED_SPEND.replace('"£18,640,000"', '"£18.7m"')),
    replace(HOMES, FINANCE, 'stated_fund: "£1,333,550"', 'stated_fund: "£1,330k"'),
    replace(HOMES, MILESTONES, "    scheme: PE2\n    owner: Joanne Whitley\n",
            "    scheme: PE2\n    scheme_name: Carers' support\n    owner: Joanne Whitley\n"),
    replace(HOMES, MILESTONES, "    start: 2014-11-03\n    due: 2015-01-30", "    start: 2015-02\n    due: January 2015"),
    replace(HOMES, RISKS, "    likelihood: 3\n    impact: 5\n    factor: 15\n",
            "    likelihood: Medium\n    impact: High\n"),
    replace(HOMES, RISKS, "    factor: 15\n", "    factor: 15\n    rating: Low\n"),
]

FINISHED = [
    paragraph(NOTES, ACTION, "## Governance",
              "Whether a separate finance sub-group was needed was to be determined by the board, which decided "
              "in June that it was not.", mistake=False),
    paragraph(NOTES, CONDITIONS, "### The Care Act 2014",
              "People waiting for a carer's assessment are offered information and advice while they wait.",
              mistake=False),
    paragraph(NOTES, ENGAGEMENT, "## Patient, service user and public engagement",
              "Residents told us they wanted information to follow them between services, so the shared record "
              "comes first.", mistake=False),
    paragraph(NOTES, ACTION, "## Management and oversight",
              "Each scheme's benefits plan needs updating every quarter, and the programme office makes sure it is.",
              mistake=False),
    paragraph(NOTES, FALLS, "## The evidence base",
              "More evidence is needed on the long-term effect of strength and balance classes, so the scheme "
              "takes part in the regional evaluation.", mistake=False),
    paragraph(LETTERS, CASE, "## Risk stratification",
              "The risk score multiplies likelihood x impact for each person, as the tool's manual describes.",
              mistake=False),
    paragraph(LETTERS, ACTION, "## Management and oversight",
              "Schedule X of the section 75 agreement sets out the risk share.", mistake=False),
    paragraph(LETTERS, VISION, "## Vision for the next five years",
              "Windows XP machines in the hospital social work team will be replaced in 2014.", mistake=False),
    paragraph(WORD, ALIGNMENT, "## Alignment with other initiatives",
              "The pioneer programme's error reporting, not the plan's, records incidents.", mistake=False),
    paragraph(PROMPTS, ALIGNMENT, "## Alignment with other initiatives",
              "The plan fits the council's own programmes: the health and wellbeing strategy, the housing strategy "
              "and the carers' strategy all share its aims.", mistake=False),
    paragraph(NUMBERS, CASE, "## Risk stratification",
              "Of the 2,480 people discharged after a fall, 310 (12.5%) were readmitted within 30 days.",
              mistake=False),
    paragraph(NUMBERS, CASE, "## Needs analysis",
              "Version 2.1 of the needs assessment was published on 12.04.2014.", mistake=False),
    paragraph(NUMBERS, ENGAGEMENT, "## Patient, service user and public engagement",
              "About 1 in 3 of the 640 people who answered (213) asked for evening clinics.", mistake=False),
    paragraph(NUMBERS, VISION, "## Vision for the next five years",
              "People aged 85 and over will rise by a third by 2021.", mistake=False),
    paragraph(NOTES, ACTION, "## Governance",
              "The board's decisions are checked with the council's monitoring officer before they are published.",
              mistake=False),
    paragraph(NOTES, ENGAGEMENT, "## Patient, service user and public engagement",
              "A draft of the plan was shared with the Healthwatch board in June, and its comments changed two schemes.",
              mistake=False),
    paragraph(NOTES, FALLS, "## Feedback loop",
              "Results from the first cohort are awaited by the whole falls network with interest, and will be shared.",
              mistake=False),
    paragraph(NUMBERS, CASE, "## Needs analysis",
              "Of the borough's 21 wards, 6 (29%) are among the most deprived fifth in England.", mistake=False),
    replace(HOMES, METRICS, "stated_change: 3.6", "stated_change: 4", mistake=False),
    replace(HOMES, Q3, 'projected_outturn: "£5,177,000"', 'projected_outturn: "£5.2m"', mistake=False),
    replace(HOMES, Q3, "    actual: 83.4\n",
            "    no_data: The survey of discharges is run once a year; the next results come in April.\n",
            mistake=False),
    replace(HOMES, PLAN, '    minimum: "£17,914,000"\n', "", mistake=False),
    replace(HOMES, FINANCE, STATED_SPEND, STATED_SPEND.replace('"£18,640,000"', '"£18.64m"'), mistake=False),
    replace(HOMES, FINANCE, 'stated_fund: "£1,333,550"', 'stated_fund: "£1,334k"', mistake=False),
    replace(HOMES, MILESTONES, "    scheme: PE2\n    owner: Joanne Whitley\n",
            "    scheme: PE2\n    scheme_name: Falls prevention\n    owner: Joanne Whitley\n", mistake=False),
    replace(HOMES, MILESTONES, "    start: 2014-11-03\n    due: 2015-01-30", "    start: November 2014\n    due: 2015-01",
            mistake=False),
    replace(HOMES, RISKS, "    factor: 15\n", "    factor: 15\n    rating: Very high\n", mistake=False),
    replace(HOMES, RISKS, "    schemes: [IUR1, IUR3, CH1, CH3]\n", "    scheme: IUR1\n    schemes: [IUR1, IUR3, CH1, CH3]\n",
            mistake=False),
]


def planted_copy(plant: Plant, into: Path) -> None:
    path = into / plant.file
    text = path.read_text(encoding="utf-8")
    if plant.old:
        assert plant.old in text, f"{plant.old!r} not in {plant.file}"
        text = text.replace(plant.old, plant.new, 1)
    else:
        lines = text.splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines) if plant.after in line)
        lines.insert(at + 1, f"\n{plant.new}\n")
        text = "".join(lines)
    path.write_text(text, encoding="utf-8")


def findings_for(plant: Plant, workdir: Path) -> list[str]:
    """What `check` says of a copy of the example plan with `plant` in it."""
    project = workdir / "plan"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir()
    for name in ("content", "templates", "mkdocs.yml"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        elif source.exists():
            shutil.copy(source, project / name)
    planted_copy(plant, project)
    try:
        checked = check_plan(project)
    except PlanError as error:
        return [str(error)]
    return [f"{f.location}: [{f.rule}] {f.message}" for f in checked.errors + checked.warnings]


def cases(blind: bool) -> list[Plant]:
    """This module's cases, or with --blind those of planted_blind.py (written without seeing the checks)."""
    if not blind:
        return MISTAKES + FINISHED
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import planted_blind
    return planted_blind.MISTAKES + planted_blind.FINISHED


def main(verbose: bool, blind: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = [(plant, findings_for(plant, Path(tmp))) for plant in cases(blind)]
    by_kind: dict[str, list[int]] = {}
    for plant, found in results:
        counts = by_kind.setdefault(plant.kind, [0, 0, 0, 0])
        if plant.mistake:
            counts[0] += 1
            counts[1] += bool(found)
        else:
            counts[2] += 1
            counts[3] += bool(found)
        flag = ("caught" if found else "MISSED") if plant.mistake else ("FALSE ALARM" if found else "clean")
        if verbose or flag in ("MISSED", "FALSE ALARM"):
            print(f"{flag:11} {plant.kind}: {plant.new[:90]}")
            for line in found if verbose else []:
                print(f"            {line[:160]}")
    print()
    print(f"{'kind':34} caught  false alarms")
    for kind, (planted, caught, finished, alarms) in by_kind.items():
        print(f"{kind:34} {caught:>2}/{planted:<3}  {alarms}/{finished}")
    mistakes = [bool(found) for plant, found in results if plant.mistake]
    alarms = [bool(found) for plant, found in results if not plant.mistake]
    print(f"{'all':34} {sum(mistakes):>2}/{len(mistakes):<3}  {sum(alarms)}/{len(alarms)}")


if __name__ == "__main__":
    main("-v" in sys.argv[1:], "--blind" in sys.argv[1:])
