"""`python build.py fmt [--check]`: lay out content/ so that two people's changes merge cleanly.

The conventions keep a diff to the lines an author meant to change:

- Markdown paragraphs hold one sentence per line, so rewording a sentence changes one line
  and a reflowed paragraph never hides the real change. So do a list item's further
  paragraphs (keeping their indent) and definitions (`: ...`, continuing lines indented four
  spaces); abbreviations (`*[BCF]: Better Care Fund`) and attribute lists (`{: .note }`) keep
  lines of their own. Headings, lists, tables, quotes, code, HTML comments, hard line breaks
  and anything unusual are left exactly as written.
- fmt proves it keeps each Markdown file's meaning: the text before and after must read the
  same to pandoc (the document tree, in the Markdown dialect of the Word and PDF documents)
  and to the website's Markdown (the HTML it makes), a line break inside a paragraph counting
  as the space it stands for. Where a paragraph would read differently, fmt leaves it as
  written and says so (file and line).
- YAML is written with one indentation style (two spaces; list items indented under their
  key), every comment kept, and the fields of each entry in the order models.py declares
  them. An entry with comments inside keeps the author's order, since a comment belongs to
  its place.

fmt reads every file before writing any, so a file it cannot read leaves every file as it
was. Formatting twice changes nothing the second time.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import re
import subprocess
import sys
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
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


def format_markdown(text: str, file: str, model: type[m.Record] | None, notes: list[str] | None = None,
                    meaning: Meaning | None = None) -> str:
    """The file laid out: front matter as YAML, each plain paragraph one sentence per line.

    A paragraph is changed only where `meaning` (pandoc's reading and the website's) stays the
    same; where it would not, the paragraph is left as written and a line saying so is added to
    `notes`.
    """
    lines = text.split("\n")
    offset, front = 0, ""
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise FormatError(f"{file}:1: the front matter has no closing '---' line. fmt changed nothing: "
                              "add the line and run fmt again")
        front = "---\n" + format_yaml("\n".join(lines[1:end]) + "\n", file, model, line_offset=1) + "---\n"
        offset, lines = end + 1, lines[end + 1:]
    body = "\n".join(lines)
    kept, refused = keep_meaning(body, reflow_edits(body), meaning or Meaning())
    for edit in refused:
        if notes is not None:
            notes.append(f"{file}:{offset + edit.start + 1}: left as written: one sentence per line here would "
                         "change what the Markdown means")
    return _one_newline(front + kept)


@dataclass(frozen=True)
class Edit:
    """Lines start..end (end excluded) of a body, to be replaced by `lines`."""
    start: int
    end: int
    lines: tuple[str, ...]


def apply_edits(body: str, edits: list[Edit]) -> str:
    lines = body.split("\n")
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        lines[edit.start:edit.end] = edit.lines
    return "\n".join(lines)


def reflow(body: str) -> str:
    """Put each sentence of each plain paragraph on its own line; leave everything else as written.

    The layout alone, unchecked: format_markdown keeps only the changes that keep the meaning.
    """
    return apply_edits(body, reflow_edits(body))


_BLANK = " \t"  # Markdown's white space between words (a non-breaking space is a character like any other)
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# Raw HTML whose inside is not Markdown, kept as written up to its closing tag (blank lines and all).
_RAW_OPEN = re.compile(r"^\s{0,3}<(pre|script|style|textarea)(\s|>|$)", re.IGNORECASE)
# A line that starts a construct other than a plain paragraph: heading, quote, list item (pandoc's
# fancy lists too), table row or rule, HTML, indented code, a setext underline or thematic break,
# a link definition or footnote, a definition, a fenced div, an admonition, display maths, a
# Jinja statement or comment, an abbreviation or an attribute list.
_NOT_PROSE = re.compile(
    r"^(\s{4,}|\t|\s{0,3}(#{1,6}(\s|$)|>|[-*+](\s|$)|\(?(\d{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]{1,6}|#|@[\w-]*)[.)](\s|$)"
    r"|\(@[\w-]*\)|\||<|[-=+:|](?:[-=+:| ]*[-=+:|])?\s*$|\*{3,}\s*$|_{3,}\s*$|\[[^\]]*\]:|\[\^|[:~](\s|$)|:::"
    r"|!!!|\?\?\?|\$\$|\{%|\{#|\{:|\*\[[^\]]*\]:))")
# Lines that stay lines of their own inside a paragraph: an abbreviation (`*[BCF]: Better Care Fund`)
# and a paragraph's attribute list (`{: .note }`) for the website, and a Jinja statement or comment.
_OWN_LINE = re.compile(r"^\s{0,3}(\*\[[^\]]+\]:.*|\{:?[^{}]*\}\s*|\{%.*%\}\s*|\{#.*#\}\s*)$")
# A definition: `:` (or pandoc's `~`) and up to three spaces, after its term or another definition.
_DEFINITION = re.compile(r"^( {0,2}[:~])( {1,3}|\t)(?=\S)")


def reflow_edits(body: str) -> list[Edit]:
    """The changes one sentence per line makes to the body's plain paragraphs, one per paragraph."""
    lines = body.split("\n")
    edits: list[Edit] = []
    block: list[str] = []
    verbatim = False  # the block holds something to keep exactly as written (an HTML comment, a Jinja tag)
    fence: tuple[str, int] | None = None
    raw: str | None = None  # the closing tag of a raw HTML block
    comment = False  # inside an HTML comment

    def flush(at: int) -> None:
        nonlocal verbatim
        if block and not verbatim:
            new = _reflow_block(block)
            if new != block:
                edits.append(Edit(at - len(block), at, tuple(new)))
        block.clear()
        verbatim = False

    for number, line in enumerate(lines):
        if fence is not None:
            marker = _FENCE.match(line)
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= fence[1] \
                    and not line.strip(_BLANK).strip(fence[0]):
                fence = None
            continue
        if raw is not None:
            if f"</{raw}" in line.lower():
                raw = None
            continue
        if comment:
            block.append(line)
            comment = _opens_comment(line, already_open=True)
            continue
        if marker := _FENCE.match(line):  # code, kept as written up to its closing fence
            flush(number)
            fence = (marker.group(1)[0], len(marker.group(1)))
            continue
        if opened := _RAW_OPEN.match(line):
            flush(number)
            raw = None if f"</{opened.group(1).lower()}" in line.lower() else opened.group(1).lower()
            continue
        if not line.strip(_BLANK):
            flush(number)
            continue
        block.append(line)
        if _opens_comment(line) or _unbalanced_jinja(line):
            verbatim = True
            comment = _opens_comment(line)
    flush(len(lines))
    return edits


