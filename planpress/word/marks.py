"""Where each paragraph of the Word document came from, written into the document invisibly.

Each body paragraph, table row and picture whose words are found in content/ gets a bookmark
named `pp_<file number>_<line>_<digest>` (a letter first, letters, digits and underscores, at
most 40 characters, as Word requires; the digest is six hex digits of a hash of the words the
build wrote, so absorb can tell a paragraph changed without tracked changes), spanning the paragraph (LibreOffice drops a bookmark that only
marks a point at the start of a paragraph after a table). The file numbers are written as
custom document properties, `planpress_file_<number>` = "content/sections/02-vision.md": both
Word and LibreOffice keep bookmarks and custom properties when they save a file, which is what
lets `absorb` read a reviewed copy back to the lines its words were typed on.

The words are matched, not threaded through the templates: a pack's layouts stay as they are,
and whatever the document shows that no author typed (a question, a total) simply has no mark.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from planpress.word.source_text import CONTENT_DIR, Block, content_blocks, normal

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
PROPERTY_FORMAT = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id every custom property carries
FILE_PROPERTY = "planpress_file_"
MARK = re.compile(r"^pp_(\d+)_(\d+)_([0-9a-f]{6})(?:_\d+)?$")
EXPRESSION = re.compile(r"\{\{.*?\}\}")
HEADING_PREFIX = re.compile(r"^\S{1,12} $")
"""What a heading may show before a title: its number or reference and a space ("7) ", "CH2: ")."""
SHORTEST_PARTIAL = 30
"""Characters a block must have to be matched as part of a paragraph (shorter ones match by chance)."""


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class Mark:
    """A marked place: the content file and the first line of the block it shows."""

    file: str
    line: int
    digest: str = ""
    """The hash of the words the build wrote there (words_digest)."""


def mark_sources(docx: Path, root: Path) -> int:
    """Mark every paragraph, row and picture of `docx` whose words content/ holds; how many were marked."""
    index = _Index(_content_blocks_once(root))
    with zipfile.ZipFile(docx) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    body_xml = etree.fromstring(parts["word/document.xml"])
    files: dict[str, int] = {}
    marked = _mark_body(body_xml.find(w("body")), index, files)
    parts["word/document.xml"] = etree.tostring(body_xml, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts["docProps/custom.xml"] = _with_file_table(parts.get("docProps/custom.xml"), files)
    _rewrite(docx, parts)
    return marked


_read_blocks: dict[str, list[Block]] = {}
"""The last content read into blocks, by a digest of its files: a build marks several documents of one plan."""


def _content_blocks_once(root: Path) -> list[Block]:
    """content_blocks(root), worked out again only when a file under content/ differs (by its bytes)."""
    digest = hashlib.sha256(str(root.resolve()).encode())
    for path in sorted((root / CONTENT_DIR).rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    key = digest.hexdigest()
    if key not in _read_blocks:
        _read_blocks.clear()  # one plan's blocks at a time
        _read_blocks[key] = content_blocks(root)
    return _read_blocks[key]


class _Index:
    """The content's blocks by their words: whole paragraphs exactly, longer ones also inside a paragraph."""

    def __init__(self, blocks: list[Block]):
        self.exact: dict[str, list[Block]] = {}
        self.titles = [b for b in blocks if b.front]  # found only in headings: short values match by chance
        self.first_title: dict[str, int] = {}  # each title's words -> the first title with them, for heading()
        for index, block in enumerate(self.titles):
            self.first_title.setdefault(normal(block.plain.text), index)
        blocks = [b for b in blocks if not b.front]
        for block in blocks:
            if block.plain.text:
                self.exact.setdefault(normal(block.plain.text), []).append(block)
            for cell in block.cells:
                self.exact.setdefault(cell, []).append(block)
        self.partial = [(words, b) for b in blocks if len(words := _typed_words(b)) >= SHORTEST_PARTIAL]

    def paragraph(self, text: str) -> Block | None:
        """The block a paragraph shows: the one with the same words, else the longest found inside it
        (a sentence of a paragraph made around a value, or a paragraph with words added by a template)."""
        if found := self.exact.get(text):
            return found[0]
        if len(text) < SHORTEST_PARTIAL:
            return None
        inside = [b for words, b in self.partial if words in text or text in words]
        return max(inside, key=lambda b: len(b.plain.text), default=None)

    def heading(self, text: str) -> Block | None:
        """The front matter value a heading shows, alone or after its number or reference ("2) ", "CH2: ");
        the first such title in the content's order."""
        # Looked up, not compared with every title: a plan's headings times its titles grows with its square.
        found = [self.first_title.get(text)]
        for space in range(min(len(text), 13)):  # a prefix is at most 12 characters and a space
            if text[space] == " " and text[space + 1:] and HEADING_PREFIX.match(text[:space + 1]):
                found.append(self.first_title.get(text[space + 1:]))
        first = min((index for index in found if index is not None), default=None)
        return None if first is None else self.titles[first]

    def row(self, cells: list[str]) -> Block | None:
        """The block a table row shows: a pipe-table row with its cells, else the rarest value it holds."""
        candidates = [(cell, self.exact[cell]) for cell in cells if cell and cell in self.exact]
        rows = Counter(b for _, found in candidates for b in found if b.cells)
        if rows:
            return rows.most_common(1)[0][0]
        if not candidates:
            return None
        cell, found = min(candidates, key=lambda item: (len(item[1]), -len(item[0])))
        return found[0]


