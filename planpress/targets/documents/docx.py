"""Finish the Word document pandoc wrote: what its writer cannot do, done on the file with python-docx and lxml.

    - the header and footer: the plan's name, version and status filled in; DRAFT when not agreed
    - the contents: a real TOC field Word can update, already listing the headings with the page
      each lands on (laid out by LibreOffice, pages.py), so no reader is asked to update fields
    - landscape pages for wide tables, as sections with the same header, footer and numbering
    - tables: widths by content, totals rows set off, rows kept whole across pages
    - the document's properties: title, subject, author, language

filters.lua leaves marker paragraphs (by style id) where the contents and the landscape
pages go; nothing else in pandoc's output is relied on but its heading styles and bookmarks.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from planpress.targets.documents.pages import bookmark_pages

CONTENTS_MARKER = "PlanpressContents"
LANDSCAPE_START = "PlanpressLandscapeStart"
LANDSCAPE_END = "PlanpressLandscapeEnd"
CONTENTS_LEVELS = (1, 2)


@dataclass(frozen=True)
class DocumentFacts:
    """What the finished document says about itself, on its pages and in its properties."""

    title: str
    subject: str
    author: str
    hwb: str
    version: str
    status: str
    draft: bool
    draft_note: str
    date: dt.date | None
    keywords: str = ""
    header: str = ""
    """The running header's own words, when the title is too long for one line (the title when empty)."""


def finish_docx(path: Path, facts: DocumentFacts) -> None:
    """Apply every finishing step to the DOCX at `path`, in place."""
    doc = Document(str(path))
    _fill_furniture(doc, facts)
    has_contents = _contents(doc)
    _landscape_sections(doc)
    _tables(doc)
    _properties(doc, facts)
    doc.save(str(path))
    if has_contents:
        pages = bookmark_pages(path)
        if pages:
            doc = Document(str(path))
            _contents_page_numbers(doc, pages)
            doc.save(str(path))


# --- header and footer -----------------------------------------------------------------


def _furniture_parts(doc: DocxDocument):
    return [rel.target_part for rel in doc.part.rels.values() if rel.reltype in (RT.HEADER, RT.FOOTER)]


def _fill_furniture(doc: DocxDocument, facts: DocumentFacts) -> None:
    """Fill the reference document's placeholders; put DRAFT at the top of every page of a draft."""
    values = {"{title}": facts.header or facts.title, "{version}": facts.version, "{status}": facts.status,
              "{hwb}": facts.hwb}
    if not facts.status:  # nothing to add after the version (a report's header names its quarter already)
        values = {"{version} · {status}": facts.version, **values}
    for part in _furniture_parts(doc):
        for text in part.element.iter(qn("w:t")):
            for placeholder, value in values.items():
                if text.text and placeholder in text.text:
                    text.text = text.text.replace(placeholder, value)
        if facts.draft and part.element.tag == qn("w:hdr"):
            part.element.insert(0, _draft_paragraph(doc, facts.draft_note))


def _draft_paragraph(doc: DocxDocument, note: str):
    paragraph = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), _style_id(doc, "Draft Mark"))
    ppr.append(style)
    paragraph.append(ppr)
    paragraph.append(_run(note))
    return paragraph


def _style_id(doc: DocxDocument, name: str) -> str:
    for style in doc.styles:
        if style.name == name:
            return style.style_id
    return name.replace(" ", "")


def _run(text: str, **props: str):
    run = OxmlElement("w:r")
    if props:
        rpr = OxmlElement("w:rPr")
        for tag in props:
            rpr.append(OxmlElement(f"w:{tag}"))
        run.append(rpr)
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    run.append(element)
    return run


# --- contents --------------------------------------------------------------------------


def _headings(doc: DocxDocument) -> list[tuple[int, str, str]]:
    """(level, text, bookmark) for each heading the contents lists, in order."""
    ids = {level: _style_id(doc, f"Heading {level}") for level in CONTENTS_LEVELS}
    levels = {style_id: level for level, style_id in ids.items()}
    found = []
    for paragraph in doc.element.body.iter(qn("w:p")):
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        level = levels.get(style.get(qn("w:val"))) if style is not None else None
        if level is None:
            continue
        bookmark = _bookmark_before(paragraph)
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        if bookmark:
            found.append((level, text, bookmark))
    return found


