"""Versions in every output: the site's history and changes pages, the owners page, and the stamp
in the site, the Word document and the PDF, which marks uncommitted changes."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from conftest import run_cli
from git_helpers import commit, git, make_repo
from test_changes import change_the_plan


def page_text(path: Path) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")).split())


@pytest.fixture
def versions(project: Path) -> Path:
    """Tagged v1.0, changed and tagged v2.0, then a draft edit not yet committed."""
    make_repo(project, "v1.0", "Agreed by the board")
    change_the_plan(project)
    themes = project / "content/data/themes.yaml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("PE4]", "PE4, PE9]", 1), encoding="utf-8")
    commit(project, "Resubmission figures")
    git(project, "tag", "-a", "v2.0", "-m", "Resubmitted in September")
    vision = project / "content/sections/02-vision.md"
    vision.write_text(vision.read_text(encoding="utf-8").replace("pays for", "funds in full", 1), encoding="utf-8")
    return project


def test_site_has_history_changes_and_owners_pages(versions: Path) -> None:
    run = run_cli(versions, "site")
    assert run.code == 0, run.out + run.err
    site = versions / "output/site"
    history = page_text(site / "history.html")
    assert re.search(r"v2\.0 \d+ \w+ \d{4} Resubmitted in September 1 section changed, 1 scheme added, "
                     r"pooled budget 2015/16 up by £412,000", history), history
    assert re.search(r"v1\.0 \d+ \w+ \d{4} Agreed by the board the first version", history), history
    assert history.index("v2.0") < history.index("v1.0"), "newest first"
    assert "Since v2.0: 1 section changed." in history
    assert 'href="changes/v2.0.html"' in (site / "history.html").read_text(encoding="utf-8")
    changes = (site / "changes/v2.0.html").read_text(encoding="utf-8")
    assert "<ins>" in changes and "<del>" in changes and "£412,000" in changes
    draft = (site / "changes/draft.html").read_text(encoding="utf-8")
    assert re.search(r"pays for</del> <ins><span[^>]*>\[inserted:\] </span>funds in full</ins>", draft), draft
    owners = page_text(site / "status.html")
    assert "Section 2: Vision for health and care services Gillian Hartley, Director of Adult Social Care " \
           "agreed uncommitted changes 0" in owners
    assert re.search(r"Section 1: Plan details Priya Natarajan, BCF Programme Manager agreed "
                     r"\d{4}-\d\d-\d\d by Priya Natarajan 0", owners), owners


def test_history_outside_git_says_so(project: Path) -> None:
    assert run_cli(project, "site").code == 0
    assert "keeps no record of its earlier versions" in page_text(project / "output/site/history.html")


def test_stamp_in_site_word_and_pdf_matches_the_commit_and_marks_changes(project: Path) -> None:
    make_repo(project, tag=None)
    head = git(project, "rev-parse", "--short", "HEAD")
    assert run_cli(project, "site").code == 0 and run_cli(project, "documents").code == 0
    footer = page_text(project / "output/site/index.html")
    assert f"commit {head}" in footer and "uncommitted" not in footer
    word = docx.Document(str(project / "output/harrowdale-bcf-plan.docx"))
    header = " ".join(c.text for s in word.sections for t in s.header.tables for r in t.rows for c in r.cells)
    assert f"Version 2.0 (resubmission), {head} ·" in header
    cover = " ".join(p.text for p in word.paragraphs[:20])
    assert f"commit {head}" in cover
    pdf = " ".join(" ".join(page.extract_text() for page in
                            PdfReader(str(project / "output/harrowdale-bcf-plan.pdf")).pages[:4]).split())
    assert f"commit {head}" in pdf and f"{head} ·" in pdf

    plan = project / "content/plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert run_cli(project, "site").code == 0 and run_cli(project, "documents").code == 0
    assert "(with uncommitted changes)" in page_text(project / "output/site/index.html")
    word = docx.Document(str(project / "output/harrowdale-bcf-plan.docx"))
    header = " ".join(c.text for s in word.sections for t in s.header.tables for r in t.rows for c in r.cells)
    assert f"{head} + changes" in header
    pdf = " ".join(page.extract_text() for page in PdfReader(str(project / "output/harrowdale-bcf-plan.pdf")).pages[:4])
    assert "(with uncommitted changes)" in " ".join(pdf.split())


def test_stamp_names_the_tag_of_a_tagged_build(project: Path) -> None:
    make_repo(project, "v1.0")
    assert run_cli(project, "documents").code == 0
    word = docx.Document(str(project / "output/harrowdale-bcf-plan.docx"))
    header = " ".join(c.text for s in word.sections for t in s.header.tables for r in t.rows for c in r.cells)
    assert "Version 2.0 (resubmission), v1.0 ·" in header
