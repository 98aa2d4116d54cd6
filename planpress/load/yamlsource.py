"""Read YAML so that every value remembers its line, and Markdown front matter with it.

PyYAML's node tree carries line numbers; we build plain Python values from it and keep a
side table from each value's path (("risks", 3, "likelihood")) to its line, so validation
errors and checks can name the line an author must change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planpress.errors import Finding, Location

Path_ = tuple[object, ...]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader with YAML 1.2 booleans: only true and false, so "yes", "no" and "on" stay text.

    libyaml's parser (CSafeLoader) when PyYAML has it: the same nodes and marks, several times faster."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class YamlDoc:
    """A parsed YAML document: its data and the line of every value in it."""

    file: str
    data: object
    lines: dict[Path_, int] = field(default_factory=dict)
    first_line: int = 1
    files: dict[Path_, str] = field(default_factory=dict)
    """For a document merged from several files: the file each value with a line came from."""

    def line_of(self, path: Path_) -> int:
        """The line of the value at `path`, or of its nearest ancestor that has one."""
        return self.lines.get(self._nearest(path), self.first_line)

    def at(self, path: Path_) -> Location:
        nearest = self._nearest(path)
        return Location(self.files.get(nearest, self.file), self.lines.get(nearest, self.first_line))

    def file_of(self, path: Path_) -> str:
        return self.files.get(self._nearest(path), self.file)

    def _nearest(self, path: Path_) -> Path_:
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return path


def merge_docs(base: YamlDoc, over: YamlDoc) -> YamlDoc:
    """`over` laid on `base`: mappings merge key by key, and lists of mappings with an `id` merge
    item by item (an item with a new id goes at the end); anything else in `over` replaces what
    `base` has, and a key set to null in `over` is taken away. Every value keeps the file and
    line it came from, so a mistake is reported where it was written."""
    lines: dict[Path_, int] = {}
    files: dict[Path_, str] = {}

    def keep(doc: YamlDoc, source: Path_, target: Path_) -> None:
        for sub, line in doc.lines.items():
            if sub[:len(source)] == source:
                lines[target + sub[len(source):]], files[target + sub[len(source):]] = line, doc.file_of(sub)

    def merge(low: object, high: object, low_at: Path_, high_at: Path_, at: Path_) -> object:
        for doc, source in ((base, low_at), (over, high_at)):
            if source in doc.lines:
                lines[at], files[at] = doc.lines[source], doc.file_of(source)
        if isinstance(low, dict) and isinstance(high, dict):
            return merge_mappings(low, high, low_at, high_at, at)
        if _listed_by_id(low) and _listed_by_id(high):
            return merge_lists(low, high, low_at, high_at, at)
        keep(over, high_at, at)
        return high

    def merge_mappings(low: dict, high: dict, low_at: Path_, high_at: Path_, at: Path_) -> dict:
        merged = {}
        for key, value in low.items():  # the base's order, with what `over` changes in place
            if key not in high:
                keep(base, low_at + (key,), at + (key,))
                merged[key] = value
            elif high[key] is not None:
                merged[key] = merge(value, high[key], low_at + (key,), high_at + (key,), at + (key,))
        for key, value in high.items():
            if key not in low and value is not None:
                keep(over, high_at + (key,), at + (key,))
                merged[key] = value
        return merged

    def merge_lists(low: list, high: list, low_at: Path_, high_at: Path_, at: Path_) -> list:
        changes = {item["id"]: (index, item) for index, item in enumerate(high)}
        merged = []
        for index, item in enumerate(low):
            if item["id"] in changes:
                high_index, change = changes.pop(item["id"])
                merged.append(merge(item, change, low_at + (index,), high_at + (high_index,), at + (len(merged),)))
            else:
                keep(base, low_at + (index,), at + (len(merged),))
                merged.append(item)
        for high_index, item in changes.values():
            keep(over, high_at + (high_index,), at + (len(merged),))
            merged.append(item)
        return merged

    data = merge(base.data, over.data, (), (), ())
    return YamlDoc(over.file, data, lines, over.first_line, files)


def _listed_by_id(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "id" in v for v in value)


class YamlProblem(Exception):
    """The text is not valid YAML, or not the shape a content file must have."""

    def __init__(self, finding: Finding):
        self.finding = finding
        super().__init__(str(finding))


def parse_yaml(text: str, file: str, line_offset: int = 0) -> YamlDoc:
    """Parse YAML text into a YamlDoc; raise YamlProblem with the line and column of a syntax error."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        lines: dict[Path_, int] = {}
        data = None if root is None else _build(root, (), lines, loader, line_offset, file)
    except yaml.MarkedYAMLError as error:
        raise YamlProblem(_syntax_finding(error, file, line_offset)) from None
    finally:
        loader.dispose()
    lines.setdefault((), line_offset + 1)
    return YamlDoc(file, data, lines, first_line=line_offset + 1)


