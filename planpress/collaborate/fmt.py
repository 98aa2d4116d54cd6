"""`python build.py fmt [--check]`: lay out content/ so that two people's changes merge cleanly.

The conventions keep a diff to the lines an author meant to change:

- Markdown paragraphs hold one sentence per line, so rewording a sentence changes one line
  and a reflowed paragraph never hides the real change. Headings, lists, tables, quotes,
  code and anything unusual are left exactly as written.
- YAML is written with one indentation style (two spaces; list items indented under their
  key), every comment kept, and the fields of each entry in the order models.py declares
  them. An entry with comments inside keeps the author's order, since a comment belongs to
  its place.

fmt reads every file before writing any, so a file it cannot read leaves every file as it
was. Formatting twice changes nothing the second time.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import types
import typing
import functools
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from planpress.errors import PlanError
from planpress.load import models as m
from planpress.load.content import PLAN_FILE, SECTIONS_DIR, load_content


class FormatError(PlanError):
    """A content file fmt cannot read."""


# --- which model describes each file ----------------------------------------------------


def model_for(root: Path, file: str) -> type[m.Record] | None:
    """The model whose field order a content file's YAML (or front matter) follows, as the plan's pack declares it."""
    content = _content(root)
    models = content.models
    if file.startswith(SECTIONS_DIR + "/"):
        return m.SectionFrontMatter
    if models is None:
        return None
    if file == PLAN_FILE:
        return models.plan
    for name, data_file in content.data_files().items():
        if file == data_file:
            return models.files[name]
    if content.progress_folder() and file.startswith(content.progress_folder() + "/"):
        return models.progress
    if content.schemes_folder() and file.startswith(content.schemes_folder() + "/"):
        return models.schemes
    return None


@functools.lru_cache(maxsize=4)
def _content(root: Path):
    """The plan as loaded, for its pack's declarations (read once per run of fmt)."""
    return load_content(root)[0]


def content_files(root: Path) -> list[str]:
    """Every YAML and Markdown file under content/, relative to the project, in a stable order."""
    found = [p for p in (root / "content").rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".md")]
    return sorted(str(p.relative_to(root)) for p in found)


# --- YAML ------------------------------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap a value: a long line is one line in a diff
    return yaml


def format_yaml(text: str, file: str, model: type[m.Record] | None, line_offset: int = 0) -> str:
    yaml = _yaml()
    try:
        data = yaml.load(text)
    except (MarkedYAMLError, YAMLError) as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = f":{mark.line + 1 + line_offset}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise FormatError(f"{file}{line}: this is not valid YAML ({problem}). fmt changed nothing: "
                          "fix it (`python build.py check` says how) and run fmt again") from None
    if data is None:
        return text
    if model is not None:
        _order(data, model)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _order(node: object, annotation: object) -> None:
    """Put each mapping's keys in the order its model declares them, recursively."""
    annotation = _unwrap(annotation)
    if isinstance(node, CommentedMap):
        if isinstance(annotation, type) and issubclass(annotation, m.Record):
            fields = list(annotation.model_fields)
            if not _has_comments(node):
                wanted = [k for k in fields if k in node] + [k for k in node if k not in fields]
                for key in wanted:
                    node.move_to_end(key)
            for key, value in node.items():
                field = annotation.model_fields.get(key)
                _order(value, field.annotation if field else None)
        elif typing.get_origin(annotation) is dict:
            for value in node.values():
                _order(value, typing.get_args(annotation)[1])
    elif isinstance(node, CommentedSeq) and typing.get_origin(annotation) is list:
        for item in node:
            _order(item, typing.get_args(annotation)[0])


def _unwrap(annotation: object) -> object:
    """`X | None` and `Annotated[X, ...]` to X."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(arguments[0]) if arguments else None
    return annotation


def _has_comments(node: object) -> bool:
    """True when a comment sits anywhere inside: moving the entry's keys would move comments off their line."""
    if isinstance(node, (CommentedMap, CommentedSeq)):
        ca = node.ca
        if ca.items or (ca.comment and any(ca.comment)) or getattr(ca, "end", None):
            return True
        values = node.values() if isinstance(node, CommentedMap) else node
        return any(_has_comments(v) for v in values)
    return False


# --- Markdown --------------------------------------------------------------------------


def format_markdown(text: str, file: str, model: type[m.Record] | None) -> str:
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise FormatError(f"{file}:1: the front matter has no closing '---' line. fmt changed nothing: "
                              "add the line and run fmt again")
        front = format_yaml("\n".join(lines[1:end]) + "\n", file, model, line_offset=1)
        body = reflow("\n".join(lines[end + 1:]))
        return _one_newline("---\n" + front + "---\n" + body)
    return _one_newline(reflow(text))


