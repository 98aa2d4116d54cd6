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
import time
import unicodedata
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
    return "", target


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

for i = first, #pieces do
  io.stdout:write("start ", i, "\n")
  io.stdout:flush()
  local ok, doc = pcall(pandoc.read, pieces[i], format)
  if ok then
    io.stdout:write("done ", i, " ", depth(pandoc.json.encode(doc)), " ", formula_size(doc), "\n")
  else
    io.stdout:write("done ", i, " 0 0\n")
  end
  io.stdout:flush()
end
"""


def _pieces(content: PlanContent) -> list[tuple[Location, str]]:
    """Every piece of author text that reaches the documents through pandoc, with where it starts."""
    pieces = [(Location(text.file, text.line), text.text) for text in markdown_texts(content) if text.text.strip()]
    for doc in content.sources.values():
        pieces += [(doc.at(path), value) for path, value in _strings(doc.data, ()) if _MARKUP.search(value)]
    return pieces


_MARKUP = re.compile(r"[\[\]<>*_~^`{}\\$]|^\s*(?:[-+*]|\d+[.)])\s", re.MULTILINE)


_READ: dict[str, int | None] = {}
"""What each piece of text read as (0 when well within the limits), remembered while serve runs."""


def _as_pandoc_reads(content: PlanContent) -> Iterator[Finding]:
    pieces = _pieces(content)
    unread = sorted({text for _, text in pieces if text not in _READ})
    if len(_READ) + len(unread) > 20_000:
        _READ.clear()
    _READ.update(dict.fromkeys(unread, 0))
    _READ.update({unread[index]: problem for index, problem in read_pieces(unread)} if unread else {})
    for where, text in pieces:
        problem = _READ[text]
        if problem == 0:
            continue
        if problem is None:
            yield Finding(where, "error", f"Reading this text as the Word and PDF documents do takes more than "
                          f"{READ_SECONDS:g} seconds", "Simplify it: it most likely holds many brackets ([ or <) "
                          "that are never closed, or marks inside marks; write text meant as it is in a code span "
                          "(`...`)", rule="markdown-too-slow")
        elif problem < 0:
            yield Finding(where, "error", f"A formula here ($...$) holds {-problem} commands, groups and sub- or "
                          f"superscripts, more than the {MAX_FORMULA} the PDF can lay out",
                          "Write the formula more simply, or describe it in words", rule="formula-too-large")
        else:
            yield Finding(where, "error", f"The text here is nested {problem} levels deep as the documents read "
                          f"it (lists, quotes, emphasis, links and divs inside each other), more than the "
                          f"{MAX_READ_NESTING} the PDF can show", "Flatten it: start a new list or paragraph where "
                          "the nesting goes deeper than a reader can follow", rule="markdown-too-deep")


def read_pieces(texts: list[str]) -> Iterator[tuple[int, int | None]]:
    """Each piece pandoc nests too deeply (with its depth), whose formula is too large (minus its size)
    or that pandoc cannot read in time (None), by its index."""
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
                for line, started in _lines(process, READ_SECONDS):
                    kind, number, *rest = line.split()
                    if kind == "done" and int(rest[0]) - 3 > MAX_READ_NESTING:
                        yield int(number) - 1, int(rest[0]) - 3
                    elif kind == "done" and int(rest[1]) > MAX_FORMULA:
                        yield int(number) - 1, -int(rest[1])
                    if line is _TIMED_OUT:
                        break
                    slow = int(number) if kind == "start" else None
            finally:
                process.kill()
                process.wait()
            if slow is None:
                return
            yield slow - 1, None
            first = slow + 1


_TIMED_OUT = "start 0"


def _lines(process: subprocess.Popen, seconds: float) -> Iterator[tuple[str, float]]:
    """The lines the process writes; _TIMED_OUT when it writes none for `seconds`."""
    assert process.stdout is not None
    descriptor, pending = process.stdout.fileno(), b""
    while True:
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            yield line.decode("utf-8", "replace").strip(), time.monotonic()
        ready, _, _ = select.select([descriptor], [], [], seconds)
        if not ready:
            yield _TIMED_OUT, 0.0
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
