"""Make the Word house style: templates/common/document/reference.docx (a pack may have its own), the reference document pandoc styles the plan with.

Change the house style here (fonts, colours, sizes, the header and footer, the logo), run

    .venv/bin/python scripts/make_reference_docx.py [--logo path/to/logo.png]

and commit both this script and the reference.docx it writes. A test checks that the
committed file is what this script makes, so the two never drift apart.

The header and footer may hold these placeholders, which the build fills for each plan:
{title}, {version}, {status}, {hwb}. A page number field is written as {PAGE} and the page
count as {NUMPAGES}. The cover page's header is the logo slot: give --logo to put a logo
in it (PNG or JPEG); without one, the slot is an empty paragraph in the "Cover Logo" style.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import pypandoc
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO / "templates" / "common" / "document" / "reference.docx"

# --- The house style: change these -----------------------------------------------------

FONT = "Arial"  # LibreOffice shows it with the metric-compatible Liberation Sans
BODY_SIZE = Pt(11)
TEXT = RGBColor(0x1A, 0x1A, 0x1A)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)  # headings, the cover title, table header shading
ACCENT_HEX = "1F4E79"
QUESTION_TEXT = RGBColor(0x40, 0x40, 0x40)
QUESTION_FILL = "EEF3F8"
RULE = "BFBFBF"
DRAFT_RED = RGBColor(0xC0, 0x00, 0x00)

HEADER_TEXT = "{title}"
HEADER_RIGHT = "{version} · {status}"
FOOTER_TEXT = "{hwb}"
FOOTER_RIGHT = "Page {PAGE} of {NUMPAGES}"

HEADINGS = {  # level: (size, space before, space after)
    1: (Pt(18), Pt(0), Pt(12)),
    2: (Pt(14), Pt(18), Pt(6)),
    3: (Pt(12), Pt(14), Pt(4)),
    4: (Pt(11), Pt(12), Pt(3)),
}

# ---------------------------------------------------------------------------------------


def pandoc_default_reference() -> bytes:
    """Pandoc's own reference.docx: it has every style pandoc writes, which we then restyle."""
    return subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
                          check=True, capture_output=True).stdout


def make(logo: Path | None = None) -> Document:
    doc = Document(io.BytesIO(pandoc_default_reference()))
    _body_styles(doc)
    _heading_styles(doc)
    _plan_styles(doc)
    _table_style(doc)
    _page(doc, logo)
    _fixed_properties(doc)
    return doc


def _font(style, size=None, bold=None, italic=None, colour=None) -> None:
    style.font.name = FONT
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attribute), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(theme), None)
    if size is not None:
        style.font.size = size
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    if colour is not None:
        style.font.color.rgb = colour


def _paragraph_style(doc, name: str, base: str = "Normal"):
    styles = doc.styles
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.quick_style = True
    return style


def _body_styles(doc) -> None:
    normal = doc.styles["Normal"]
    _font(normal, BODY_SIZE, colour=TEXT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name in ("Body Text", "First Paragraph"):
        style = doc.styles[name]
        _font(style, BODY_SIZE)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(8)
    compact = doc.styles["Compact"]
    _font(compact, Pt(10))
    compact.paragraph_format.space_before = Pt(2)
    compact.paragraph_format.space_after = Pt(3)
    compact.paragraph_format.line_spacing = 1.0
    for name in ("Title", "Subtitle", "Author", "Date"):
        _font(doc.styles[name], colour=ACCENT)
    for style in doc.styles:
        if style.name in ("Image Caption", "Table Caption", "Caption"):
            _font(style, Pt(10), italic=True, colour=QUESTION_TEXT)
    _font(doc.styles["Hyperlink"], colour=ACCENT)


def _heading_styles(doc) -> None:
    for level, (size, before, after) in HEADINGS.items():
        style = doc.styles[f"Heading {level}"]
        _font(style, size, bold=True, italic=False, colour=ACCENT)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = before, after
        fmt.keep_with_next = True
        # Each template section starts on a new page, as the national template does.
        fmt.page_break_before = level == 1
    toc_heading = doc.styles["TOC Heading"]
    _font(toc_heading, HEADINGS[1][0], bold=True, colour=ACCENT)
    for level in (1, 2):
        style = _paragraph_style(doc, f"toc {level}")
        _font(style, Pt(11) if level == 1 else BODY_SIZE, bold=level == 1)
        fmt = style.paragraph_format
        fmt.left_indent = Cm(0.6 * (level - 1))
        fmt.space_before = Pt(6 if level == 1 else 0)
        fmt.space_after = Pt(2)
        fmt.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)


def _plan_styles(doc) -> None:
    """The styles the plan's own Markdown asks for by name (see filters.lua)."""
    question = _paragraph_style(doc, "Template Question")
    _font(question, Pt(10), italic=True, colour=QUESTION_TEXT)
    question.paragraph_format.space_before = Pt(2)
    question.paragraph_format.space_after = Pt(10)
    question.paragraph_format.left_indent = Cm(0.3)
    _shade(question.element.get_or_add_pPr(), QUESTION_FILL, left_border=ACCENT_HEX)

    for name, size, bold, space in (("Cover HWB", Pt(16), False, Pt(6)), ("Cover Title", Pt(30), True, Pt(24)),
                                    ("Cover Detail", Pt(13), False, Pt(4))):
        style = _paragraph_style(doc, name)
        _font(style, size, bold=bold, colour=ACCENT if name != "Cover Detail" else TEXT)
        style.paragraph_format.space_after = space
        style.paragraph_format.keep_with_next = True
    doc.styles["Cover HWB"].paragraph_format.space_before = Pt(150)
    logo = _paragraph_style(doc, "Cover Logo")
    logo.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    draft = _paragraph_style(doc, "Draft Mark")
    _font(draft, Pt(12), bold=True, colour=DRAFT_RED)
    draft.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    draft.paragraph_format.space_after = Pt(0)

    for name in ("Header", "Footer"):
        style = _paragraph_style(doc, name)
        _font(style, Pt(9), colour=QUESTION_TEXT)
        style.paragraph_format.space_after = Pt(0)

    marker = _paragraph_style(doc, "Section Break")
    _font(marker, Pt(2))
    marker.paragraph_format.space_before = marker.paragraph_format.space_after = Pt(0)
    marker.paragraph_format.line_spacing = 1.0


