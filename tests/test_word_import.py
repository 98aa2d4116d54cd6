"""`python build.py import PLAN.docx`: an existing Word plan into a plan repository (issue 15, part 1).

Three kinds of test: a plan typed by hand in LibreOffice following the 2014 template (written here
as a flat ODF document, converted to .docx by LibreOffice itself), imported and checked, with
only the mistakes planted in it found; the example plan's own Word file imported back to content
that means the same; and the author's mistakes (no such file, not a Word file, a plan already there).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import yaml

from conftest import REPO, run_cli
from planpress.build import check_plan
from planpress.collaborate.fmt import split_sentences
from planpress.load.models import parse_money
from planpress.load.pack_loader import read_pack_by_id
from planpress.word.data import read_tables
from planpress.word.trouble import Trouble, message
from planpress.word.walk import sort_blocks

# --- a plan typed by hand in LibreOffice -------------------------------------------------------


def _png(colour: tuple[int, int, int]) -> bytes:
    """A 4 x 4 picture of one colour: the smallest honest PNG."""
    raw = b"".join(b"\x00" + bytes(colour) * 4 for _ in range(4))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def h(level: int, text: str) -> str:
    return f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">{escape(text)}</text:h>'


def p(text: str) -> str:
    """A paragraph; *x* is set in italic, **x** in bold and [x](url) as a link, as an author would in Word."""
    text = escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r'<text:span text:style-name="Bold">\1</text:span>', text)
    text = re.sub(r"\*(.+?)\*", r'<text:span text:style-name="Italic">\1</text:span>', text)
    text = re.sub(r"\[(.+?)\]\((.+?)\)", r'<text:a xlink:type="simple" xlink:href="\2">\1</text:a>', text)
    return f"<text:p>{text}</text:p>"


def bullets(*items: str) -> str:
    inner = "".join(f"<text:list-item>{p(item)}</text:list-item>" for item in items)
    return f'<text:list text:style-name="Bullets">{inner}</text:list>'


def table(header: list[str], *rows: list[str]) -> str:
    def row(cells: list[str]) -> str:
        return "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string">{p(c)}</table:table-cell>' for c in cells) \
            + "</table:table-row>"

    return (f'<table:table><table:table-column table:number-columns-repeated="{len(header)}"/>'
            f"<table:table-header-rows>{row(header)}</table:table-header-rows>"
            + "".join(row(r) for r in rows) + "</table:table>")


def picture(name: str, alt: str, colour: tuple[int, int, int]) -> str:
    described = f"<svg:desc>{escape(alt)}</svg:desc>" if alt else ""
    data = base64.b64encode(_png(colour)).decode()
    return (f'<text:p><draw:frame draw:name="{name}" text:anchor-type="as-char" svg:width="2cm" svg:height="2cm">'
            f"<draw:image><office:binary-data>{data}</office:binary-data></draw:image>{described}"
            "</draw:frame></text:p>")


FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>Moorcastle Better Care Fund plan</dc:title>
<dc:creator>Moorcastle Health and Wellbeing Board</dc:creator>
<meta:initial-creator>Moorcastle Health and Wellbeing Board</meta:initial-creator></office:meta>
<office:styles>
<style:style style:name="Heading" style:family="paragraph" style:class="text"/>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"
 style:parent-style-name="Heading" style:default-outline-level="1" style:class="text"/>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph"
 style:parent-style-name="Heading" style:default-outline-level="2" style:class="text"/>
<style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph"
 style:parent-style-name="Heading" style:default-outline-level="3" style:class="text"/>
</office:styles>
<office:automatic-styles>
<style:style style:name="Italic" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
<style:style style:name="Bold" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<text:list-style style:name="Bullets"><text:list-level-style-bullet text:level="1" text:bullet-char="•">
<style:list-level-properties text:space-before="0.6cm" text:min-label-width="0.6cm"/></text:list-level-style-bullet>
</text:list-style>
</office:automatic-styles>
<office:body><office:text>
{body}
</office:text></office:body></office:document>
"""

SCHEME = ["Reference", "Name", "Theme", "Lead officer", "Strategic objective"]
SPEND = ["Commissioner", "Provider", "Area of spend", "2014/15", "2015/16"]


