"""absorb: a partner's tracked changes and comments in the plan's DOCX, back into content/ (issue 15, part 2).

The reviewed copy is made here as Word writes one: tracked changes as w:ins / w:del (with
w:delText) carrying w:author and w:date, comments in word/comments.xml anchored by
commentRangeStart/End and a commentReference run. One copy is also saved again by LibreOffice,
to show that the marks the build puts in, and the changes, survive another program saving it.
"""

from __future__ import annotations

import copy
import subprocess
import zipfile
from pathlib import Path

import pypandoc
import pytest
from lxml import etree

from planpress.word.marks import file_table, mark_of, paragraph_text
from tests.conftest import REPO, copy_project, run_cli

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX = "output/harrowdale-bcf-plan.docx"
AUTHOR, DATE = "Priya Shah (ICB finance)", "2026-11-20T10:30:00Z"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# --- making a reviewed copy, as Word writes one ----------------------------------------


class Reviewer:
    """Tracked changes and comments made in a DOCX's XML, the way Word records them."""

    def __init__(self, source: Path):
        with zipfile.ZipFile(source) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}
        self.document = etree.fromstring(self.parts["word/document.xml"])
        comments = self.parts.get("word/comments.xml")
        self.comments = etree.fromstring(comments) if comments else etree.Element(w("comments"), nsmap={"w": W})
        self.next_id = 900

    def _run_with(self, words: str, within: str):
        """The run holding `words`, in the first paragraph whose text holds `within`, split so that
        `words` are a run of their own; returns that run."""
        for paragraph in self.document.iter(w("p")):
            if within not in paragraph_text(paragraph) or any(a.tag == w("sdt") for a in paragraph.iterancestors()):
                continue  # the table of contents is made by the build, not something a reviewer edits
            for run in paragraph.iter(w("r")):
                text = run.find(w("t"))
                if text is not None and text.text and words in text.text:
                    return self._split(run, text.text.index(words), len(words))
        raise AssertionError(f"no run holds {words!r} in a paragraph with {within!r}")

    def _split(self, run, at: int, length: int):
        whole = run.find(w("t")).text
        pieces = [whole[:at], whole[at:at + length], whole[at + length:]]
        made = []
        for piece in pieces:
            if not piece:
                made.append(None)
                continue
            clone = copy.deepcopy(run)
            clone.find(w("t")).text = piece
            clone.find(w("t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.addprevious(clone)
            made.append(clone)
        run.getparent().remove(run)
        return made[1]

    def _tracked(self, kind: str):
        element = etree.Element(w(kind))
        element.set(w("id"), str(self.next_id))
        element.set(w("author"), AUTHOR)
        element.set(w("date"), DATE)
        self.next_id += 1
        return element

    def _insert_words(self, parent, text: str) -> None:
        """Words inserted with tracked changes on, as the last child of `parent`."""
        insertion = etree.SubElement(parent, w("ins"))
        for key, value in self._tracked("ins").attrib.items():
            insertion.set(key, value)
        etree.SubElement(etree.SubElement(insertion, w("r")), w("t")).text = text

    def replace(self, words: str, new: str, within: str) -> None:
        run = self._run_with(words, within)
        deletion, insertion = self._tracked("del"), self._tracked("ins")
        run.addprevious(deletion)
        run.addprevious(insertion)
        added = copy.deepcopy(run)
        added.find(w("t")).text = new
        insertion.append(added)
        text = run.find(w("t"))
        text.tag = w("delText")
        deletion.append(run)

    def delete(self, words: str, within: str) -> None:
        self.replace(words, "", within)
        for insertion in list(self.document.iter(w("ins"))):
            if "".join(insertion.itertext()) == "":
                insertion.getparent().remove(insertion)

    def insert(self, new: str, before: str, within: str) -> None:
        run = self._run_with(before, within)
        insertion = self._tracked("ins")
        added = copy.deepcopy(run)
        added.find(w("t")).text = new
        insertion.append(added)
        run.addprevious(insertion)

    def add_paragraph(self, text: str, after: str) -> None:
        """A new paragraph after the one holding `after`, as Word records Enter and typing: the
        paragraph mark before it inserted, and its words inserted."""
        paragraph = next(p for p in self.document.iter(w("p")) if after in paragraph_text(p))
        new = etree.Element(w("p"))
        properties = paragraph.find(w("pPr"))
        if properties is not None:
            new.append(copy.deepcopy(properties))
        else:
            properties = etree.SubElement(paragraph, w("pPr"))
            paragraph.insert(0, properties)
        mark = properties.find(w("rPr"))
        if mark is None:
            mark = etree.SubElement(properties, w("rPr"))
        mark.append(self._tracked("ins"))
        self._insert_words(new, text)
        paragraph.addnext(new)

    def delete_paragraph(self, within: str) -> None:
        """A whole paragraph deleted: every run and the paragraph mark."""
        paragraph = next(p for p in self.document.iter(w("p")) if within in paragraph_text(p)
                         and not any(a.tag == w("sdt") for a in p.iterancestors()))  # not the table of contents
        for run in list(paragraph.iter(w("r"))):  # a link's runs too, deleted inside the link
            deletion = self._tracked("del")
            run.addprevious(deletion)
            deletion.append(run)
            for text in run.iter(w("t")):
                text.tag = w("delText")
        properties = paragraph.find(w("pPr"))
        mark = properties.find(w("rPr")) if properties is not None else None
        if mark is None:
            mark = etree.SubElement(properties, w("rPr"))
        mark.append(self._tracked("del"))

    def add_row(self, cells: list[str], after: str) -> None:
        """A new table row under the row holding `after`, as Word records one: w:trPr/w:ins on the row, each
        cell's paragraph mark and words inserted (the row copied for its cell layout, without its marks)."""
        row = next(r for r in self.document.iter(w("tr")) if any(after in paragraph_text(p) for p in r.iter(w("p"))))
        new = copy.deepcopy(row)
        for bookmark in [*new.iter(w("bookmarkStart")), *new.iter(w("bookmarkEnd"))]:
            bookmark.getparent().remove(bookmark)
        properties = new.find(w("trPr"))
        if properties is None:
            properties = etree.Element(w("trPr"))
            new.insert(0, properties)
        properties.append(self._tracked("ins"))
        for cell, words in zip(new.iterchildren(w("tc")), cells):
            paragraphs = list(cell.iter(w("p")))
            for extra in paragraphs[1:]:
                extra.getparent().remove(extra)
            paragraph = paragraphs[0]
            for child in [c for c in paragraph if c.tag != w("pPr")]:
                paragraph.remove(child)
            self._insert_words(paragraph, words)
        row.addnext(new)

    def delete_row(self, within: str) -> None:
        """A table row deleted whole: w:trPr/w:del on the row, and its words deleted."""
        row = next(r for r in self.document.iter(w("tr")) if any(within in paragraph_text(p) for p in r.iter(w("p"))))
        for paragraph in row.iter(w("p")):
            for run in list(paragraph.iter(w("r"))):
                deletion = self._tracked("del")
                run.addprevious(deletion)
                deletion.append(run)
                for text in run.iter(w("t")):
                    text.tag = w("delText")
        properties = row.find(w("trPr"))
        if properties is None:
            properties = etree.Element(w("trPr"))
            row.insert(0, properties)
        properties.append(self._tracked("del"))

    def untracked(self, words: str, new: str, within: str) -> None:
        """An edit made with tracked changes off: the words simply changed."""
        run = self._run_with(words, within)
        run.find(w("t")).text = new

    def comment(self, words: str, within: str, text: str) -> None:
        run = self._run_with(words, within)
        number = str(self.next_id)
        self.next_id += 1
        start, end = etree.Element(w("commentRangeStart")), etree.Element(w("commentRangeEnd"))
        start.set(w("id"), number)
        end.set(w("id"), number)
        run.addprevious(start)
        run.addnext(end)
        reference = etree.SubElement(etree.Element(w("r")), w("commentReference"))
        reference.set(w("id"), number)
        end.addnext(reference.getparent())
        comment = etree.SubElement(self.comments, w("comment"))
        for key, value in (("id", number), ("author", AUTHOR), ("date", DATE), ("initials", "PS")):
            comment.set(w(key), value)
        etree.SubElement(etree.SubElement(etree.SubElement(comment, w("p")), w("r")), w("t")).text = text

    def save(self, target: Path) -> Path:
        self.parts["word/document.xml"] = etree.tostring(self.document, xml_declaration=True, encoding="UTF-8")
        self.parts["word/comments.xml"] = etree.tostring(self.comments, xml_declaration=True, encoding="UTF-8")
        types = self.parts["[Content_Types].xml"]
        if b"/word/comments.xml" not in types:
            self.parts["[Content_Types].xml"] = types.replace(b"</Types>", (
                b'<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.wordprocessingml.comments+xml"/></Types>'))
        rels = self.parts["word/_rels/document.xml.rels"]
        if b"comments.xml" not in rels:
            self.parts["word/_rels/document.xml.rels"] = rels.replace(b"</Relationships>", (
                b'<Relationship Id="rIdReviewComments" Type="http://schemas.openxmlformats.org/officeDocument/'
                b'2006/relationships/comments" Target="comments.xml"/></Relationships>'))
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.parts.items():
                archive.writestr(name, data)
        return target


def through_libreoffice(source: Path, folder: Path) -> Path:
    """The DOCX opened and saved as DOCX again by LibreOffice, with a private profile."""
    out = folder / "saved-by-libreoffice"
    command = ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
               "--convert-to", "docx", "--outdir", str(out), str(source)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(command)}: {result.stderr}"
    return out / source.name


# --- the plan, built once, and its reviewed copy ---------------------------------------

DELETED_PARAGRAPH = ("\nThe move will be phased so that no service is withdrawn until its replacement has shown it "
                     "can cope with the demand.\nThe [risks](section:risks) section describes how the partners will "
                     "respond if the shift of activity is slower than planned.\n")
NEW_PARAGRAPH = "Both boards will review the vision each spring. The first review is due in April 2015."
SOURCES = ("content/sections/02-vision.md", "content/sections/03-case-for-change.md",
           "content/data/finance.yaml", "content/sections/08-engagement.md", "content/schemes/CH2.md")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("absorb") / "plan")
    result = run_cli(project, "documents")
    assert result.code == 0, result.out + result.err
    return project


