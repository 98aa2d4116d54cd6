"""How much planpress reads from content/: each bound, and the file it is checked at.

A plan is a few dozen files of text and a few thousand figures; these bounds sit far above any
real plan and far below what would make a check or a build run out of time or memory. Each is
checked as the file is read, and a file past one is refused with a message that says the bound
and how to split the content. Template packs (templates/) are the maintainers' and are trusted,
but their YAML is read by the same code and so kept within the same bounds of depth and size.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from planpress.errors import Finding, Location

MAX_TEXT_BYTES = 2_000_000
"""A text file in content/ (a section, an item's description, a data or progress file, plan.yaml): 2 MB."""

MAX_IMAGE_BYTES = 10_000_000
"""A picture in content/ that a section or an item's description shows: 10 MB."""

MAX_YAML_DEPTH = 50
"""Groups and lists inside each other in one YAML file (a real plan's deepest is under 10)."""

MAX_YAML_VALUES = 100_000
"""Values in one YAML file, counting each use of an alias (*name) in full (a real plan's largest holds under 1,000)."""

MAX_MARKDOWN_NESTING = 12
"""Lists and quotes inside each other in Markdown, counting each '>', each list marker and every two
spaces of indentation before them (a list four levels deep, indented by four spaces, counts 7)."""

MAX_WORD = 1_000
"""The longest run of characters without a space, in Markdown or in a YAML value: pandoc's Typst writer
takes time that grows with the square of a word's length (50,000 characters: a quarter of a minute),
and so do other readers of Markdown. A plan's longest word is a web address."""

MAX_PARAGRAPH = 50_000
"""Characters in one paragraph of Markdown (up to a blank line) or one YAML value: a long paragraph of a
real plan is a few thousand. The PDF takes minutes over a paragraph of a million and more."""

MAX_FILES_PER_FOLDER = 300
"""Markdown or YAML files in one folder of content/ (sections, schemes, progress): a real plan has under 100.
Each item's description is a few pages of the documents: 300 of them take about half a minute to build."""

MAX_ITEMS_PER_LIST = 2_000
"""Items in one list of a YAML file (risks, milestones, expenditure lines ...): a real plan has under 500.
Each is a row of a table in the documents: 2,000 of them take about ten seconds to build."""


def longest_word(text: str) -> tuple[int, int]:
    """The length of the longest run of characters without a space in `text`, and the index of its line
    ((0, 0) for text with no word longer than MAX_WORD, which is found without splitting it)."""
    if len(text) <= MAX_WORD:
        return 0, 0
    longest, where = 0, 0
    for index, line in enumerate(text.split("\n")):
        if len(line) > MAX_WORD:
            size = max(map(len, line.split()), default=0)
            if size > longest:
                longest, where = size, index
    return (longest, where) if longest > MAX_WORD else (0, 0)


def longest_paragraph(text: str) -> tuple[int, int]:
    """The length of the longest paragraph of `text` longer than MAX_PARAGRAPH, and the index of the
    line it starts on ((0, 0) when none is)."""
    if len(text) <= MAX_PARAGRAPH:
        return 0, 0
    longest, where, line = 0, 0, 0
    for paragraph in re.split(r"(\n[ \t]*\n)", text):
        if len(paragraph) > max(longest, MAX_PARAGRAPH):
            longest, where = len(paragraph), line + len(paragraph) - len(paragraph.lstrip("\n"))
        line += paragraph.count("\n")
    return longest, where


def long_paragraph(where: Location, length: int) -> Finding:
    return Finding(where, "error", f"The paragraph here is {length:,} characters long, more than the "
                   f"{MAX_PARAGRAPH:,} one paragraph may have", "Split it into paragraphs with blank lines between "
                   "them, or move the detail into a document the plan links to", rule="paragraph-too-long")


def long_word(where: Location, length: int) -> Finding:
    return Finding(where, "error", f"A word here is {length:,} characters long with no space in it, more than the "
                   f"{MAX_WORD:,} a plan's text may have", "Put spaces in it; a long address is better as a link "
                   "with a short text, such as [the report](https://...)", rule="word-too-long")


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".removesuffix(".0") + " MB"


def outside_folder(path: Path, folder: Path) -> bool:
    """True when `path`, with every link in it followed, is not inside `folder` (links followed too)."""
    try:
        real = Path(os.path.realpath(path))
        return not real.is_relative_to(Path(os.path.realpath(folder)))
    except (OSError, ValueError):
        return True


def file_problem(root: Path, path: Path, file: str, limit: int = MAX_TEXT_BYTES) -> Finding | None:
    """Why a content file at `path` may not be read: a link leaving the plan's folder, or too large."""
    if outside_folder(path, root):
        return Finding(Location(file), "error",
                       "This file is a link (symlink) to a file outside the plan's folder, so it is not read",
                       "Copy the file into the plan's folder in place of the link, so that what is "
                       "published is what the plan holds", rule="content-outside")
    if not path.is_file():
        return Finding(Location(file), "error", "This is a folder or a special file, not a file of text",
                       "Move it out of content/, or rename it so that it does not end like a content file",
                       rule="not-a-file")
    try:
        size = path.stat().st_size
    except OSError as error:
        return Finding(Location(file), "error", f"This file cannot be read: {error.strerror or error}",
                       "Check that the file exists and that you may read it", rule="unreadable-file")
    if size > limit:
        return Finding(Location(file), "error",
                       f"This file is {megabytes(size)}, more than the {megabytes(limit)} a content file may be",
                       "Split it: move some of the text into another section or item's file, or into a "
                       "document the plan links to (content/data/documents.yaml), and keep data files to the "
                       "figures the plan needs", rule="file-too-large")
    return None
