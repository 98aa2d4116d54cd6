"""The changes report as a Word document whose text changes are real tracked changes.

Each inserted run is a `w:ins` and each deleted run a `w:del` (with `w:delText`), the
markup Word writes itself when Track Changes is on: Word and LibreOffice show them as
insertions and deletions, list them in the Review pane, and let a reader accept or reject
them. python-docx has no API for revisions, so the few elements are made here with its
oxml helpers; everything else (headings, tables) goes through its public API.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from planpress.collaborate.compare import DocChange, FigureChange, PlanChanges, WordDiff

AUTHOR = "planpress"
WIDTHS = (Cm(5.2), Cm(2.6), Cm(2.7), Cm(2.7), Cm(2.9))


class _Revisions:
    """Makes w:ins and w:del runs with unique ids, all with one author and date."""

    def __init__(self, author: str, when: dt.datetime):
        self.author = author
        self.date = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        self._ids = itertools.count(1)

    def add(self, paragraph: Paragraph, op: str, text: str) -> None:
        if op == "equal":
            paragraph.add_run(text)
            return
        wrapper = OxmlElement("w:ins" if op == "insert" else "w:del")
        wrapper.set(qn("w:id"), str(next(self._ids)))
        wrapper.set(qn("w:author"), self.author)
        wrapper.set(qn("w:date"), self.date)
        run = OxmlElement("w:r")
        text_element = OxmlElement("w:t" if op == "insert" else "w:delText")
        text_element.set(qn("xml:space"), "preserve")
        text_element.text = text
        run.append(text_element)
        wrapper.append(run)
        paragraph._p.append(wrapper)


def write_docx(changes: PlanChanges, title: str, path: Path, when: dt.datetime | None = None) -> None:
    document = Document()
    document.core_properties.title = title
    document.core_properties.subject = changes.summary()
    document.core_properties.author = AUTHOR
    document.core_properties.language = "en-GB"
    _language(document, "en-GB")
    revisions = _Revisions(AUTHOR, when or dt.datetime.now(dt.timezone.utc))
    document.add_heading(title, level=0)
    document.add_paragraph(f"Changes from {changes.before} to {changes.after}.")
    summary = document.add_paragraph()
    summary.add_run(changes.summary()).bold = True
    for note in changes.notes:
        document.add_paragraph(f"Note: {note}")
    if changes.documents:
        document.add_paragraph(
            "Changes to the text are tracked changes: inserted words are underlined and deleted words struck "
            "through, and each is listed in the Review pane, where it can be accepted or rejected.")
    for kind, heading in (("section", "Sections"), ("scheme", "Schemes")):
        docs = [d for d in changes.documents if d.kind == kind]
        if docs:
            document.add_heading(heading, level=1)
            for doc in docs:
                _doc(document, doc, revisions)
    if changes.figures:
        document.add_heading("Figures", level=1)
        _figure_tables(document, changes.figures)
    document.save(path)


def _doc(document, doc: DocChange, revisions: _Revisions) -> None:
    document.add_heading(f"{doc.title} ({doc.change})", level=2)
    for text in doc.texts:
        label = text.label if text.change == "changed" else f"{text.label} ({text.change})"
        document.add_heading(label, level=3)
        _diff(document, text.diff, revisions)


def _diff(document, diff: WordDiff, revisions: _Revisions) -> None:
    for runs in diff.paragraphs(changed_only=True):
        paragraph = document.add_paragraph()
        for index, (op, text) in enumerate(runs):
            # The space before a run belongs to it, so accepting or rejecting keeps the spacing right.
            revisions.add(paragraph, op, (" " if index else "") + text)


def _figure_tables(document, figures: tuple[FigureChange, ...]) -> None:
    groups: dict[str, list[FigureChange]] = {}
    for figure in figures:
        groups.setdefault(figure.group, []).append(figure)
    for group, rows in groups.items():
        document.add_heading(group, level=2)
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("Item", "Figure", "Before", "After", "Difference")):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        _repeat_header(table.rows[0])
        for figure in rows:
            cells = table.add_row().cells
            values = (figure.item, figure.measure, figure.shown(figure.before), figure.shown(figure.after),
                      figure.difference or ("changed" if figure.before is not None and figure.after is not None else ""))
            for cell, text in zip(cells, values):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(10)
        table.autofit = False
        for column, width in zip(table.columns, WIDTHS):  # LibreOffice reads the grid, Word the cells
            column.width = width
        for row in table.rows:  # the item's name is long; the figures are short
            for cell, width in zip(row.cells, WIDTHS):
                cell.width = width


def _repeat_header(row) -> None:
    """Mark the first row as a header: it repeats on each page and screen readers announce it."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _language(document, language: str) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), language)