@pytest.fixture(scope="module")
def reviewed(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    reviewer = Reviewer(built / DOCX)
    reviewer.insert("clear ", "commitments", within="Our vision rests on four commitments")
    reviewer.replace("early", "timely", within="Prevention and early help.")
    reviewer.delete("itself ", within="and the town itself remains densely built")
    reviewer.replace("£3,654,000", "£3,700,000", within="£3,654,000")
    reviewer.insert("briefly ", "Describe the contingency plan", within="Describe the contingency plan")
    reviewer.delete_paragraph(within="The move will be phased so that no service is withdrawn")  # the file's last
    reviewer.untracked("have been consistent", "have been very consistent", within="The messages have been consistent")
    reviewer.add_paragraph(NEW_PARAGRAPH, after="same offer as the town centre.")
    reviewer.comment("Healthwatch Harrowdale", within="ran a joint engagement programme",
                     text="Name the Healthwatch chair here?")
    reviewer.comment("£1,218,000", within="£1,218,000", text="Calder Moor confirmed this in August.")
    reviewer.comment("up to six weeks", within="reablement service offers up to six weeks",
                     text="Six weeks matches the 2015/16 contract.")
    return reviewer.save(tmp_path_factory.mktemp("review") / "harrowdale-bcf-plan-reviewed.docx")


def texts(project: Path) -> dict[str, str]:
    return {name: (project / name).read_text(encoding="utf-8") for name in SOURCES}


def expected_sources() -> dict[str, str]:
    """The example's files with exactly the reviewer's narrative changes made (the figure is not)."""
    found = {name: (REPO / name).read_text(encoding="utf-8") for name in SOURCES}
    vision = "content/sections/02-vision.md"
    found[vision] = found[vision].replace(
        "Our vision rests on four commitments,", "Our vision rests on four clear commitments,").replace(
        "1. **Prevention and early help.**", "1. **Prevention and timely help.**").replace(
        "same offer as the town centre.\n", "same offer as the town centre.\n\n"
        "Both boards will review the vision each spring.\nThe first review is due in April 2015.\n").replace(
        DELETED_PARAGRAPH, "")
    case = "content/sections/03-case-for-change.md"
    found[case] = found[case].replace("and the town itself remains densely built", "and the town remains densely built")
    return found


COMMENTS = [
    "Comments (3):",
    "  content/sections/08-engagement.md:15: Priya Shah (ICB finance) (2026-11-20): Name the Healthwatch chair here?",
    "  content/data/finance.yaml:29: Priya Shah (ICB finance) (2026-11-20): Calder Moor confirmed this in August.",
    "  content/schemes/CH2.md:14: Priya Shah (ICB finance) (2026-11-20): Six weeks matches the 2015/16 contract.",
]


# --- marks -------------------------------------------------------------------------------


def test_the_build_marks_paragraphs_and_rows_with_their_file_and_line(built: Path):
    with zipfile.ZipFile(built / DOCX) as archive:
        files = file_table(archive.read("docProps/custom.xml"))
        body = etree.fromstring(archive.read("word/document.xml"))
    marks = {paragraph_text(p): mark_of(p, files) for p in body.iter(w("p"))}
    vision = marks["Our vision rests on four commitments, which match the four themes of the plan:"]
    assert (vision.file, vision.line) == ("content/sections/02-vision.md", 16)
    item = next(m for text, m in marks.items() if text.startswith("Prevention and early help. People will"))
    assert (item.file, item.line) == ("content/sections/02-vision.md", 18)
    figure = marks["£3,654,000"]  # a cell of the funding table: its row is marked with the data file
    assert figure.file == "content/data/finance.yaml"
    # What the template writes (a part's question) has no mark: no author typed it.
    assert marks["Who commissions the scheme and who provides it? Set out the delivery chain."] is None


def test_libreoffice_keeps_the_marks(built: Path, tmp_path: Path):
    saved = through_libreoffice(built / DOCX, tmp_path)
    read = {}
    for docx in (built / DOCX, saved):
        with zipfile.ZipFile(docx) as archive:
            files = file_table(archive.read("docProps/custom.xml"))
            body = etree.fromstring(archive.read("word/document.xml"))
        read[docx] = [(paragraph_text(p), mark_of(p, files)) for p in body.iter(w("p")) if mark_of(p, files)]
    assert len(read[built / DOCX]) > 400
    assert read[saved] == read[built / DOCX]


# --- absorb ------------------------------------------------------------------------------


def test_absorb_applies_narrative_changes_reports_the_figure_and_lists_comments(built: Path, reviewed: Path,
                                                                               tmp_path: Path):
    project = copy_project(tmp_path / "plan")
    result = run_cli(project, "absorb", str(reviewed))
    assert result.code == 0, result.out + result.err
    assert texts(project) == expected_sources()
    lines = result.out.splitlines()
    assert lines[:7] == [
        "Applied (review them with `git diff`; nothing was committed):",
        "  content/sections/02-vision.md:89: deleted the paragraph \"The move will be phased so that no service is withdrawn\u2026\" "
        "(Priya Shah (ICB finance))",
        "  content/sections/02-vision.md:35: added the paragraph \"Both boards will review the vision each spring. The first…\" "
        "(Priya Shah (ICB finance))",
        "  content/sections/02-vision.md:18: replaced \"early\" with \"timely\" (Priya Shah (ICB finance))",
        "  content/sections/02-vision.md:16: inserted \"clear\" (Priya Shah (ICB finance))",
        "  content/sections/03-case-for-change.md:15: deleted \"itself\" (Priya Shah (ICB finance))",
        "",
    ]
    assert lines[7:11] == [
        "Reported, not applied:",
        # Typed with tracked changes off: worked out against the source, listed, not applied.
        '  content/sections/08-engagement.md:11: changed without tracked changes, not applied: inserted "very"',
        '  content/data/finance.yaml:24: Priya Shah (ICB finance): replaced "£3,654,000" with "£3,700,000", in a table '
        "or figure made from this data file: not applied; change the value here and build again",
        # The question is the template's: no author typed it, so it has no mark, and is listed, not lost.
        '  (no place found) Priya Shah (ICB finance): inserted "briefly" in "Describe the contingency plan and the risk '
        'sharing…": text the template writes, or a new paragraph; make this change by hand if it is needed',
    ]
    assert lines[12:16] == COMMENTS
    assert lines[-1] == ("harrowdale-bcf-plan-reviewed.docx: 5 changes applied (2 files), 3 reported, 3 comments.")

    again = run_cli(project, "absorb", str(reviewed))
    assert again.code == 0, again.out + again.err
    assert texts(project) == expected_sources()
    assert "Applied" not in again.out
    assert again.out.splitlines()[-1] == ("harrowdale-bcf-plan-reviewed.docx: 0 changes applied, 3 reported, "
                                          "3 comments, 5 already in the source.")


def test_comments_only_lists_and_changes_nothing(reviewed: Path, tmp_path: Path):
    project = copy_project(tmp_path / "plan")
    before = texts(project)
    result = run_cli(project, "absorb", str(reviewed), "--comments-only")
    assert result.code == 0, result.out + result.err
    assert texts(project) == before
    assert result.out.splitlines() == [*COMMENTS, "",
                                       "harrowdale-bcf-plan-reviewed.docx: 3 comments; nothing changed (--comments-only)."]


def test_a_review_saved_again_by_libreoffice_absorbs_the_same(reviewed: Path, tmp_path: Path):
    saved = through_libreoffice(reviewed, tmp_path)
    project = copy_project(tmp_path / "plan")
    result = run_cli(project, "absorb", str(saved))
    assert result.code == 0, result.out + result.err
    assert texts(project) == expected_sources()
    assert [line for line in result.out.splitlines() if line.startswith("  content/s")] == [
        "  content/sections/02-vision.md:89: deleted the paragraph \"The move will be phased so that no service is withdrawn\u2026\" "
        "(Priya Shah (ICB finance))",
        "  content/sections/02-vision.md:35: added the paragraph \"Both boards will review the vision each spring. The first…\" "
        "(Priya Shah (ICB finance))",
        "  content/sections/02-vision.md:18: replaced \"early\" with \"timely\" (Priya Shah (ICB finance))",
        "  content/sections/02-vision.md:16: inserted \"clear\" (Priya Shah (ICB finance))",
        "  content/sections/03-case-for-change.md:15: deleted \"itself\" (Priya Shah (ICB finance))",
        '  content/sections/08-engagement.md:11: changed without tracked changes, not applied: inserted "very"',
        COMMENTS[1], COMMENTS[3],
    ]
    assert result.out.splitlines()[-1] == "harrowdale-bcf-plan-reviewed.docx: 5 changes applied (2 files), 3 reported, 3 comments."


# --- what absorb refuses -----------------------------------------------------------------


def test_a_file_that_is_not_a_docx_is_refused(project: Path, tmp_path: Path):
    before = texts(project)
    notes = tmp_path / "notes.docx"
    notes.write_text("These are my notes, not a Word document.\n", encoding="utf-8")
    result = run_cli(project, "absorb", str(notes))
    assert result.code == 1
    assert result.out == ""
    assert result.err == (f"Error: {notes}: this is not a Word document (.docx) that can be read (File is not a zip "
                          "file). Open it in Word or LibreOffice and save it as a Word document (.docx), then run "
                          "absorb again.\n")
    assert texts(project) == before


def test_a_docx_planpress_did_not_build_is_refused(project: Path, tmp_path: Path):
    before = texts(project)
    other = tmp_path / "written-in-word.docx"
    made = subprocess.run([pypandoc.get_pandoc_path(), "--from", "markdown",
                           "--to", "docx", "--output", str(other)], input="# A plan\n\nWritten by hand.\n",
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    result = run_cli(project, "absorb", str(other))
    assert result.code == 1
    assert result.err == (f"Error: {other}: this Word document was not built by planpress: it has none of the marks "
                          "the build puts on each paragraph to say where it came from, so its changes cannot be "
                          "traced to content/. Absorb takes back the plan's own DOCX (output/<area>-plan.docx) after "
                          "review; bring a plan written in Word in with `python build.py import` instead.\n")
    assert texts(project) == before


def test_a_value_put_in_by_an_expression_is_reported_and_the_words_around_it_applied(tmp_path: Path):
    project = copy_project(tmp_path / "plan")
    vision = project / "content/sections/02-vision.md"
    typed = "Our vision rests on four commitments, which match the four themes of the plan:"
    quoting = ('Our vision rests on four commitments, which match the four themes of the plan and '
               'its budget of {{ pooled_budget["2015/16"].agreed | money }} for 2015/16:')
    vision.write_text(vision.read_text(encoding="utf-8").replace(typed, quoting), encoding="utf-8")
    built = run_cli(project, "documents")
    assert built.code == 0, built.out + built.err
    reviewer = Reviewer(project / DOCX)
    reviewer.replace("£18,640,000", "£19,000,000", within="its budget of £18,640,000 for 2015/16")
    reviewer.replace("four commitments", "five commitments", within="the four themes of the plan and its budget")
    reviewed = reviewer.save(tmp_path / "reviewed.docx")
    before = vision.read_text(encoding="utf-8")
    result = run_cli(project, "absorb", str(reviewed))
    assert result.code == 0, result.out + result.err
    assert vision.read_text(encoding="utf-8") == before.replace("rests on four commitments", "rests on five commitments")
    assert [line for line in result.out.splitlines() if line.startswith("  ")] == [
        '  content/sections/02-vision.md:16: replaced "four" with "five" (Priya Shah (ICB finance))',
        '  content/sections/02-vision.md:16: Priya Shah (ICB finance): replaced "£18,640,000" with "£19,000,000": '
        "not applied, the paragraph holds a value put in by {{ ... }}; change it by hand",
    ]


def test_absorb_without_a_file_or_with_a_missing_one_says_what_to_give(project: Path):
    result = run_cli(project, "absorb")
    assert (result.code, result.err) == (1, "Error: absorb takes one Word file, the plan's DOCX after review: "
                                            "python build.py absorb REVIEWED.docx [--comments-only]\n")
    result = run_cli(project, "absorb", str(project / "reviewed.docx"))
    assert (result.code, result.err) == (1, f"Error: {project / 'reviewed.docx'}: there is no such file. Give the path "
                                            "of the reviewed Word document (.docx).\n")


# --- word changes on Markdown, case by case (inline sources) -----------------------------

WORD_CASES = [
    # (the Markdown, the paragraph's words after review, the Markdown after absorb)
    ("We rest on four aims, which match the four themes.", "We rest on five aims, which match the four themes.",
     "We rest on five aims, which match the four themes."),
    ("1. **Prevention and early help.** People will be helped.", "Prevention and timely help. People will be helped.",
     "1. **Prevention and timely help.** People will be helped."),
    ("The programme is called *Living Well in Harrowdale*.", "The programme is called Living Better.",
     "The programme is called *Living Better*."),
    ("See [the JSNA](https://example.org/jsna) for the needs.\nIt was agreed in May.",
     "See the JSNA for the needs of adults. It was agreed in May.",
     "See [the JSNA](https://example.org/jsna) for the needs of adults.\nIt was agreed in May."),
    ("Our aims are clear.", "Also our aims are clear.", "Also our aims are clear."),
    ("Our aims are clear.", "Our aims are clear now.", "Our aims are clear now."),
    ("Beds -- step-up and step-down -- are **very** useful here.", "Beds – step-up and step-down – are useful here.",
     "Beds -- step-up and step-down -- are useful here."),
    # Words across formatting, more or fewer of them: each old word's place keeps its markup.
    ("The team is **very** useful here.", "The team is of great use here.", "The team is **of** great use here."),
    ("1. **Prevention and early help.** People will be helped.", "Prevention and timely practical support. People "
     "will be helped.", "1. **Prevention and timely practical support.** People will be helped."),
    ("We fund *the* **early help** offer.", "We fund prompt support offer.", "We fund *prompt* **support** offer."),
    ("We fund *the* **early help** offer.", "We fund the offer.", "We fund *the* offer."),
]


def test_a_change_across_formatting_whose_words_are_in_the_paragraph_twice_is_listed():
    from planpress.word.apply import apply_to_block
    from planpress.word.source_text import markdown_blocks, normal

    markdown = "Help is **very** useful, and **very** useful, again.\n"
    block = markdown_blocks("content/sections/x.md", markdown)[0]
    changed, outcomes = apply_to_block(block, normal(block.plain.text), "Help is of great use, and very useful, again.")
    assert changed == markdown
    assert [(o.state, o.hunk.describe()) for o in outcomes] == [
        ("unplaced", 'replaced "very useful," with "of great use,"')]


@pytest.mark.parametrize("markdown, after, expected", WORD_CASES)
def test_word_changes_keep_the_markup_around_them_and_apply_once(markdown: str, after: str, expected: str):
    from planpress.word.apply import apply_to_block
    from planpress.word.source_text import markdown_blocks, normal

    block = markdown_blocks("content/sections/x.md", markdown + "\n")[0]
    changed, outcomes = apply_to_block(block, normal(block.plain.text), normal(after))
    assert changed == expected + "\n"
    assert {o.state for o in outcomes} == {"applied"}
    again, outcomes = apply_to_block(markdown_blocks("content/sections/x.md", changed)[0],
                                     normal(block.plain.text), normal(after))
    assert again == changed
    assert {o.state for o in outcomes} == {"already"}


def test_edits_made_in_content_since_the_document_went_out_do_not_misplace_the_review(reviewed: Path, tmp_path: Path):
    """Lines added above the reviewed paragraphs after the build: each change still goes to its paragraph,
    found by the words the build wrote there."""
    project = copy_project(tmp_path / "plan")
    added = "A paragraph written after the document went out for review.\n\n"
    for name in ("content/sections/02-vision.md", "content/sections/03-case-for-change.md"):
        path = project / name
        path.write_text(path.read_text(encoding="utf-8").replace("---\n\n", "---\n\n" + added, 1), encoding="utf-8")
    result = run_cli(project, "absorb", str(reviewed))
    assert result.code == 0, result.out + result.err
    expected = expected_sources()
    for name in ("content/sections/02-vision.md", "content/sections/03-case-for-change.md"):
        expected[name] = expected[name].replace("---\n\n", "---\n\n" + added, 1)
    assert texts(project) == expected
    assert [line for line in result.out.splitlines() if line.startswith("  content/sections/0")][:5] == [
        "  content/sections/02-vision.md:91: deleted the paragraph \"The move will be phased so that no service is "
        "withdrawn…\" (Priya Shah (ICB finance))",
        "  content/sections/02-vision.md:37: added the paragraph \"Both boards will review the vision each spring. "
        "The first…\" (Priya Shah (ICB finance))",
        "  content/sections/02-vision.md:20: replaced \"early\" with \"timely\" (Priya Shah (ICB finance))",
        "  content/sections/02-vision.md:18: inserted \"clear\" (Priya Shah (ICB finance))",
        "  content/sections/03-case-for-change.md:17: deleted \"itself\" (Priya Shah (ICB finance))",
    ]


def test_a_change_in_a_table_typed_in_markdown_is_applied_in_its_row(built: Path, tmp_path: Path):
    reviewer = Reviewer(built / DOCX)
    reviewer.replace("up to one month", "up to two weeks", within="Slips by up to one month")
    reviewed = reviewer.save(tmp_path / "reviewed.docx")
    project = copy_project(tmp_path / "plan")
    plan_of_action = project / "content/sections/04-plan-of-action.md"
    before = plan_of_action.read_text(encoding="utf-8")
    result = run_cli(project, "absorb", str(reviewed))
    assert result.code == 0, result.out + result.err
    assert plan_of_action.read_text(encoding="utf-8") == before.replace(
        "| Milestone | Slips by up to one month |", "| Milestone | Slips by up to two weeks |")
    assert result.out.splitlines()[1] == ('  content/sections/04-plan-of-action.md:53: replaced "one month" with '
                                          '"two weeks" (Priya Shah (ICB finance))')


# --- list items and table rows added or deleted whole ---------------------------------------

NEW_ITEM = "A shared workforce. Staff will train together and work to one set of standards."


def test_a_list_item_added_or_deleted_is_made_in_the_markdown_list_with_its_marker(built: Path, tmp_path: Path):
    reviewer = Reviewer(built / DOCX)
    reviewer.add_paragraph(NEW_ITEM, after="An integrated urgent response. When a crisis happens")
    reviewer.delete_paragraph(within="Care closer to home. Six integrated neighbourhood teams")
    reviewer.add_paragraph("people will wait less for equipment", after="people will be more confident managing")
    reviewed = reviewer.save(tmp_path / "reviewed.docx")
    project = copy_project(tmp_path / "plan")
    vision = project / "content/sections/02-vision.md"
    before = vision.read_text(encoding="utf-8")
    result = run_cli(project, "absorb", str(reviewed))
    assert result.code == 0, result.out + result.err
    expected = before.replace(
        "   will stay in hospital longer than they need to because the next service is not ready.\n"
        "3. **Care closer to home.** Six integrated neighbourhood teams, built around groups of\n"
        "   GP practices, will plan and deliver care for people with complex needs, with social\n"
        "   workers, community nurses, therapists, mental health workers and the voluntary sector\n"
        "   working as one team.\n"
        "4. **Strong foundations.**",
        "   will stay in hospital longer than they need to because the next service is not ready.\n"
        f"3. {NEW_ITEM}\n"
        "4. **Strong foundations.**")
    expected = expected.replace("- people will be more confident managing their own health, with help from community\n",
                                "- people will be more confident managing their own health, with help from community\n", 1)
    lines = expected.split("\n")
    confident = next(i for i, line in enumerate(lines) if line.startswith("- people will be more confident"))
    end = next(i for i in range(confident + 1, len(lines)) if not lines[i].startswith("  "))
    lines.insert(end, "- people will wait less for equipment")
    assert vision.read_text(encoding="utf-8") == "\n".join(lines)
    assert result.out.splitlines()[-1] == "reviewed.docx: 3 changes applied (1 file), 0 reported, 0 comments."

    again = run_cli(project, "absorb", str(reviewed))
    assert vision.read_text(encoding="utf-8") == "\n".join(lines)
    assert again.out.splitlines()[-1] == "reviewed.docx: 0 changes applied, 0 reported, 0 comments, 3 already in the source."


def test_a_row_added_to_a_markdown_table_is_made_there_and_one_in_a_data_table_reported(built: Path, tmp_path: Path):
    reviewer = Reviewer(built / DOCX)
    reviewer.add_row(["Workforce", "A post vacant for a month", "A post vacant for three months"],
                     after="Slips by up to one month")
    reviewer.delete_row(within="Risk factor below 15")
    reviewer.add_row(["A new line", "£1,000", "£0", "£1,000"], after="£3,654,000")
    reviewed = reviewer.save(tmp_path / "reviewed.docx")
    project = copy_project(tmp_path / "plan")
    plan_of_action = project / "content/sections/04-plan-of-action.md"
    before = plan_of_action.read_text(encoding="utf-8")
    result = run_cli(project, "absorb", str(reviewed))
    assert result.code == 0, result.out + result.err
    expected = before.replace(
        "| Milestone | Slips by up to one month | Slips by more than one month, or delays a dependent task in another scheme |\n",
        "| Milestone | Slips by up to one month | Slips by more than one month, or delays a dependent task in another scheme |\n"
        "| Workforce | A post vacant for a month | A post vacant for three months |\n").replace(
        "| Risks | Risk factor below 15 | Risk factor of 15 or more |\n", "")
    assert plan_of_action.read_text(encoding="utf-8") == expected
    out = [line for line in result.out.splitlines() if line.startswith("  ")]
    assert out[:2] == [
        '  content/sections/04-plan-of-action.md:56: deleted the row "Risks | Risk factor below 15 | Risk factor of 15 '
        'or more" (Priya Shah (ICB finance))',
        '  content/sections/04-plan-of-action.md:54: added the row "Workforce | A post vacant for a month | A post vacant '
        'for three months" (Priya Shah (ICB finance))',
    ]
    assert out[2].startswith("  content/data/finance.yaml:")
    assert out[2].endswith(': Priya Shah (ICB finance): added the row "A new line | £1,000 | £0 | £1,000" under the row from '
                           "this line, in a table made from this data file: not applied; add it there and build again")

    again = run_cli(project, "absorb", str(reviewed))
    assert plan_of_action.read_text(encoding="utf-8") == expected
    assert again.out.splitlines()[-1] == "reviewed.docx: 0 changes applied, 1 reported, 0 comments, 2 already in the source."


# --- headings made from front matter, and chart captions ---------------------------------


def test_a_change_to_a_heading_made_from_front_matter_is_made_to_the_title_there(built: Path, tmp_path: Path):
    reviewer = Reviewer(built / DOCX)
    reviewer.insert("social ", "care services", within="2) Vision for health and care services")
    reviewer.replace("at home", "and recovery at home", within="CH2: Reablement at home")
    reviewer.replace("Case for change", "Case for change: the evidence", within="3) Case for change")
    reviewer.replace("spend", "spending", within="Figure 4: Planned spend by theme")
    reviewer.delete_paragraph(within="8) Engagement")
    reviewer.comment("Reablement ", within="CH2: Reablement", text="Is recovery in the name agreed?")
    reviewed = reviewer.save(tmp_path / "reviewed.docx")
    project = copy_project(tmp_path / "plan")
    names = ("content/sections/02-vision.md", "content/schemes/CH2.md", "content/sections/03-case-for-change.md",
             "content/sections/08-engagement.md")
    before = {name: (project / name).read_text(encoding="utf-8") for name in names}
    result = run_cli(project, "absorb", str(reviewed))
    assert result.code == 0, result.out + result.err
    after = {name: (project / name).read_text(encoding="utf-8") for name in names}
    assert after == {
        names[0]: before[names[0]].replace("title: Vision for health and care services\n",
                                           "title: Vision for health and social care services\n"),
        names[1]: before[names[1]].replace("name: Reablement at home\n", "name: Reablement and recovery at home\n"),
        names[2]: before[names[2]],  # the new title would need quotes: listed, not made
        names[3]: before[names[3]],  # a title deleted: listed, the section kept
    }
    assert [line for line in result.out.splitlines() if line.startswith("  ")] == [
        '  content/schemes/CH2.md:3: inserted "and recovery" (Priya Shah (ICB finance))',
        '  content/sections/02-vision.md:3: inserted "social" (Priya Shah (ICB finance))',
        '  content/sections/03-case-for-change.md:3: Priya Shah (ICB finance): replaced "change" with "change: the '
        'evidence": not applied, the new words need quotes in the front matter; change them there by hand',
        '  content/sections/08-engagement.md:3: Priya Shah (ICB finance): deleted the heading "8) Engagement", made '
        "from this title: not applied; a section or scheme keeps a title (remove the file if it is to go)",
        '  (no place found) Priya Shah (ICB finance): replaced "spend" with "spending" in the caption "Figure 4: '
        'Planned spend by theme": a chart\'s caption is written by the build, not typed in content/; not applied',
        "  content/schemes/CH2.md:3: Priya Shah (ICB finance) (2026-11-20): Is recovery in the name agreed?",
    ]
    again = run_cli(project, "absorb", str(reviewed))
    assert {name: (project / name).read_text(encoding="utf-8") for name in names} == after
    assert again.out.splitlines()[-1] == "reviewed.docx: 0 changes applied, 3 reported, 1 comment, 2 already in the source."


def test_list_items_rows_and_titles_saved_again_by_libreoffice_absorb_the_same(built: Path, tmp_path: Path):
    reviewer = Reviewer(built / DOCX)
    reviewer.add_paragraph(NEW_ITEM, after="An integrated urgent response. When a crisis happens")
    reviewer.delete_paragraph(within="Care closer to home. Six integrated neighbourhood teams")
    reviewer.add_row(["Workforce", "A post vacant for a month", "A post vacant for three months"],
                     after="Slips by up to one month")
    reviewer.delete_row(within="Risk factor below 15")
    reviewer.insert("social ", "care services", within="2) Vision for health and care services")
    reviewed = reviewer.save(tmp_path / "reviewed.docx")
    saved = through_libreoffice(reviewed, tmp_path)
    names = ("content/sections/02-vision.md", "content/sections/04-plan-of-action.md")
    made = {}
    for docx in (reviewed, saved):
        project = copy_project(tmp_path / docx.parent.name / "plan")
        result = run_cli(project, "absorb", str(docx))
        assert result.code == 0, result.out + result.err
        made[docx] = ({name: (project / name).read_text(encoding="utf-8") for name in names},
                      [line for line in result.out.splitlines() if line.startswith("  ")])
    assert made[saved] == made[reviewed]
    assert len(made[saved][1]) == 5
    assert made[saved][0]["content/sections/02-vision.md"] != (REPO / "content/sections/02-vision.md").read_text(
        encoding="utf-8")


LIST_CASES = [
    # (the list, the item a new item follows (0-based line), the list after)
    ("1. One.\n2. Two.\n3. Three.\n", 0, "1. One.\n2. New.\n3. Two.\n4. Three.\n"),
    ("1. One.\n1. Two.\n1. Three.\n", 1, "1. One.\n1. Two.\n1. New.\n1. Three.\n"),
    ("* One.\n* Two.\n", 1, "* One.\n* Two.\n* New.\n"),
    ("1) One,\n   going on.\n2) Two.\n\nAfter.\n", 0, "1) One,\n   going on.\n2) New.\n3) Two.\n\nAfter.\n"),
]


@pytest.mark.parametrize("markdown, item, expected", LIST_CASES)
def test_a_new_list_item_takes_the_lists_own_marker(markdown: str, item: int, expected: str):
    from planpress.word.absorb import with_list_item
    from planpress.word.source_text import markdown_blocks

    block = markdown_blocks("content/sections/x.md", markdown)[item]
    lines = markdown.split("\n")
    with_list_item(lines, block.line - 1, block.end_line, "New.")
    assert "\n".join(lines) == expected


def test_a_list_numbered_alike_keeps_its_numbers_when_items_come_and_go(tmp_path: Path):
    project = copy_project(tmp_path / "plan")
    vision = project / "content/sections/02-vision.md"
    alike = vision.read_text(encoding="utf-8").replace("2. **An integrated", "1. **An integrated").replace(
        "3. **Care closer", "1. **Care closer").replace("4. **Strong", "1. **Strong")
    vision.write_text(alike, encoding="utf-8")
    built = run_cli(project, "documents")
    assert built.code == 0, built.out + built.err
    reviewer = Reviewer(project / DOCX)
    reviewer.add_paragraph(NEW_ITEM, after="An integrated urgent response. When a crisis happens")
    reviewer.delete_paragraph(within="Prevention and early help. People will be helped")
    reviewed = reviewer.save(tmp_path / "reviewed.docx")
    result = run_cli(project, "absorb", str(reviewed))
    assert result.code == 0, result.out + result.err
    items = [line for line in vision.read_text(encoding="utf-8").split("\n") if line[:3] in ("1. ", "2. ", "3. ")]
    assert [item[:28] for item in items] == [
        "1. **An integrated urgent re", f"1. {NEW_ITEM}"[:28], "1. **Care closer to home.** ", "1. **Strong foundations.** S"]
