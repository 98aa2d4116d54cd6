"""The submission documents (issue 4): the Word file and the PDF/UA-1 PDF, built for real and read back.

These tests drive LibreOffice (soffice) and poppler (pdfinfo) as installed programs. They fail,
never skip, when one is missing: `make system-deps` (scripts/system-deps.sh) installs them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from conftest import REPO, run_cli
from planpress.targets.documents.pandoc import pandoc_path
from planpress.figures import compute
from planpress.load.content import load_content
from planpress.collaborate.version import version_stamp
from planpress.render import long_date, money, number
from planpress.targets import all_targets

SLUG = "harrowdale"
DOCX = f"output/{SLUG}-bcf-plan.docx"
PDF = f"output/{SLUG}-bcf-plan.pdf"


def need(program: str) -> str:
    path = shutil.which(program)
    assert path, f"{program} is not installed: run `make system-deps` (scripts/system-deps.sh) as root"
    return path


# --- reading the outputs back ----------------------------------------------------------


def squash(text: str) -> str:
    """Text compared without what layout changes: spaces, line breaks, quote styles, bullets."""
    text = re.sub(r"[\s\u00ad\u200b\u2060\u2022'\"\u2018\u2019\u201c\u201d]", "", text)
    return text


def docx_text(path: Path) -> str:
    """Every paragraph of the Word body (table cells included), in document order."""
    body = Document(str(path)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def pdf_body_text(path: Path, furniture: list[str]) -> str:
    """The PDF's text less each page's header and footer, so a paragraph split by a page break reads whole."""
    pages = []
    for number_, text in enumerate(pdf_pages(path), start=1):
        text = re.sub(rf"Page\s*{number_}\s*of\s*\d+", "", text)
        text = re.sub(r"(^|\n)\s*DRAFT\s*(\n|$)", "\n", text)  # the watermark, wherever the extractor puts it
        for line in furniture:
            header = "\n".join(text.split("\n", 2)[:2])  # the running header's lines, not the text under it
            text = text.replace(line, "", 1) if line in header else text
            index = text.rfind(line)
            if index >= len(text) - 300 and index >= 0:
                text = text[:index] + text[index + len(line):]
        pages.append(text)
    return "\n".join(pages)


class _HtmlText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(path: Path) -> str:
    parser = _HtmlText()
    parser.feed(path.read_text(encoding="utf-8"))
    return "\n".join(parser.parts)


# --- what the content says -------------------------------------------------------------


def _inline_text(inlines: list) -> str:
    out = []
    for node in inlines:
        kind, value = node["t"], node.get("c")
        if kind == "Str":
            out.append(value)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            out.append(_inline_text(value))
        elif kind in ("Link", "Span", "Image"):
            out.append(_inline_text(value[1] if kind != "Span" else value[1]))
        elif kind == "Quoted":
            out.append(_inline_text(value[1]))
        elif kind == "Code":
            out.append(value[1])
    return "".join(out)


def _block_units(blocks: list) -> list[str]:
    """Paragraphs, list items, headings and table cells, in reading order."""
    units = []
    for block in blocks:
        kind, value = block["t"], block.get("c")
        if kind in ("Para", "Plain"):
            units.append(_inline_text(value))
        elif kind == "Header":
            units.append(_inline_text(value[2]))
        elif kind in ("BulletList", "OrderedList"):
            items = value if kind == "BulletList" else value[1]
            for item in items:
                units += _block_units(item)
        elif kind in ("BlockQuote", "Div"):
            units += _block_units(value if kind == "BlockQuote" else value[1])
        elif kind == "Table":
            head, bodies = value[3], value[4]
            rows = head[1] + [row for body in bodies for row in body[2] + body[3]]
            for row in rows:
                for cell in row[1]:
                    units += _block_units(cell[4])
    return [u for u in units if u.strip()]


def markdown_units(markdown: str) -> list[str]:
    result = subprocess.run([pandoc_path(), "--from", "markdown", "--to", "json"], input=markdown,
                            capture_output=True, text=True, check=True)
    return _block_units(json.loads(result.stdout)["blocks"])


def content_paragraphs(project: Path) -> list[tuple[str, str, list[str]]]:
    """(file, site page, units) for every section and scheme, sections first, in the template's order."""
    content, _ = load_content(project)
    docs = []
    for section in content.sections:
        text = "\n\n".join([section.intro, *(f"{p.markdown}" for p in section.parts)])
        docs.append((section.file, f"sections/{section.meta.id}.html", markdown_units(text)))
    order = [ref for theme in content.themes.themes for ref in theme.schemes]
    for scheme in sorted(content.schemes, key=lambda s: order.index(s.meta.reference)):
        text = "\n\n".join([scheme.intro, *(p.markdown for p in scheme.parts)])
        docs.append((scheme.file, f"schemes/{scheme.meta.reference.lower()}.html", markdown_units(text)))
    return docs


