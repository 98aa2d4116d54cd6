"""`python build.py changes FROM [TO]`: a report of exactly what changed, in HTML and in Word.

Each test makes its own git repository from the example plan, commits, tags, changes the
plan and asks for the report as an approver would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import html as lxml_html

from conftest import REPO, run_cli
from git_helpers import commit, git, make_repo, replace
from planpress.collaborate.compare import plain_text, word_diff
from planpress.collaborate.fmt import reflow

SUMMARY = "1 section changed, 1 scheme added, pooled budget 2015/16 up by £412,000, 2 other figures changed."
EXPECTED_FIGURES = [
    # group, item, figure, before, after, difference
    ("Pooled budget", "Total agreed value", "2015/16", "£18,640,000", "£19,052,000", "+£412,000"),
    ("Expenditure", "PE2 Falls prevention service (Moorside Partnership NHS Foundation Trust)", "2015/16",
     "£380,000", "£392,000", "+£12,000"),
    ("Expenditure", "Total expenditure", "2015/16", "£18,640,000", "£18,652,000", "+£12,000"),
]


def change_the_plan(project: Path) -> None:
    """A sentence, two figures and a new scheme: what a real round of edits looks like."""
    replace(project, "content/sections/02-vision.md", "that this plan funds", "that this plan pays for")
    replace(project, "content/plan.yaml", 'agreed: "£18,640,000"', 'agreed: "£19,052,000"')
    replace(project, "content/data/finance.yaml", '"2014/15": "£90,000"\n      "2015/16": "£380,000"',
            '"2014/15": "£90,000"\n      "2015/16": "£392,000"')
    scheme = (project / "content/schemes/PE3.md").read_text(encoding="utf-8")
    scheme = scheme.replace("reference: PE3", "reference: PE9", 1)
    (project / "content/schemes/PE9.md").write_text(scheme, encoding="utf-8")


@pytest.fixture
def versions(project: Path) -> Path:
    """The example plan tagged v1.0, then changed and tagged v2.0."""
    make_repo(project, "v1.0")
    change_the_plan(project)
    commit(project, "Resubmission figures and the carers' navigators")
    git(project, "tag", "-a", "v2.0", "-m", "Resubmitted")
    return project


def test_report_lists_exactly_the_changes(versions: Path) -> None:
    run = run_cli(versions, "changes", "v1.0", "v2.0")
    assert run.code == 0, run.out + run.err
    assert run.out.splitlines()[0] == SUMMARY
    assert "Wrote output/changes/v1.0-to-v2.0.html" in run.out
    assert "Wrote output/changes/v1.0-to-v2.0.docx" in run.out

    page = lxml_html.fromstring((versions / "output/changes/v1.0-to-v2.0.html").read_bytes())
    assert page.findtext(".//p[@class='summary']") == SUMMARY
    assert [h.text_content().strip() for h in page.xpath("//section/h3")] == [
        "Section 2: Vision for health and care services changed", "PE9 Support for carers added"]
    vision = page.xpath("//section[@aria-labelledby='section-vision']")[0]
    assert [_marked(e) for e in vision.xpath(".//del")] == ["funds"]
    assert [_marked(e) for e in vision.xpath(".//ins")] == ["pays for"]
    assert _figure_rows(page) == EXPECTED_FIGURES


def test_word_document_carries_the_same_changes_as_tracked_changes(versions: Path) -> None:
    assert run_cli(versions, "changes", "v1.0", "v2.0").code == 0
    document = Document(str(versions / "output/changes/v1.0-to-v2.0.docx"))
    body = document.element.body
    deleted = ["".join(t.text for t in d.iter(qn("w:delText"))).strip() for d in body.iter(qn("w:del"))]
    inserted = ["".join(t.text for t in i.iter(qn("w:t"))).strip() for i in body.iter(qn("w:ins"))]
    assert deleted == ["funds"]
    # The vision's one insertion, then the whole of the new scheme, paragraph by paragraph.
    assert inserted[0] == "pays for"
    new_scheme = (versions / "content/schemes/PE9.md").read_text(encoding="utf-8")
    assert " ".join(inserted[1:]).split()[:5] == plain_text(new_scheme.split("---", 2)[2].split("##")[1]
                                                           .split("\n", 1)[1]).split()[:5]
    ids = [e.get(qn("w:id")) for e in [*body.iter(qn("w:ins")), *body.iter(qn("w:del"))]]
    assert len(ids) == len(set(ids)), "every tracked change needs its own id"
    assert SUMMARY in [p.text for p in document.paragraphs]
    rows = [tuple(c.text for c in row.cells) for table in document.tables for row in table.rows[1:]]
    assert rows == [figure[1:] for figure in EXPECTED_FIGURES]


def test_libreoffice_opens_the_tracked_changes(versions: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (make test installs it)")
    import subprocess

    assert run_cli(versions, "changes", "v1.0", "v2.0").code == 0
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                             "pdf", "--outdir", str(tmp_path), str(versions / "output/changes/v1.0-to-v2.0.docx")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(str(tmp_path / "v1.0-to-v2.0.pdf")).pages)
    # LibreOffice shows tracked changes by default: the deleted and the inserted words are both there.
    assert "this plan funds pays for" in " ".join(text.split())
    assert "+£412,000" in text


def test_working_tree_is_the_default_and_says_it_is_uncommitted(project: Path) -> None:
    make_repo(project, "v1.0")
    replace(project, "content/plan.yaml", 'agreed: "£18,640,000"', 'agreed: "£18,600,000"')
    run = run_cli(project, "changes", "v1.0")
    assert run.code == 0, run.out + run.err
    assert run.out.splitlines()[0] == "Pooled budget 2015/16 down by £40,000."
    assert "with the working tree (with uncommitted changes)" in run.out
    assert (project / "output/changes/v1.0-to-working-tree.html").is_file()


def test_no_changes(project: Path) -> None:
    make_repo(project, "v1.0")
    run = run_cli(project, "changes", "v1.0")
    assert run.code == 0, run.out + run.err
    assert run.out.startswith("No changes to the plan between v1.0 (")


def test_earlier_reports_are_kept(versions: Path) -> None:
    assert run_cli(versions, "changes", "v1.0", "v2.0").code == 0
    assert run_cli(versions, "changes", "v2.0").code == 0
    assert sorted(p.name for p in (versions / "output/changes").iterdir()) == [
        "v1.0-to-v2.0.docx", "v1.0-to-v2.0.html", "v2.0-to-working-tree.docx", "v2.0-to-working-tree.html"]


@pytest.mark.parametrize("arguments, message", [
    (["changes", "v9"], "Error: There is no version 'v9' in this repository. Use a tag (known tags: v1.0), "
                        "a branch or a commit"),
    (["changes"], "Error: changes takes one or two versions (git tags, branches or commits): "
                  "python build.py changes FROM [TO], such as `changes v1.0` (to the working tree) or "
                  "`changes v1.0 v2.0`"),
])
def test_author_mistakes_get_one_line(project: Path, arguments: list[str], message: str) -> None:
    make_repo(project, "v1.0")
    run = run_cli(project, *arguments)
    assert run.code == 1
    assert run.err.splitlines()[0] == message
    assert "Traceback" not in run.err
    assert not (project / "output").exists()


def test_outside_git(project: Path) -> None:
    run = run_cli(project, "changes", "v1.0")
    assert run.code == 1
    assert run.err.splitlines()[0].endswith("is not in a git repository, so there are no versions to compare. "
                                            "Put the plan under version control (git init, git add, git commit) first")
    assert "Traceback" not in run.err


def test_layout_is_not_a_change() -> None:
    text = "One sentence here. Another, with *emphasis* and [a link](scheme:PE2),\nwrapped.\n"
    assert not word_diff(text, reflow(text)).changed
    assert not word_diff(text, text.replace("\n", " ")).changed
    diff = word_diff("Keep this. Drop that word.", "Keep this. Drop word. Add more.")
    assert [(op, t) for op, t in diff.runs if op != "equal"] == [("delete", "that"), ("insert", "Add more.")]


# --- every pack's plans ------------------------------------------------------------------

OTHER_PLANS = {
    # example: (file, old text, new text, the row the report must have: group, item, figure, before, after)
    "bcf-2026": ("content/data/finance.yaml", '"2026/27": "£5,640,000"', '"2026/27": "£5,700,000"',
                 ("Expenditure", "S1 Home First discharge to assess (Mid Wessex Community Health NHS Trust, "
                  "NHS minimum contribution)", "2026/27", "£5,640,000", "£5,700,000", "+£60,000")),
    "system-strategy": ("content/data/interventions.yaml", "    start: 2014-10-01\n    due: 2016-03-31",
                        "    start: 2014-10-01\n    due: 2016-06-30",
                        ("Interventions", "I1", "Due", "31 March 2016", "30 June 2016", "+91 days")),
}


@pytest.mark.parametrize("example", sorted(OTHER_PLANS))
def test_any_packs_plan_gets_its_changes_and_its_history(example: str, tmp_path: Path) -> None:
    """The report and the site's history read the plan as its pack declares it, not as the 2014 round."""
    project = tmp_path / example
    shutil.copytree(REPO / "examples" / example, project, ignore=shutil.ignore_patterns("output", ".output-*"))
    file, old, new, row = OTHER_PLANS[example]
    make_repo(project, "v1.0")
    replace(project, file, old, new)
    commit(project, "A figure changed")
    git(project, "tag", "-a", "v1.1", "-m", "Resubmitted")

    run = run_cli(project, "changes", "v1.0", "v1.1")
    assert run.code == 0, run.out + run.err
    page = lxml_html.fromstring((project / "output/changes/v1.0-to-v1.1.html").read_bytes())
    rows = _figure_rows(page)
    assert [r for r in rows if r[1] != "Total expenditure"] == [row]  # the one change, and its total
    count = len(rows)
    assert run.out.splitlines()[0] == f"{count} other figure{'s' if count > 1 else ''} changed.", run.out

    site = run_cli(project, "site")
    assert site.code == 0, site.out + site.err
    assert "Traceback" not in site.out + site.err


# --- helpers ------------------------------------------------------------------------------


def _marked(element) -> str:
    """The words of an <ins> or <del>, without the hidden cue for screen readers."""
    hidden = "".join(element.xpath(".//span[@class='visually-hidden']/text()"))
    return element.text_content().replace(hidden, "", 1).strip()


def _figure_rows(page) -> list[tuple[str, ...]]:
    rows = []
    for table in page.xpath("//table"):
        group = table.findtext("caption").split(":")[0]
        for row in table.xpath("./tbody/tr"):
            rows.append((group, *(cell.text_content().strip() for cell in row)))
    return rows
