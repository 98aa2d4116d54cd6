"""Pictures an author's Markdown shows, made ready for pandoc and typst.

An author writes a picture's path from the Markdown file that shows it (../images/map.png, as
any Markdown editor previews it); the document is one file, built in a scratch folder. So each
picture's path is rewritten to its place from the plan's folder (content/images/map.png) and the
file is copied to the same place beside the document. Only pictures that `check` lets through
(planpress.checks.author_markup) are rewritten and copied; the build does not run while any other
stands, and filters.lua drops any picture that is not a plain path inside the scratch folder.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

from planpress.checks.author_markup import picture_file
from planpress.load.author_markdown import pictures
from planpress.load.content import PlanContent


@dataclasses.dataclass(frozen=True)
class Picture:
    name: str
    """Its path from the plan's folder, as the document names it: content/images/map.png."""
    source: Path
    """The file in content/."""


def with_local_pictures(content: PlanContent) -> tuple[PlanContent, tuple[Picture, ...]]:
    """A copy of the content whose Markdown names each picture from the plan's folder, and those pictures."""
    found: dict[str, Picture] = {}

    def rewrite(file: str, text: str) -> str:
        for picture in reversed(pictures(text)):
            problem, target = picture_file(content.root, file, picture.destination)
            if problem or target is None:
                continue
            name = target.relative_to(os.path.normpath(content.root)).as_posix()
            found[name] = Picture(name, target)
            text = text[:picture.start] + _destination(name, text, picture.start) + text[picture.end:]
        return text

    def doc_with_pictures(doc):
        if "![" not in doc.intro and not any("![" in part.markdown for part in doc.parts):
            return doc
        parts = [dataclasses.replace(part, markdown=rewrite(doc.file, part.markdown)) for part in doc.parts]
        return dataclasses.replace(doc, intro=rewrite(doc.file, doc.intro), parts=parts)

    changed = dataclasses.replace(content, sections=[doc_with_pictures(d) for d in content.sections],
                                  schemes=[doc_with_pictures(d) for d in content.schemes])
    return changed, tuple(found.values())


def _destination(name: str, text: str, start: int) -> str:
    """The new path, in <...> unless the old one already was (a path with spaces needs them)."""
    already_angled = start > 0 and text[start - 1] == "<"
    return name if already_angled else f"<{name}>"


def copy_pictures(found: tuple[Picture, ...], work: Path) -> None:
    for picture in found:
        destination = work / picture.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(picture.source, destination)
