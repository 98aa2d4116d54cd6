"""Reading a Word file with pandoc's DOCX reader: its blocks as pandoc's JSON, their text, and back to Markdown.

Pandoc does the reading (styles, lists, tables, emphasis, links, pictures); this module only
walks what it gives. Writing Markdown goes through pandoc too, in one call for every piece, so
that a 60-page plan costs one pandoc run, not one per paragraph.
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from pathlib import Path

import pypandoc

from planpress.errors import PlanError

Block = dict
"""One block of pandoc's JSON AST, such as {"t": "Para", "c": [...]}."""

# Pandoc Markdown an author can read and every output shows: pipe tables, no attributes or divs.
MARKDOWN = ("markdown-smart-simple_tables-multiline_tables-grid_tables-raw_html-native_divs-native_spans"
            "-bracketed_spans-fenced_divs-header_attributes-link_attributes-inline_code_attributes"
            "-escaped_line_breaks")
_SPLIT = "PLANPRESSSPLITMARK"


def read_docx(path: Path, media: Path) -> list[Block]:
    """The document's blocks; pictures are extracted into `media`. A file that is not a Word file is refused."""
    if not path.is_file():
        raise PlanError(f"there is no file {path}. Give the path of the Word plan, such as ~/Documents/plan.docx.")
    if not zipfile.is_zipfile(path):
        raise PlanError(f"{path} is not a Word file (.docx). Save it from Word or LibreOffice as "
                        "'Word Document (.docx)' and import that.")
    with tempfile.TemporaryDirectory(prefix="planpress-import-") as scratch:
        unmarked = _without_source_marks(path, Path(scratch) / path.name)
        try:
            text = pypandoc.convert_file(str(unmarked), "json", format="docx",
                                         extra_args=[f"--extract-media={media}"])
        except RuntimeError as error:
            raise PlanError(f"pandoc could not read {path} as a Word file: {str(error).strip()}. Open it in Word or "
                            "LibreOffice, save it again as .docx and import that.") from None
    return json.loads(text)["blocks"]


def _without_source_marks(path: Path, copy: Path) -> Path:
    """The file without the bookmarks a planpress build puts on each paragraph (for `absorb`): where one
    shares a place with an author's anchor, pandoc's reader would send links to it instead."""
    from lxml import etree

    from planpress.word.marks import MARK, W

    with zipfile.ZipFile(path) as source:
        if "word/document.xml" not in source.namelist():
            return path
        body = etree.fromstring(source.read("word/document.xml"))
        starts = [e for e in body.iter(f"{{{W}}}bookmarkStart") if MARK.match(e.get(f"{{{W}}}name") or "")]
        if not starts:
            return path
        ids = {e.get(f"{{{W}}}id") for e in starts}
        for element in [*starts, *(e for e in body.iter(f"{{{W}}}bookmarkEnd") if e.get(f"{{{W}}}id") in ids)]:
            element.getparent().remove(element)
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                target.writestr(item, etree.tostring(body, xml_declaration=True, encoding="UTF-8", standalone=True)
                                if item.filename == "word/document.xml" else data)
    return copy


def properties(path: Path) -> dict[str, str]:
    """The Word file's own title and author (File > Properties), which pandoc's reader leaves aside."""
    import docx  # python-docx: only for the document properties

    core = docx.Document(str(path)).core_properties
    return {"title": (core.title or "").strip(), "author": (core.author or "").strip()}


def plain(node: object) -> str:
    """The text of inlines or blocks, with spaces where pandoc has them, as one line."""
    out: list[str] = []
    _plain(node, out)
    return straight(re.sub(r"\s+", " ", "".join(out)).strip())


_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def straight(text: str) -> str:
    """Word's curly quotes as the plain ones an author types in content/ (every output curls them again)."""
    return text.translate(_TYPOGRAPHIC)