def table_figures(project: Path) -> dict[str, list[str]]:
    """Every figure of every table the documents print, table by table, in row order."""
    content, _ = load_content(project)
    figures = compute(content)
    years = figures.years
    plan, finance = content.plan, content.finance
    tables = {
        "pooled budget": [money(v) for b in plan.pooled_budget for v in (b.minimum, b.agreed)],
        "sign-off": [long_date(s.date) for s in plan.signatories if s.date],
        "milestones": [x for t in content.milestones.milestones for x in (t.id, long_date(t.start), long_date(t.due))],
        "schemes": [money(figures.spend_by_scheme[ref].by_year[y]) for theme in content.themes.themes
                    for ref in theme.schemes for y in years] + [money(figures.expenditure_by_year[y]) for y in years],
        "risks": [x for r in content.risks.risks
                  for x in (r.id, str(r.likelihood), str(r.impact), str(figures.risk_factors[r.id]))],
        "protection": [money(finance.social_care_protection.get(y)) for y in years]
                      + [money(finance.carers_support.get(y)) for y in years],
        "funding": [money(f.amounts.get(y)) for f in finance.funding for y in years]
                   + [money(figures.funding_by_year[y]) for y in years],
        "expenditure": [money(e.amounts.get(y)) for e in finance.expenditure for y in years]
                       + [money(figures.expenditure_by_year[y]) for y in years],
        "metrics": [number(v) for m in content.metrics.metrics for v in (m.baseline.value, *(p.value for p in m.plans))],
        "providers": [number(v) for p in content.providers.providers
                      for v in (p.figures.outturn, *p.figures.plans.values(), *p.figures.prevented_by_bcf.values())],
    }
    if figures.extra.get("p4p"):
        p4p = figures.extra["p4p"]
        tables["pay for performance"] = [number(p4p.baseline_admissions), number(p4p.planned_reduction),
                                         money(p4p.unit_cost), money(p4p.fund)]
    return tables


def missing_in_order(units: list[str], text: str) -> list[str]:
    """The units not found in `text` after the one before them; [] when all are there, in order."""
    haystack, position, missing = squash(text), 0, []
    for unit in units:
        needle = squash(unit)
        found = haystack.find(needle, position)
        if found < 0:
            missing.append(unit)
        else:
            position = found + len(needle)
    return missing


# --- the one-source test -----------------------------------------------------------------


def _furniture(project: Path) -> list[str]:
    content, _ = load_content(project)
    plan = content.plan
    return ["DRAFT: a draft build, not the submitted document", "DRAFT: not agreed by the Health and Wellbeing Board",
            plan.title, f"{version_stamp(project, plan.version).short} · {plan.status.capitalize()}", plan.hwb]


def test_every_paragraph_is_in_the_docx_and_pdf_in_order(built_project):
    docs = content_paragraphs(built_project)
    units = [u for _, _, doc_units in docs for u in doc_units]
    assert len(units) > 200
    assert missing_in_order(units, docx_text(built_project / DOCX)) == []
    assert missing_in_order(units, pdf_body_text(built_project / PDF, _furniture(built_project))) == []


def test_every_figure_of_every_table_is_in_the_docx_and_pdf_in_order(built_project):
    docx = docx_text(built_project / DOCX)
    pdf = pdf_body_text(built_project / PDF, _furniture(built_project))
    for table, values in table_figures(built_project).items():
        assert values, table
        assert missing_in_order(values, docx) == [], f"the {table} table in the Word document"
        assert missing_in_order(values, pdf) == [], f"the {table} table in the PDF"


def test_every_paragraph_is_on_the_website_in_order(built_project):
    """Runs only when the site target is registered (it is built by another part of the project)."""
    if "site" not in [t.name for t in all_targets()]:
        pytest.skip("the site target is not registered yet")
    site = built_project / "output" / "site"
    for file, page, units in content_paragraphs(built_project):
        assert (site / page).is_file(), f"{file} has no page {page}"
        assert missing_in_order(units, html_text(site / page)) == [], f"{file} on {page}"


# --- the Word document -----------------------------------------------------------------