def _bookmark_before(paragraph) -> str | None:
    """Pandoc puts a heading's bookmark just before its paragraph (or inside it).

    One before it is moved inside, at its start, where Word puts its own: LibreOffice loses a
    bookmark that starts between a table and a paragraph, and with it the heading's page number.
    """
    inside = paragraph.find(qn("w:bookmarkStart"))
    if inside is not None:
        return _clear_of_table(paragraph, inside)
    sibling = paragraph.getprevious()
    while sibling is not None and sibling.tag == qn("w:bookmarkStart"):
        name = sibling.get(qn("w:name"))
        if not name.startswith("_"):
            properties = paragraph.find(qn("w:pPr"))
            if properties is not None:
                properties.addnext(sibling)
            else:
                paragraph.insert(0, sibling)
            return _clear_of_table(paragraph, sibling)
        sibling = sibling.getprevious()
    return None


def _clear_of_table(paragraph, bookmark) -> str:
    """LibreOffice also loses a bookmark at the very start of a paragraph just after a table: there it
    starts after the heading's first run (the same paragraph, so the same page and link target)."""
    before = paragraph.getprevious()
    while before is not None and before.tag in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
        before = before.getprevious()
    first_run = paragraph.find(qn("w:r"))
    if before is not None and before.tag == qn("w:tbl") and first_run is not None:
        first_run.addnext(bookmark)
    return bookmark.get(qn("w:name"))


def _contents(doc: DocxDocument) -> bool:
    """Replace the contents marker with a TOC field whose last result already lists the headings.

    Word recomputes the field (and its page numbers) when the reader asks it to; it is never told
    to on opening (w:updateFields), which makes Word ask about fields "that may refer to other
    files". The page numbers are filled in afterwards (_contents_page_numbers). Whether there was one.
    """
    marker = _marker(doc, CONTENTS_MARKER)
    if marker is None:
        return False
    heading = _paragraph(_style_id(doc, "TOC Heading"), [_run("Contents")])
    entries = _headings(doc)
    paragraphs = []
    for index, (level, text, bookmark) in enumerate(entries):
        runs = []
        if index == 0:
            runs += _field_start('TOC \\o "1-2" \\h \\z \\u')
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), bookmark)
        link.set(qn("w:history"), "1")
        link.append(_run(text))
        tab = OxmlElement("w:r")
        tab.append(OxmlElement("w:tab"))
        link.append(tab)
        for run in _field_start(f"PAGEREF {bookmark} \\h") + [_run("")] + [_field_char("end")]:
            link.append(run)
        runs.append(link)
        if index == len(entries) - 1:
            runs.append(_field_char("end"))
        paragraphs.append(_paragraph(_style_id(doc, f"toc {level}"), runs))
    sdt = _toc_block([heading, *paragraphs])
    marker.addprevious(sdt)
    marker.getparent().remove(marker)
    return True


def _contents_page_numbers(doc: DocxDocument, pages: dict[str, int]) -> None:
    """Write each entry's page into its PAGEREF field's result, as Word does when it updates them."""
    for link in doc.element.body.iter(qn("w:hyperlink")):
        page = pages.get(link.get(qn("w:anchor")) or "")
        if page is None:
            continue
        separated = False
        for run in link.iterchildren(qn("w:r")):
            char = run.find(qn("w:fldChar"))
            if char is not None:
                separated = char.get(qn("w:fldCharType")) == "separate"
                continue
            text = run.find(qn("w:t"))
            if separated and text is not None:
                text.text = str(page)
                break


def _toc_block(paragraphs):
    """A content control marked as the table of contents, as Word itself writes one."""
    sdt = OxmlElement("w:sdt")
    sdt_pr = OxmlElement("w:sdtPr")
    obj = OxmlElement("w:docPartObj")
    gallery = OxmlElement("w:docPartGallery")
    gallery.set(qn("w:val"), "Table of Contents")
    obj.append(gallery)
    obj.append(OxmlElement("w:docPartUnique"))
    sdt_pr.append(obj)
    content = OxmlElement("w:sdtContent")
    for paragraph in paragraphs:
        content.append(paragraph)
    sdt.append(sdt_pr)
    sdt.append(content)
    return sdt


def _field_start(instruction: str) -> list:
    begin = _field_char("begin")
    instr = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    instr.append(text)
    return [begin, instr, _field_char("separate")]


def _field_char(kind: str):
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _paragraph(style_id: str, children: list):
    paragraph = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), style_id)
    ppr.append(style)
    paragraph.append(ppr)
    for child in children:
        paragraph.append(child)
    return paragraph


def _marker(doc: DocxDocument, style_id: str):
    for paragraph in doc.element.body.iterchildren(qn("w:p")):
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) == style_id:
            return paragraph
    return None


# --- landscape sections ----------------------------------------------------------------