def _opens_comment(line: str, already_open: bool = False) -> bool:
    """Whether an HTML comment is still open at the end of the line."""
    opened, closed = line.rfind("<!--"), line.rfind("-->")
    if already_open and opened < 0:
        return closed < 0
    return opened >= 0 and closed < opened + 4


def _unbalanced_jinja(line: str) -> bool:
    """A Jinja tag that goes on to the next line: its inside must keep its lines."""
    return any(line.count(a) != line.count(b) for a, b in (("{{", "}}"), ("{%", "%}"), ("{#", "#}")))


def _reflow_block(lines: list[str]) -> list[str]:
    """One paragraph's lines, one sentence per line where the paragraph is plain prose; else as written."""
    if any(line.endswith(("  ", "\\", "\t")) for line in lines[:-1]) or lines[-1].endswith("\\"):
        return list(lines)  # a hard line break is the author's choice
    definitions = _definition_groups(lines)
    if definitions is not None:
        return definitions
    out: list[str] = []
    run: list[str] = []
    for line in lines:
        if _OWN_LINE.match(line):
            out += _sentences(run)
            run = []
            out.append(line)
        elif _NOT_PROSE.match(line) or line.endswith("  "):
            return list(lines)
        else:
            run.append(line)
    return out + _sentences(run)


def _sentences(run: list[str]) -> list[str]:
    """A run of paragraph lines as one sentence per line, indented as its first line (a list item's paragraph)."""
    if not run:
        return []
    indent = run[0][: len(run[0]) - len(run[0].lstrip(_BLANK))]
    return [indent + sentence for sentence in split_sentences(" ".join(line.strip(_BLANK) for line in run))]


