"""What author text may carry into the outputs beyond words: no raw blocks, and pictures only from content/.

Raw attribute blocks (```{=typst}, `x`{=openxml}) would put code of the author's own into the Word
and PDF documents: a Word field that fetches an address, a Typst call that reads the build's
files. The build reads Markdown without them, so they would show as code; `check` names each so
the author can take it out. A picture must be a PNG, JPEG or GIF file inside content/, written
as a path from the Markdown file that shows it: never an address on the web, an absolute path, a
path leading out of content/ or a link (symlink) to a file outside it. Both stop every build
until they are fixed, so `check` and the build agree.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import tempfile
import unicodedata
from urllib.parse import unquote
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from planpress.errors import Finding, Location
from planpress.load.author_markdown import PICTURE_TYPES, address_problem, pictures, raw_blocks, raw_in_text, \
    unescape
from planpress.load.content import PlanContent
from planpress.load.limits import MAX_IMAGE_BYTES, megabytes, outside_folder

CONTENT = "content"
RAW_HINT = ("It would go into the Word and PDF documents as code of its own, which author text may not do. "
            "Write ordinary Markdown instead; to show code as text, use a code block with nothing after its "
            "opening ``` (or a `code span` with nothing after it)")
PICTURE_HINT = ("Put the picture in content/ (such as content/images/map.png), as a PNG, JPEG or GIF file, and "
                "write its path from this file, such as ![Map of the area](../images/map.png)")


@dataclass(frozen=True)
class Text:
    """A piece of an author's Markdown file, with the line its first line is on."""

    file: str
    line: int
    text: str


def markdown_texts(content: PlanContent) -> Iterator[Text]:
    """Every piece of the sections' and items' Markdown as loaded: each intro, part heading and part."""
    for doc in [*content.sections, *content.schemes]:
        yield Text(doc.file, doc.intro_line, doc.intro)
        for part in doc.parts:
            yield Text(doc.file, part.line, f"## {part.heading}")
            yield Text(doc.file, part.body_line, part.markdown)


def check(content: PlanContent) -> Iterator[Finding]:
    for text in markdown_texts(content):
        for raw in raw_blocks(text.text):
            yield raw_finding(Location(text.file, text.line + raw.index), raw.format, raw.block)
        for picture in pictures(text.text):
            problem, _ = picture_file(content.root, text.file, picture.destination)
            if problem:
                yield picture_finding(Location(text.file, text.line + picture.index), picture.destination, problem)
    yield from _data_values(content)
    yield from _characters(content)
    yield from _as_pandoc_reads(content)


def raw_finding(where: Location, format_: str, block: bool) -> Finding:
    written = f"```{{={format_}}}" if block else f"`...`{{={format_}}}"
    return Finding(where, "error", f"Raw {format_} code ({written}) cannot go into the plan", RAW_HINT,
                   rule="raw-block")


def picture_finding(where: Location, destination: str, problem: str) -> Finding:
    shown = destination if len(destination) <= 60 else destination[:57] + "..."
    return Finding(where, "error", f"The picture '{shown}' {problem}", PICTURE_HINT, rule="picture")


def picture_file(root: Path, file: str, destination: str) -> tuple[str, Path | None]:
    """Why the picture a Markdown file names cannot be shown ("" when it can), and its file in content/."""
    problem = address_problem(destination)
    if problem:
        return problem, None
    content_dir = root / CONTENT
    target = Path(os.path.normpath(root / Path(file).parent / unescape(destination)))
    if not target.is_relative_to(Path(os.path.normpath(content_dir))):
        return "leads out of content/ (with '..'): a picture must be a file inside content/", None
    shown = target.relative_to(os.path.normpath(root)).as_posix()
    if not os.path.lexists(target):
        return f"is not there: there is no file {shown}", None
    if outside_folder(target, content_dir):
        return f"is a link (symlink) to a file outside content/, so it is not shown ({shown})", None
    if not target.is_file():
        return f"is not a file ({shown} is a folder or a special file)", None
    kind = PICTURE_TYPES.get(target.suffix.lower())
    if kind is None:
        return "is not a PNG, JPEG or GIF picture (its name does not end .png, .jpg, .jpeg or .gif)", None
    try:
        size = target.stat().st_size
        with target.open("rb") as handle:
            start = handle.read(len(kind))
    except OSError as error:
        return f"cannot be read ({error.strerror or error})", None
    if size > MAX_IMAGE_BYTES:
        return (f"is {megabytes(size)}, more than the {megabytes(MAX_IMAGE_BYTES)} a picture may be: save it "
                "smaller (fewer pixels, or as JPEG)"), None
    if not start.startswith(kind):
        return f"is not the picture its name says: {shown} does not hold a {target.suffix.lstrip('.').upper()} file", \
            None
    if reason := undecodable(target):
        return f"cannot be shown in the PDF: {shown} is damaged or not a whole picture ({reason})", None
    return "", target