def _typed_words(block: Block) -> str:
    """The longest stretch of a block's words that the document shows as typed: a `{{ ... }}` expression
    shows its value instead, so a paragraph quoting a figure is matched by the words around it."""
    return max(EXPRESSION.split(normal(block.plain.text)), key=len).strip()


def _mark_body(body, index: _Index, files: dict[str, int]) -> int:
    names: Counter[str] = Counter()
    next_id = [max((int(b.get(w("id"))) for b in body.iter(w("bookmarkStart")) if b.get(w("id"), "").isdigit()),
                   default=0) + 1]
    marked = 0
    for paragraph in body.iter(w("p")):
        if _in(paragraph, "tbl") or _in(paragraph, "sdt"):  # rows are marked whole; the contents is made, not typed
            continue
        words = paragraph_text(paragraph) or _picture_text(paragraph)
        block = index.heading(words) if _is_heading(paragraph) else None
        block = block or index.paragraph(words)
        if block:
            _bookmark(paragraph, _name(block, files, names, words), next_id)
            marked += 1
    for row in body.iter(w("tr")):
        cells = [normal(cell_text(cell)) for cell in row.iterchildren(w("tc"))]
        block = index.row(cells)
        first = row.find(f"{w('tc')}/{w('p')}")
        if block and first is not None:
            _bookmark(first, _name(block, files, names, " | ".join(cells)), next_id)
            marked += 1
    return marked


def _is_heading(paragraph) -> bool:
    """A heading, by its style (Word and LibreOffice keep the style names pandoc gives: Heading1, ...) or outline level."""
    properties = paragraph.find(w("pPr"))
    if properties is None:
        return False
    style = properties.find(w("pStyle"))
    return (style is not None and (style.get(w("val")) or "").startswith("Heading")) or \
        properties.find(w("outlineLvl")) is not None


def _in(element, tag: str) -> bool:
    return any(ancestor.tag == w(tag) for ancestor in element.iterancestors())


def paragraph_text(paragraph, deleted: bool = False, inserted: bool = True) -> str:
    """A paragraph's words as a reader sees them (tabs and breaks as spaces), compared as `normal` does.

    With tracked changes, `deleted` counts the words a reviewer struck out and `inserted` the words
    they added: the text before the review is (deleted=True, inserted=False), after it the default.
    """
    words = []
    for element in paragraph.iter(w("t"), w("delText"), w("tab"), w("br")):
        if element.tag == w("delText") and not deleted:
            continue
        if not inserted and any(a.tag in (w("ins"), w("moveTo")) for a in element.iterancestors()):
            continue
        if deleted is False and any(a.tag in (w("del"), w("moveFrom")) for a in element.iterancestors()):
            continue
        words.append(element.text or "" if element.tag in (w("t"), w("delText")) else " ")
    return normal("".join(words))


