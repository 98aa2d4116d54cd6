"""The documents read well on the page (issue 14): tables aligned by what they hold, no word broken
across lines in a table, each progress report titled with its area and quarter under a one-line
running header, and every part of a section cited by its template letter.

Read back from the built files with poppler (pdftotext, pdfinfo) and the DOCX XML.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import typst
import yaml

from conftest import REPO
from planpress.targets.documents.pandoc import READER, pandoc_path

SLUG = "harrowdale"
PLAN = f"output/{SLUG}-bcf-plan"
REPORTS = {"2014-q2": "Quarter 2 of 2014/15", "2014-q3": "Quarter 3 of 2014/15"}
FIGURE = re.compile(r"^\(?[-+\u2212\u2013]?[£$€]?\d[\d,]*\.?\d*(%|[kmb]n?)?\)?$|^[-\u2013\u2014]$|^n/a$")
"""A figure: money, a count, a percentage (or a dash for none)."""
NOTED = re.compile(r"^[-+\u2212]?[£$€]?\d[\d,.]*%? \([^()]*\)(,? [^()]*)?$")
"""A figure with a note in brackets ("15 (Very high)", "712.4 (2012/13)", "+40 (+0.2%)", "3,160 (2014/15), 5%
lower than the baseline"): the layout may put it either side."""


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is not installed: run `make system-deps` (scripts/system-deps.sh) as root"
    return path


def _documents(project: Path) -> list[str]:
    return [PLAN] + [f"output/{SLUG}-bcf-progress-{quarter}" for quarter in REPORTS]


# --- alignment ----------------------------------------------------------------------------


def docx_tables(docx: Path) -> list[list[list[tuple[str, str | None]]]]:
    """Every table of the Word file: rows of cells, each (its text, its paragraphs' w:jc or None)."""
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    tables = []
    for table in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S):
        rows = []
        for row in re.findall(r"<w:tr[ >].*?</w:tr>", table, re.S):
            cells = []
            for cell in re.findall(r"<w:tc>.*?</w:tc>", row, re.S):
                jc = re.findall(r'<w:jc w:val="(\w+)"', cell)
                text = html.unescape("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", cell))).strip()
                cells.append((text, jc[0] if jc else None))
            rows.append(cells)
        tables.append(rows)
    return tables


def misaligned(docx: Path) -> list[str]:
    """Cells (header ones included) not aligned as their column's content asks: figures right, text left."""
    found = []
    for rows in docx_tables(docx):
        head, body = rows[0], rows[1:]
        for i, (title, _) in enumerate(head):
            column = [row[i] for row in body if i < len(row)]
            texts = [text for text, _ in column if text]
            figures = bool(texts) and all(FIGURE.match(t) for t in texts) and any(re.search(r"\d", t) for t in texts)
            noted = bool(texts) and all(FIGURE.match(t) or NOTED.match(t) for t in texts) and not figures
            wanted = "right" if figures else "left"
            for text, jc in [head[i], *column]:
                if noted and jc in ("left", "right") and jc == (head[i][1] or jc):
                    continue  # either side, so long as the column and its header agree
                if text and jc != wanted:
                    found.append(f"{title!r}: {text[:30]!r} is {jc or 'not aligned (centred in the PDF)'}, not {wanted}")
    return found


def test_every_table_cell_is_aligned_by_what_its_column_holds(built_project):
    for document in _documents(built_project):
        assert misaligned(built_project / f"{document}.docx") == [], document


def test_an_authors_table_without_alignments_is_aligned_by_its_content_in_both_writers(tmp_path):
    source = tmp_path / "table.md"
    source.write_text("| Group | 2014 | Change | Note |\n|---|---|---|---|\n"
                      "| Residents aged 85 | 5,900 | +34% | rising |\n| Carers | £1.2m | −3.5% | – |\n",
                      encoding="utf-8")
    filters = REPO / "templates/common/document/filters.lua"
    typ = subprocess.run([pandoc_path(), str(source), "--from", READER, "--to", "typst", f"--lua-filter={filters}"],
                         capture_output=True, text=True, check=True).stdout
    assert "align: (left,right,right,left,)" in typ, typ
    docx = tmp_path / "table.docx"
    subprocess.run([pandoc_path(), str(source), "--from", READER, "--to", "docx", f"--lua-filter={filters}",
                    "--output", str(docx)], check=True)
    assert misaligned(docx) == []
    assert [jc for _, jc in docx_tables(docx)[0][0]] == ["left", "right", "right", "left"]


