"""Every part of the July 2014 BCF planning template (Part 1) is in the bcf-2014 pack and in
every output of the example plan, with the template's numbering and lettering: sections 1 to 8
and their lettered parts, Annex 1 (the detailed scheme description) and Annex 2 (the provider
commentary, with its rows and its three questions). Annex 2's two "change compared to" rows are
worked out from the provider's figures, and a change a plan states is checked against them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import yaml
from docx.oxml.ns import qn

from conftest import REPO, run_cli

PLAN = "output/harrowdale-bcf-plan"

# The revised template (July 2014), Part 1: section number, title, and each part's letter and title.
TEMPLATE_SECTIONS = [
    ("1", "Plan details", [("a", "Summary of plan"), ("b", "Authorisation and sign-off"),
                           ("c", "Related documentation")]),
    ("2", "Vision for health and care services", [
        ("a", "Vision for the next five years"), ("b", "The difference for patients and service users"),
        ("c", "Changes to the pattern of services")]),
    ("3", "Case for change", [("a", "Needs analysis"), ("b", "Risk stratification")]),
    ("4", "Plan of action", [("a", "Milestones and interdependencies"), ("b", "Governance"),
                             ("c", "Management and oversight"), ("d", "List of planned BCF schemes")]),
    ("5", "Risks and contingency", [("a", "Risk log"), ("b", "Contingency plan and risk sharing")]),
    ("6", "Alignment", [("a", "Alignment with other initiatives"),
                        ("b", "Alignment with operating and strategic plans"),
                        ("c", "Alignment with primary care co-commissioning")]),
    ("7", "National conditions", [("a", "Protecting social care services"),
                                  ("b", "7 day services to support discharge"), ("c", "Data sharing"),
                                  ("d", "Joint assessment and accountable lead professional")]),
    ("8", "Engagement", [("a", "Patient, service user and public engagement"),
                         ("b", "Service provider engagement"), ("c", "Implications for acute providers")]),
]
ANNEX_1 = ("Annex 1", ["Overview of the scheme", "The delivery chain", "The evidence base",
                       "Investment requirements", "Impact of the scheme", "Feedback loop"])
# Annex 2, as the template lays it out: who signs, the HWB's figures, the provider's three questions.
ANNEX_2 = ("Annex 2", [
    "Name of Health and Wellbeing Board", "Name of provider organisation", "Name of provider chief executive",
    "Signature (electronic or typed)",
    "Total non-elective first finished consultant episodes (FFCEs) in general and acute: 2013/14 outturn",
    "2014/15 plan", "2015/16 plan",
    "2014/15 change compared to the 2013/14 outturn", "2015/16 change compared to the planned 2014/15 outturn",
    "Non-elective admissions the BCF is planned to prevent in 2014/15",
    "Non-elective admissions the BCF is planned to prevent in 2015/16",
    "Question 1: Do you agree with the data above", "Question 2: If you did not agree, why not?",
    "Question 3: Can you confirm that you have considered the resultant implications",
])
SECTION_IDS = {"1": "plan-details", "2": "vision", "3": "case-for-change", "4": "plan-of-action", "5": "risks",
               "6": "alignment", "7": "national-conditions", "8": "engagement"}


def flat(text: str) -> str:
    """Text with every run of spaces and line breaks made one space, and typographic quotes plain."""
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u00ad", ""))


def docx_text(path: Path) -> str:
    body = docx.Document(str(path)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def pdf_text(path: Path, *options: str) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "poppler-utils (pdftotext) is needed"
    return subprocess.run([tool, *options, str(path), "-"], capture_output=True, text=True, check=True).stdout


def site_text(built: Path, page: str) -> str:
    from html import unescape
    raw = (built / "output/site" / page).read_text(encoding="utf-8")
    return flat(unescape(re.sub(r"<[^>]+>", " ", raw)))


def providers(project: Path) -> list[dict]:
    return yaml.safe_load((project / "content/data/providers.yaml").read_text(encoding="utf-8"))["providers"]


def expected_changes(provider: dict) -> list[tuple[str, str]]:
    """The two change rows worked out here from the figures: (row label, "+40 (+0.2%)")."""
    figures = provider["figures"]
    rows, before, name = [], figures["outturn"], f"the {figures['outturn_period']} outturn"
    for year in ("2014/15", "2015/16"):
        after = figures["plans"][year]
        change, percent = after - before, round((after - before) * 100 / before, 1)
        sign = "+" if change > 0 else "\u2212" if change < 0 else ""
        rows.append((f"{year} change compared to {name}", f"{sign}{abs(change):,} ({sign}{abs(percent):.1f}%)"))
        before, name = after, f"the planned {year} outturn"
    return rows


def test_the_pack_has_every_part_of_the_template_with_its_number_and_letter():
    pack = yaml.safe_load((REPO / "templates/bcf-2014/pack.yaml").read_text(encoding="utf-8"))
    found = [(s["number"], s["title"], [(p.get("label"), p["title"]) for p in s["parts"]]) for s in pack["sections"]]
    assert found == TEMPLATE_SECTIONS
    assert [part["title"] for part in pack["scheme_parts"]] == ANNEX_1[1]
    fields = yaml.safe_load((REPO / "templates/bcf-2014/data.yaml").read_text(encoding="utf-8"))
    provider = fields["files"]["providers"]["fields"]["providers"]["fields"]
    for name in ("chief_executive", "signature", "considered_implications", "implications"):
        assert name in provider and not provider[name].get("required"), name
    assert "stated_changes" in provider["figures"]["fields"]


def test_every_part_is_in_the_word_file_the_pdf_and_the_site_numbered_as_the_template_numbers_it(built_project):
    docs = {"DOCX": flat(docx_text(built_project / f"{PLAN}.docx")),
            "PDF": flat(pdf_text(built_project / f"{PLAN}.pdf"))}
    missing = []
    for number, title, parts in TEMPLATE_SECTIONS:
        page = site_text(built_project, f"sections/{SECTION_IDS[number]}.html")
        for where, text in [*docs.items(), ("site", page)]:
            if f"{number}) {title}" not in text:
                missing.append((where, f"{number}) {title}"))
            for letter, part in parts:
                if f"{letter}) {part}" not in text:
                    missing.append((where, f"{number}{letter}) {part}"))
    for annex, items in (ANNEX_1, ANNEX_2):
        for where, text in docs.items():
            if f"{annex}:" not in text:
                missing.append((where, annex))
            missing += [(where, f"{annex}: {item}") for item in items if item not in text]
    scheme = site_text(built_project, "schemes/ch1.html")
    missing += [("site", f"Annex 1: {item}") for item in ANNEX_1[1] if item not in scheme]
    engagement = site_text(built_project, "sections/engagement.html")
    if "Annex 2" not in engagement:
        missing.append(("site", "Annex 2"))
    missing += [("site", f"Annex 2: {item}") for item in ANNEX_2[1] if item not in engagement]
    assert not missing


def test_the_change_rows_are_worked_out_from_the_providers_figures(built_project):
    texts = {"DOCX": flat(docx_text(built_project / f"{PLAN}.docx")),
             "PDF": flat(pdf_text(built_project / f"{PLAN}.pdf", "-layout", "-nodiag")),  # a row on one line; no DRAFT letters
             "site": site_text(built_project, "sections/engagement.html")}
    for provider in providers(built_project):
        assert "stated_changes" not in provider["figures"]  # never typed: worked out
        for label, change in expected_changes(provider):
            for where, text in texts.items():
                commentary = text[text.index(f"Name of provider organisation {provider['provider']}"):]
                found = re.search(re.escape(label) + r" (\S+ \(\S+%\))", commentary)
                assert found and found.group(1) == change, (where, provider["provider"], label)


def test_the_provider_chief_executive_signature_and_answer_to_question_3_are_shown(built_project):
    texts = {"DOCX": flat(docx_text(built_project / f"{PLAN}.docx")),
             "PDF": flat(pdf_text(built_project / f"{PLAN}.pdf")),
             "site": site_text(built_project, "sections/engagement.html")}
    for provider in providers(built_project):
        assert provider["chief_executive"] and provider["signature"] and provider["considered_implications"]
        for where, text in texts.items():
            assert f"Name of provider chief executive {provider['chief_executive']}" in text, where
            assert f"Signature (electronic or typed) {provider['signature']}" in text, where
            answer = f"{provider['considered_implications'].capitalize()}. {flat(provider['implications'])}"
            assert re.search(r"Question 3: .{0,200}?" + re.escape(answer), text), where


def test_a_stated_change_that_does_not_follow_from_the_figures_is_reported(project):
    path = project / "content/data/providers.yaml"
    text = path.read_text(encoding="utf-8")
    right = text.replace('        "2015/16": 570\n',
                         '        "2015/16": 570\n      stated_changes:\n        "2014/15": 40\n        "2015/16": -170\n', 1)
    assert right != text
    path.write_text(right, encoding="utf-8")
    assert run_cli(project, "check").code == 0
    path.write_text(right.replace('"2015/16": -170', '"2015/16": -150'), encoding="utf-8")
    result = run_cli(project, "check")
    line = right.splitlines().index('        "2015/16": -170') + 1
    assert result.code == 1
    assert (f"content/data/providers.yaml:{line}: Harrowdale Hospitals NHS Foundation Trust: the stated 2015/16 "
            "change compared to the planned 2014/15 outturn is -150, but from 19,980 to 19,810 it is -170. "
            "Write -170, or leave 'stated_changes' out") in result.out + result.err
    assert "Traceback" not in result.out + result.err


def test_the_metrics_tables_figures_are_right_aligned_in_word_and_on_the_site(built_project):
    document = docx.Document(str(built_project / f"{PLAN}.docx"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Metric")
    header = [cell.text for cell in table.rows[0].cells]
    figures = [i for i, name in enumerate(header) if name == "Baseline" or name.startswith("Plan ")]
    assert figures and header[figures[0]] == "Baseline"
    left = [(row_index, header[i]) for row_index, row in enumerate(table.rows) for i in figures
            if row.cells[i].paragraphs[0].alignment != docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT]
    assert not left
    site = (built_project / "output/site/metrics.html").read_text(encoding="utf-8")
    assert re.search(r'<th[^>]*style="text-align: right;?"[^>]*>Baseline</th>', site)