def _shade(ppr, fill: str, left_border: str) -> None:
    border = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", left_border)):
        left.set(qn(key), value)
    border.append(left)
    shading = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shading.set(qn(key), value)
    # Schema order inside pPr: pBdr before shd, both before spacing and indentation.
    ppr.insert(0, shading)
    ppr.insert(0, border)


def _table_style(doc) -> None:
    """Pandoc's "Table" style: thin rules, a shaded header row in the accent colour."""
    style = doc.styles["Table"]
    tblpr = style.element.find(qn("w:tblPr"))
    if tblpr is None:
        tblpr = OxmlElement("w:tblPr")
        style.element.append(tblpr)
    for old in tblpr.findall(qn("w:tblBorders")) + tblpr.findall(qn("w:tblCellMar")):
        tblpr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", RULE)):
            element.set(qn(key), value)
        borders.append(element)
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge, width in (("left", "85"), ("right", "85")):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), width)
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tblpr.append(margins)
    for old in style.element.findall(qn("w:tblStylePr")):
        style.element.remove(old)
    header = OxmlElement("w:tblStylePr")
    header.set(qn("w:type"), "firstRow")
    rpr = OxmlElement("w:rPr")
    for tag, value in (("w:b", None), ("w:color", "FFFFFF")):
        element = OxmlElement(tag)
        if value:
            element.set(qn("w:val"), value)
        rpr.append(element)
    tcpr = OxmlElement("w:tcPr")
    shading = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", ACCENT_HEX)):
        shading.set(qn(key), value)
    tcpr.append(shading)
    header.append(rpr)
    header.append(tcpr)
    style.element.append(header)


def _page(doc, logo: Path | None) -> None:
    """A4 portrait; a cover page with its own header (the logo slot); the plan's header and footer elsewhere."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.0)
    section.different_first_page_header_footer = True
    _line(section.header, HEADER_TEXT, HEADER_RIGHT, "Header")
    _line(section.footer, FOOTER_TEXT, FOOTER_RIGHT, "Footer")
    slot = section.first_page_header.paragraphs[0]
    slot.style = doc.styles["Cover Logo"]
    if logo is not None:
        slot.add_run().add_picture(str(logo), height=Cm(2.0))
    section.first_page_footer.paragraphs[0].style = doc.styles["Footer"]


def _line(container, left: str, right: str, style: str) -> None:
    """A header or footer line: a borderless two-cell table as wide as the text.

    A table sized in per cent of the text width keeps the right-hand text at the right
    margin on portrait and landscape pages alike, where a tab stop would not.
    """
    table = container.add_table(1, 2, Cm(16))
    tblpr = table._tbl.tblPr
    width = tblpr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tblpr.append(width)
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tblpr.append(borders)
    for cell, text, align in ((table.cell(0, 0), left, WD_ALIGN_PARAGRAPH.LEFT),
                              (table.cell(0, 1), right, WD_ALIGN_PARAGRAPH.RIGHT)):
        paragraph = cell.paragraphs[0]
        paragraph.style = style
        paragraph.alignment = align
        for piece, field in _split_fields(text):
            if field:
                add_field(paragraph, field)
            elif piece:
                paragraph.add_run(piece)
    # Word requires a paragraph after a table at the end of a header; keep it small.
    spacer = container.paragraphs[0]
    spacer.style = style
    spacer._p.getparent().remove(spacer._p)
    table._tbl.addnext(spacer._p)
    spacer.paragraph_format.line_spacing = Pt(2)


def _split_fields(text: str) -> list[tuple[str, str | None]]:
    pieces: list[tuple[str, str | None]] = []
    for token in text.replace("{PAGE}", "\0PAGE\0").replace("{NUMPAGES}", "\0NUMPAGES\0").split("\0"):
        pieces.append((token, token if token in ("PAGE", "NUMPAGES") else None))
    return pieces


def add_field(paragraph, instruction: str, shown: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES) with a cached value, so viewers that do not compute fields show something."""
    for kind in ("begin", None, "separate", "shown", "end"):
        run = paragraph.add_run()
        if kind is None:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = f" {instruction} "
            run._r.append(text)
        elif kind == "shown":
            run.text = shown
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _fixed_properties(doc) -> None:
    """Blank, fixed document properties, so running the script twice gives the same file."""
    import datetime as dt

    props = doc.core_properties
    props.author = props.last_modified_by = ""
    props.title = props.subject = props.comments = props.keywords = ""
    props.revision = 1
    props.created = props.modified = dt.datetime(2014, 1, 1)
    props.language = "en-GB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--logo", type=Path, help="an image for the cover's logo slot")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    make(args.logo).save(str(args.output))
    print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