_DECODED: dict[tuple[Path, int, int], str] = {}
"""Each picture file (by path, size and time of change) and why the PDF cannot show it ("" when it can)."""


def undecodable(picture: Path) -> str:
    """Why Typst, which makes the PDF, cannot decode a picture ("" when it can): asked of Typst itself."""
    from planpress.targets.documents.pdf import picture_problem

    stat = picture.stat()
    key = (picture, stat.st_size, stat.st_mtime_ns)
    if key not in _DECODED:
        _DECODED[key] = picture_problem(picture)
    return _DECODED[key]


def _data_values(content: PlanContent) -> Iterator[Finding]:
    """Text in the YAML files (data, progress, plan.yaml, front matter) reaches the documents too."""
    for doc in content.sources.values():
        for path, value in _strings(doc.data, ()):
            if "{=" in value:
                raw = raw_in_text(value)
                if raw is not None:
                    yield raw_finding(doc.at(path), raw.format, raw.block)
            if "![" in value and pictures(value):
                yield Finding(doc.at(path), "error", "A picture (![...](...)) cannot go in a field of a data file",
                              "Show pictures in a section's or an item's Markdown text, where the README shows how; "
                              "in a field, describe it or link to it", rule="picture")


def _characters(content: PlanContent) -> Iterator[Finding]:
    """Characters the PDF's fonts cannot show (a Chinese character, an emoji, a character Unicode does not
    assign): the PDF (PDF/UA-1) cannot be made while one is in the plan, so each is named where it first
    appears in each file."""
    first: dict[tuple[str, str], Location] = {}
    for text in markdown_texts(content):
        if not text.text.isascii():
            for index, line in enumerate(text.text.split("\n")):
                for character in set(line) if not line.isascii() else ():
                    if not character.isascii():
                        first.setdefault((character, text.file), Location(text.file, text.line + index))
    for doc in content.sources.values():
        for path, value in _strings(doc.data, ()):
            if not value.isascii():
                for character in set(value):
                    if not character.isascii():
                        first.setdefault((character, doc.file_of(path)), doc.at(path))
    if not first:
        return
    from planpress.targets.documents.pdf import undisplayable

    missing = set(undisplayable({character for character, _ in first}))
    for (character, _), where in sorted(first.items(), key=lambda item: (item[1], item[0][0])):
        if character in missing:
            name = unicodedata.name(character, "").lower() or (
                "a private-use character" if unicodedata.category(character) == "Co" else
                "not a character Unicode assigns")
            yield Finding(where, "error", f"The PDF's fonts cannot show the character '{character}' "
                          f"(U+{ord(character):04X}, {name}), so the PDF cannot be made",
                          "Write it another way (a plain letter, a word or a symbol the fonts have) or leave it out: "
                          "an accessible PDF must be able to show every character it holds", rule="character")


# --- every piece of text read as the documents read it --------------------------------------------

READ_SECONDS = 10.0
"""The longest pandoc may take to read one piece of author text (a real plan's whole text takes under a second)."""
MAX_READ_NESTING = 16
"""Elements inside each other in one piece of author text as pandoc reads it (lists, quotes, emphasis,
links, divs): Typst, which makes the PDF, stops at about 24 in the document around them."""

MAX_FORMULA = 200
"""Commands, groups and sub- or superscripts in one formula ($...$): Typst crashes on a formula nested
hundreds deep; a plan's formula, if it has one, holds a few dozen."""

