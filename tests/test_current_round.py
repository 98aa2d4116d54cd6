"""The newest round's example plan built for real: every output, the same figures in each, the
end-of-year report, the capacity gaps said in words, and the website accessible.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from conftest import REPO, run_cli
from site_helpers import axe_problems_on_every_page

EXAMPLE = REPO / "examples" / "bcf-2026"
PREFIX = "kestrelford-bcf"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("bcf-2026") / "plan"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("output", ".output-*"))
    result = run_cli(project, "--final")
    assert result.code == 0, result.out + result.err
    return project


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path: Path) -> str:
    return squash(" ".join(page.extract_text() for page in PdfReader(str(path)).pages))


def word_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return squash(" ".join([p.text for p in document.paragraphs] + cells))


def site_text(path: Path) -> str:
    return squash(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")).replace("&amp;", "&"))


def test_every_output_is_built(built: Path) -> None:
    names = {p.name for p in (built / "output").iterdir()}
    expected = {f"{PREFIX}-plan.docx", f"{PREFIX}-plan.pdf", f"{PREFIX}-plan.json", "site"}
    expected |= {f"{PREFIX}-progress-2026-q{n}.{ext}" for n in range(1, 5) for ext in ("docx", "pdf")}
    assert expected <= names, sorted(names)
    assert any(name.endswith(".xlsx") for name in names), sorted(names)


def test_the_funding_reaches_every_output(built: Path) -> None:
    output = built / "output"
    plan = json.loads((output / f"{PREFIX}-plan.json").read_text(encoding="utf-8"))
    streams = {line["stream"] for line in plan["finance"]["funding"]}
    assert "Local Authority Better Care Grant" in streams
    total = "£41,614,000"
    assert total in site_text(output / "site" / "finance.html")
    assert total in word_text(output / f"{PREFIX}-plan.docx")
    assert total in pdf_text(output / f"{PREFIX}-plan.pdf")
    workbook = openpyxl.load_workbook(next(output.glob("*.xlsx")))
    income = [row for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
              if "Local Authority Better Care Grant" in [str(v) for v in row]]
    assert any(11_062_000 in [v for v in row if isinstance(v, (int, float))] for row in income), income


def test_each_metric_goal_and_national_condition_is_in_the_document(built: Path) -> None:
    text = word_text(built / "output" / f"{PREFIX}-plan.docx")
    for name in ("Emergency admissions of people aged 65 and over", "Plans to be jointly agreed",
                 "Complying with oversight and support processes"):
        assert name in text, name


def test_months_with_demand_above_capacity_are_said_in_words(built: Path) -> None:
    page = site_text(built / "output" / "site" / "capacity-and-demand.html")
    assert "December 2026" in page and "January 2027" in page
    assert re.search(r"above capacity", page, re.IGNORECASE), page[:500]


def test_quarter_four_is_the_end_of_year_report(built: Path) -> None:
    output = built / "output"
    q4 = pdf_text(output / f"{PREFIX}-progress-2026-q4.pdf")
    q2 = pdf_text(output / f"{PREFIX}-progress-2026-q2.pdf")
    assert re.search(r"end[- ]of[- ]year", q4, re.IGNORECASE)
    assert not re.search(r"end[- ]of[- ]year report", q2, re.IGNORECASE)
    for text in (q2, q4):
        assert "NC4" in text or "Complying with oversight" in text


def test_the_site_has_no_accessibility_violations(built: Path) -> None:
    pages, problems = axe_problems_on_every_page(built / "output" / "site")
    assert pages > 20
    assert problems == []
