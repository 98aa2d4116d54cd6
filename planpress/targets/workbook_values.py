"""The value of each formula the workbook writes, stored beside the formula in the file.

openpyxl writes a formula with an empty value, so a reader that does not recalculate (a preview
pane, openpyxl with data_only=True, pandas) sees a blank where a total should be. The writer
keeps every formula live and also stores the value worked out here. The formulas are the
writer's own sums (SUM, SUMIF, SUMIFS over its rows) and the pack's formulas in workbook.yaml,
so a small part of Excel's formula language is enough; the pack's formulas are checked against
it when the pack is read (`problem`), so a formula this module cannot work out never reaches a
build.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import etree
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl is imported where a workbook is worked out, not by `check` reading the spec
    from openpyxl import Workbook


class FormulaError(str):
    """An Excel error value, such as #DIV/0!, as a formula's result."""


DIV0, VALUE, REF, NA = (FormulaError(e) for e in ("#DIV/0!", "#VALUE!", "#REF!", "#N/A"))


class Unsupported(Exception):
    """A formula outside the part of Excel's language that planpress works out."""


# --- reading a formula -----------------------------------------------------------------

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<string>"(?:[^"]|"")*")
    | (?P<ref>(?:(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)(?![\w(])
    | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)
    | (?P<name>[A-Za-z_][\w.]*)(?=\s*\()
    | (?P<bool>TRUE|FALSE)\b
    | (?P<op><>|<=|>=|[-+*/^&=<>(),%])
    )""", re.VERBOSE)

_BINARY = {"=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "&": 2, "+": 3, "-": 3, "*": 4, "/": 4, "^": 5}


def _tokens(formula: str) -> list[tuple[str, str]]:
    text, at, found = formula[1:] if formula.startswith("=") else formula, 0, []
    while at < len(text.rstrip()):
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            raise Unsupported(f"'{text[at:].strip()[:20]}' is not something planpress can work out")
        kind = match.lastgroup
        assert kind is not None
        found.append((kind, match.group(kind)))
        at = match.end()
    return found


@dataclass
class _Parser:
    tokens: list[tuple[str, str]]
    at: int = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self, text: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token[0] == "end" or (text is not None and token[1] != text):
            raise Unsupported(f"expected '{text}'" if text else "the formula ends too soon")
        self.at += 1
        return token

    def expression(self, least: int = 1) -> tuple:
        left = self.unary()
        while self.peek()[0] == "op" and _BINARY.get(self.peek()[1], 0) >= least:
            op = self.take()[1]
            # ^ binds to the right in reading, though Excel evaluates 2^3^2 left to right: so do we.
            left = ("binary", op, left, self.expression(_BINARY[op] + 1))
        return left

    def unary(self) -> tuple:
        if self.peek() in (("op", "-"), ("op", "+")):
            op = self.take()[1]
            return ("negate", self.unary()) if op == "-" else self.unary()
        node = self.atom()
        while self.peek() == ("op", "%"):
            self.take()
            node = ("binary", "/", node, ("value", 100))
        return node

    def atom(self) -> tuple:
        kind, text = self.take()
        if kind == "number":
            number = float(text)
            return ("value", int(number) if number.is_integer() and "." not in text and "e" not in text.lower()
                    else number)
        if kind == "string":
            return ("value", text[1:-1].replace('""', '"'))
        if kind == "bool":
            return ("value", text == "TRUE")
        if kind == "ref":
            return ("ref", text)
        if kind == "name":
            name = text.upper()
            if name not in FUNCTIONS:
                raise Unsupported(f"the function {text} is not one planpress can work out "
                                  f"({', '.join(sorted(FUNCTIONS))} are)")
            self.take("(")
            arguments = []
            if self.peek() != ("op", ")"):
                arguments.append(self.expression())
                while self.peek() == ("op", ","):
                    self.take()
                    arguments.append(self.expression())
            self.take(")")
            return ("call", name, arguments)
        if (kind, text) == ("op", "("):
            inner = self.expression()
            self.take(")")
            return inner
        raise Unsupported(f"'{text}' cannot stand there")


def parse(formula: str) -> tuple:
    """A formula as a tree; Unsupported if it is outside the part of the language planpress works out."""
    parser = _Parser(_tokens(formula))
    tree = parser.expression()
    if parser.peek()[0] != "end":
        raise Unsupported(f"'{parser.peek()[1]}' cannot stand there")
    return tree


def problem(formula: str) -> str | None:
    """Why planpress could not work out `formula`'s value, or None if it can."""
    try:
        parse(formula)
    except Unsupported as error:
        return str(error)
    return None


# --- working it out --------------------------------------------------------------------


class _Range(list):
    """The values of a range of cells, row by row."""


@dataclass
class Evaluator:
    """Works out every formula of a workbook from its cells, each once (formulas may name formulas)."""

    book: Workbook

    def __post_init__(self) -> None:
        self.values: dict[tuple[str, str], object] = {}
        self._busy: set[tuple[str, str]] = set()

    def all(self) -> dict[tuple[str, str], object]:
        """Each formula cell's value by (sheet title, coordinate)."""
        for sheet in self.book:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        self.cell(sheet.title, cell.coordinate)
        return self.values

    def cell(self, title: str, coordinate: str) -> object:
        key = (title, coordinate)
        if key in self.values:
            return self.values[key]
        if title not in self.book.sheetnames:
            return REF
        cell = self.book[title][coordinate]
        if cell.data_type != "f":
            return cell.value
        if key in self._busy:
            return REF  # a formula that names itself, through others: Excel calls it circular
        self._busy.add(key)
        try:
            value = self.run(parse(str(cell.value)), title)
        finally:
            self._busy.discard(key)
        if isinstance(value, _Range):
            value = value[0] if len(value) == 1 else VALUE
        self.values[key] = value
        return value

    def reference(self, text: str, title: str) -> object:
        sheet, _, where = text.rpartition("!")
        if sheet:
            title = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
        where = where.replace("$", "").upper()
        if ":" not in where:
            return self.cell(title, where)
        from openpyxl.utils import get_column_letter, range_boundaries

        low_col, low_row, high_col, high_row = range_boundaries(where)
        return _Range(self.cell(title, f"{get_column_letter(c)}{r}")
                      for r in range(low_row, high_row + 1) for c in range(low_col, high_col + 1))

    def run(self, node: tuple, title: str) -> object:
        kind = node[0]
        if kind == "value":
            return node[1]
        if kind == "ref":
            return self.reference(node[1], title)
        if kind == "negate":
            value = _number(self.run(node[1], title))
            return value if isinstance(value, FormulaError) else -value
        if kind == "binary":
            return _binary(node[1], self.run(node[2], title), self.run(node[3], title))
        name, arguments = node[1], node[2]
        if name == "IF":  # only the branch taken is worked out, as in Excel
            if len(arguments) not in (2, 3):
                return VALUE
            condition = _truth(self.run(arguments[0], title))
            if isinstance(condition, FormulaError):
                return condition
            branch = arguments[1] if condition else (arguments[2] if len(arguments) == 3 else ("value", False))
            return _single(self.run(branch, title))
        return FUNCTIONS[name]([self.run(argument, title) for argument in arguments])


def _single(value: object) -> object:
    if isinstance(value, _Range):
        return value[0] if len(value) == 1 else VALUE
    return 0 if value is None else value


def _number(value: object) -> object:
    value = _single(value)
    if isinstance(value, (FormulaError, bool)):
        return int(value) if isinstance(value, bool) else value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return float(value) if value.strip() else VALUE
        except ValueError:
            return VALUE
    return VALUE


def _text(value: object) -> object:
    value = _single(value)
    if isinstance(value, FormulaError):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _truth(value: object) -> object:
    value = _single(value)
    if isinstance(value, str) and not isinstance(value, FormulaError):
        return VALUE if value.upper() not in ("TRUE", "FALSE") else value.upper() == "TRUE"
    number = _number(value)
    return number if isinstance(number, FormulaError) else number != 0


def _compare(op: str, left: object, right: object) -> object:
    left, right = _single(left), _single(right)
    for side in (left, right):
        if isinstance(side, FormulaError):
            return side
    # An empty cell equals 0 beside a number and "" beside text (it is read as 0 above).
    if isinstance(left, str) != isinstance(right, str):
        if left == 0 and right == "" or left == "" and right == 0:
            left = right = 0
        else:  # Excel: any text is greater than any number
            left, right = (1, 0) if isinstance(left, str) else (0, 1)
    elif isinstance(left, str):
        left, right = left.lower(), right.lower()
    return {"=": left == right, "<>": left != right, "<": left < right, ">": left > right,
            "<=": left <= right, ">=": left >= right}[op]


def _binary(op: str, left: object, right: object) -> object:
    if op in ("=", "<>", "<", ">", "<=", ">="):
        return _compare(op, left, right)
    if op == "&":
        left, right = _text(left), _text(right)
        return left if isinstance(left, FormulaError) else right if isinstance(right, FormulaError) else left + right
    left, right = _number(left), _number(right)
    for side in (left, right):
        if isinstance(side, FormulaError):
            return side
    if op == "/" and right == 0:
        return DIV0
    try:
        result = {"+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right,
                  "/": lambda: left / right, "^": lambda: left ** right}[op]()
    except (OverflowError, ZeroDivisionError, ValueError):
        return FormulaError("#NUM!")
    if isinstance(result, complex) or (isinstance(result, float) and not math.isfinite(result)):
        return FormulaError("#NUM!")
    return result


def _numbers(arguments: list[object]) -> Iterator[object]:
    """The numbers a SUM, MIN or MAX takes: in ranges, numbers only; given directly, any number."""
    for argument in arguments:
        if isinstance(argument, _Range):
            for value in argument:
                if isinstance(value, FormulaError) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
                    yield value
        elif argument is not None:
            yield _number(argument)


def _aggregate(combine: Callable[[list], object], empty: object) -> Callable[[list[object]], object]:
    def run(arguments: list[object]) -> object:
        values = list(_numbers(arguments))
        error = next((v for v in values if isinstance(v, FormulaError)), None)
        return error if error is not None else (combine(values) if values else empty)
    return run


def _matches(criterion: object) -> Callable[[object], bool]:
    """What a SUMIF criterion accepts: "text" and "=text" exactly (with * ? wildcards and ~ escapes,
    case ignored), "<>text", and a comparison with a number such as ">=5"."""
    criterion = _single(criterion)
    if not isinstance(criterion, str):
        return lambda value: _compare("=", value, criterion) is True
    match = re.match(r"(<>|<=|>=|=|<|>)?(.*)", criterion, re.DOTALL)
    assert match is not None
    op, operand = match.group(1) or "=", match.group(2)
    try:
        number: float | None = float(operand)
    except ValueError:
        number = None
    pattern = re.compile("".join(re.escape(part[1:]) if part.startswith("~") else ".*" if part == "*"
                                 else "." if part == "?" else re.escape(part)
                                 for part in re.findall(r"~.|[*?]|[^~*?]+", operand, re.DOTALL)),
                         re.IGNORECASE | re.DOTALL)

    def accepts(value: object) -> bool:
        if number is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
            return _compare(op, value, number) is True
        if op in ("=", "<>"):
            found = bool(pattern.fullmatch("" if value is None else str(_text(value))))
            return found == (op == "=")
        return number is None and isinstance(value, str) and _compare(op, value, operand) is True
    return accepts


def _sumifs(sum_range: object, pairs: list[tuple[object, object]]) -> object:
    if not isinstance(sum_range, _Range) or any(not isinstance(r, _Range) or len(r) != len(sum_range)
                                                for r, _ in pairs):
        return VALUE
    tests = [(r, _matches(c)) for r, c in pairs]
    total: object = 0
    for index, value in enumerate(sum_range):
        if all(accepts(r[index]) for r, accepts in tests):
            if isinstance(value, FormulaError):
                return value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                total = total + value
    return total


def _round(arguments: list[object]) -> object:
    number, digits = _number(arguments[0]), _number(arguments[1]) if len(arguments) > 1 else 0
    for side in (number, digits):
        if isinstance(side, FormulaError):
            return side
    scaled = abs(number) * 10 ** int(digits)
    result = math.copysign(math.floor(scaled + 0.5) / 10 ** int(digits), number)  # half away from zero
    return int(result) if int(digits) <= 0 else result


def _is_number(value: object) -> bool:
    """ISNUMBER: a number, not an empty cell (which other functions read as 0), text or a truth value."""
    if isinstance(value, _Range):
        value = value[0] if len(value) == 1 else None
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _logical(combine: Callable[[list[bool]], bool]) -> Callable[[list[object]], object]:
    def run(arguments: list[object]) -> object:
        values = [_truth(v) for a in arguments for v in (a if isinstance(a, _Range) else [a])]
        error = next((v for v in values if isinstance(v, FormulaError)), None)
        return error if error is not None else combine(values)
    return run


FUNCTIONS: dict[str, Callable[[list[object]], object]] = {
    "SUM": _aggregate(sum, 0),
    "MIN": _aggregate(min, 0),
    "MAX": _aggregate(max, 0),
    "ABS": lambda a: (lambda n: n if isinstance(n, FormulaError) else abs(n))(_number(a[0])) if len(a) == 1 else VALUE,
    "ROUND": lambda a: _round(a) if len(a) in (1, 2) else VALUE,
    "SUMIF": lambda a: _sumifs(a[2] if len(a) == 3 else a[0], [(a[0], a[1])]) if len(a) in (2, 3) else VALUE,
    "SUMIFS": lambda a: _sumifs(a[0], list(zip(a[1::2], a[2::2]))) if len(a) >= 3 and len(a) % 2 else VALUE,
    "AND": _logical(all),
    "OR": _logical(any),
    "NOT": lambda a: (lambda t: t if isinstance(t, FormulaError) else not t)(_truth(a[0])) if len(a) == 1 else VALUE,
    "ISNUMBER": lambda a: _is_number(a[0]) if len(a) == 1 else VALUE,
    "IF": lambda a: VALUE,  # worked out in Evaluator.run, which takes only the branch chosen
}


# --- storing the values in the file ----------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _as_stored(value: object) -> tuple[str | None, str]:
    """A value as a cell's `t` attribute and its <v> text."""
    if isinstance(value, FormulaError):
        return "e", str(value)
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, int):
        return None, str(value)
    if isinstance(value, float):
        return None, repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return "str", "" if value is None else str(value)


def store_values(data: bytes, values: dict[tuple[str, str], object]) -> bytes:
    """The xlsx file `data` (as openpyxl wrote it) with each formula's value stored beside it.

    The file is read and written with an XML parser, part by part; only the worksheets change.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        book = etree.fromstring(source.read("xl/workbook.xml"))
        rels = etree.fromstring(source.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{_RELS}}}Relationship")}
        parts = {}
        for sheet in book.iter(f"{{{_MAIN}}}sheet"):
            target = targets[sheet.get(f"{{{_DOC_RELS}}}id")]
            parts[target.lstrip("/") if target.startswith("/") else "xl/" + target] = sheet.get("name")
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as written:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename in parts:
                    content = _sheet_with_values(content, parts[item.filename], values)
                written.writestr(item, content)
    return output.getvalue()


def _sheet_with_values(content: bytes, title: str, values: dict[tuple[str, str], object]) -> bytes:
    root = etree.fromstring(content)
    for cell in root.iter(f"{{{_MAIN}}}c"):
        formula = cell.find(f"{{{_MAIN}}}f")
        key = (title, cell.get("r"))
        if formula is None or key not in values:
            continue
        kind, text = _as_stored(values[key])
        if kind is None:
            cell.attrib.pop("t", None)
        else:
            cell.set("t", kind)
        stored = cell.find(f"{{{_MAIN}}}v")
        if stored is None:
            stored = etree.SubElement(cell, f"{{{_MAIN}}}v")
        stored.text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
