"""What a reviewer did to a Word document: each paragraph's tracked changes and each comment, with its mark.

Read from word/document.xml and word/comments.xml as Word and LibreOffice write them: an
insertion is w:ins around runs, a deletion w:del around runs whose words are w:delText (a move,
w:moveFrom and w:moveTo, reads the same way); a comment is a w:comment in comments.xml, anchored
in the body by w:commentRangeStart/End (or, when a reviewer commented on a point, only by its
w:commentReference).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from planpress.word.marks import Mark, file_table, mark_of, paragraph_text, w, words_digest


class NotReadable(Exception):
    """The file is not a Word document."""


class NotBuiltHere(NotReadable):
    """A Word document without the marks planpress's build puts in."""


@dataclass(frozen=True)
class Revision:
    """One paragraph (or table row) a reviewer changed: its words before and after, and who changed it."""

    mark: Mark | None
    before: str
    after: str
    authors: tuple[str, ...]
    in_table: bool
    follows: Mark | None = None
    """For a paragraph the reviewer added (no mark of its own): the mark of the paragraph before it."""
    listed: bool = False
    """The paragraph is an item of a numbered or bulleted list."""
    row: str = ""
    """"added" or "deleted" for a whole table row a reviewer added or deleted (its cells in `cells`)."""
    cells: tuple[str, ...] = ()
    caption: bool = False
    """The paragraph is a figure's caption (a chart's title, which the build writes)."""


@dataclass(frozen=True)
class Comment:
    author: str
    date: str
    text: str
    mark: Mark | None
    quoted: str
    """The words the comment is attached to (empty for a comment on a point)."""


@dataclass(frozen=True)
class Untracked:
    """A marked paragraph whose words before the review are not the words the build wrote there:
    someone changed it with tracked changes off (or split it in two)."""

    mark: Mark
    words: str


@dataclass(frozen=True)
class Review:
    revisions: list[Revision]
    comments: list[Comment]
    untracked: list[Untracked]