def _landscape_sections(doc: DocxDocument) -> None:
    """Turn each landscape start and end marker into a section break.

    Every section gets a copy of the document's own section properties, so it names the same
    header and footer parts (never "linked to previous" from a section that has none, which
    is how Quarto's landscape pages lose their footer) and page numbering runs on. Only the
    first section, which holds the cover, keeps a different first page.
    """
    body = doc.element.body
    final = body.find(qn("w:sectPr"))
    first = True
    for paragraph in list(body.iterchildren(qn("w:p"))):
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        kind = style.get(qn("w:val")) if style is not None else None
        if kind not in (LANDSCAPE_START, LANDSCAPE_END):
            continue
        # The break closes the section before it: portrait before a landscape part, landscape after.
        section = _section_copy(final, landscape=kind == LANDSCAPE_END, title_page=first)
        first = False
        style.set(qn("w:val"), _style_id(doc, "Section Break"))
        style.getparent().append(section)
    if not first:
        title_page = final.find(qn("w:titlePg"))
        if title_page is not None:
            final.remove(title_page)


def _section_copy(final, landscape: bool, title_page: bool):
    section = copy.deepcopy(final)
    if not title_page:
        for element in section.findall(qn("w:titlePg")):
            section.remove(element)
    size = section.find(qn("w:pgSz"))
    width, height = int(size.get(qn("w:w"))), int(size.get(qn("w:h")))
    short, long = sorted((width, height))
    size.set(qn("w:w"), str(long if landscape else short))
    size.set(qn("w:h"), str(short if landscape else long))
    if landscape:
        size.set(qn("w:orient"), "landscape")
    else:
        size.attrib.pop(qn("w:orient"), None)
    kind = section.find(qn("w:type"))
    if kind is not None:
        section.remove(kind)
    return section


# --- tables ----------------------------------------------------------------------------

TEXT_WIDTH_TWIPS = {False: 9070, True: 13890}  # A4 less 2.5 cm margins, portrait and landscape
CHAR_TWIPS = 105  # an average character of 10 pt Arial, bold headers included
CELL_MARGINS_TWIPS = 200
HEADER_FILL = "1F4E79"  # the house accent (scripts/make_reference_docx.py)


def _tables(doc: DocxDocument) -> None:
    body = doc.element.body
    landscape_at = _landscape_by_element(body)
    for table in body.iter(qn("w:tbl")):
        landscape = landscape_at[table] if table in landscape_at else _in_landscape(table)
        _column_widths(table, TEXT_WIDTH_TWIPS[landscape])
        _space_after(table)
        for row in table.iterchildren(qn("w:tr")):
            _keep_row_whole(row)
            if row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
                _header_row(row)
            elif _cell_texts(row)[:1] == ["Total"]:
                _totals_row(row)


SPACE_AFTER_TABLE_TWIPS = 200  # 10 pt, as the PDF leaves (plan.typ)


def _space_after(table) -> None:
    """Room between a table and the paragraph after it, which Word otherwise sets hard against it
    (a heading keeps its own, larger space)."""
    after = table.getnext()
    while after is not None and after.tag in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
        after = after.getnext()
    if after is None or after.tag != qn("w:p"):
        return
    style = after.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    if style is not None and style.get(qn("w:val")).startswith("Heading"):
        return
    spacing = after.get_or_add_pPr().get_or_add_spacing()
    if int(spacing.get(qn("w:before")) or 0) < SPACE_AFTER_TABLE_TWIPS:
        spacing.set(qn("w:before"), str(SPACE_AFTER_TABLE_TWIPS))


def _landscape_by_element(body) -> dict:
    """For each element of the body, whether its section is landscape: one pass from the end, where
    asking each table in turn (_in_landscape) would read the rest of the body once per table."""
    found, landscape = {}, False
    for node in reversed(list(body)):
        section = node if node.tag == qn("w:sectPr") else node.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if section is not None:
            size = section.find(qn("w:pgSz"))
            landscape = size is not None and size.get(qn("w:orient")) == "landscape"
        found[node] = landscape
    return found


def _in_landscape(table) -> bool:
    """Whether the table's section is landscape: the first section break after it says."""
    for node in table.itersiblings():
        found = node if node.tag == qn("w:sectPr") else node.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if found is not None:
            size = found.find(qn("w:pgSz"))
            return size is not None and size.get(qn("w:orient")) == "landscape"
    return False


def _cell_texts(row) -> list[str]:
    return ["".join(t.text or "" for t in cell.iter(qn("w:t"))).strip() for cell in row.iterchildren(qn("w:tc"))]