_READ_SCRIPT = r"""
-- Read each piece of text as the documents do, one at a time, and say how deeply it nests.
local file = io.open(arg[1], "r")
local pieces = pandoc.json.decode(file:read("a"))
file:close()
local format, first = arg[2], tonumber(arg[3])

-- The deepest nesting of objects ({...}) in pandoc's JSON for a document: each element is one.
local function depth(s)
  local level, best, at, quoted = 0, 0, 1, false
  while true do
    local found = s:find(quoted and '["\\]' or '[{}"]', at)
    if not found then return best end
    local c = s:sub(found, found)
    if quoted then
      if c == "\\" then at = found + 2 else quoted = false; at = found + 1 end
    else
      if c == '"' then quoted = true
      elseif c == "{" then level = level + 1; if level > best then best = level end
      else level = level - 1 end
      at = found + 1
    end
  end
end

-- How much a formula holds: its commands, groups, sub- and superscripts (each may nest in the next).
local function formula_size(doc)
  local most = 0
  doc:walk({ Math = function(m)
    local _, n = m.text:gsub("[\\{%^_%(%[]", "")
    if n > most then most = n end
  end })
  return most
end

-- The links a document could not follow safely: anything but a web page, an email, a telephone
-- number, a part of this document (#...) or a part of the plan (section:risks, scheme:PE2).
local SAFE = { http = true, https = true, mailto = true, tel = true }
local function unsafe_links(doc)
  local found = {}
  doc:walk({ Link = function(l)
    local scheme = l.target:match("^(%a[%w+.-]*):")
    local plan_kind = scheme and scheme:match("^%l[%l-]*$") and not l.target:match("^%a[%w+.-]*://")
    if not (l.target:match("^#") or (scheme and SAFE[scheme:lower()]) or plan_kind) then
      table.insert(found, l.target)
    end
  end })
  return found
end

local function keys(map)
  local found = {}
  for key in pairs(map) do table.insert(found, key) end
  table.sort(found)
  return found
end

for i = first, #pieces do
  io.stdout:write("start ", i, "\n")
  io.stdout:flush()
  local ok, doc = pcall(pandoc.read, pieces[i], format)
  local read
  if ok then
    read = { depth = depth(pandoc.json.encode(doc)), formula = formula_size(doc), meta = keys(doc.meta),
             links = unsafe_links(doc) }
  else
    read = { error = tostring(doc) }
  end
  io.stdout:write("done ", i, " ", pandoc.json.encode(read), "\n")
  io.stdout:flush()
end
"""


def _pieces(content: PlanContent) -> list[tuple[Location, str]]:
    """Every piece of author text that reaches the documents through pandoc, with where it starts."""
    pieces = [(Location(text.file, text.line), text.text) for text in markdown_texts(content) if text.text.strip()]
    for doc in content.sources.values():
        pieces += [(doc.at(path), value) for path, value in _strings(doc.data, ()) if _MARKUP.search(value)]
    return pieces


_MARKUP = re.compile(r"[\[\]<>*_~^`{}\\$]|^\s*(?:[-+*]|\d+[.)])\s|^---", re.MULTILINE)


@dataclass(frozen=True)
class PandocRead:
    """What one piece of author text is, read as the documents read it."""

    depth: int = 0
    """Elements inside each other."""
    formula: int = 0
    """Commands, groups and sub- or superscripts in its largest formula."""
    meta: tuple[str, ...] = ()
    """Document settings a metadata block (--- key: value ---) in it would set."""
    links: tuple[str, ...] = ()
    """Addresses of its links that the documents cannot follow safely (a file, a network share)."""
    error: str = ""
    """Why pandoc could not read it."""
    too_slow: bool = False


_READ: dict[str, PandocRead] = {}
"""What each piece of text read as, remembered while serve runs."""


def _as_pandoc_reads(content: PlanContent) -> Iterator[Finding]:
    pieces = _pieces(content)
    unread = sorted({text for _, text in pieces if text not in _READ})
    if len(_READ) + len(unread) > 20_000:
        _READ.clear()
    _READ.update(dict.fromkeys(unread, PandocRead()))
    _READ.update({unread[index]: read for index, read in read_pieces(unread)} if unread else {})
    for where, text in pieces:
        yield from _read_findings(where, text, _READ[text])


def _line_of(where: Location, text: str, *needles: str) -> Location:
    """The line of the first of `needles` found in a piece of text that starts at `where`."""
    for needle in needles:
        if needle and (at := text.find(needle)) >= 0:
            return Location(where.file, where.line + text.count("\n", 0, at))
    return where


def _block_start(where: Location, text: str, keys: tuple[str, ...]) -> Location:
    """The line of the '---' that opens the metadata block setting the first of `keys`."""
    key_at = min((at for key in keys if (at := text.find(f"\n{key}:")) >= 0), default=-1)
    opening = text.rfind("---", 0, key_at) if key_at >= 0 else -1
    return Location(where.file, where.line + text.count("\n", 0, opening)) if opening >= 0 else where


_PANDOC_AT = re.compile(r"\s*(?:at )?\(line (\d+), column \d+\)")


def _unreadable(where: Location, error: str) -> Finding:
    """Pandoc's reason, on one line, at the line it names."""
    at = _PANDOC_AT.search(error)
    if at:
        where = Location(where.file, where.line + int(at.group(1)) - 1)
    reason = " ".join(_PANDOC_AT.sub("", error).split()).rstrip(".:")
    hint = ("Remove the block between the two '---' lines; for a line across the page, write *** on a line of its "
            "own" if "YAML metadata" in error else "Correct the text there as the message says")
    return Finding(where, "error", f"The Word and PDF documents cannot read this text: {reason}", hint,
                   rule="markdown-unreadable")


