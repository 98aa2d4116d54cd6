"""The second kind of plan, built for real: the example five-year system strategy through its site,
Word and PDF, with the plan on a page drawn from the data in every output, and the site accessible.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from pypdf import PdfReader

from conftest import REPO, run_cli
from site_helpers import axe_problems_on_every_page



@pytest.fixture(scope="module")
def built_strategy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("strategy") / "plan"
    shutil.copytree(REPO / "examples" / "system-strategy", project,
                    ignore=shutil.ignore_patterns("output", ".output-*"))
    result = run_cli(project)
    assert result.code == 0, result.out + result.err
    return project


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def data(project: Path, name: str) -> dict:
    return yaml.safe_load((project / "content" / "data" / f"{name}.yaml").read_text(encoding="utf-8"))


def plan_on_a_page_facts(project: Path) -> list[str]:
    """What the plan on a page must say, worked out here from the data: each ambition's name, its
    baseline and target, and the improvement; each intervention's and enabler's name."""
    facts = []
    for ambition in data(project, "ambitions")["ambitions"]:
        baseline, target = ambition["baseline"]["value"], ambition["target"]["value"]
        percent = f"{abs(target - baseline) / baseline * 100:.1f}%"
        facts += [ambition["name"], percent]
    facts += [i["name"] for i in data(project, "interventions")["interventions"]]
    facts += [e["name"] for e in data(project, "enablers")["enablers"]]
    return facts


def test_every_declared_output_is_built(built_strategy: Path) -> None:
    output = built_strategy / "output"
    names = sorted(p.name for p in output.iterdir())
    assert names == ["harrowdale-strategy-plan.docx", "harrowdale-strategy-plan.json",
                     "harrowdale-strategy-plan.pdf", "site"]
    plan = json.loads((output / "harrowdale-strategy-plan.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in plan["ambitions"]["ambitions"]][:3] == ["A1", "A2", "A3"]
    assert plan["plan"]["unit_of_planning"] == "Harrowdale unit of planning"


def test_the_plan_on_a_page_is_in_the_site_the_word_file_and_the_pdf(built_strategy: Path) -> None:
    output = built_strategy / "output"
    facts = plan_on_a_page_facts(built_strategy)
    page = squash(re.sub(r"<[^>]+>", " ", (output / "site" / "plan-on-a-page.html").read_text(encoding="utf-8")))
    document = docx.Document(str(output / "harrowdale-strategy-plan.docx"))
    tables = [squash(" ".join(cell.text for row in t.rows for cell in row.cells)) for t in document.tables]
    word_table = next(t for t in tables if "Our vision" in t)
    pdf = squash(" ".join(page.extract_text() for page in PdfReader(str(output / "harrowdale-strategy-plan.pdf")).pages))
    for fact in facts:
        assert squash(fact) in page, f"site: {fact}"
        assert squash(fact) in word_table, f"Word: {fact}"
        assert squash(fact) in pdf, f"PDF: {fact}"


def test_the_strategy_site_has_no_accessibility_violations(built_strategy: Path) -> None:
    pages, problems = axe_problems_on_every_page(built_strategy / "output" / "site")
    assert pages > 15
    assert problems == []


def test_a_final_build_of_the_agreed_strategy_is_not_a_draft(built_strategy: Path) -> None:
    result = run_cli(built_strategy, "--final")
    assert result.code == 0, result.out + result.err
    text = squash(" ".join(p.text for p in docx.Document(
        str(built_strategy / "output" / "harrowdale-strategy-plan.docx")).paragraphs))
    assert "DRAFT" not in text
