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
import yaml.events
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planpress.errors import Finding, Location
from planpress.load.limits import MAX_ITEMS_PER_LIST, MAX_YAML_DEPTH, MAX_YAML_VALUES, long_paragraph, long_word, \
    longest_paragraph, longest_word

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
    """Parse YAML text into a YamlDoc; raise YamlProblem with the line and column of a syntax error.

    The file's depth and its number of values are bounded (planpress.load.limits): a file nested
    too deep is refused before it is built (libyaml would recurse until it crashed), and a file
    whose aliases (*name) would expand past the bound is refused as it is built."""
    try:
        _check_depth(text, file, line_offset)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            builder = _Builder(loader, line_offset, file)
            data = None if root is None else builder.build(root, (), 1)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        raise YamlProblem(_syntax_finding(error, file, line_offset)) from None
    except yaml.YAMLError as error:  # a character YAML does not allow, such as a NUL
        raise YamlProblem(_reader_finding(error, text, file, line_offset)) from None
    lines = builder.lines
    lines.setdefault((), line_offset + 1)
    return YamlDoc(file, data, lines, first_line=line_offset + 1)


_OPENING = (yaml.events.MappingStartEvent, yaml.events.SequenceStartEvent)
_CLOSING = (yaml.events.MappingEndEvent, yaml.events.SequenceEndEvent)


def _check_depth(text: str, file: str, offset: int) -> None:
    """Refuse text nested deeper than MAX_YAML_DEPTH, reading only its events (which do not recurse)."""
    loader = _Loader(text)
    try:
        depth = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _OPENING):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise YamlProblem(_too_deep(Location(file, event.start_mark.line + 1 + offset)))
            elif isinstance(event, _CLOSING):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        # PyYAML 6.0.4 and later stop deep nesting themselves, reading ahead of the events counted
        # above: the same mistake, so the same message. Other errors are named by the full read.
        if "nesting depth" not in str(error.problem or "") or error.problem_mark is None:
            raise
        raise YamlProblem(_too_deep(Location(file, error.problem_mark.line + 1 + offset))) from None
    finally:
        loader.dispose()


def _too_deep(where: Location) -> Finding:
    return Finding(where, "error",
                   f"The groups and lists here are nested more than {MAX_YAML_DEPTH} levels deep, "
                   "more than a content file may be",
                   "Write the values flatter: a list of items, each with its fields, as the README shows; "
                   "if an alias (*name) names a group that holds it, remove the alias", rule="yaml-too-deep")