def _scheme(ref: str, name: str, theme: str, lead: str, spend: list[str]) -> list[str]:
    return [
        h(2, f"{ref}: {name}"),
        table(["Scheme", "Details"], ["Reference", ref], ["Name", name], ["Theme", theme], ["Lead officer", lead],
              ["Strategic objective", f"Fewer people in Moorcastle need hospital care because of {name.lower()}."]),
        h(3, "Overview of the scheme"), p(f"The {name.lower()} scheme works across the city. It started in 2014."),
        h(3, "The delivery chain"), p("The council commissions it and Moorcastle Community Trust provides it."),
        h(3, "The evidence base"), p("Local audits in 2013 showed what works."),
        h(3, "Investment requirements"), p("The money comes from the pooled budget."),
        table(SPEND, spend),
        h(3, "Impact of the scheme"), p("Fewer emergency admissions of older people."),
        h(3, "Feedback loop"), p("The programme board reviews the figures every month."),
    ]


HAND_WRITTEN = [
    h(1, "1) Plan details"),
    h(2, "1a. Summary of the plan"),
    p("This plan is agreed between Moorcastle City Council and NHS Moorcastle CCG."),
    table(["Summary", "Details"], ["Local authority", "Moorcastle City Council"],
          ["Clinical Commissioning Groups", "NHS Moorcastle CCG"],
          ["Date agreed at the Health and Wellbeing Board", "10 September 2014"],
          ["Date submitted", "19 September 2014"]),
    table(["Financial year", "Minimum required value", "Total agreed value"],
          ["2014/15", "£300,000", "£300,000"], ["2015/16", "£1,000,000", "£1,000,000"]),
    table(["Source", "Organisation", "2014/15", "2015/16"],
          ["CCG minimum contribution", "NHS Moorcastle CCG", "£300,000", "£1,000,000"]),
    h(2, "Section 1(b) Authorisation and sign-off"),
    table(["Organisation", "Name", "Position", "Date"],
          ["Moorcastle City Council", "Ann Hale", "Chief Executive", "12 September 2014"],
          ["NHS Moorcastle CCG", "Raj Patel", "Accountable Officer", "12 September 2014"]),
    h(2, "1 c) Related documents"),
    table(["Ref", "Title", "Synopsis and link"],
          ["D1", "Joint Health and Wellbeing Strategy", "Our shared priorities. https://www.moorcastle.gov.uk/jhws"]),
    h(1, "Section 2: Vision for health and care services"),
    h(2, "a) Our vision for the next five years"),
    p("By 2019 people in Moorcastle will get care at home when they can. "
      "Services will be *joined up* around the person, as the [strategy](https://www.moorcastle.gov.uk/jhws) says."),
    bullets("Fewer emergency admissions.", "More people living at home."),
    h(2, "b) The difference for patients and service users"),
    p("People will tell their story once."),
    picture("Map", "A map of Moorcastle's six neighbourhoods", (0, 90, 160)),
    h(2, "c) Changes to the pattern of services"),
    p("Community teams will grow and **hospital beds** will be fewer."),
    picture("Chart", "", (200, 60, 0)),
    h(1, "3) Case for change"),
    h(2, "3a) Needs analysis"), p("The number of people over 85 will double by 2030."),
    h(2, "3b) Risk stratification"), p("We used a risk tool across all practices."),
    h(1, "4) Plan of action"),
    h(2, "4a) Milestones and interdependencies"),
    table(["Ref", "Task", "Scheme or theme", "Owner", "Start", "Due", "Depends on"],
          ["M1", "Recruit the falls team", "PR1", "Ann Hale", "1 October 2014", "January 2015", "–"],
          ["M2", "Open the discharge hub", "IC1", "Raj Patel", "1 January 2015", "March 2015", "M1"]),
    h(2, "4b) Governance"),
    table(["Board", "Purpose", "Chair", "Meets", "Reports to"],
          ["Moorcastle Health and Wellbeing Board", "Agrees the plan.", "Cllr Joan Ede", "quarterly", "–"]),
    h(2, "4c) Management and oversight"), p("A programme board meets monthly."),
    h(2, "4d) List of planned BCF schemes"), p("There are two schemes, described in Annex 1."),
    table(["Theme", "Ref", "Scheme", "Lead"], ["Prevention", "PR1", "Falls prevention", "Ann Hale"],
          ["Integrated care", "IC1", "Discharge hub", "Raj Patel"]),
    h(1, "5) Risks and contingency"),
    h(2, "5a) Risk log"),
    table(["Ref", "Risk", "Likelihood", "Impact", "Risk factor", "Financial impact", "Lead", "Mitigating actions"],
          ["R1", "There is a risk that admissions do not fall.", "3", "4", "12", "£100,000 (NHS Moorcastle CCG)",
           "Raj Patel", "Monthly review of admissions."]),
    h(2, "5b) Contingency plan and risk sharing"), p("Overspends are shared in proportion to contributions."),
    table(["Pay for performance", "Figure"], ["Baseline admissions", "18,400"],
          ["Baseline period", "January to December 2013"], ["Planned reduction", "650"]),
    h(1, "6) Alignment"),
    h(2, "6a) Alignment with other initiatives"), p("The plan builds on the city's prevention programme."),
    h(2, "6b) Alignment with operating and strategic plans"), p("It matches the CCG's five-year plan."),
    h(2, "6c) Alignment with primary care co-commissioning"), p("The CCG has not applied to co-commission."),
    h(1, "7) National conditions"),
    h(2, "Section 7(a) Protecting social care services"),
    h(3, "7 a) i) Our local definition"), p("We protect services that keep people independent."),
    h(2, "7b) 7 day services to support discharge"), p("The discharge hub opens every day from 2015."),
    h(2, "7c) Data sharing"), p("The NHS Number is used in every record."),
    h(2, "7d) Joint assessment and accountable lead professional"), p("Each person at high risk has a lead."),
    h(1, "8) Engagement"),
    h(2, "8a) Patient, service user and public engagement"), p("We held six public events."),
    h(2, "8b) Service provider engagement"), p("Providers helped design the schemes."),
    h(1, "Annex 1: Detailed scheme descriptions"),
    *_scheme("PR1", "Falls prevention", "Prevention", "Ann Hale",
             ["Moorcastle City Council", "Moorcastle Community Trust", "Social care", "£100,000", "£400,000"]),
    # The malformed amount a real progress report printed, planted here.
    *_scheme("IC1", "Discharge hub", "Integrated care", "Raj Patel",
             ["NHS Moorcastle CCG", "Moorcastle Hospitals NHS Trust", "Acute", "£214,00", "£600,000"]),
    # What the template has no place for: kept, never dropped.
    h(1, "Appendix B: Glossary"),
    p("BCF means the Better Care Fund."),
]


