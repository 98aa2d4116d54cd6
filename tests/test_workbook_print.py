"""The workbooks as a reader meets them: opened by a script that does not recalculate, and printed
by LibreOffice. For every pack with a workbook: the 2014 example plan (bcf-2014) and the 2026 one
(bcf-2026, which takes bcf-2025's workbook.yaml)."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from pypdf import PdfReader

from conftest import REPO, copy_project, run_cli
from libreoffice_profile import recalculating_profile
from planpress.build import check_plan
from planpress.figures import compute
from planpress.targets.workbook_values import store_values

SMALLEST = 8.0
"""No printed text smaller than this, in points."""



@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each example plan with its workbook built, by pack."""
    root = tmp_path_factory.mktemp("workbooks")
    found = {"bcf-2014": copy_project(root / "bcf-2014")}
    found["bcf-2026"] = root / "bcf-2026"
    shutil.copytree(REPO / "examples" / "bcf-2026", found["bcf-2026"],
                    ignore=shutil.ignore_patterns("output", ".output-*"))
    for project in found.values():
        result = run_cli(project, "workbook")
        assert result.code == 0, result.out + result.err
    return found


def workbook(project: Path) -> Path:
    (found,) = (project / "output").glob("*.xlsx")
    return found


def libreoffice(tmp_path: Path, kind: str, files: list[Path]) -> Path:
    """LibreOffice's conversion of `files` to `kind` (pdf, xlsx), every formula recalculated."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: run `make test` as root, or install libreoffice-calc"
    out = tmp_path / kind
    result = subprocess.run([soffice, recalculating_profile(tmp_path), "--headless",
                             "--convert-to", kind, "--outdir", str(out), *map(str, files)],
                            capture_output=True, text=True, timeout=300)
    assert all((out / f"{f.stem}.{kind}").is_file() for f in files), result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def printed(plans: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each workbook printed to PDF by LibreOffice, by pack."""
    out = libreoffice(tmp_path_factory.mktemp("print"), "pdf", [workbook(p) for p in plans.values()])
    return {pack: out / f"{workbook(project).stem}.pdf" for pack, project in plans.items()}


def formula_cells(path: Path) -> dict[tuple[str, str], object]:
    """Each formula cell's value as stored in the file, by (sheet, cell)."""
    formulas, values = openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)
    return {(sheet.title, cell.coordinate): values[sheet.title][cell.coordinate].value
            for sheet in formulas for row in sheet.iter_rows() for cell in row if cell.data_type == "f"}


# --- a script reading the file ------------------------------------------------------------


@pytest.mark.parametrize("pack", ["bcf-2014", "bcf-2026"])
def test_every_formula_has_its_value_stored(plans: dict[str, Path], pack: str) -> None:
    stored = formula_cells(workbook(plans[pack]))
    assert len(stored) > 10
    assert [key for key, value in stored.items() if value is None] == []


def test_a_script_reads_the_2014_plans_totals(plans: dict[str, Path]) -> None:
    numbers = compute(check_plan(plans["bcf-2014"]).content)
    book = openpyxl.load_workbook(workbook(plans["bcf-2014"]), data_only=True)
    summary = {r[0]: r[1:] for r in book["Summary"].iter_rows(values_only=True)}
    funding = {r[0]: r[2:] for r in book["HWB Funding Sources"].iter_rows(values_only=True)}
    expenditure = {r[0]: r[7] for r in book["HWB Expenditure Plan"].iter_rows(values_only=True)}
    for index, year in enumerate(numbers.years):
        assert Decimal(summary["Total funding"][index]) == numbers.funding_by_year[year]
        assert Decimal(funding["Total"][index]) == numbers.funding_by_year[year]
        assert Decimal(summary["Total expenditure"][index]) == numbers.expenditure_by_year[year]
        assert Decimal(expenditure[f"Total {year}"]) == numbers.expenditure_by_year[year]
    assert Decimal(expenditure["Total, all years"]) == sum(numbers.expenditure_by_year.values())
    assert Decimal(summary["Performance-linked fund"][0]) == numbers.extra["p4p"].fund
    assert {r[0]: r[4] for r in book["Risk Log"].iter_rows(min_row=2, values_only=True)} == numbers.risk_factors


def test_a_script_reads_the_2026_plans_totals(plans: dict[str, Path]) -> None:
    numbers = compute(check_plan(plans["bcf-2026"]).content)
    book = openpyxl.load_workbook(workbook(plans["bcf-2026"]), data_only=True)
    summary = {r[0]: r[1:] for r in book["Summary"].iter_rows(values_only=True)}
    for index, year in enumerate(numbers.years):
        assert Decimal(summary["Total income"][index]) == numbers.funding_by_year[year]
        assert Decimal(summary["Total expenditure"][index]) == numbers.expenditure_by_year[year]
        assert Decimal(summary["Income less expenditure"][index]) == \
            numbers.funding_by_year[year] - numbers.expenditure_by_year[year]