def _column_widths(table, text_width: int) -> None:
    """Share the text width between columns by what they hold: each gets room for its longest
    word, and the rest goes to the columns with the most text (a reference column stays narrow)."""
    rows = [_cell_texts(row) for row in table.iterchildren(qn("w:tr"))]
    columns = max((len(r) for r in rows), default=0)
    if not columns:
        return
    least, wanted = [], []
    for index in range(columns):
        texts = [r[index] for r in rows if index < len(r)]
        longest_word = max((len(w) for t in texts for w in t.split()), default=1)
        least.append(longest_word * CHAR_TWIPS + CELL_MARGINS_TWIPS)
        wanted.append(max(sum(len(t) for t in texts) / max(len(texts), 1), 1))
    spare = text_width - sum(least)
    if spare > 0:
        widths = [int(low + spare * want / sum(wanted)) for low, want in zip(least, wanted)]
    else:  # too many long words to fit: shrink every column alike
        widths = [int(low * text_width / sum(least)) for low in least]
    grid = table.find(qn("w:tblGrid"))
    for col, width in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(width))
    tblpr = table.find(qn("w:tblPr"))
    tblw = tblpr.find(qn("w:tblW"))
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(sum(widths)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.find(qn("w:tblW")).addnext(layout)
    for row in table.iterchildren(qn("w:tr")):
        for cell, width in zip(row.iterchildren(qn("w:tc")), widths):
            tcpr = cell.find(qn("w:tcPr"))
            if tcpr is None:
                tcpr = OxmlElement("w:tcPr")
                cell.insert(0, tcpr)
            for old in tcpr.findall(qn("w:tcW")):
                tcpr.remove(old)
            tcw = OxmlElement("w:tcW")
            tcw.set(qn("w:w"), str(width))
            tcw.set(qn("w:type"), "dxa")
            tcpr.insert(0, tcw)


def _keep_row_whole(row) -> None:
    trpr = row.find(qn("w:trPr"))
    if trpr is None:
        trpr = OxmlElement("w:trPr")
        row.insert(0, trpr)
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.insert(0, OxmlElement("w:cantSplit"))


def _header_row(row) -> None:
    """White bold text on the accent colour, written on the cells themselves: LibreOffice does not
    apply a table style's header-row formatting, and a council's reader may well use it."""
    for cell in row.iterchildren(qn("w:tc")):
        shading = OxmlElement("w:shd")
        for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", HEADER_FILL)):
            shading.set(qn(key), value)
        cell.find(qn("w:tcPr")).find(qn("w:tcW")).addnext(shading)
        for run in cell.iter(qn("w:r")):
            rpr = run.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                run.insert(0, rpr)
            for tag in ("w:b", "w:color"):
                for old in rpr.findall(qn(tag)):
                    rpr.remove(old)
            colour = OxmlElement("w:color")
            colour.set(qn("w:val"), "FFFFFF")
            # Schema order in rPr: rStyle, rFonts, b, ..., color, ...
            style = rpr.find(qn("w:rStyle"))
            fonts = rpr.find(qn("w:rFonts"))
            anchor = fonts if fonts is not None else style
            bold = OxmlElement("w:b")
            if anchor is not None:
                anchor.addnext(bold)
            else:
                rpr.insert(0, bold)
            _insert_colour(rpr, colour)


def _insert_colour(rpr, colour) -> None:
    later = ("w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
             "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang")
    for child in rpr:
        if child.tag in {qn(t) for t in later}:
            child.addprevious(colour)
            return
    rpr.append(colour)


def _totals_row(row) -> None:
    """A rule above the totals and a light fill, so the total reads as the sum of the rows above."""
    for cell in row.iterchildren(qn("w:tc")):
        tcpr = cell.find(qn("w:tcPr"))
        borders = OxmlElement("w:tcBorders")
        top = OxmlElement("w:top")
        for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "0"), ("w:color", "1F4E79")):
            top.set(qn(key), value)
        borders.append(top)
        shading = OxmlElement("w:shd")
        for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", "EEF3F8")):
            shading.set(qn(key), value)
        # Schema order in tcPr: tcW, ..., tcBorders, shd, ...
        tcpr.find(qn("w:tcW")).addnext(borders)
        borders.addnext(shading)


# --- properties ------------------------------------------------------------------------


def _properties(doc: DocxDocument, facts: DocumentFacts) -> None:
    props = doc.core_properties
    props.title = facts.title
    props.subject = facts.subject
    props.author = facts.author
    props.last_modified_by = facts.author
    props.keywords = facts.keywords
    props.language = "en-GB"
    props.category = facts.status
    props.comments = facts.version
    if facts.date:
        moment = dt.datetime.combine(facts.date, dt.time(12, 0))
        props.created = props.modified = moment
    props.revision = 1
