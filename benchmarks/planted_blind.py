"""A second test set for planted_mistakes.py (run it with --blind), written blind.

It was written without reading the checks, the placeholder lists or the module's own cases: each
mistake is worded the way an officer drafting a 2014 plan might leave it, and each finished
sentence is one a naive checker might mistake for unfinished or wrong. Its first run caught 18 of
45 mistakes with 2 false alarms in 30; the patterns were then widened by the kinds it showed (not
its sentences), so it is no longer blind: the next blind set is what measures `check` now.
"""

from __future__ import annotations

from planted_mistakes import (
    ACTION,
    ALIGNMENT,
    CASE,
    CONDITIONS,
    ENGAGEMENT,
    FALLS,
    VISION,
    paragraph,
)

NOTES = "note to self"
PROMPTS = "template prompt left in"
HEADINGS = "heading that is a note"
LETTERS = "letters for figures"
WORD = "Word's broken cross-reference"
NUMBERS = "numbers in prose"

MISTAKES = [
    # --- Unfinished text: notes to self (22) ---
    paragraph(NOTES, CASE, "### Life expectancy and ill health",
              "[Public health to refresh these figures from the 2014 JSNA before final sign-off]"),
    paragraph(NOTES, VISION, "## Vision for the next five years",
              "Gill to rewrite this paragraph so it reads less like the CCG's strategy."),
    paragraph(NOTES, ACTION, "## Governance",
              "NB the membership still reflects the old board - update following the HWB on 11 September."),
    paragraph(NOTES, CONDITIONS, "### The effect on the council's budget",
              "Figures showing the effect on the council's budget to be provided by Finance."),
    paragraph(NOTES, ENGAGEMENT, "### Talking Care, summer 2014",
              "The survey results are still being analysed and will be summarised here in the final version."),
    paragraph(NOTES, ALIGNMENT, "### Mental health",
              "Awaiting confirmation from Moorside that the practitioner posts are funded in 2015/16."),
    paragraph(NOTES, FALLS, "## Investment requirements",
              "Costs tbc pending the outcome of the tender for the class venues."),
    paragraph(NOTES, CASE, "## Risk stratification",
              "??Check with the CSU whether the June 2014 run included the Calder Moor practices??"),
    paragraph(NOTES, CONDITIONS, "### The NHS Number",
              "Need a sentence here on when care homes will start using the NHS Number - Anjali to draft."),
    paragraph(NOTES, ACTION, "### Assurance",
              "(Wording from the internal audit plan to be pasted in when we have it.)"),
    paragraph(NOTES, VISION, "## The difference for patients and service users",
              "Add a short case study here? Mrs B's story from the Talking Care events would work well."),
    paragraph(NOTES, ENGAGEMENT, "### Primary care",
              "LMC response outstanding - chase before submission."),
    paragraph(NOTES, ALIGNMENT, "### Providers' plans",
              "Not yet agreed with Calder Valley - do not circulate outside the programme board."),
    paragraph(NOTES, CONDITIONS, "### People at high risk",
              "DN: the share of the at-risk group with a joint care plan will be updated with the September data."),
    paragraph(NOTES, FALLS, "## Feedback loop",
              "Measures below are a first go - Joanne to confirm with the falls team."),
    paragraph(NOTES, CASE, "### Use of services",
              "Insert baseline NEL figure from the metrics spreadsheet once finance have reconciled it with SUS."),
    paragraph(NOTES, ACTION, "### When delivery goes off track",
              "We still need to agree these tolerances with the CCG finance leads, so the table below may yet change."),
    paragraph(NOTES, ENGAGEMENT, "### The voluntary and community sector",
              "Waiting on HCVS for the list of network members."),
    paragraph(NOTES, ALIGNMENT, "### The council's own programmes",
              "Ask Housing whether the Westgate extra care scheme still has planning consent."),
    paragraph(NOTES, VISION, "### By the end of 2015/16",
              "**UPDATE AFTER THE SEPTEMBER BOARD: opening hours of the single point of access may go to midnight.**"),
    paragraph(NOTES, CASE, "### How demand will change",
              "These are the 2012-based projections; swap in the 2014 SNPP when ONS release them."),
    paragraph(NOTES, ALIGNMENT, "### Wider partnerships",
              "Something on the pioneer learning visit to go in here?"),
    # --- Unfinished text: the template's prompts left as the answer (3) ---
    paragraph(PROMPTS, ACTION, "## Milestones and interdependencies",
              "Please provide a high-level timeline showing the key milestones for each scheme and the "
              "interdependencies between them."),
    paragraph(PROMPTS, CONDITIONS, "### Our local definition",
              "Please set out your local definition of protecting adult social care services, "
              "not simply spending."),
    paragraph(PROMPTS, ENGAGEMENT, "## Implications for acute providers",
              "Please describe the implications for acute providers, including the scale of the impact "
              "and how it has been shared with them."),
    # --- Headings that are notes (5) ---
    paragraph(HEADINGS, VISION, "## Vision for the next five years",
              "### Vision diagram from the January workshop to go here"),
    paragraph(HEADINGS, CASE, "### Deprivation", "#### Need IMD map - ask PH for the GIS version"),
    paragraph(HEADINGS, ACTION, "## Governance", "### Governance structure chart (to follow)"),
    paragraph(HEADINGS, ENGAGEMENT, "### Talking Care, summer 2014", "#### Survey results TBC"),
    paragraph(HEADINGS, FALLS, "## The evidence base", "### NEW SECTION - local evidence still to write"),
    # --- Letters for figures and Word's errors (5) ---
    paragraph(LETTERS, CASE, "### Life expectancy and ill health",
              "Around X,XXX people in the borough have a recorded diagnosis of heart failure."),
    paragraph(LETTERS, CONDITIONS, "### The Care Act 2014",
              "The amount dedicated to carer-specific support in 2015/16 is £[X]."),
    paragraph(LETTERS, ENGAGEMENT, "### Involvement in delivery",
              "Since July the reference group has met N times and reviewed NN proposals."),
    paragraph(WORD, ALIGNMENT, "### The five-year strategic plans",
              "The strategic plan's financial model is summarised in Figure Error! No text of specified "
              "style in document."),
    paragraph(WORD, ACTION, "### Reporting",
              "The highlight report template is at Appendix ?? and the dashboard layout on page ??."),
    # --- Numbers in prose (10) ---
    # malformed
    paragraph(NUMBERS, FALLS, "## The evidence base",
              "The existing hospital falls clinics assessed 1.275 people in 2013/14."),
    paragraph(NUMBERS, CONDITIONS, "### How the schemes support it",
              "Community equipment alone costs the council £2,40,000 a year."),
    paragraph(NUMBERS, CONDITIONS, "### The effect on the council's budget",
              "The council currently commissions about 2,3500 hours of home care a week."),
    # a percentage that disagrees with its two numbers
    paragraph(NUMBERS, ENGAGEMENT, "### What people told us, and what changed",
              "Of the 1,140 people who answered the survey, 798 (85%) said they had repeated their story "
              "to more than one professional."),
    paragraph(NUMBERS, FALLS, "## The evidence base",
              "The 2013/14 pilot received 420 ambulance referrals, 147 of them (45%) for people who had "
              "fallen before."),
    paragraph(NUMBERS, CASE, "### Use of services",
              "Delayed transfers of care rose from 1,650 bed days in 2012/13 to 2,310 in 2013/14, an "
              "increase of 25%."),
    # the same quantity with a different value elsewhere in content/
    paragraph(NUMBERS, ENGAGEMENT, "### Primary care",
              "GPs from all 31 practices in Harrowdale were invited to the two learning events."),
    paragraph(NUMBERS, VISION, "## The difference for patients and service users",
              "Harrowdale now has 6,800 residents aged 85 or over, and the number is rising."),
    paragraph(NUMBERS, CONDITIONS, "### The Care Act 2014",
              "Some 2,600 people in Harrowdale have a recorded diagnosis of dementia, and many of their "
              "carers will be entitled to an assessment."),
    paragraph(NUMBERS, VISION, "## Vision for the next five years",
              "The Talking Care survey in the summer of 2014 received 1,410 responses."),
]