def _definition_groups(lines: list[str]) -> list[str] | None:
    """A definition list (terms, then definitions opening with `:`) with each definition one sentence per line,
    continuing lines indented four spaces; None if the block is not one, or the lines as written if a
    definition holds more than plain prose."""
    first = next((i for i, line in enumerate(lines) if _DEFINITION.match(line)), None)
    if first is None:
        return None
    terms, rest = lines[:first], lines[first:]
    if any(_NOT_PROSE.match(term) or _DEFINITION.match(term) for term in terms):
        return list(lines)
    out = list(terms)
    group: list[str] = []
    for line in rest + [None]:
        if line is None or _DEFINITION.match(line):
            if group:
                marker = _DEFINITION.match(group[0]).group(0)
                text = [group[0][len(marker):]] + [g.strip(_BLANK) for g in group[1:]]
                if any(_NOT_PROSE.match(t) or _OWN_LINE.match(t) for t in text):
                    return list(lines)
                sentences = split_sentences(" ".join(t.strip(_BLANK) for t in text))
                out.append(marker + sentences[0])
                out += [" " * 4 + s for s in sentences[1:]]
            group = [line] if line is not None else []
        else:
            group.append(line)
    return out


# Words that end with a full stop without ending a sentence (with pandoc's own list, after which it
# puts a non-breaking space).
ABBREVIATIONS = {
    "e.g", "i.e", "etc", "cf", "vs", "viz", "approx", "incl", "esp", "dr", "mr", "mrs", "ms", "mx", "prof", "cllr",
    "rev", "st", "no", "nos", "vol", "fig", "figs", "para", "paras", "p", "pp", "ref", "refs", "ed", "eds", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "co", "ltd", "inc", "plc", "dept",
    "govt", "est", "al", "op", "sec", "sch", "reg", "art", "c",
    "aet", "aetat", "bk", "bros", "capt", "ch", "chap", "chs", "col", "corp", "cp", "d", "f", "fasc", "ff", "fl",
    "fol", "fols", "fr", "gen", "gov", "hon", "ill", "jr", "n", "n.b", "nn", "pres", "pt", "q.v", "rep", "s.v",
    "s.vv", "saec", "sen", "sgt", "sr", "univ", "m.a", "m.d", "ph.d",
}
_END = re.compile(r"[.!?][\"'”’)\]]*(?=[ \t]+[A-Z\"“‘'(\[*_£])")


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, conservatively: when in doubt, keep the sentence whole."""
    sentences, start = [], 0
    for match in _END.finditer(text):
        end = match.end()
        candidate = text[start:end]
        rest = text[end:].lstrip(_BLANK)
        if _is_sentence_end(candidate) and not _NOT_PROSE.match(rest):
            sentences.append(candidate.strip(_BLANK))
            start = end
    sentences.append(text[start:].strip(_BLANK))
    return [s for s in sentences if s]


def _is_sentence_end(candidate: str) -> bool:
    # Inside a link, an emphasis, code, brackets, an HTML comment or tag, or a Jinja expression a full
    # stop is not the end of the paragraph's sentence.
    if candidate.count("`") % 2 or candidate.count("[") != candidate.count("]") \
            or candidate.count("(") != candidate.count(")") or candidate.count("**") % 2 \
            or candidate.count("<!--") != candidate.count("-->") or _open_tag(candidate) \
            or _unbalanced_jinja(candidate):
        return False
    word = re.search(r"(\S+?)[.!?][\"'”’)\]]*$", candidate)
    if word is None:
        return False
    stem = word.group(1).lstrip("([\"'“‘*_")
    if candidate.rstrip("\"'”’)]").endswith(("!", "?")):
        return True
    # An initial ("J."), a listed abbreviation, or dots between letters ("U.K.", "www.nhs.uk.") end no sentence.
    return not (stem.lower() in ABBREVIATIONS or len(stem) == 1 or re.search(r"[A-Za-z]\.[A-Za-z]", stem))


def _open_tag(text: str) -> bool:
    """Whether the text ends inside an HTML tag (`<span title="A. B">`)."""
    opened = text.rfind("<")
    return opened >= 0 and text.rfind(">") < opened and re.match(r"</?[A-Za-z]", text[opened:]) is not None


def _one_newline(text: str) -> str:
    return text.rstrip("\n") + "\n"


# --- proving the meaning is kept -----------------------------------------------------------


class Meaning:
    """What a Markdown text means, as the outputs read it: pandoc's document tree in the dialect of the
    Word and PDF documents, and the HTML of the website's Markdown (Python-Markdown with the site's
    extensions, which read abbreviations and attribute lists pandoc ignores). A line break inside a
    paragraph means a space: that is the one difference one sentence per line may make."""

    SITE_EXTENSIONS = ("abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "toc",
                       "pymdownx.superfences")

    def __init__(self, site_extensions: Iterable[str] | None = None):
        import markdown

        self._site = markdown.Markdown(extensions=list(site_extensions or self.SITE_EXTENSIONS))
        self._cache: dict[str, tuple[str, str]] = {}

    def __call__(self, text: str) -> tuple[str, str]:
        if text not in self._cache:
            self._cache[text] = (self.pandoc(text), self.site(text))
        return self._cache[text]

    @staticmethod
    def pandoc(text: str) -> str:
        from planpress.targets.documents.pandoc import READER, pandoc_path

        try:
            result = subprocess.run([pandoc_path(), "--from", READER, "--to", "json"], input=text,
                                    capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.SubprocessError) as error:
            raise FormatError(f"fmt could not run pandoc to check its work ({error}). fmt changed nothing") from None
        if result.returncode != 0:
            raise FormatError(f"pandoc could not read a file to check fmt's work: {result.stderr.strip()}. "
                              "fmt changed nothing")
        tree = json.loads(result.stdout)
        tree.pop("pandoc-api-version", None)
        return json.dumps(_soft_breaks_as_spaces(tree), sort_keys=True)

    def site(self, text: str) -> str:
        self._site.reset()
        return re.sub(r"\s+", " ", self._site.convert(text)).strip()

    @classmethod
    def for_project(cls, root: Path) -> Meaning:
        """The check with the website's Markdown extensions as the project's mkdocs.yml names them."""
        names = _site_extensions(root / "mkdocs.yml")
        try:
            return cls(names)
        except Exception:  # an extension that needs more than its name: the template's own list
            return cls()


def _soft_breaks_as_spaces(node: object) -> object:
    """The tree with each line break inside a paragraph read as the space it stands for.

    pandoc reads a space after an abbreviation it knows ("Mr. Smith", "e.g. a") as a non-breaking
    space, and a line break there as a line break; both are the same space in the source, so both
    are read as a space here.
    """
    if isinstance(node, dict):
        if node.get("t") == "SoftBreak":
            return {"t": "Space"}
        return {key: _soft_breaks_as_spaces(value) for key, value in node.items()}
    if isinstance(node, list):
        items = []
        for item in node:
            if isinstance(item, dict) and item.get("t") == "Str" and "\u00a0" in item.get("c", ""):
                items += _abbreviation_spaces(item["c"])
            else:
                items.append(_soft_breaks_as_spaces(item))
        return items
    return node


def _abbreviation_spaces(text: str) -> list[dict]:
    """A pandoc Str with the non-breaking spaces pandoc put after abbreviations made plain spaces."""
    parts: list[dict] = []
    word = ""
    for piece in text.split("\u00a0"):
        if word and not _PANDOC_ABBREVIATION.search(word):
            word += "\u00a0" + piece
            continue
        if word:
            parts += [{"t": "Str", "c": word}, {"t": "Space"}]
        word = piece
    return parts + [{"t": "Str", "c": word}]


# The abbreviations after which pandoc (its `smart` extension) puts a non-breaking space.
_PANDOC_ABBREVIATION = re.compile(
    r"(?:^|[^\w.])(?:" + "|".join(re.escape(a) for a in (
        "aet.", "aetat.", "al.", "Apr.", "Aug.", "bk.", "Bros.", "c.", "Capt.", "cf.", "ch.", "chap.", "chs.", "Co.",
        "col.", "Corp.", "cp.", "d.", "Dec.", "Dr.", "e.g.", "ed.", "eds.", "esp.", "f.", "fasc.", "Feb.", "ff.",
        "fig.", "fl.", "fol.", "fols.", "Fr.", "Gen.", "Gov.", "Hon.", "i.e.", "ill.", "Inc.", "incl.", "Jan.", "Jr.",
        "Jul.", "Jun.", "Ltd.", "M.A.", "M.D.", "Mar.", "Mr.", "Mrs.", "Ms.", "n.", "n.b.", "nn.", "No.", "Nov.",
        "Oct.", "p.", "Ph.D.", "pp.", "Pres.", "Prof.", "pt.", "q.v.", "Rep.", "Rev.", "s.v.", "s.vv.", "saec.",
        "sec.", "Sen.", "Sep.", "Sept.", "Sgt.", "Sr.", "St.", "univ.", "viz.", "vol.", "vs.")) + r")$")


def _site_extensions(mkdocs_yml: Path) -> list[str] | None:
    try:
        config = YAML(typ="safe", pure=True)
        config.constructor.add_multi_constructor("", lambda loader, suffix, node: None)
        data = config.load(mkdocs_yml.read_text(encoding="utf-8"))
    except Exception:
        return None
    entries = data.get("markdown_extensions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return None
    names = [entry if isinstance(entry, str) else next(iter(entry), None) if isinstance(entry, dict) else None
             for entry in entries]
    return [name for name in names if isinstance(name, str)] or None


def keep_meaning(body: str, edits: list[Edit], meaning: Meaning) -> tuple[str, list[Edit]]:
    """The body with the edits that keep its meaning, and the edits refused.

    All the edits are tried at once first; only if the meaning changes is each tried alone, and
    those that keep it are tried together once more (if even that fails, none is made).
    """
    if not edits:
        return body, []
    before = meaning(body)
    changed = apply_edits(body, edits)
    if meaning(changed) == before:
        return changed, []
    kept = [edit for edit in edits if meaning(apply_edits(body, [edit])) == before]
    if kept and meaning(apply_edits(body, kept)) != before:
        kept = []
    return apply_edits(body, kept), [edit for edit in edits if edit not in kept]


# --- the command -------------------------------------------------------------------------


def format_file(root: Path, file: str, notes: list[str] | None = None, meaning: Meaning | None = None) -> str:
    """The formatted text of one content file; what fmt left as written to keep the meaning goes to `notes`."""
    text = (root / file).read_text(encoding="utf-8")
    if file.endswith(".md"):
        return format_markdown(text, file, model_for(root, file), notes, meaning or Meaning.for_project(root))
    return _one_newline(format_yaml(text, file, model_for(root, file)))


def format_content(root: Path, notes: list[str] | None = None) -> dict[str, str]:
    """Every content file whose layout would change, with its new text. Reads all, writes none.

    Each paragraph fmt would change in a way that changes what its Markdown means is left as
    written, with a line in `notes` saying where.
    """
    changed = {}
    _content.cache_clear()
    meaning = Meaning.for_project(root)
    for file in content_files(root):
        try:
            original = (root / file).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise FormatError(f"{file}: the file is not UTF-8 text. fmt changed nothing: save it as UTF-8") from None
        formatted = format_file(root, file, notes, meaning)
        if formatted != original:
            changed[file] = formatted
    return changed


def run(root: Path, args: argparse.Namespace) -> int:
    if args.arguments:
        print(f"Error: fmt takes no further words: {' '.join(args.arguments)}. "
              "It lays out every file in content/", file=sys.stderr)
        return 1
    notes: list[str] = []
    try:
        changed = format_content(root, notes)
    except FormatError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    for note in notes:
        print(note)
    if notes:
        print(f"{len(notes)} paragraph{'s' if len(notes) != 1 else ''} left as written (above): one sentence per "
              "line would change how pandoc or the website reads {0}. Lay {0} out by hand if you wish."
              .format("them" if len(notes) != 1 else "it"))
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