def test_docx_has_headings_contents_repeating_headers_landscape_and_properties(built_project):
    doc = Document(str(built_project / DOCX))
    used = {p.style.name for p in doc.paragraphs}
    assert {"Heading 1", "Heading 2", "Heading 3", "Template Question", "Cover Title"} <= used
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["1) Plan details", "2) Vision for health and care services", "3) Case for change"]
    assert "a) Summary of plan" in [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]

    body = doc.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith("TOC ") for i in instructions)
    toc = [p for p in body.iter(qn("w:p")) if _style(p).lower().startswith("toc")]
    toc_text = [next(p.iter(qn("w:t"))).text for p in toc]  # the heading, before its page number
    assert "1) Plan details" in toc_text and "Annex 2: Provider commentary" in toc_text

    tables = list(body.iter(qn("w:tbl")))
    assert len(tables) > 20
    with_header = [t for t in tables if t.find(f"{qn('w:tr')}/{qn('w:trPr')}/{qn('w:tblHeader')}") is not None]
    assert len(with_header) >= len(tables) - 2

    sections = doc.sections
    assert any(s.orientation == 1 for s in sections), "no landscape section"
    first_refs = _furniture_refs(sections[0])
    for section in sections[1:]:
        assert _furniture_refs(section) == first_refs, "a section lost the header or footer"
        assert not section.different_first_page_header_footer
    assert doc.settings.element.find(qn("w:updateFields")) is None  # Word would ask to update fields

    props = doc.core_properties
    assert props.title == "Harrowdale Better Care Fund plan 2014-2016"
    assert props.author == "Harrowdale Health and Wellbeing Board"
    assert props.subject.startswith("Better Care Fund plan")
    assert props.language == "en-GB"


def _style(paragraph) -> str:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style.get(qn("w:val")) if style is not None else ""


def _furniture_refs(section) -> list[tuple[str, str]]:
    sect = section._sectPr
    return sorted((ref.tag, ref.get(qn("w:type")) + ref.get(qn("r:id")))
                  for ref in sect if ref.tag in (qn("w:headerReference"), qn("w:footerReference")))


def test_docx_charts_have_alternative_text(built_project):
    doc = Document(str(built_project / DOCX))
    pictures = list(doc.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
    assert len(pictures) >= 3
    assert all(len(p.get("descr", "")) > 20 for p in pictures)


def test_docx_money_is_right_aligned_and_totals_set_off(built_project):
    body = Document(str(built_project / DOCX)).element.body
    money_cells = [p for p in body.iter(qn("w:p")) if re.fullmatch(r"£[\d,]+", "".join(t.text or "" for t in p.iter(qn("w:t"))))]
    assert money_cells
    assert all(p.find(f"{qn('w:pPr')}/{qn('w:jc')}").get(qn("w:val")) in ("right", "end") for p in money_cells)
    totals = [r for r in body.iter(qn("w:tr"))
              if "".join(t.text or "" for t in r.find(qn("w:tc")).iter(qn("w:t"))).strip() == "Total"]
    assert totals and all(r.find(f".//{qn('w:tcBorders')}") is not None for r in totals)


def test_libreoffice_opens_the_docx_and_converts_it_to_pdf(built_project, tmp_path):
    soffice = need("soffice")
    profile = tmp_path / "profile"
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), str(built_project / DOCX)],
                            capture_output=True, text=True, timeout=300)
    converted = tmp_path / f"{SLUG}-bcf-plan.pdf"
    assert result.returncode == 0 and converted.is_file(), result.stdout + result.stderr
    pages = pdf_pages(converted)
    assert len(pages) > 30
    # The contents is filled in before any field is updated, and the landscape pages keep the footer.
    assert "1) Plan details" in pages[1] and "Annex 1: Detailed scheme descriptions" in pages[1]
    reader = PdfReader(str(converted))
    landscape = [i for i, p in enumerate(reader.pages) if p.mediabox.width > p.mediabox.height]
    assert landscape
    for index in landscape:
        assert f"Page {index + 1} of {len(pages)}" in pages[index]


# --- the PDF ---------------------------------------------------------------------------


def test_pdf_is_tagged_pdf_ua_1_in_british_english(built_project):
    info = subprocess.run([need("pdfinfo"), str(built_project / PDF)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.MULTILINE), info
    assert re.search(r"^Title:\s+Harrowdale Better Care Fund plan", info, re.MULTILINE)
    reader = PdfReader(str(built_project / PDF))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part(>|=\")1", xmp), "no PDF/UA-1 identification in the XMP metadata"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]