# --- words broken across lines ----------------------------------------------------------------

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def pdf_words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """Every word poppler finds, in reading order, with its box; the DRAFT watermark's letters left out."""
    out = subprocess.run([_tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = [(float(x0), float(y0), float(x1), float(y1), html.unescape(text)) for x0, y0, x1, y1, text in _WORD.findall(out)]
    return [word for word in words if word[3] - word[1] < 30]


def broken_words(pdf: Path, known: set[str]) -> list[str]:
    """Words split across lines: pieces on lines one below the other that together make a word the
    document has, where the pieces are not all words of their own ("R/ef", "imple-/men-/tation")."""
    words = [(box, text.rstrip("-\u00ad")) for *box, text in pdf_words(pdf)]
    found = []
    for i in range(len(words)):
        pieces, (_, _, x1, y1) = [words[i][1]], words[i][0]
        for (u0, v0, u1, v1), piece in words[i + 1:i + 4]:
            if not (v0 >= y1 - 0.5 and u0 < x1):  # below, not to the right (a rotated chart label goes up)
                break
            pieces.append(piece)
            x1, y1 = u1, v1
            whole = "".join(pieces)
            if all(p.isalpha() for p in pieces) and whole in known and not all(p in known for p in pieces):
                found.append("/".join(pieces))
                break
    return found


def docx_words(docx: Path) -> set[str]:
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    xml = re.sub(r"</w:t>.*?<w:t[^>]*>", lambda m: "" if "</w:p>" not in m.group(0) else " ", xml, flags=re.S)
    return set(re.findall(r"[^\W\d_]+", html.unescape(re.sub(r"<[^>]+>", " ", xml))))


def test_no_word_is_broken_across_lines_in_the_pdfs(built_project):
    for document in _documents(built_project):
        known = docx_words(built_project / f"{document}.docx")
        assert broken_words(built_project / f"{document}.pdf", known) == [], document


def test_the_broken_word_finder_finds_a_word_too_wide_for_its_column(tmp_path):
    """The test above could fail: a word hyphenated to fit a narrow column is found."""
    source = tmp_path / "narrow.typ"
    source.write_text('#set document(title: [t])\n#set text(lang: "en", hyphenate: true)\n'
                      '#table(columns: (40pt, 1fr), [implementation], [Scheme name])\n', encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "narrow.pdf"), root=str(tmp_path))
    assert broken_words(tmp_path / "narrow.pdf", {"implementation", "Scheme", "name"})


# --- progress reports: titles and running headers -------------------------------------------


def pdf_title(pdf: Path) -> str:
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return re.search(r"^Title:\s*(.*)$", info, re.M).group(1).strip()


def test_each_progress_report_is_titled_with_its_area_and_quarter(built_project):
    titles = []
    for quarter, label in REPORTS.items():
        base = built_project / f"output/{SLUG}-bcf-progress-{quarter}"
        title = pdf_title(base.with_suffix(".pdf"))
        assert "Harrowdale" in title and label in title, title
        core = zipfile.ZipFile(base.with_suffix(".docx")).read("docProps/core.xml").decode("utf-8")
        assert f"<dc:title>{html.escape(title, quote=False)}</dc:title>" in core
        titles.append(title)
    assert len(set(titles)) == len(titles)


def test_each_progress_reports_running_header_fits_one_line(built_project):
    for quarter, label in REPORTS.items():
        base = built_project / f"output/{SLUG}-bcf-progress-{quarter}"
        page = subprocess.run([_tool("pdftotext"), "-f", "2", "-l", "2", "-layout", str(base.with_suffix(".pdf")), "-"],
                              capture_output=True, text=True, check=True).stdout
        header = next(line for line in page.splitlines() if label in line)
        assert "Harrowdale" in header and "Version" in header, header  # both halves on the one line
        docx = zipfile.ZipFile(base.with_suffix(".docx"))
        for name in docx.namelist():
            if re.match(r"word/header\d+\.xml", name):
                for paragraph in docx.read(name).decode("utf-8").split("</w:p>"):
                    text = "  ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", paragraph))
                    if label in text:  # the title and version, no months: short enough for one line
                        assert len(text) <= 100 and "(" not in text.split("Version")[0], text


# --- every part has its letter ---------------------------------------------------------------


def test_every_part_of_every_bcf_2014_section_has_its_template_letter(built_project):
    pack = yaml.safe_load((REPO / "templates/bcf-2014/pack.yaml").read_text(encoding="utf-8"))
    pdf = subprocess.run([_tool("pdftotext"), "-layout", str(built_project / f"{PLAN}.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    for section in pack["sections"]:
        labels = [part.get("label") for part in section.get("parts", [])]
        assert labels == list("abcdefgh"[:len(labels)]), (section["id"], labels)
        for part in section.get("parts", []):
            assert re.search(rf"^\s*{part['label']}\) {re.escape(part['title'])}\s*$", pdf, re.M), part["title"]
    vision = (built_project / "output/site/sections/vision.html").read_text(encoding="utf-8")
    assert "b) The difference for patients and service users" in vision
