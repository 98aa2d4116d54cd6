"""Unfinished text as a reviewer finds it: each kind planted into the example plan is reported at
its line, and finished sentences that look like one are not.

Every sentence is planted into one copy of the plan and `check` runs once for all of them (a run
takes seconds; one a sentence would take minutes); each case is still its own test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_project, run_cli
from plan_edits import edit, expect, line_of, reported

SECTION = "content/sections/03-case-for-change.md"

# (the line planted, what is found, the name of the pattern that finds it)
FOUND = [
    # notes to self in ordinary words
    ("The carers' offer is still being finalised with the voluntary sector.", "still being finalised",
     "a note that the text is still being finished"),
    ("Detail to follow on the discharge pathway.", "Detail to follow", "more detail to follow"),
    ("The falls target needs revising when next year's national ambition is published.",
     "needs revising when", "a note that the text needs revising"),
    ("More information needed on the number of carers assessed each year.", "More information needed on",
     "more information needed"),
    ("We are waiting for the matching figures from the hospital trust.", "waiting for the matching figures",
     "awaiting information"),
    ("The service has 120 places (confirmation awaited from the provider).",
     "(confirmation awaited from the provider)", "a note in brackets"),
    ("Reablement in 2015/16 (full year?) helps 900 people.", "(full year?)", "a note in brackets"),
    ("[Final version to say how carers were involved]", "[Final version to say how carers were involved]",
     "further development note"),
    ("TODO: add the housing adaptations figures.", "TODO", "a note to the writers"),
    ("Winter pressures review - attach the trust's report", "attach", "an instruction to the writers after a dash"),
    ("[A later draft will list the care homes taking part:", "[A later draft will list the care homes taking part:",
     "further development note"),
    ("Carers' wellbeing scores rise by?", "by?", "a question mark for a missing answer"),
    ("Lead officer: to be agreed", "to be agreed", "to be agreed, standing alone"),
    ("| Measure (examples only) | Baseline |", "examples only", "examples left in"),
    ("Local evaluation results will be added to this section at a later date.",
     "will be added to this section", "text to be added later"),
    ("Comments from the falls clinic leads are still awaited.", "Comments from the falls clinic leads are still awaited",
     "something still awaited"),
    ("Need to add a line on the co-commissioning bid here.", "Need to add a line on the co-commissioning bid here",
     "a note of something to add here"),
    ("Check these reporting dates with Sarah in the programme office.", "Check these reporting dates with Sarah",
     "a note to check something with someone"),
    ("DRAFT v0.4 - not for circulation", "DRAFT", "a draft marking"),
    ("Karen to redraft the paragraph on carers.", "Karen to redraft", "a task given to someone"),
    ("[Public health to refresh the ward figures]", "Public health to refresh", "a task given to someone"),
    ("The cost model is to be pasted in.", "to be pasted in", "to be completed"),
    ("The effect on the council's budget to be given by Finance.", "to be given by Finance.",
     "a task to be done by someone"),
    ("Results will be summarised in the final version.", "in the final version", "a note of a later version"),
    ("Healthwatch comments outstanding.", "comments outstanding", "a note of something outstanding"),
    ("Not yet agreed with the trust - do not circulate.", "do not circulate", "a draft not to circulate"),
    ("DN: the share will change with the September data.", "DN:", "a drafting note"),
    ("We still need to agree the tolerances with the trusts.", "We still need to agree",
     "a note of something still to do"),
    ("Swap in the 2014 projections when they are released.", "Swap in", "a note of something still to do"),
    ("Need a sentence on the NHS Number.", "Need a", "a note that opens with a task"),
    ("Ask Housing whether the scheme has planning consent.", "Ask Housing", "a note that opens with a task"),
    ("A case study on the pioneer visit to go in here?", "to go in here", "something to go in here"),
    ("UPDATE AFTER THE BOARD: the hours may change.", "UPDATE AFTER THE BOARD:", "a note in capitals"),
    ("Please provide a timeline of the key milestones for each scheme.", "Please provide",
     "the template's instruction left in"),
    ("This section should set out the local definition of protection.", "This section should set out",
     "the template's instruction left in"),
    # letters standing for figures, in other spellings and places
    ("The council's cost model is Appendix X.", "X", "a letter standing for a missing figure or name"),
    ("The scheme costs £Xx,xxx a year.", "£Xx,xxx", "a figure to fill in"),
    ("The team will visit XXXXX homes a year.", "XXXXX", "a letter standing for a missing figure or name"),
    ("The risk log is on page XX of the board papers.", "page XX", "a page, appendix or section to fill in"),
    ("The trust's own figures are in Appendix xx.", "Appendix xx", "a page, appendix or section to fill in"),
    ("The method is set out on p. ?? of the strategy.", "p. ??", "a page, appendix or section to fill in"),
    ("Emergency admissions fall by x% in the first year.", "x", "a lone x for a figure"),
    ("Spending on reablement rises from £250k to £YYk.", "£YYk", "a figure to fill in"),
    ("Discharges home rise by 12% and readmissions fall by YY%.", "YY", "a second letter standing for a figure"),
    # Word's cross-references, broken when the text was pasted
    ("As Error! Reference source not found. shows, the fund is pooled.", "Error! Reference source not found.",
     "a broken cross-reference from Word"),
    ("The protocol is described in Error! Bookmark not defined.", "Error! Bookmark not defined.",
     "a broken cross-reference from Word"),
]

# The template's prompts left in, slightly edited, or in a table (the alignment question of bcf-2014).
PROMPTS = [
    "Describe how this plan fits the CCGs' two-year operating plans and five-year strategic plans, and the providers' plans.",
    "| Describe how the plan fits the CCGs' two-year operating plans and five year strategic plans | Yes |",
    # plurals and word order changed: compared by meaningful words without their s
    "Describe how the plan fits the CCG's two-year operating plan and five-year strategic plan, and the plans of providers.",
]

NOTE_HEADINGS = [
    ("### Diagram to go here showing the discharge pathway", "to go here"),
    ("### Add the table of scheme leads", "Add"),
]

# Finished sentences that look like unfinished ones.
LOOK_ALIKES = [
    "No further funding was to be determined by the board, as the pooled budget already met the minimum.",
    "Nothing more is to be added to the pooled budget this year.",
    "The targets to be agreed with each provider are those in the metrics annex.",
    "People waiting for a care package are visited within two days.",
    "Patients awaiting discharge information are given a leaflet on the ward.",
    "Each quarter the risk log needs updating before the board meets.",
    "More information was needed on carers, so the board commissioned a survey.",
    "The three steps to follow are set out in the leaflet.",
    "Discharge to assess was still being developed in 2013 and is now in place.",
    "The terms are in Schedule X of the section 75 agreement.",
    "Whether to go ahead with the second phase is to be decided by the board in 2016, once the evaluation has reported.",
    "Each patient's accountable GP is to be confirmed to them in writing by their practice.",
    "Put in place a single point of access for every referral.",
    "It is important to check each care plan with the person it is for.",
    "Services to be provided by the new provider include home care and reablement.",
    "Waiting times for a carer's assessment have halved.",
    "The second draft was shared with the board in June.",
    "Need and demand are rising fastest in the central wards.",
    "Residents told us they wanted information to follow them between services.",
    "More evidence is needed on the long-term effect of strength and balance classes, so the scheme joins the evaluation.",
    "Results from the first cohort are awaited by the whole falls network with interest.",
    "A draft of the plan was shared with Healthwatch in June, and its comments changed two schemes.",
    "The board's decisions are checked with the monitoring officer before they are published.",
    "Each score is likelihood x impact, from 1 to 25.",
    "Admissions fell by 12% in 2013/14 (a fall of 300).",
    "Readmissions are counted at 30 days (not 28), as the national definition asks.",
    "The question our teams ask is: what matters to you?",
    "Who is the plan for? It is for everyone over 65.",
    "Community and voluntary groups - including faith groups - run the lunch clubs.",
    "[Local Government Association, Stronger together, 2013]",
    "The amounts for each year are the scheme's lines in the expenditure plan.",
    "The vision for health and social care in Harrowdale is one team around each person.",
    "### Needs of carers",
    "### Update on the first year",
    "### Putting people first",
    "### Examples of joint care plans",
    "### Needs analysis for older people",
    "### Need and demand",
]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory):
    """One copy of the plan with every unfinished line planted at the end of a section, checked once."""
    project = copy_project(tmp_path_factory.mktemp("unfinished") / "plan")
    lines = [line for line, _, _ in FOUND] + PROMPTS + [heading for heading, _ in NOTE_HEADINGS]
    path = project / SECTION
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    return project, reported(run_cli(project, "check"))


@pytest.fixture(scope="module")
def look_alikes(tmp_path_factory: pytest.TempPathFactory):
    """One copy of the plan with every finished look-alike planted, checked once."""
    project = copy_project(tmp_path_factory.mktemp("look-alikes") / "plan")
    path = project / SECTION
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + "\n\n".join(LOOK_ALIKES) + "\n", encoding="utf-8")
    run = run_cli(project, "check")
    assert run.code == 0 and "Traceback" not in run.out + run.err, run.out + run.err
    return run.out


@pytest.mark.parametrize(("line", "found", "name"), FOUND)
def test_each_kind_of_unfinished_text_is_found(planted, line: str, found: str, name: str) -> None:
    project, findings = planted
    expected = f"{SECTION}:{line_of(project, SECTION, line)}: Unfinished text: '{found}' ({name})."
    assert any(f.startswith(expected) for f in findings), f"{expected!r} not in:\n" + "\n".join(findings)


def test_a_broken_cross_reference_says_what_happened(planted) -> None:
    project, findings = planted
    line = line_of(project, SECTION, "The protocol is described in Error!")
    assert (f"{SECTION}:{line}: Unfinished text: 'Error! Bookmark not defined.' (a broken cross-reference from "
            "Word). Word could not find what the cross-reference pointed to when the text was copied; write the "
            "section, table or page it means (or link it, such as [the risk log](risk:R1)).") in findings


@pytest.mark.parametrize("line", PROMPTS)
def test_the_templates_prompt_left_in_is_found_by_likeness(planted, line: str) -> None:
    project, findings = planted
    expected = f"{SECTION}:{line_of(project, SECTION, line)}: The template's prompt is left in the text: "
    found = [f for f in findings if f.startswith(expected)]
    assert found and found[0].endswith("Answer the prompt in the plan's own words, and delete it."), findings


@pytest.mark.parametrize(("heading", "found"), NOTE_HEADINGS)
def test_a_heading_that_is_a_note_is_found(planted, heading: str, found: str) -> None:
    project, findings = planted
    title = heading.lstrip("# ")
    assert (f"{SECTION}:{line_of(project, SECTION, heading)}: The heading '{title}' is a note, not a title "
            f"('{found}': a note where a heading should be). Put in what the note asks for and give the heading a "
            "title, or delete the heading.") in findings


@pytest.mark.parametrize("line", LOOK_ALIKES)
def test_finished_look_alikes_are_not_unfinished(look_alikes: str, line: str) -> None:
    shown = line.lstrip("# ")
    assert not any(shown in finding or (finding.startswith(f"{SECTION}:") and "note, not a title" in finding)
                   for finding in look_alikes.splitlines() if "Unfinished" in finding or "note" in finding)
    assert "0 warnings" in look_alikes, look_alikes


def test_a_scheme_with_a_blank_name_is_empty(project: Path) -> None:
    line = edit(project, "content/schemes/CH1.md", "name: Integrated neighbourhood teams", 'name: ""')
    expect(run_cli(project, "check"), f"content/schemes/CH1.md:{line}: 'name' is empty. Fill it in: The scheme's name.")


def test_a_value_left_to_be_appointed_in_yaml_is_found(project: Path) -> None:
    line = edit(project, "content/schemes/CH1.md", "lead: Ruth Kenyon, Programme Director for Integrated Care, "
                "NHS Harrowdale CCG", "lead: to be appointed")
    expect(run_cli(project, "check"), f"content/schemes/CH1.md:{line}: Unfinished text: 'to be appointed' "
           "(to be agreed, standing alone). Replace it with the real text or figure before the plan is submitted.",
           code=0)


def test_a_pack_adds_its_own_patterns_to_the_shared_ones(project: Path) -> None:
    pack = project / "templates/bcf-2014/pack.yaml"
    pack.write_text(pack.read_text(encoding="utf-8") + "\nmore_placeholders:\n"
                    "  - {name: a local note, pattern: '\\bHDX-NOTE\\b', fix: Ask the BCF team}\n", encoding="utf-8")
    line = edit(project, SECTION, "\n## ", "\nHDX-NOTE and TBC.\n\n## ") + 1
    run = run_cli(project, "check")
    expect(run, f"{SECTION}:{line}: Unfinished text: 'HDX-NOTE' (a local note). Ask the BCF team.", code=0)
    expect(run, f"{SECTION}:{line}: Unfinished text: 'TBC' (to be confirmed). Replace it with the real text or "
           "figure before the plan is submitted.", code=0)