@pytest.fixture(scope="module")
def hand_written_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plan above, saved as .docx by LibreOffice (never by planpress)."""
    folder = tmp_path_factory.mktemp("hand")
    source = folder / "moorcastle-plan.fodt"
    source.write_text(FODT.format(body="\n".join(HAND_WRITTEN)), encoding="utf-8")
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "docx",
         "--outdir", str(folder), str(source)], capture_output=True, text=True, timeout=300)
    docx = folder / "moorcastle-plan.docx"
    assert docx.is_file(), f"soffice failed ({result.returncode}): {result.stdout}{result.stderr}"
    return docx


@pytest.fixture(scope="module")
def imported(hand_written_docx: Path, tmp_path_factory: pytest.TempPathFactory):
    target = tmp_path_factory.mktemp("imported") / "moorcastle"
    result = run_cli(REPO, "import", str(hand_written_docx), "--into", str(target))
    return target, result


def test_hand_written_plan_goes_where_the_template_says(imported) -> None:
    target, result = imported
    assert result.code == 0, result.out + result.err
    out = result.out
    assert "following bcf-2014" in out
    for expected in ["section 2 (Vision for health and care services): text for 3 of its 3 parts",
                     "section 7 (National conditions): text for 4 of its 4 parts",
                     "section 8 (Engagement): text for 2 of its 3 parts",
                     "2 scheme descriptions (PR1, IC1) -> content/schemes/",
                     "a table headed Theme | Ref | Scheme | Lead -> the list of schemes by theme (2 rows",
                     "1 piece with no place in the template -> content/unplaced.md",
                     "-> content/data/risks.yaml: risks (1 row)",
                     "-> content/data/milestones.yaml: milestones (2 rows)",
                     "-> content/plan.yaml: signatories (2 rows)",
                     "-> content/data/documents.yaml: documents (1 row)",
                     "-> content/data/finance.yaml: pay_for_performance",
                     "nothing in the Word file for content/data/metrics.yaml",
                     "nothing in the Word file for content/data/providers.yaml"]:
        assert expected in out, expected
    vision = (target / "content/sections/02-vision.md").read_text(encoding="utf-8")
    # Reworded title matched; one sentence per line; emphasis, link and list kept; the picture with its alt text.
    assert "## Vision for the next five years\n\nBy 2019 people in Moorcastle will get care at home when they can.\n" \
           "Services will be *joined up* around the person, as the [strategy](https://www.moorcastle.gov.uk/jhws) " \
           "says.\n" in vision
    assert "- Fewer emergency admissions.\n- More people living at home." in vision
    assert "**hospital beds**" in vision
    assert re.search(r"!\[A map of Moorcastle's six neighbourhoods\]\(\.\./images/[\w.-]+\.png\)", vision)
    pictures = sorted((target / "content/images").iterdir())
    assert len(pictures) == 2 and all(p.read_bytes().startswith(b"\x89PNG") for p in pictures)
    conditions = (target / "content/sections/07-national-conditions.md").read_text(encoding="utf-8")
    assert "## Protecting social care services\n\n### Our local definition\n\nWe protect services" in conditions
    risks = (target / "content/data/risks.yaml").read_text(encoding="utf-8")
    assert "amount: £100,000" in risks and "falls_on: NHS Moorcastle CCG" in risks and "likelihood: 3" in risks
    scheme = (target / "content/schemes/IC1.md").read_text(encoding="utf-8")
    assert "theme: IC\n" in scheme and "lead: Raj Patel" in scheme


def test_hand_written_plan_reports_each_planted_mistake_at_its_line(imported) -> None:
    target, result = imported
    finance = (target / "content/data/finance.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(finance, start=1) if "£214,00" in text)
    assert (f"content/data/finance.yaml:{line}: The cell '£214,00' (the amounts for 2014/15) does not read as a "
            "sum of money such as £214,000: it is kept as written. Correct it in the file.") in result.out
    assert re.search(r"content/sections/02-vision\.md:\d+: The picture images/[\w.-]+ had no alternative text in "
                     r"the Word file\. Replace 'TBC: describe this picture' with a sentence", result.out)
    unplaced = (target / "content/unplaced.md").read_text(encoding="utf-8").splitlines()
    line = unplaced.index("## Piece 1: after the heading 'Appendix B: Glossary'") + 1
    assert unplaced[line + 1] == "BCF means the Better Care Fund."
    assert (f"content/unplaced.md:{line}: Piece 1: after the heading 'Appendix B: Glossary': kept here, not placed "
            "in the plan. Move it where it belongs in content/, or delete it.") in result.out
    assert "Piece 2" not in result.out


def test_check_on_the_hand_written_plan_finds_only_the_planted_mistakes(imported) -> None:
    target, _result = imported
    checked = run_cli(target, "check", "--format", "json")
    found = {(f["file"], f["rule"]) for f in json.loads(checked.out)["findings"]}
    assert found == {
        ("content/data/finance.yaml", "wrong-type"),          # £214,00, kept as written
        ("content/sections/02-vision.md", "placeholder"),     # the picture with no alternative text
        ("content/data/metrics.yaml", "missing-file"),        # Part 2 (the metrics) is not in the Word plan
        ("content/data/providers.yaml", "missing-file"),      # nor Annex 2 (the providers' commentary, 8c)
    }, checked.out


# --- the example's own Word file, back to content ---------------------------------------------


def _sentences(markdown: str) -> list[str]:
    """A part's prose as sentences, compared in meaning: no link targets, emphasis, tables, pictures or comments."""
    text = re.sub(r"<!--.*?-->", "", markdown, flags=re.DOTALL)
    kept = [line for line in text.splitlines() if not line.lstrip().startswith(("|", "!["))]
    text = " ".join(kept)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`#]", "", text).replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"^\s*[-+]\s+|\s+[-+]\s+(?=[A-Z])|\s\d+\.\s", " ", text)
    return [re.sub(r"\s+", " ", s).strip() for s in split_sentences(re.sub(r"\s+", " ", text)) if s.strip()]


@pytest.fixture(scope="module")
def round_trip_folder(built_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    docx = next((built_project / "output").glob("*-bcf-plan.docx"))
    target = tmp_path_factory.mktemp("round") / "plan"
    result = run_cli(built_project, "import", str(docx), "--into", str(target))
    assert result.code == 0, result.out + result.err
    return target


@pytest.fixture(scope="module")
def round_trip(built_project: Path, round_trip_folder: Path):
    return check_plan(built_project).content, check_plan(round_trip_folder).content


def test_round_trip_links_come_back_as_short_links(built_project: Path, round_trip_folder: Path) -> None:
    """A link to a risk, a task, a scheme or a section is the plan's short link again (a link to a metric goes to
    the Word file's table of figures, which names no metric, so it is not compared)."""
    def links(root: Path) -> list[str]:
        found = []
        for path in sorted((root / "content").glob("s*/*.md")):
            found += re.findall(r"\]\(((?:risk|milestone|scheme|section):[^)]+)\)", path.read_text(encoding="utf-8"))
        return sorted(found)

    assert links(round_trip_folder) == links(built_project)
    assert len(links(built_project)) > 40
    # The charts the build drew from the data are not taken for the plan's own pictures: they wait in
    # content/unplaced.md, with their paths from there.
    for path in (round_trip_folder / "content").glob("s*/*.md"):
        assert "![" not in path.read_text(encoding="utf-8"), path
    unplaced = (round_trip_folder / "content/unplaced.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", unplaced)
    assert shown and all((round_trip_folder / "content" / path).is_file() for path in shown)


def test_round_trip_keeps_every_part_and_sentence(round_trip) -> None:
    source, back = round_trip
    assert [s.meta.id for s in back.sections] == [s.meta.id for s in source.sections]
    for before, after in zip(source.sections, back.sections):
        assert [p.pack_part.id for p in after.parts] == [p.pack_part.id for p in before.parts], before.file
        assert _sentences(after.intro) == _sentences(before.intro), before.file
        for old, new in zip(before.parts, after.parts):
            assert _sentences(new.markdown) == _sentences(old.markdown), f"{before.file}: {old.heading}"
    assert sorted(s.meta.reference for s in back.schemes) == sorted(s.meta.reference for s in source.schemes)
    for before in source.schemes:
        after = next(s for s in back.schemes if s.meta.reference == before.meta.reference)
        assert (after.meta.name, after.meta.theme, after.meta.lead) == (before.meta.name, before.meta.theme,
                                                                        before.meta.lead)
        for old, new in zip(before.parts, after.parts):
            assert _sentences(new.markdown) == _sentences(old.markdown), f"{before.file}: {old.heading}"


def test_round_trip_keeps_the_figures_of_the_tables_it_reads(round_trip) -> None:
    source, back = round_trip

    def risks(content):
        return [(r.id, r.likelihood, r.impact, r.financial_impact and r.financial_impact.amount, r.lead)
                for r in content.risks.risks]

    def milestones(content):
        return [(t.id, t.task, t.scheme, t.theme, t.owner, str(t.start), str(t.due), list(t.depends_on))
                for t in content.milestones.milestones]

    def money(content):
        finance = content.finance
        return ([(f.source, dict(f.amounts)) for f in finance.funding],
                sorted((e.scheme, e.provider, tuple(sorted(e.amounts.items()))) for e in finance.expenditure))

    def plan(content):
        p = content.plan
        return ([(b.year, b.minimum, b.agreed) for b in p.pooled_budget],
                [(s.organisation, s.name, s.position, s.date) for s in p.signatories],
                p.local_authority, list(p.ccgs), p.date_agreed, p.date_submitted, p.hwb)

    def metrics(content):
        return [(m.name, m.unit, m.better, m.baseline.period, m.baseline.value,
                 [(p.period, p.value, p.stated_change) for p in m.plans]) for m in content.metrics.metrics]

    def performance(content):
        p4p = content.finance.pay_for_performance
        return (p4p.baseline_admissions, p4p.baseline_period, p4p.planned_reduction, p4p.unit_cost, p4p.stated_fund)

    def providers(content):
        return [(p.provider, p.contact, p.chief_executive, p.signature, str(p.date), p.figures.outturn_period,
                 p.figures.outturn, dict(p.figures.plans), dict(p.figures.prevented_by_bcf), p.agrees_with_figures,
                 " ".join(p.comments.split()), p.considered_implications, " ".join(p.implications.split()))
                for p in content.providers.providers]

    for read in (risks, milestones, money, plan, metrics, performance, providers):
        assert read(back) == read(source), read.__name__
    assert [(d.ref, d.title, d.synopsis, d.link) for d in back.documents.documents] == \
           [(d.ref, d.title, d.synopsis, d.link) for d in source.documents.documents]
    assert [(b.name, b.chair, b.reports_to) for b in back.governance.boards] == \
           [(b.name, b.chair, b.reports_to) for b in source.governance.boards]
    assert [(t.id, t.name, list(t.schemes)) for t in back.themes.themes] == \
           [(t.id, t.name, list(t.schemes)) for t in source.themes.themes]


def test_round_trip_links_to_metrics_name_the_same_metric(round_trip, round_trip_folder: Path) -> None:
    """The Word file shows no metric's id, so the ids come back made from the names; a link to the table of
    metrics whose words name just one metric links to that metric again, the one the source linked to."""
    source, back = round_trip

    def linked(content, root: Path) -> list[tuple[str, str]]:
        names = {m.id: " ".join(m.name.split()) for m in content.metrics.metrics}
        found = []
        for path in sorted((root / "content").glob("s*/*.md")):
            text = " ".join(path.read_text(encoding="utf-8").split())
            found += [(said, names[ident]) for said, ident in re.findall(r"\[([^\]]+)\]\(metric:([^)]+)\)", text)]
        return found

    before, after = linked(source, REPO), linked(back, round_trip_folder)
    assert set(after) <= set(before)
    assert len(after) >= 25 and len(before) == 34
    assert [m.id for m in back.metrics.metrics][:2] == ["permanent-admissions-older-people", "proportion-older-people-aged"]


def test_round_trip_check_finds_nothing(round_trip_folder: Path) -> None:
    """The tables whose rows the layout words for itself (the performance element's figures, each provider's
    commentary under its own heading) come back as data, so the imported plan is as complete as the source."""
    checked = run_cli(round_trip_folder, "check", "--format", "json")
    assert json.loads(checked.out)["findings"] == [], checked.out
    assert (round_trip_folder / "content/data/providers.yaml").is_file()


# --- an author's mistakes ------------------------------------------------------------------


def test_a_missing_file_is_refused_in_one_line(project: Path) -> None:
    result = run_cli(project, "import", str(project / "no-such-plan.docx"), "--into", str(project / "new"))
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        f"Error: there is no file {project / 'no-such-plan.docx'}. Give the path of the Word plan, such as "
        "~/Documents/plan.docx. Nothing was written."]
    assert not (project / "new").exists()


def test_a_file_that_is_not_a_word_file_is_refused(project: Path) -> None:
    fake = project / "plan.docx"
    fake.write_text("This is a text file with a .docx name.", encoding="utf-8")
    result = run_cli(project, "import", str(fake), "--into", str(project / "new"))
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        f"Error: {fake} is not a Word file (.docx). Save it from Word or LibreOffice as 'Word Document (.docx)' "
        "and import that. Nothing was written."]
    assert not (project / "new").exists()


def test_an_existing_plan_is_never_written_over(project: Path, hand_written_docx: Path) -> None:
    before = sorted(str(p.relative_to(project)) for p in (project / "content").rglob("*"))
    result = run_cli(project, "import", str(hand_written_docx))
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        f"Error: {project / 'content'} already exists: a plan is there. Import into a new folder with --into, "
        "such as --into ../our-plan. Nothing was written."]
    result = run_cli(project, "import", str(hand_written_docx), "--into", str(project))
    assert result.code == 1 and "already exists: a plan is there. Import into another folder." in result.err
    assert sorted(str(p.relative_to(project)) for p in (project / "content").rglob("*")) == before


# --- reading one table as data ------------------------------------------------------------------


def _target(pack_id: str, key: str):
    from planpress.load.pack_loader import read_pack_by_id
    from planpress.word import tables

    pack, _problems = read_pack_by_id(REPO, pack_id)
    return next(t for t in tables.list_targets(pack) if t.key == key)


def test_a_figure_printed_with_its_band_fills_the_band_too() -> None:
    from planpress.word import tables

    target = _target("bcf-2014", "risks")
    headers = ["Ref", "Risk", "Likelihood", "Impact", "Risk factor", "Lead", "Mitigating actions"]
    columns = tables.match_header(headers, target.item.fields, target.item.key, target.item.kind)
    read = tables.read_table(target, headers, [["R1", "There is a risk that ...", "4", "4", "16 (Very high)",
                                                "Ann Hale", "Review monthly."]], columns, {})
    assert read.items == [{"id": "R1", "risk": "There is a risk that ...", "likelihood": 4, "impact": 4,
                           "factor": 16, "rating": "Very high", "lead": "Ann Hale", "mitigation": "Review monthly."}]
    assert read.unread == []


def test_a_column_is_not_taken_for_a_field_that_shares_only_its_last_word() -> None:
    from planpress.word import tables

    target = _target("bcf-2026", "expenditure")
    fields = target.item.fields
    assert "provider_type" in fields and "scheme_type" not in fields
    assert tables.header_score("Scheme type", "provider_type", fields["provider_type"], target.item.key) == 0
    assert tables.header_score("Provider type", "provider_type", fields["provider_type"], target.item.key) == 1


def test_a_damaged_word_file_is_refused_in_one_line(project: Path, hand_written_docx: Path) -> None:
    """A Word file whose text is not well-formed XML (a file cut short in an e-mail, say) stops the import
    with one line naming the file, not a traceback, and leaves nothing behind."""
    damaged = project / "damaged.docx"
    with zipfile.ZipFile(hand_written_docx) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    result = run_cli(project, "import", str(damaged), "--into", str(project / "new"))
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err, result.err
    assert lines[0].startswith("Error: damaged.docx: the import stopped (XMLSyntaxError: ")
    assert lines[0].endswith("Nothing was written.")
    assert not (project / "new").exists()


def test_an_error_reading_a_table_names_the_heading_it_was_under() -> None:
    """A table shaped as the import never foresaw (here, as a later pandoc might give it) is told with the
    heading it stood under, for the one-line message."""
    pack, _problems = read_pack_by_id(REPO, "bcf-2014")
    heading = {"t": "Header", "c": [1, ["", [], []], [{"t": "Str", "c": "Risks"}]]}
    odd_table = {"t": "Table", "c": "not a table"}
    with pytest.raises(Trouble) as stopped:
        read_tables(pack, sort_blocks(pack, [heading, odd_table]))
    assert stopped.value.heading == "Risks"
    assert message("plan.docx", stopped.value).startswith(
        "Error: plan.docx: the import stopped, under the heading 'Risks' (ValueError: ")


# --- the newest round's example, back to content --------------------------------------------


@pytest.fixture(scope="module")
def newest_round_trip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The bcf-2026 example built to Word, and that Word file imported into a new plan."""
    example = tmp_path_factory.mktemp("newest") / "plan"
    shutil.copytree(REPO / "examples" / "bcf-2026", example, ignore=shutil.ignore_patterns("output", ".output-*"))
    shutil.copytree(REPO / "templates", example / "templates")
    built = run_cli(example, "documents")
    assert built.code == 0, built.out + built.err
    target = example.parent / "imported"
    result = run_cli(example, "import", str(next((example / "output").glob("*-bcf-plan.docx"))), "--into", str(target))
    assert result.code == 0, result.out + result.err
    return example, target


def test_newest_round_trip_reads_every_cell_as_its_type(newest_round_trip) -> None:
    """Yes or no with the layout's words after it ("No: it continues ..."), a contact printed as its fields
    joined, a provider with its kind in brackets, a column giving each line's scheme type: each cell reads as
    its field's type, so `check` finds no wrong type."""
    example, target = newest_round_trip
    checked = json.loads(run_cli(target, "check", "--format", "json").out)["findings"]
    assert [f for f in checked if f["rule"] == "wrong-type"] == [], checked
    source, back = check_plan(example).content, check_plan(target).content
    assert [(c.name, c.role, c.email) for c in (back.plan.contact, source.plan.contact)] == \
           [(source.plan.contact.name, source.plan.contact.role, source.plan.contact.email)] * 2
    assert {s.meta.reference: s.meta.new_scheme for s in back.schemes} == \
           {s.meta.reference: s.meta.new_scheme for s in source.schemes}

    def finance(root: Path) -> tuple[list, list]:
        # The files, not the models: the import reads no allocations yet, so the finance model is not made.
        values = yaml.safe_load((root / "content/data/finance.yaml").read_text(encoding="utf-8"))

        def money(amounts: dict) -> dict:
            return {year: parse_money(str(amount)) for year, amount in amounts.items()}

        return (sorted(sorted((k, str(money(v) if k == "amounts" else v)) for k, v in line.items())
                       for line in values["expenditure"]),
                [(f["stream"], f["organisation"], money(f["amounts"])) for f in values["funding"]])

    assert finance(target) == finance(example)
    assert [(c.id, c.title, c.met, " ".join(c.assurance.split())) for c in back.conditions.conditions] == \
           [(c.id, c.title, c.met, " ".join(c.assurance.split())) for c in source.conditions.conditions]