def cell_text(cell) -> str:
    return " ".join(paragraph_text(p) for p in cell.iter(w("p")))


def _picture_text(paragraph) -> str:
    """A picture's alternative text, which is what its Markdown says of it."""
    for described in paragraph.iter(f"{{{WP}}}docPr"):
        if described.get("descr"):
            return normal(described.get("descr"))
    return ""


def words_digest(words: str) -> str:
    """Six hex digits that change when the words do."""
    return hashlib.blake2s(words.encode("utf-8"), digest_size=3).hexdigest()


def _name(block: Block, files: dict[str, int], names: Counter, words: str) -> str:
    number = files.setdefault(block.file, len(files) + 1)
    name = f"pp_{number}_{block.line}_{words_digest(words)}"
    names[name] += 1
    return name if names[name] == 1 else f"{name}_{names[name]}"


def _bookmark(paragraph, name: str, next_id: list[int]) -> None:
    """A bookmark around the paragraph's content, after its properties."""
    start = etree.Element(w("bookmarkStart"))
    start.set(w("id"), str(next_id[0]))
    start.set(w("name"), name)
    end = etree.Element(w("bookmarkEnd"))
    end.set(w("id"), str(next_id[0]))
    next_id[0] += 1
    properties = paragraph.find(w("pPr"))
    paragraph.insert(paragraph.index(properties) + 1 if properties is not None else 0, start)
    paragraph.append(end)


def _with_file_table(custom: bytes | None, files: dict[str, int]) -> bytes:
    """docProps/custom.xml with one property per marked file (Word cuts a property's text at 255 characters)."""
    root = etree.fromstring(custom) if custom else etree.Element(f"{{{CUSTOM}}}Properties", nsmap={None: CUSTOM, "vt": VT})
    for old in [p for p in root if (p.get("name") or "").startswith(FILE_PROPERTY)]:
        root.remove(old)
    pid = max((int(p.get("pid")) for p in root if (p.get("pid") or "").isdigit()), default=1)
    for file, number in files.items():
        pid += 1
        prop = etree.SubElement(root, f"{{{CUSTOM}}}property", fmtid=PROPERTY_FORMAT, pid=str(pid),
                                name=f"{FILE_PROPERTY}{number}")
        etree.SubElement(prop, f"{{{VT}}}lpwstr").text = file
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rewrite(docx: Path, parts: dict[str, bytes]) -> None:
    """The package again with its parts changed (a custom.xml new to it declared in its content types)."""
    if b"custom-properties" not in parts["[Content_Types].xml"]:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.custom-properties+xml"/></Types>')
        parts["_rels/.rels"] = parts["_rels/.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdPlanpressCustom" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>')
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


# --- reading the marks back -------------------------------------------------------------


def file_table(custom: bytes | None) -> dict[int, str]:
    """The file numbers a built document's marks use; empty for a document planpress did not build."""
    if not custom:
        return {}
    table = {}
    for prop in etree.fromstring(custom):
        name = prop.get("name") or ""
        if name.startswith(FILE_PROPERTY) and name[len(FILE_PROPERTY):].isdigit():
            value = prop.find(f"{{{VT}}}lpwstr")
            if value is not None and value.text:
                table[int(name[len(FILE_PROPERTY):])] = value.text
    return table


def mark_of(element, files: dict[int, str]) -> Mark | None:
    """The mark of a paragraph, or of the table row it is in (the row's mark is in its first cell)."""
    row = next((a for a in element.iterancestors() if a.tag == w("tr")), None)
    for holder in (element, row):
        if holder is None:
            continue
        for start in holder.iter(w("bookmarkStart")):
            match = MARK.match(start.get(w("name")) or "")
            if match and int(match.group(1)) in files:
                return Mark(files[int(match.group(1))], int(match.group(2)), match.group(3))
    return None
