"""Where in content/ a tool's error most likely comes from, when the tool can only name its own files.

`check` reports everything we know the documents cannot take, at its file and line. If Typst
still refuses the PDF, its message names a line of the generated plan.typ, which means nothing
to an author: this finds the author's line that holds the same text, so the message can say
where to look.
"""

from __future__ import annotations

import re
from pathlib import Path

CONTENT_DIR = "content"

_QUOTED = re.compile(r"`([^`]{1,200})`")
_TYP_LINE = re.compile(r"plan\.typ:(\d+)")
_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}")
_WORDS = re.compile(r"[^\W_][\w' ,.-]{3,}[^\W_]")
"""A stretch of ordinary text: words, spaces and light punctuation, that an author would have typed."""


def likely_source(root: Path, error: str, typst_source: Path | None = None) -> str | None:
    """"content/sections/02-vision.md:14" for the first stretch of text the error quotes (or the line
    of plan.typ it names) that is found in one content file; None when nothing is found."""
    for text in _texts(error, typst_source):
        for needle in sorted(_WORDS.findall(text), key=len, reverse=True)[:3] or ([text] if text.strip() else []):
            found = _find(root, needle.strip())
            if found:
                return found
    return None


def _texts(error: str, typst_source: Path | None) -> list[str]:
    texts = [_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), quoted).strip('"') for quoted in _QUOTED.findall(error)]
    if typst_source is not None and (named := _TYP_LINE.search(error)):
        lines = typst_source.read_text(encoding="utf-8", errors="replace").split("\n")
        index = int(named.group(1)) - 1
        if 0 <= index < len(lines):
            texts.append(lines[index])
    return texts


def _find(root: Path, needle: str) -> str | None:
    content = root / CONTENT_DIR
    for path in sorted(content.rglob("*")):
        if path.suffix not in (".md", ".yaml", ".yml") or not path.is_file() or path.is_symlink():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").split("\n"), start=1):
            if needle in line:
                return f"{path.relative_to(root).as_posix()}:{number}"
    return None