class _Builder:
    """Builds plain values from the node tree, noting each value's line and counting every value
    built, so that aliases (*name) cannot expand a small file into an enormous one."""

    def __init__(self, loader: _Loader, offset: int, file: str):
        self.loader, self.offset, self.file = loader, offset, file
        self.lines: dict[Path_, int] = {}
        self.count = 0

    def line(self, node: Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def build(self, node: Node, path: Path_, depth: int) -> object:
        self.count += 1
        if self.count > MAX_YAML_VALUES:
            raise YamlProblem(Finding(
                Location(self.file, self.line(node)), "error",
                f"This file holds more than {MAX_YAML_VALUES:,} values (counting each use of an alias "
                "such as *name in full), more than a content file may",
                "Split the content: keep in this file only the figures the plan needs, and write out once "
                "what an alias repeats", rule="yaml-too-large"))
        if depth > MAX_YAML_DEPTH:  # an alias can nest a group inside itself
            raise YamlProblem(_too_deep(Location(self.file, self.line(node))))
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            if len(node.value) > MAX_ITEMS_PER_LIST:
                raise YamlProblem(Finding(
                    Location(self.file, self.line(node)), "error",
                    f"This list holds {len(node.value):,} items, more than the {MAX_ITEMS_PER_LIST:,} a list "
                    "in a content file may hold", "Keep the list to the items the plan reports: join lines "
                    "that say the same thing (such as the same scheme, provider and area of spend), or move "
                    "detail into a document the plan links to", rule="yaml-too-many-items"))
            items = []
            for index, item_node in enumerate(node.value):
                self.lines[path + (index,)] = self.line(item_node)
                items.append(self.build(item_node, path + (index,), depth + 1))
            return items
        assert isinstance(node, ScalarNode)
        return self.scalar(node)

    def _mapping(self, node: MappingNode, path: Path_, depth: int) -> dict:
        result: dict[object, object] = {}
        for key_node, value_node in node.value:
            line = self.line(key_node)
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem(Finding(Location(self.file, line), "error", "A key here is a list or a mapping",
                                          "Write a key as a plain word followed by a colon, such as 'name:'",
                                          rule="yaml-key"))
            key = self.scalar(key_node)
            if key in result:
                first = self.lines[path + (key,)]
                raise YamlProblem(Finding(Location(self.file, line), "error",
                                          f"'{key}' is given twice (first on line {first})",
                                          "Keep one of them and delete the other", rule="duplicate-key"))
            self.lines[path + (key,)] = line
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result

    def scalar(self, node: ScalarNode) -> object:
        """A single value; one its tag cannot make (!!int abc, a 30th of February) is a finding, not a crash."""
        try:
            value = self.loader.construct_object(node, deep=True)
            if isinstance(value, str) and (bad := CONTROL_CHARACTER.search(value)):
                raise YamlProblem(control_character(Location(self.file, self.line(node)), bad.group()))
            if isinstance(value, str) and (word := longest_word(value))[0]:
                raise YamlProblem(long_word(Location(self.file, self.line(node) + word[1]), word[0]))
            if isinstance(value, str) and (paragraph := longest_paragraph(value))[0]:
                raise YamlProblem(long_paragraph(Location(self.file, self.line(node)), paragraph[0]))
            return value
        except (yaml.MarkedYAMLError, YamlProblem):
            raise
        except Exception as error:  # PyYAML's constructors raise ValueError, TypeError, AttributeError ...
            value = node.value if len(node.value) <= 60 else node.value[:57] + "..."
            if node.tag.endswith(":timestamp"):
                detail = f" ({error})" if isinstance(error, ValueError) and "out of range" in str(error) else ""
                message = f"'{value}' is not a date that exists{detail}"
                hint = "Write a real date as YYYY-MM-DD, such as 2025-09-30"
            else:
                tag = node.tag.replace("tag:yaml.org,2002:", "!!")
                message = f"'{value}' cannot be read as {tag} ({error})"
                hint = f"Correct the value, or remove the tag {tag} and write the value plainly"
            raise YamlProblem(Finding(Location(self.file, self.line(node)), "error", message, hint,
                                      rule="yaml-value")) from None


CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters no document, spreadsheet or web page may hold: control characters (tab and line breaks
aside), and halves of a character (\\ud800) written as escapes in YAML."""


def control_character(where: Location, character: str) -> Finding:
    return Finding(where, "error", f"This line holds an invisible control character ({ord(character):#06x}), "
                   "which no document, spreadsheet or web page can hold",
                   "Delete it: it usually comes pasted in with other text, or from an escape such as \\x01 "
                   "or \\u0000 in double quotes", rule="control-character")


def _reader_finding(error: yaml.YAMLError, text: str, file: str, offset: int) -> Finding:
    position = getattr(error, "position", None)
    line = (text[:position].count("\n") + 1 + offset) if isinstance(position, int) else offset + 1
    character = getattr(error, "character", None)
    shown = f" (character {ord(character):#06x})" if isinstance(character, str) and len(character) == 1 else \
        (f" (character {character:#06x})" if isinstance(character, int) else "")
    return Finding(Location(file, line), "error", f"This line holds a character YAML does not allow{shown}",
                   "Delete it: it is usually an invisible control character pasted in with other text",
                   rule="yaml-syntax")


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
        return path.read_text(encoding="utf-8-sig")  # a byte-order mark (Notepad) is not text
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise YamlProblem(Finding(Location(file, line), "error", "The file is not UTF-8 text",
                                  "Save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
                                  rule="encoding")) from None
    except OSError as error:
        raise YamlProblem(Finding(Location(file), "error", f"The file cannot be read: {error.strerror or error}",
                                  "Check that it is a file and that you may read it (its permissions)",
                                  rule="unreadable-file")) from None