_FENCE = re.compile(r"^\s*(```|~~~)")
# A line that starts a construct other than a plain paragraph: heading, quote, list item, table,
# HTML, indented code, a setext underline, a link definition or footnote, a Jinja statement.
_NOT_PROSE = re.compile(
    r"^(\s{4,}|\t|\s{0,3}(#{1,6}(\s|$)|>|[-*+](\s|$)|\d+[.)](\s|$)|\||<|=+\s*$|-{2,}\s*$|\*{3,}\s*$|"
    r"_{3,}\s*$|\[[^\]]*\]:|\[\^|\{%|\{#))")


def reflow(body: str) -> str:
    """Put each sentence of each plain paragraph on its own line; leave everything else as written."""
    lines = body.split("\n")
    out: list[str] = []
    block: list[str] = []
    in_fence = False

    def flush() -> None:
        out.extend(_reflow_block(block) if block else [])
        block.clear()

    for line in lines:
        if in_fence or _FENCE.match(line):
            flush()
            out.append(line)
            if _FENCE.match(line):
                in_fence = not in_fence
        elif not line.strip():
            flush()
            out.append(line)
        else:
            block.append(line)
    flush()
    return "\n".join(out)


def _reflow_block(lines: list[str]) -> list[str]:
    prose = all(not _NOT_PROSE.match(line) for line in lines) and not any(
        line.endswith(("  ", "\\")) for line in lines)  # a hard line break is the author's choice
    if not prose:
        return list(lines)
    return split_sentences(" ".join(line.strip() for line in lines))


# Words that end with a full stop without ending a sentence.
ABBREVIATIONS = {
    "e.g", "i.e", "etc", "cf", "vs", "viz", "approx", "incl", "esp", "dr", "mr", "mrs", "ms", "mx", "prof", "cllr",
    "rev", "st", "no", "nos", "vol", "fig", "figs", "para", "paras", "p", "pp", "ref", "refs", "ed", "eds", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "co", "ltd", "inc", "plc", "dept",
    "govt", "est", "al", "op", "sec", "sch", "reg", "art", "c",
}
_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[A-Z\"“‘'(\[*_£])")


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, conservatively: when in doubt, keep the sentence whole."""
    sentences, start = [], 0
    for match in _END.finditer(text):
        end = match.end()
        candidate = text[start:end]
        rest = text[end:].lstrip()
        if _is_sentence_end(candidate) and not _NOT_PROSE.match(rest):
            sentences.append(candidate.strip())
            start = end
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def _is_sentence_end(candidate: str) -> bool:
    # Inside a link, an emphasis, code or brackets a full stop is not the end of the paragraph's sentence.
    if candidate.count("`") % 2 or candidate.count("[") != candidate.count("]") \
            or candidate.count("(") != candidate.count(")") or candidate.count("**") % 2:
        return False
    word = re.search(r"(\S+?)[.!?][\"'”’)\]]*$", candidate)
    if word is None:
        return False
    stem = word.group(1).lstrip("([\"'“‘*_")
    if candidate.rstrip("\"'”’)]").endswith(("!", "?")):
        return True
    # An initial ("J."), a listed abbreviation, or dots between letters ("U.K.", "www.nhs.uk.") end no sentence.
    return not (stem.lower() in ABBREVIATIONS or len(stem) == 1 or re.search(r"[A-Za-z]\.[A-Za-z]", stem))


def _one_newline(text: str) -> str:
    return text.rstrip("\n") + "\n"


# --- the command -------------------------------------------------------------------------


def format_file(root: Path, file: str) -> str:
    """The formatted text of one content file."""
    text = (root / file).read_text(encoding="utf-8")
    if file.endswith(".md"):
        return format_markdown(text, file, model_for(root, file))
    return _one_newline(format_yaml(text, file, model_for(root, file)))


def format_content(root: Path) -> dict[str, str]:
    """Every content file whose layout would change, with its new text. Reads all, writes none."""
    changed = {}
    _content.cache_clear()
    for file in content_files(root):
        try:
            original = (root / file).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise FormatError(f"{file}: the file is not UTF-8 text. fmt changed nothing: save it as UTF-8") from None
        formatted = format_file(root, file)
        if formatted != original:
            changed[file] = formatted
    return changed


def run(root: Path, args: argparse.Namespace) -> int:
    if args.arguments:
        print(f"Error: fmt takes no further words: {' '.join(args.arguments)}. "
              "It lays out every file in content/", file=sys.stderr)
        return 1
    try:
        changed = format_content(root)
    except FormatError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    if args.check:
        if not changed:
            print("Every content file is laid out the merge-friendly way.")
            return 0
        for file in changed:
            print(f"would reformat {file}")
        print(f"{len(changed)} file{'s' if len(changed) != 1 else ''} would change: run `python build.py fmt`.")
        return 1
    for file, text in changed.items():
        (root / file).write_text(text, encoding="utf-8")
        print(f"reformatted {file}")
    print(f"{len(changed)} file{'s' if len(changed) != 1 else ''} reformatted." if changed
          else "Every content file is laid out the merge-friendly way.")
    return 0
