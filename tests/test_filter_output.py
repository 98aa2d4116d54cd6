"""What the document filter (templates/common/document/filters.lua) makes of each class and case it
handles, in both writers, from one document with all of them (tests/filter_cases.py).

The filter does its work in few walks of the document, for speed (benchmarks/filter_cost.py); these
checks pin down the results, so that a change to how it walks cannot change what it does.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from filter_cases import CASES, CASES_AT_TOP, RAW_READER
from planpress.targets.documents.pandoc import READER, pandoc_path

REPO = Path(__file__).resolve().parent.parent
FILTERS = REPO / "templates" / "common" / "document" / "filters.lua"
# The smallest PNG there is: Word's copy of the chart (the filter sends Word to chart.png).
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


def _pandoc(folder: Path, writer: str, output: str, reader: str = READER) -> None:
    subprocess.run([pandoc_path(), "plan.md", "--from", reader, "--to", writer, "--output", output, "--wrap=none",
                    f"--lua-filter={FILTERS}"], cwd=folder, check=True, capture_output=True)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, str]:
    """The cases document to Typst and Word (the Word file's body, relations and media), as the build
    reads it and, for the safety net, with raw code allowed in."""
    folder = tmp_path_factory.mktemp("filter-cases")
    (folder / "charts").mkdir()
    (folder / "charts" / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    (folder / "charts" / "chart.png").write_bytes(PNG)
    found = {}
    for label, text, reader in (("", CASES, READER), ("raw ", CASES, RAW_READER), ("at top ", CASES_AT_TOP, READER)):
        (folder / "plan.md").write_text(text, encoding="utf-8")
        _pandoc(folder, "typst", "plan.typ", reader)
        found[f"{label}typst"] = (folder / "plan.typ").read_text(encoding="utf-8")
        _pandoc(folder, "docx", "plan.docx", reader)
        with zipfile.ZipFile(folder / "plan.docx") as docx:
            found[f"{label}docx"] = docx.read("word/document.xml").decode()
            found[f"{label}rels"] = docx.read("word/_rels/document.xml.rels").decode()
            found[f"{label}media"] = " ".join(name for name in docx.namelist() if name.startswith("word/media/"))
            found[f"{label}core"] = docx.read("docProps/core.xml").decode()
    return found


def _paragraph(xml: str, text: str) -> str:
    """The Word paragraph (w:p) that holds `text`."""
    at = xml.index(text)
    return xml[xml.rindex("<w:p>", 0, at):xml.index("</w:p>", at)]


def test_a_short_lead_in_goes_onto_the_landscape_page_and_a_long_one_stays(made):
    typ = made["typst"]
    assert "#page(flipped: true)[#landscape.update(true)\n== Before the wide table\n" in typ
    # Back to a level-one heading, which starts a page anyway.
    assert "#page(flipped: true)[#landscape.update(true)\n= A level-one heading\n" in typ
    assert "#landscape.update(true)\n== Long lead-in" not in typ and "== Long lead-in" in typ
    # In a div and in a list too; in a div also when no landscape part is anywhere but in divs.
    assert "#page(flipped: true)[#landscape.update(true)\n== Lead-in in a div\n" in typ
    assert "#page(flipped: true)[#landscape.update(true)\n  === Lead-in in a list\n" in typ
    assert "#page(flipped: true)[#landscape.update(true)\n== Lead-in in a div\n" in made["at top typst"]
    docx = made["docx"]
    assert docx.count('w:val="PlanpressLandscapeStart"') == docx.count('w:val="PlanpressLandscapeEnd"') == 8
    assert docx.index("PlanpressLandscapeStart") < docx.index(">Before the wide table<")


def test_links_between_parts_of_the_plan_go_to_their_heading_or_become_text(made):
    typ = made["typst"]
    assert "#link(<section-risks>)[the risks]" in typ  # section:risks
    assert "#link(<section-vision>)[here]" in typ
    # A scheme and a metric (sent to one heading by link-anchors) the document has no heading for,
    # a missing heading, a file, a share, FTP: their text, no link.
    for text in ("a scheme,", "the figures,", "share,", "file,", "ftp,", "gone,", "and draft."):
        assert text in typ, text
    assert not re.search(r"<scheme-|<annex-figures>|<nowhere>|fs/x|ftp://|drafts/", typ)
    assert '#link("https://www.example.org")[web]' in typ and '#link("TEL:+441234")[Tel]' in typ
    targets = sorted(re.findall(r'Target="([^"]+)" TargetMode="External"', made["rels"]))
    assert targets == ["TEL:+441234", "https://www.example.org", "mailto:a@example.org"]
    assert 'w:anchor="section-risks"' in made["docx"] and 'w:anchor="nowhere"' not in made["docx"]


def test_a_link_to_an_anchor_only_raw_code_has_is_kept(made):
    """Raw HTML the writers are left to drop may hold an anchor: its link is kept; but code the filter
    has shown as code holds no anchor, and a link to one there becomes text."""
    assert "#link(<html-anchor>)[to raw HTML]" in made["typst"] and 'w:anchor="html-anchor"' in made["docx"]
    assert "raw one" in made["raw typst"] and "<in-raw-code>" not in made["raw typst"]


def test_raw_code_is_shown_as_code_never_run(made):
    typ = made["raw typst"]
    assert "```\n<w:p><w:r><w:t>in-raw-code</w:t></w:r></w:p>\n```" in typ
    assert 'Inline `#read("plan.md")` and `<w:br/>`.' in typ
    assert "[`<w:t>1</w:t>`], [2]," in typ  # in a table's cell too
    docx = made["raw docx"]
    assert "&lt;w:br/&gt;" in docx and "&lt;w:t&gt;in-raw-code" in docx
    assert "<w:t>in-raw-code</w:t>" not in docx and "<w:br/>" not in docx


def test_headings_go_down_one_level_at_a_time_and_ids_are_made_unique(made):
    typ = made["typst"]
    assert "\n== Too deep\n<deep>\n" in typ  # ###### under a #
    assert "\n== Author part\n<author-part>\n=== Author sub-part\n" in typ  # shifted, then one at a time
    assert "\n=== Shifted in a styled div\n" in typ
    # The first use keeps the id; later ones, in document order, are numbered.
    assert "= Vision\n<section-vision>" in typ and "== Again\n<section-vision-2>" in typ
    assert "Again span<section-vision-3>" in typ and "] <section-vision-5>" in typ
    assert "= Odd corners\n<odd>" in typ and "span<odd-2>" in typ and "H inner<odd-5><odd-4>" in typ
    assert "a span<odd-6> inside" in typ
    assert len(re.findall(r"<section-vision>", typ)) == 2  # the heading's label and the link to it


def test_columns_are_aligned_by_what_they_hold_and_row_headers_are_bold(made):
    typ = made["typst"]
    assert "align: (left,right,right,left,right,)" in typ  # |:-:| is not centred either
    assert "[#strong[Board]], [The Board]," in typ and "[#strong[Paragraphs]], [First]," in typ
    assert "[], [empty]," in typ
    assert "[#strong[One]], [1]," in typ  # a row-headers div that is also shift-headings and styled
    board = _paragraph(made["docx"], ">Board<")
    assert "<w:b />" in board
    assert "<w:b />" not in _paragraph(made["docx"], ">The Board<")


def test_an_authors_style_is_removed_and_the_plans_classes_are_kept(made):
    typ, docx = made["typst"], made["docx"]
    assert "#cover[\n#cover-hwb[\nThe Board" in typ and "#question[\nWhat is the vision?" in typ
    assert "#pagebreak()" in typ and "#contents()" in typ
    assert '<w:pStyle w:val="BodyText" />' in _paragraph(docx, "Styled by the author")  # not "Cover Title"
    assert "<w:rStyle" not in _paragraph(docx, ">styled<")
    assert 'w:val="PlanpressContents"' in docx and '<w:br w:type="page"/>' in docx
    assert "quoted" not in made["core"]  # Word's title block is the plan's own cover


def test_pictures_from_outside_are_dropped_for_their_caption(made):
    typ = made["typst"]
    assert "Absolute Back Deep Share" in typ and "Unsafe web picture" in typ
    assert not re.search(r"example\.org/[xy]\.png|/etc/x\.png|\.\./x\.png", typ)
    assert "example.org/x.png" not in made["rels"] and "/etc/" not in made["rels"]
    # A caption's own links and ids are still made right.
    assert "#link(<section-risks>)[a link] and gone]" in typ


def test_pictures_and_formulas_are_written_for_each_writer(made):
    typ = made["typst"]
    assert '#image("my picture.png", alt: "Alt said", width: 100%)' in typ
    assert '#image("charts/chart.svg", alt: "A chart", width: 100%)' in typ
    assert '#{ set math.equation(alt: "E = mc^2"); [' in typ
    assert made["media"].endswith(".png") and ".svg" not in made["media"]  # Word has the chart's PNG


def test_a_documents_pictures_are_written_for_typst_when_all_are_figures_alone(tmp_path):
    """The usual case (charts, each a figure of its own, and no formula) is written without a walk of
    every inline element; a picture beside text, or a formula, takes that walk (the cases above)."""
    (tmp_path / "plan.md").write_text('# Charts\n\n![Spending "by" area](charts/a b.svg)\n\nText.\n\n'
                                      "![Second](charts/b.svg){#fig-b}\n", encoding="utf-8")
    _pandoc(tmp_path, "typst", "plan.typ")
    typ = (tmp_path / "plan.typ").read_text(encoding="utf-8")
    assert '#image("charts/a b.svg", alt: "Spending “by” area", width: 100%)' in typ
    assert '#image("charts/b.svg", alt: "Second", width: 100%)' in typ
    assert "#figure(" in typ and "<fig-b>" in typ