def test_pdf_has_cover_contents_bookmarks_and_page_numbers(built_project):
    reader = PdfReader(str(built_project / PDF))
    pages = pdf_pages(built_project / PDF)
    assert squash("Harrowdale Better Care Fund plan 2014-2016") in squash(pages[0]) and "Page 1" not in pages[0]
    assert "Contents" in pages[1] and "1) Plan details" in pages[1]
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[:2] == ["1) Plan details", "2) Vision for health and care services"]
    assert "Annex 2: Provider commentary" in titles
    assert f"Page 3 of {len(pages)}" in pages[2]
    assert any(p.mediabox.width > p.mediabox.height for p in reader.pages), "no landscape page"
    fonts = {f["/BaseFont"] for p in reader.pages[:5] for f in p["/Resources"]["/Font"].values()}
    assert any("LiberationSans" in f for f in fonts), fonts


# --- DRAFT ----------------------------------------------------------------------------


def test_a_draft_says_draft_on_every_page_of_both_documents(project):
    plan = project / "content" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: agreed", "status: review"), encoding="utf-8")
    result = run_cli(project, "documents")
    assert result.code == 0, result.out + result.err
    pages = pdf_pages(project / PDF)
    assert all("DRAFT" in page for page in pages)
    doc = Document(str(project / DOCX))
    for section in doc.sections:
        for header in (section.header, section.first_page_header):
            assert "DRAFT: not agreed by the Health and Wellbeing Board" in "\n".join(p.text for p in header.paragraphs)


def test_a_final_build_of_the_agreed_plan_has_no_draft_mark(project):
    result = run_cli(project, "documents", "--final")
    assert result.code == 0, result.out + result.err
    assert not any("DRAFT" in page for page in pdf_pages(project / PDF))
    doc = Document(str(project / DOCX))
    furniture = [p.text for s in doc.sections for h in (s.header, s.footer, s.first_page_header) for p in h.paragraphs]
    furniture += [c.text for s in doc.sections for t in s.header.tables for c in t._cells]
    assert not any("DRAFT" in text for text in furniture)
    assert "Version 2.0 (resubmission)" in " ".join(furniture)


# --- what would break a document -------------------------------------------------------


def test_check_reports_a_table_row_broken_by_a_pipe_or_a_line_break(project):
    section = project / "content" / "sections" / "06-alignment.md"
    lines = section.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("## ")) + 1
    lines[at:at] = ["", "| Plan | Owner |", "|:---|:---|", "| Pioneer | council | CCG |",
                    "| Primary care | the", "CCG |", ""]
    section.write_text("\n".join(lines), encoding="utf-8")
    result = run_cli(project, "check")
    # The inserted line k (from 0) is line at + k + 1 of the file.
    assert (f"content/sections/06-alignment.md:{at + 4}: This table row has 3 cells but the table's header "
            "has 2. Write a '|' inside a cell as '\\|', and give every row as many cells as the header.") in result.out
    assert (f"content/sections/06-alignment.md:{at + 6}: This line continues the table row above it, but a "
            "table cell cannot hold a line break: the row would be cut in two. Keep each row of a table on one "
            "line.") in result.out
    assert result.code == 1


def test_check_warns_about_html_the_documents_would_drop(project):
    section = project / "content" / "sections" / "06-alignment.md"
    section.write_text(section.read_text(encoding="utf-8") + "\nSee <b>this</b> and <https://example.org>.\n",
                       encoding="utf-8")
    result = run_cli(project, "check")
    warnings = [line for line in result.out.splitlines() if "holds HTML" in line]
    assert len(warnings) == 1 and warnings[0].strip().startswith("content/sections/06-alignment.md:")


def test_pipes_and_line_breaks_in_data_render_inside_their_cell(project):
    risks = project / "content" / "data" / "risks.yaml"
    data = yaml.safe_load(risks.read_text(encoding="utf-8"))
    data["risks"][0]["mitigation"] = "Weekly | daily\nreview of the trajectory."
    risks.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli(project, "documents")
    assert result.code == 0, result.out + result.err
    assert "Weekly | daily review of the trajectory." in docx_text(project / DOCX)
    assert squash("Weekly | daily review of the trajectory.") in squash("".join(pdf_pages(project / PDF)))


# --- the house style -------------------------------------------------------------------


def test_the_committed_reference_docx_is_what_the_script_makes(tmp_path):
    made = tmp_path / "reference.docx"
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_reference_docx.py"), "--output", str(made)],
                   check=True, capture_output=True)
    committed = REPO / "templates" / "common" / "document" / "reference.docx"
    assert _parts(made) == _parts(committed), "run scripts/make_reference_docx.py and commit its output"


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_pandoc_failure_names_the_command_status_and_stderr(project):
    (project / "templates" / "common" / "document" / "filters.lua").write_text("error('broken filter')\n")
    result = run_cli(project, "documents")
    assert result.code == 1
    assert "pandoc failed with exit status" in result.err and "Command: " in result.err
    assert "broken filter" in result.err