def _read_findings(where: Location, text: str, read: PandocRead) -> Iterator[Finding]:
    if read.too_slow:
        yield Finding(where, "error", f"Reading this text as the Word and PDF documents do takes more than "
                      f"{READ_SECONDS:g} seconds", "Simplify it: it most likely holds many brackets ([ or <) "
                      "that are never closed, or marks inside marks; write text meant as it is in a code span "
                      "(`...`)", rule="markdown-too-slow")
    if read.error:
        yield _unreadable(where, read.error)
    if read.depth - 3 > MAX_READ_NESTING:
        yield Finding(where, "error", f"The text here is nested {read.depth - 3} levels deep as the documents read "
                      f"it (lists, quotes, emphasis, links and divs inside each other), more than the "
                      f"{MAX_READ_NESTING} the PDF can show", "Flatten it: start a new list or paragraph where "
                      "the nesting goes deeper than a reader can follow", rule="markdown-too-deep")
    if read.formula > MAX_FORMULA:
        yield Finding(where, "error", f"A formula here ($...$) holds {read.formula} commands, groups and sub- or "
                      f"superscripts, more than the {MAX_FORMULA} the PDF can lay out",
                      "Write the formula more simply, or describe it in words", rule="formula-too-large")
    if read.meta:
        yield Finding(_block_start(where, text, read.meta), "error", "A block between two '---' lines here, holding "
                      f"{', '.join(repr(key) for key in read.meta)}, would set the Word and PDF documents' own "
                      "settings (their title, status and draft marking)", "Remove it; for a line across the page, "
                      "write *** on a line of its own", rule="metadata-block")
    for target in read.links:
        plain = unquote(target)  # pandoc writes a space or a tab in an address as %20
        written = (target, target.replace("\\", "\\\\"), plain, (plain.split() or [""])[-1],
                   target.rsplit("/", 1)[-1], target.rsplit("\\", 1)[-1])
        yield Finding(_line_of(where, text, *written), "error", f"A link here goes to '{target}', a file or a place on a network, which "
                      "readers of the documents cannot follow safely", "Link to a web page (https://...), an email "
                      "(mailto:...) or a part of the plan (such as [the risk log](section:risks))",
                      rule="link-target")


def read_pieces(texts: list[str]) -> Iterator[tuple[int, PandocRead]]:
    """What each piece reads as, by its index: every piece with something to say."""
    from planpress.targets.documents.pandoc import READER, pandoc_path

    with tempfile.TemporaryDirectory(prefix="planpress-read-") as scratch:
        script, data = Path(scratch) / "read.lua", Path(scratch) / "pieces.json"
        script.write_text(_READ_SCRIPT, encoding="utf-8")
        data.write_text(json.dumps(texts), encoding="utf-8")
        first = 1
        while first <= len(texts):
            slow = None
            try:
                process = subprocess.Popen([pandoc_path(), "lua", str(script), str(data), READER, str(first)],
                                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
            except OSError:
                return  # no pandoc: the build will say so
            try:
                for line in _lines(process, READ_SECONDS):
                    if line is _TIMED_OUT:
                        break
                    kind, number, rest = (line.split(" ", 2) + ["", ""])[:3]
                    slow = int(number) if kind == "start" else None
                    if kind == "done" and (read := _parsed(rest)) != PandocRead():
                        yield int(number) - 1, read
            finally:
                process.kill()
                process.wait()
            if slow is None:
                return
            yield slow - 1, PandocRead(too_slow=True)
            first = slow + 1


def _parsed(said: str) -> PandocRead:
    read = json.loads(said)
    return PandocRead(depth=read.get("depth", 0), formula=read.get("formula", 0), meta=tuple(read.get("meta") or ()),
                      links=tuple(read.get("links") or ()), error=read.get("error", ""))


_TIMED_OUT = "start 0"


def _lines(process: subprocess.Popen, seconds: float) -> Iterator[str]:
    """The lines the process writes; _TIMED_OUT when it writes none for `seconds`."""
    assert process.stdout is not None
    descriptor, pending = process.stdout.fileno(), b""
    while True:
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            yield line.decode("utf-8", "replace").strip()
        ready, _, _ = select.select([descriptor], [], [], seconds)
        if not ready:
            yield _TIMED_OUT
            return
        chunk = os.read(descriptor, 65536)
        if not chunk:
            return
        pending += chunk


def _strings(value: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    stack = [(path, value)]
    while stack:
        at, item = stack.pop()
        if isinstance(item, str):
            yield at, item
        elif isinstance(item, dict):
            stack.extend((at + (key,), sub) for key, sub in item.items())
        elif isinstance(item, list):
            stack.extend((at + (index,), sub) for index, sub in enumerate(item))