def _plain(node: object, out: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _plain(item, out)
        return
    if not isinstance(node, dict):
        return
    kind, content = node.get("t"), node.get("c")
    if kind == "Str":
        out.append(content)
    elif kind in ("Space", "SoftBreak", "LineBreak"):
        out.append(" ")
    elif kind in ("Para", "Plain"):
        _plain(content, out)
        out.append(" ")
    elif kind == "Header":
        _plain(content[2], out)
        out.append(" ")
    elif kind in ("Link", "Image"):
        _plain(content[1], out)
    elif kind in ("Code", "Math"):
        out.append(content[1])
    elif kind == "Quoted":
        quote = "“”" if content[0]["t"] == "DoubleQuote" else "‘’"
        out.append(quote[0])
        _plain(content[1], out)
        out.append(quote[1])
    elif kind == "Cite":
        _plain(content[1], out)
    elif kind in ("Span", "Div"):
        _plain(content[1], out)
    elif kind in ("Note",):
        return
    elif isinstance(content, list):
        _plain(content, out)


def to_markdown(pieces: list[list[Block]]) -> list[str]:
    """Each list of blocks as Markdown, in one pandoc run (the pieces are kept apart by a marker paragraph)."""
    if not pieces:
        return []
    blocks: list[Block] = []
    for index, piece in enumerate(pieces):
        if index:
            blocks.append({"t": "Para", "c": [{"t": "Str", "c": f"{_SPLIT}{index}"}]})
        blocks.extend(piece)
    document = {"pandoc-api-version": [1, 23, 1, 1], "meta": {}, "blocks": [_tight(b) for b in blocks]}
    text = pypandoc.convert_text(json.dumps(document), MARKDOWN, format="json", extra_args=["--wrap=none"])
    parts = re.split(rf"^{_SPLIT}\d+\n", text, flags=re.MULTILINE)
    if len(parts) != len(pieces):
        raise PlanError("pandoc's Markdown of the Word file could not be split back into its parts "
                        f"({len(parts)} for {len(pieces)}); please report this with the file.")
    return [straight(part.strip()) for part in parts]


def _tight(block: Block) -> Block:
    """A list whose items are one paragraph each, as a tight list (Word writes every item as a paragraph, which
    pandoc would space out with blank lines)."""
    if block.get("t") == "BulletList":
        items = block["c"]
    elif block.get("t") == "OrderedList":
        items = block["c"][1]
    else:
        return block
    for index, item in enumerate(items):
        if len(item) == 1 and item[0].get("t") == "Para":
            items[index] = [{"t": "Plain", "c": item[0]["c"]}]
        else:
            items[index] = [_tight(b) for b in item]
    return block


def header_marked(table: Block) -> bool:
    """Whether the table's first row is marked as its header (Word's "Repeat as header row")."""
    return bool(table["c"][3][1])


def table_rows(table: Block) -> tuple[list[str], list[list[str]]]:
    """A table's header cells and its body rows, each cell as plain text. With no header row marked (common in
    plans typed by hand), the first row is the header."""
    _attr, _caption, _specs, head, bodies, foot = table["c"]
    rows = [_cells(row) for row in head[1]]
    for body in bodies:
        rows += [_cells(row) for row in body[2]] + [_cells(row) for row in body[3]]
    rows += [_cells(row) for row in foot[1]]
    rows = [row for row in rows if any(row)]
    if not rows:
        return [], []
    return rows[0], rows[1:]


def _cells(row: list) -> list[str]:
    cells = []
    for cell in row[1]:
        _attr, _align, _rowspan, colspan, blocks = cell
        cells += [plain(blocks)] + [""] * (colspan - 1)
    return cells


def images(node: object) -> list[list]:
    """Every Image inline inside a node (its `c`: attributes, alt text, [source, title]), in order."""
    found: list[list] = []
    if isinstance(node, list):
        for item in node:
            found += images(item)
    elif isinstance(node, dict):
        if node.get("t") == "Image":
            found.append(node["c"])
        found += images(node.get("c"))
    return found