def test_libreoffice_works_out_the_values_stored(plans: dict[str, Path], tmp_path: Path) -> None:
    """LibreOffice, made to recalculate every formula on loading, gets the value stored for each."""
    files = [workbook(p) for p in plans.values()]
    # A copy with every stored value wrong shows that LibreOffice recalculated and did not just read them.
    tampered = tmp_path / "tampered.xlsx"
    wrong = {key: 123456789 for key in formula_cells(files[0])}
    tampered.write_bytes(store_values(files[0].read_bytes(), wrong))
    assert set(formula_cells(tampered).values()) == {123456789}
    out = libreoffice(tmp_path, "xlsx", [*files, tampered])
    for file in files:
        ours, theirs = formula_cells(file), formula_cells(out / file.name)
        assert ours.keys() == theirs.keys()
        assert {key: (value, theirs[key]) for key, value in ours.items() if not same(value, theirs[key])} == {}, \
            file.name
    ours, theirs = formula_cells(files[0]), formula_cells(out / tampered.name)
    assert all(same(value, theirs[key]) for key, value in ours.items())


def same(ours: object, theirs: object) -> bool:
    """The same value, as LibreOffice stores it (to 15 digits; an empty text as no value)."""
    if isinstance(ours, float) and isinstance(theirs, (int, float)):
        return abs(ours - theirs) <= 1e-12 * max(1, abs(ours))
    return ours == theirs or (ours == "" and theirs is None)


# --- the workbook on paper ---------------------------------------------------------------


def text_sizes(pdf: Path) -> list[tuple[float, int, str]]:
    """Each piece of text's printed size in points, with its page and the text."""
    found: list[tuple[float, int, str]] = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                # The text matrix times the page's: its vertical scale is what `size` is printed at.
                b, d = tm[1] * cm[0] + tm[3] * cm[2], tm[1] * cm[1] + tm[3] * cm[3]
                found.append((size * (b * b + d * d) ** 0.5, number, text.strip()))
        page.extract_text(visitor_text=visit)
    return found


def words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (x0, y0, x1, y1), as poppler reads them."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True))
    return [[(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
             for w in page.iter("{*}word")] for page in root.iter("{*}page")]


@pytest.mark.parametrize("pack", ["bcf-2014", "bcf-2026"])
def test_no_printed_text_is_smaller_than_8_pt(printed: dict[str, Path], pack: str) -> None:
    sizes = text_sizes(printed[pack])
    assert len(sizes) > 100
    assert [s for s in sizes if s[0] < SMALLEST - 0.05] == []


@pytest.mark.parametrize("pack", ["bcf-2014", "bcf-2026"])
def test_no_printed_rows_overlap(printed: dict[str, Path], pack: str) -> None:
    """No word is printed over another: a wrapped cell's lines all fit in its row."""
    overlapping = []
    for number, page in enumerate(words(printed[pack]), start=1):
        for index, a in enumerate(page):
            for b in page[index + 1:]:
                across = min(a[2], b[2]) - max(a[0], b[0])
                down = min(a[3], b[3]) - max(a[1], b[1])
                if across > 0.5 and down > 2:
                    overlapping.append((number, a[4], b[4]))
    assert overlapping == []


@pytest.mark.parametrize("pack", ["bcf-2014", "bcf-2026"])
def test_every_page_names_the_plan_its_sheet_and_its_number(plans: dict[str, Path], printed: dict[str, Path],
                                                           pack: str) -> None:
    book = openpyxl.load_workbook(workbook(plans[pack]))
    pages = PdfReader(printed[pack]).pages
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert book.properties.title in text and f"Page {number} of {len(pages)}" in text, number
        assert any(name in text for name in book.sheetnames), number


@pytest.mark.parametrize("pack", ["bcf-2014", "bcf-2026"])
def test_every_number_shows_thousands_separators_in_one_font(plans: dict[str, Path], pack: str) -> None:
    book = openpyxl.load_workbook(workbook(plans[pack]))
    for sheet in book:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, (int, float)) or cell.data_type == "f":
                    assert "#,##0" in cell.number_format or "%" in cell.number_format, \
                        (sheet.title, cell.coordinate, cell.number_format)
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value not in (None, ""):
                    assert (cell.font.name, cell.font.sz) == ("Arial", 10), (sheet.title, cell.coordinate)
