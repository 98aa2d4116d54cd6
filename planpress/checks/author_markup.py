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

import os
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
