"""Field declarations: a pack says, as data, what each content file holds; this turns it into typed records.

A field is declared as `{type, required, help, units, ...}` in a closed vocabulary of types
(frictionless-style): each type maps to one pydantic annotation, so validation and its
messages (file:line, did-you-mean, the field's help) are the same for every pack.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, PlainValidator, create_model, model_validator

from planpress.load.models import DateOrMonth, FinancialYear, Money, Number, Record, WholeNumber, rating_parser

FieldType = Literal[
    "text", "whole number", "number", "money", "money by year", "whole numbers by year", "date",
    "date or month", "financial year", "choice", "rating", "yes or no", "reference", "list", "record", "map",
]
SCALAR_TYPES = {
    "text": str, "whole number": WholeNumber, "number": Number, "money": Money, "date": dt.date,
    "date or month": DateOrMonth,
    "financial year": FinancialYear, "yes or no": bool, "reference": str,
    "money by year": dict[FinancialYear, Money], "whole numbers by year": dict[FinancialYear, WholeNumber],
}
# What an optional field holds when an author leaves it out, unless the declaration gives a default.
EMPTY = {"list": [], "map": {}, "money by year": {}, "whole numbers by year": {}}


class FieldSpec(Record):
    """One field of a content file, as a pack declares it."""

    type: FieldType
    """The kind of value: text, whole number, number, money, money by year, whole numbers by year, date,
    date or month (2025-10-31, 2025-10 or October 2025), financial year, choice, rating (a whole number or
    one of its `choices` in any case, or only the words with `numbers: false`), yes or no, reference, list,
    record or map."""
    required: bool = False
    """Whether an author must give it."""
    default: Any = None
    """The value when it is left out (nothing, or an empty list or group, unless given here)."""
    help: str = ""
    """One line for the author: what to write, with an example. Shown in messages and the README."""
    units: str = ""
    """What the value counts, such as "admissions" or "£", for the field reference."""
    choices: list[str] = []
    """For a choice: the values allowed. For a rating: the words allowed (in any case)."""
    numbers: bool = True
    """For a rating: whether a whole number is allowed beside the words (false: only the words)."""
    to: str = ""
    """For a reference (or a list of them): what it names, such as scheme, milestone or metric."""
    of: FieldType | None = None
    """For a list of plain values: their type (a list with `fields` holds records)."""
    fields: dict[str, "FieldSpec"] = {}
    """For a record, or a list of records: their fields."""
    keys: list[str] = []
    """For a map: the names allowed as its keys (any text when empty)."""
    values: FieldType | None = None
    """For a map: the type of its values (text when left out)."""
    min_items: int = 0
    """For a list: the fewest items it may hold."""
    pattern: str = ""
    """For text: a regular expression the whole value must match, such as ^R\\d+$."""
    minimum: float | None = None
    """For a number: the smallest value allowed."""
    maximum: float | None = None
    """For a number: the largest value allowed."""
    above: float | None = None
    """For a number: the value must be greater than this."""
    below: float | None = None
    """For a number: the value must be less than this."""
    kind: str = ""
    """For a list of records: what one item is called, so others can refer to it (such as risk)."""
    key: str = "id"
    """For a list of records with a kind: the field that names each item."""

    @model_validator(mode="after")
    def _complete(self) -> "FieldSpec":
        if self.type in ("choice", "rating") and not self.choices:
            raise ValueError(f"a {self.type} needs its 'choices'")
        if self.type == "record" and not self.fields:
            raise ValueError("a record needs its 'fields'")
        if self.type == "list" and not self.fields and self.of is None:
            raise ValueError("a list needs 'fields' (a list of records) or 'of' (a list of plain values)")
        if self.kind and self.key not in self.fields:
            raise ValueError(f"a list of {self.kind} items needs the field '{self.key}' that names each one")
        return self

    def references(self) -> str:
        """The kind this field refers to, for a reference or a list of references; "" otherwise."""
        if self.type == "reference" or (self.type == "list" and self.of == "reference"):
            return self.to
        return ""


class DeclaredRecord(Record):
    """Base of the records a pack declares: their help is given as data, not read from source code."""

    model_config = ConfigDict(use_attribute_docstrings=False)


def record_model(name: str, fields: dict[str, FieldSpec], base: type[Record] = DeclaredRecord) -> type[Record]:
    """A frozen record type with one attribute per declared field, validated like any core model.

    `base` must not read attribute docstrings (a made class has no source to read them from).
    """
    definitions = {field_name: _definition(f"{name}_{field_name}", spec) for field_name, spec in fields.items()}
    return create_model(name, __base__=base, **definitions)


def _definition(name: str, spec: FieldSpec) -> tuple[object, object]:
    annotation = _annotation(name, spec)
    constraints = _constraints(spec)
    if spec.required:
        if spec.type == "text":
            # `name: ""` is as empty as `name:`, and is reported the same way (empty-value).
            annotation = Annotated[annotation, BeforeValidator(_blank_as_nothing)]
        return annotation, Field(description=spec.help, **constraints)
    default = spec.default if spec.default is not None else EMPTY.get(spec.type)
    if default is None:
        annotation = annotation | None
    return annotation, Field(default=default, description=spec.help, validate_default=False, **constraints)


def _blank_as_nothing(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def _annotation(name: str, spec: FieldSpec) -> object:
    if spec.type == "choice":
        return Literal[tuple(spec.choices)]
    if spec.type == "rating":
        return _rating(spec)
    if spec.type == "record":
        return record_model(name, spec.fields)
    if spec.type == "list":
        if spec.fields:
            return list[record_model(name, spec.fields)]
        return list[_plain(spec.of, spec)]
    if spec.type == "map":
        key = Literal[tuple(spec.keys)] if spec.keys else str
        return dict[key, _plain(spec.values or "text", spec)]
    return SCALAR_TYPES[spec.type]


def _plain(type_name: str, spec: FieldSpec) -> object:
    if type_name in ("list", "record", "map"):
        raise ValueError(f"a list or map of {type_name}s is not supported: use 'fields' for records")
    if type_name == "choice":
        return Literal[tuple(spec.choices)]
    if type_name == "rating":
        return _rating(spec)
    return SCALAR_TYPES[type_name]


def _rating(spec: FieldSpec) -> object:
    """A whole number (unless `numbers` is false) or one of the spec's words, such as 4 or High (high reads as High)."""
    return Annotated[int | str, PlainValidator(rating_parser(spec.choices, spec.numbers))]


def _constraints(spec: FieldSpec) -> dict[str, object]:
    found: dict[str, object] = {}
    if spec.min_items:
        found["min_length"] = spec.min_items
    if spec.pattern:
        found["pattern"] = spec.pattern
    for option, keyword in (("minimum", "ge"), ("maximum", "le"), ("above", "gt"), ("below", "lt")):
        if getattr(spec, option) is not None:
            found[keyword] = getattr(spec, option)
    return found


def walk(fields: dict[str, FieldSpec], path: tuple = ()) -> list[tuple[tuple, FieldSpec]]:
    """Every field declared, nested ones included, with its path of names (lists and records opened)."""
    found = []
    for name, spec in fields.items():
        found.append((path + (name,), spec))
        found += walk(spec.fields, path + (name,))
    return found