def _build(node: Node, path: Path_, lines: dict[Path_, int], loader: _Loader, offset: int, file: str) -> object:
    if isinstance(node, MappingNode):
        result: dict[object, object] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1 + offset
            if isinstance(key, (list, dict)):
                raise YamlProblem(Finding(Location(file, line), "error", "A key here is a list or a mapping",
                                          "Write a key as a plain word followed by a colon, such as 'name:'"))
            if key in result:
                first = lines[path + (key,)]
                raise YamlProblem(Finding(Location(file, line), "error",
                                          f"'{key}' is given twice (first on line {first})",
                                          "Keep one of them and delete the other"))
            lines[path + (key,)] = line
            result[key] = _build(value_node, path + (key,), lines, loader, offset, file)
        return result
    if isinstance(node, SequenceNode):
        items = []
        for index, item_node in enumerate(node.value):
            lines[path + (index,)] = item_node.start_mark.line + 1 + offset
            items.append(_build(item_node, path + (index,), lines, loader, offset, file))
        return items
    assert isinstance(node, ScalarNode)
    return loader.construct_object(node, deep=True)


def _syntax_finding(error: yaml.MarkedYAMLError, file: str, offset: int) -> Finding:
    mark = error.problem_mark or error.context_mark
    line = (mark.line + 1 + offset) if mark else offset + 1
    column = (mark.column + 1) if mark else 0
    problem = (error.problem or "the text cannot be read").rstrip(".")
    context = f" ({error.context})" if error.context else ""
    return Finding(
        Location(file, line), "error",
        f"This is not valid YAML at column {column}: {problem}{context}",
        "Check the indentation and the colons on this line and the one before it; "
        "put text that contains a colon or starts with a quote, '-', '[' or '{' in double quotes",
        rule="yaml-syntax",
    )


# --- Markdown with front matter --------------------------------------------------------

_FENCE = "---"


@dataclass
class MarkdownFile:
    """A Markdown file split into its front matter (as YAML) and its body."""

    file: str
    front: YamlDoc
    body: str
    body_first_line: int


def parse_markdown(text: str, file: str) -> MarkdownFile:
    """Split `---` front matter from the body; raise YamlProblem if it is missing or broken."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != _FENCE:
        raise YamlProblem(Finding(Location(file, 1), "error", "The file does not start with front matter",
                                  "Begin the file with a line '---', the fields (such as 'title: ...'), "
                                  "and another line '---', then the text", rule="front-matter"))
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == _FENCE)
    except StopIteration:
        raise YamlProblem(Finding(Location(file, 1), "error", "The front matter has no closing '---' line",
                                  "Add a line '---' after the last field, before the text",
                                  rule="front-matter")) from None
    front = parse_yaml("\n".join(lines[1:end]), file, line_offset=1)
    if front.data is None:
        front.data = {}
    body = "\n".join(lines[end + 1:])
    return MarkdownFile(file, front, body, body_first_line=end + 2)


def read_text(path: Path, file: str) -> str:
    """Read a content file as UTF-8, turning an unreadable file into a finding."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise YamlProblem(Finding(Location(file, line), "error", "The file is not UTF-8 text",
                                  "Save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
                                  rule="encoding")) from None