FINISHED = [
    paragraph(NOTES, VISION, "## Changes to the pattern of services",
              "The site of the second step-up unit will be determined by the tender, which closes in "
              "November 2014; the service specification is already agreed.", mistake=False),
    paragraph(NOTES, CASE, "### Use of services",
              "On an average day about 40 patients at Harrowdale General Hospital are medically fit for "
              "discharge but awaiting a care package or a bed elsewhere.", mistake=False),
    paragraph(NOTES, ENGAGEMENT, "### Talking Care, summer 2014",
              "Comments on the first draft of the plan, published in March 2014, shaped the version the "
              "Board agreed in September.", mistake=False),
    paragraph(LETTERS, ACTION, "### When delivery goes off track",
              "A risk's factor is its likelihood x its impact, so a risk scored 3 x 5 reaches the "
              "escalation threshold of 15.", mistake=False),
    paragraph(NUMBERS, ENGAGEMENT, "### Talking Care, summer 2014",
              "Of the 1,140 survey responses, 912 (80%) supported a single point of access.", mistake=False),
    paragraph(NUMBERS, ENGAGEMENT, "### What people told us, and what changed",
              "The report was presented to the Health and Wellbeing Board on 10.07.2014 and is published "
              "on the council's website.", mistake=False),
    paragraph(NUMBERS, CONDITIONS, "### Open APIs and open standards",
              "The council's case management system moves to version 4.2.1 in the spring, which supports "
              "ITK messaging.", mistake=False),
    paragraph(NUMBERS, CASE, "### How demand will change",
              "Most of the growth is among people aged 75-84 and 85+.", mistake=False),
    paragraph(NOTES, CONDITIONS, "### How the schemes support it",
              "Any later change to the amount allocated to protection is to be agreed by the Joint "
              "Commissioning Executive and reported to the Board.", mistake=False),
    paragraph(NOTES, FALLS, "## Feedback loop",
              "People awaiting assessment are phoned within two working days and given advice on staying "
              "safe in the meantime.", mistake=False),
    paragraph(NOTES, ALIGNMENT, "### The five-year strategic plans",
              "Whether to go ahead with the second phase is to be decided by the Health and Wellbeing Board "
              "in 2016, once the evaluation of the neighbourhood teams has reported.", mistake=False),
    paragraph(NOTES, ACTION, "### The programme management office",
              "In May 2014 the office replaced the draft project plans of each scheme with a single plan of "
              "action.", mistake=False),
    paragraph(NUMBERS, CASE, "### Deprivation",
              "Men in the most deprived wards live 9.8 years less than those in the least deprived, and "
              "women 7.1 years less.", mistake=False),
    paragraph(NUMBERS, VISION, "### By the end of 2015/16",
              "The single point of access will take calls from 8am to 10pm, 14 hours a day, 7 days a week.",
              mistake=False),
    paragraph(NUMBERS, CASE, "## Risk stratification",
              "The two highest tiers hold 4,900 of about 203,000 adults, or 2.4%.", mistake=False),
    paragraph(LETTERS, CONDITIONS, "### People at high risk",
              "Practices hold these lists under paragraph 4.3 of the enhanced service specification.",
              mistake=False),
    paragraph(NOTES, ENGAGEMENT, "### Primary care",
              "Notes of both events are held by the Alliance and were sent to every practice.", mistake=False),
    paragraph(NOTES, ALIGNMENT, "### Primary care",
              "Each patient's named accountable GP is to be confirmed to them in writing by their practice, "
              "as the contract requires.", mistake=False),
    paragraph(NUMBERS, FALLS, "## Impact of the scheme",
              "Each fall prevented saves an estimated £1,900 in ambulance, emergency department and "
              "admission costs (2013/14 prices).", mistake=False),
    paragraph(NUMBERS, CONDITIONS, "### The Care Act 2014",
              "The duties in sections 9-13 of the Act, on assessment and eligibility, take effect in "
              "April 2015.", mistake=False),
    paragraph(LETTERS, ACTION, "### Reporting",
              "Scheme leads use the form headed 'Highlight report v3' and return it by the fifth working day "
              "of each month.", mistake=False),
    paragraph(NUMBERS, CASE, "### Our population",
              "Between 2014 and 2021 the number of residents aged 85 and over is projected to rise by 2,000, "
              "or 34%.", mistake=False),
    paragraph(NOTES, VISION, "## The difference for patients and service users",
              "Questions still to be answered by the evaluation include whether the neighbourhood teams "
              "reduce GP workload; its design sets out how each will be tested.", mistake=False),
    paragraph(NOTES, ENGAGEMENT, "### Involvement in delivery",
              "People who are waiting for a service, as well as those who have used one, are welcome on "
              "the reference group.", mistake=False),
    paragraph(NOTES, CONDITIONS, "### Information governance",
              "The draft data protection impact assessment was approved by the Caldicott panel in June 2014 "
              "and is now final.", mistake=False),
    paragraph(NOTES, FALLS, "## Overview of the scheme",
              "The screening asks three questions, such as 'Have you fallen in the past year?', and takes "
              "under a minute.", mistake=False),
    paragraph(LETTERS, FALLS, "## The delivery chain",
              "Fracture clinics refer everyone whose X-ray shows a fragility fracture.", mistake=False),
    paragraph(LETTERS, CASE, "### Deprivation",
              "The ward profiles give the full figures for each of the 21 wards in tables A1 to A21.",
              mistake=False),
    paragraph(NUMBERS, CONDITIONS, "### The NHS Number",
              "The remaining 6% of open cases, mostly people with no recent contact with health services, "
              "should be traced by December 2014.", mistake=False),
    paragraph(NUMBERS, VISION, "### By 2018/19",
              "The pooled budget for 2015/16 is £18,640,000, against a national minimum of £17,914,000.",
              mistake=False),
]

assert len(MISTAKES) == 45, len(MISTAKES)
assert len(FINISHED) == 30, len(FINISHED)