def read_review(path: Path) -> Review:
    """The tracked changes and comments of a DOCX planpress built; NotReadable when it is not a DOCX,
    NotBuiltHere when planpress did not build it."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise NotReadable("it has no word/document.xml")
            body = etree.fromstring(archive.read("word/document.xml")).find(w("body"))
            custom = archive.read("docProps/custom.xml") if "docProps/custom.xml" in names else None
            comments = archive.read("word/comments.xml") if "word/comments.xml" in names else None
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, KeyError) as error:
        raise NotReadable(str(error)) from None
    files = file_table(custom)
    if body is None:
        raise NotReadable("it has no body")
    if not files:
        raise NotBuiltHere()
    return Review(_revisions(body, files), _comments(body, comments, files), _untracked(body, files))


def _revisions(body, files: dict[int, str]) -> list[Revision]:
    found = []
    changed = (w("ins"), w("del"), w("moveFrom"), w("moveTo"))
    last_mark = None
    rows, told = _whole_rows(body, files), set()
    for paragraph in body.iter(w("p")):
        row = next((a for a in paragraph.iterancestors() if a.tag == w("tr")), None)
        if row is not None and row in rows:  # a row added or deleted whole is one change, not one a cell
            if row not in told:
                found.append(rows[row])
                told.add(row)
            continue
        in_table = row is not None
        mark = mark_of(paragraph, files)
        follows = last_mark  # the last marked paragraph of prose before this one
        if mark and not in_table:
            last_mark = mark
        marks = [e for e in paragraph.iter(*changed) if e.getparent().tag != w("rPr")]  # not the paragraph mark
        if not marks:
            continue
        before = paragraph_text(paragraph, deleted=True, inserted=False)
        after = paragraph_text(paragraph)
        if before == after:  # formatting only
            continue
        authors = tuple(dict.fromkeys(e.get(w("author")) or "unknown" for e in marks))
        listed = paragraph.find(f"{w('pPr')}/{w('numPr')}") is not None
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        caption = style is not None and "Caption" in (style.get(w("val")) or "")
        found.append(Revision(mark, before, after, authors, in_table, follows if not in_table else None, listed,
                              caption=caption))
    return found


def _whole_rows(body, files: dict[int, str]) -> dict:
    """Each table row a reviewer added or deleted whole (Word marks it in the row's w:trPr), as one Revision:
    an added row with the mark of the marked row above it, a deleted row with its own mark."""
    rows: dict = {}
    for table in body.iter(w("tbl")):
        above = None
        for row in table.iterchildren(w("tr")):
            kind = next((k for k in ("ins", "del") if row.find(f"{w('trPr')}/{w(k)}") is not None), None)
            first = row.find(f"{w('tc')}/{w('p')}")
            mark = mark_of(first, files) if first is not None else None
            if kind:
                deleted = kind == "del"
                cells = tuple(" ".join(paragraph_text(p, deleted=deleted, inserted=not deleted) for p in cell.iter(w("p")))
                              for cell in row.iterchildren(w("tc")))
                words = " | ".join(cells)
                tracked = row.find(f"{w('trPr')}/{w(kind)}")
                rows[row] = Revision(mark if deleted else None, words if deleted else "", "" if deleted else words,
                                     (tracked.get(w("author")) or "unknown",), True,
                                     None if deleted else above, row="deleted" if deleted else "added", cells=cells)
            elif mark:
                above = mark
    return rows


def _untracked(body, files: dict[int, str]) -> list[Untracked]:
    found = []
    for paragraph in body.iter(w("p")):
        if any(a.tag == w("tr") for a in paragraph.iterancestors()):
            continue
        mark = mark_of(paragraph, files)
        before = paragraph_text(paragraph, deleted=True, inserted=False)
        if mark and before and words_digest(before) != mark.digest:  # a picture (no words) is marked by its alt text
            found.append(Untracked(mark, before))
    return found


def _comments(body, comments_xml: bytes | None, files: dict[int, str]) -> list[Comment]:
    if not comments_xml:
        return []
    anchors = _anchors(body)
    found = []
    for comment in etree.fromstring(comments_xml).iter(w("comment")):
        number = comment.get(w("id"))
        text = " ".join(paragraph_text(p) for p in comment.iter(w("p"))).strip()
        paragraph, quoted = anchors.get(number, (None, ""))
        mark = mark_of(paragraph, files) if paragraph is not None else None
        date = (comment.get(w("date")) or "")[:10]
        found.append(Comment(comment.get(w("author")) or "unknown", date, text, mark, quoted))
    return found


def _anchors(body) -> dict[str, tuple[object, str]]:
    """For each comment id: the paragraph its range starts in (or its reference is in) and the words it spans."""
    open_ranges: dict[str, list[str]] = {}
    anchors: dict[str, tuple[object, str]] = {}
    for element in body.iter(w("commentRangeStart"), w("commentRangeEnd"), w("commentReference"), w("t")):
        number = element.get(w("id"))
        if element.tag == w("commentRangeStart"):
            open_ranges[number] = []
            anchors[number] = (_paragraph_of(element), "")
        elif element.tag == w("commentRangeEnd") and number in open_ranges:
            anchors[number] = (anchors[number][0], " ".join("".join(open_ranges.pop(number)).split()))
        elif element.tag == w("commentReference") and number not in anchors:
            anchors[number] = (_paragraph_of(element), "")
        elif element.tag == w("t"):
            for words in open_ranges.values():
                words.append(element.text or "")
    return anchors


def _paragraph_of(element):
    """The paragraph an anchor is in; for one between paragraphs, the paragraph after it."""
    for ancestor in element.iterancestors():
        if ancestor.tag == w("p"):
            return ancestor
    following = element.getnext()
    while following is not None and following.tag != w("p"):
        following = following.getnext()
    return following
