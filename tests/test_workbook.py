"""The Part 2 workbook: every scheme and figure is there, every total formula covers exactly its rows,
and LibreOffice's recalculation gives the plan's totals."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from planpress.build import check_plan
from planpress.figures import compute


@pytest.fixture(scope="module")
def workbook_file(built_project: Path) -> Path:
    return built_project / "output/harrowdale-bcf-part2.xlsx"


@pytest.fixture(scope="module")
def figures(built_project: Path):
    checked = check_plan(built_project)
    return checked.content, compute(checked.content)


def test_sheets_are_named_as_the_template_names_them(workbook_file: Path) -> None:
    book = openpyxl.load_workbook(workbook_file)
    assert book.sheetnames == ["Summary", "HWB Funding Sources", "HWB Expenditure Plan", "HWB Benefits Plan",
                               "Risk Log"]
    for sheet in book:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.bold


def test_every_scheme_line_and_year_is_a_row(workbook_file: Path, figures) -> None:
    content, numbers = figures
    sheet = openpyxl.load_workbook(workbook_file)["HWB Expenditure Plan"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1]]
    expected = {(line.scheme, year, int(line.amounts.get(year, 0)))
                for year in numbers.years for line in content.finance.expenditure}
    assert {(r[1], r[6], r[7]) for r in rows} == expected
    assert len(rows) == len(content.finance.expenditure) * len(numbers.years)
    for row in sheet.iter_rows(min_row=2):
        if isinstance(row[7].value, int):
            assert row[7].number_format.startswith('"£"#,##0')


def test_total_formulas_cover_exactly_their_rows(workbook_file: Path, figures) -> None:
    content, numbers = figures
    book = openpyxl.load_workbook(workbook_file)
    funding = book["HWB Funding Sources"]
    last_line = 1 + len(content.finance.funding)
    total_row = [r for r in funding.iter_rows() if r[0].value == "Total"][0]
    assert total_row[2].value == f"=SUM(C2:C{last_line})"
    assert total_row[3].value == f"=SUM(D2:D{last_line})"
    expenditure = book["HWB Expenditure Plan"]
    last_line = 1 + len(content.finance.expenditure) * len(numbers.years)
    totals = {r[0].value: r[7].value for r in expenditure.iter_rows() if str(r[0].value).startswith("Total")}
    for year in numbers.years:
        assert totals[f"Total {year}"] == f'=SUMIF(G2:G{last_line},"{year}",H2:H{last_line})'
    assert totals["Total, all years"] == f"=SUM(H2:H{last_line})"
    risks = book["Risk Log"]
    for row in risks.iter_rows(min_row=2):
        assert row[4].value == f"=C{row[0].row}*D{row[0].row}"


def test_libreoffice_recalculates_the_plans_totals(workbook_file: Path, figures, tmp_path: Path) -> None:
    content, numbers = figures
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: run `make test` as root, or install libreoffice-calc"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "xlsx",
         "--outdir", str(tmp_path / "out"), str(workbook_file)],
        capture_output=True, text=True, timeout=180)
    recalculated = tmp_path / "out" / workbook_file.name
    assert recalculated.is_file(), result.stdout + result.stderr
    book = openpyxl.load_workbook(recalculated, data_only=True)
    summary = {r[0]: r[1:] for r in book["Summary"].iter_rows(values_only=True)}
    for index, year in enumerate(numbers.years):
        assert Decimal(summary["Total funding"][index]) == numbers.funding_by_year[year]
        assert Decimal(summary["Total expenditure"][index]) == numbers.expenditure_by_year[year]
    assert Decimal(summary["Performance-linked fund"][0]) == numbers.pay_for_performance.fund
    factors = {r[0]: r[4] for r in book["Risk Log"].iter_rows(min_row=2, values_only=True)}
    assert factors == numbers.risk_factors


def test_every_metric_and_risk_is_there(workbook_file: Path, figures) -> None:
    content, _ = figures
    book = openpyxl.load_workbook(workbook_file)
    metric_names = [r[0] for r in book["HWB Benefits Plan"].iter_rows(min_row=2, values_only=True)]
    assert metric_names == [m.name for m in content.metrics.metrics]
    risk_ids = [r[0] for r in book["Risk Log"].iter_rows(min_row=2, values_only=True)]
    assert risk_ids == [r.id for r in content.risks.risks]
