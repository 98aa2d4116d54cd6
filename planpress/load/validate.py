"""Turn YAML data into typed models, and pydantic's errors into findings an author can act on."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from planpress.errors import Finding, closest
from planpress.load.models import Record
from planpress.load.yamlsource import YamlDoc

M = TypeVar("M", bound=Record)


def validate(model: type[M], doc: YamlDoc, findings: list[Finding]) -> M | None:
    """Validate a document against a model; on failure add one finding per problem and return None."""
    if not isinstance(doc.data, dict):
        findings.append(Finding(doc.at(()), "error",
                                f"The file should hold fields such as '{_first_field(model)}: ...', "
                                f"but it holds {_describe(doc.data)}",
                                f"Write the fields {_field_list(model)}, one per line", rule="shape"))
        return None
    try:
        record = model.model_validate(doc.data)
    except ValidationError as error:
        findings.extend(_finding(model, doc, detail) for detail in error.errors(include_url=False))
        return None
    attach_locations(record, doc, ())
    return record


def attach_locations(value: object, doc: YamlDoc, path: tuple, lines: dict[tuple, int] | None = None) -> None:
    """Record on every model in the tree the file and line it came from, and its fields' lines.

    `lines` holds the lines below `path`, relative to it; each level hands its children only
    their own share, so the whole tree costs one pass over the document's lines per level.
    """
    if lines is None:
        lines = {sub[len(path):]: line for sub, line in doc.lines.items() if sub[:len(path)] == path}
    below = _by_first_key(lines)
    if isinstance(value, Record):
        value._location = doc.at(path)
        value._field_lines = {sub: line for sub, line in lines.items() if sub}
        children = ((name, getattr(value, name)) for name in type(value).model_fields)
    elif isinstance(value, list):
        children = enumerate(value)
    elif isinstance(value, dict):
        children = value.items()
    else:
        return
    for key, item in children:
        attach_locations(item, doc, path + (key,), below.get(key, {}))


def _by_first_key(lines: dict[tuple, int]) -> dict[object, dict[tuple, int]]:
    groups: dict[object, dict[tuple, int]] = {}
    for sub, line in lines.items():
        if sub:
            groups.setdefault(sub[0], {})[sub[1:]] = line
    return groups


def _finding(model: type[BaseModel], doc: YamlDoc, detail: dict) -> Finding:
    loc = _clean_loc(model, detail["loc"])
    kind = detail["type"]
    owner = _model_at(model, loc[:-1]) if loc else model
    name = str(loc[-1]) if loc else ""
    where = doc.at(loc)
    value = detail.get("input")
    if kind == "extra_forbidden":
        known = list(owner.model_fields) if owner else []
        guess = closest(name, known)
        hint = f"Did you mean '{guess}'?" if guess else "Remove it, or check its spelling."
        return Finding(where, "error", f"Unknown field '{name}'",
                       f"{hint} The known fields here are: {', '.join(known)}", rule="unknown-field")
    if kind == "missing":
        where = doc.at(loc[:-1])
        help_text = _field_help(owner, name)
        return Finding(where, "error", f"The required field '{name}' is missing{_in_item(loc[:-1])}",
                       f"Add '{name}: ...'" + (f" ({help_text})" if help_text else ""), rule="missing-field")
    field_name = _field_name(loc)
    help_text = _field_help(owner, name) if owner else ""
    if value is None and "input" in detail:
        return Finding(where, "error", f"'{field_name}' is empty", f"Fill it in: {help_text or 'give its value'}",
                       rule="empty-value")
    what = _expected(kind, detail)
    return Finding(where, "error", f"'{field_name}' should be {what}, not {_show(value)}",
                   help_text or "Correct the value", rule="wrong-type")


def _clean_loc(model: type[BaseModel], loc: tuple) -> tuple:
    """Drop pydantic's union and validator tags ('function-before[...]') from an error location.

    A field may be called like a tag (a signatory's `date`): a part that names a field of the
    record it is in is always kept."""
    kept, current = [], model
    for part in loc:
        if isinstance(part, int) or (current is not None and part in current.model_fields):
            if not isinstance(part, int):
                current = _inner_model(current.model_fields[part].annotation)
            kept.append(part)
        elif not (isinstance(part, str) and ("[" in part or part in _UNION_TAGS)):
            kept.append(part)
    return tuple(kept)


_UNION_TAGS = {"decimal", "int", "str", "float", "date", "none", "bool"}


def _model_at(model: type[BaseModel] | None, loc: tuple) -> type[BaseModel] | None:
    """Follow a location through nested models, lists and dicts to the model that owns its last part."""
    current = model
    for part in loc:
        if current is None or isinstance(part, int) or part not in current.model_fields:
            continue
        current = _inner_model(current.model_fields[part].annotation)
    return current


def _inner_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found:
            return found
    return None


def _field_help(owner: type[BaseModel] | None, name: str) -> str:
    if owner is None or name not in owner.model_fields:
        return ""
    return (owner.model_fields[name].description or "").rstrip(".")


def _field_name(loc: tuple) -> str:
    names = [str(part) for part in loc if not isinstance(part, int)]
    return names[-1] if names else "value"


def _in_item(loc: tuple) -> str:
    for part in reversed(loc):
        if isinstance(part, int):
            return f" in item {part + 1} of '{_field_name(loc[:loc.index(part)])}'"
    return ""


def _expected(kind: str, detail: dict) -> str:
    ctx = detail.get("ctx") or {}
    match kind:
        case "int_parsing" | "int_type" | "int_from_float":
            return "a whole number"
        case "float_parsing" | "float_type":
            return "a number"
        case "finite_number":
            return "a number (not infinite, and not .nan)"
        case "bool_parsing" | "bool_type":
            return "true or false"
        case "string_type":
            return "text"
        case "list_type":
            return "a list (lines starting with '- ')"
        case "dict_type" | "model_type" | "model_attributes_type":
            return "a group of fields (indented lines such as 'name: ...')"
        case "date_parsing" | "date_type" | "date_from_datetime_parsing" | "date_from_datetime_inexact":
            return "a date written as YYYY-MM-DD, such as 2025-09-30"
        case "literal_error":
            return f"one of {ctx.get('expected', '')}"
        case "string_pattern_mismatch":
            return "a reference in the expected form (see the field's help)"
        case "too_short":
            return "not empty (give at least one item)"
        case "greater_than" | "greater_than_equal" | "less_than" | "less_than_equal":
            return f"a number {kind.replace('_', ' ')} {next(iter(ctx.values()), '')}".replace("equal", "or equal to")
        case "value_error":
            return _value_error(detail)
    return "a valid value"


def _value_error(detail: dict) -> str:
    # Our own validators explain the problem in full; say what a valid value looks like.
    message = str((detail.get("ctx") or {}).get("error", ""))
    if "too large" in message:
        return message
    if "sum of money" in message:
        return "a well-formed sum of money, such as 1250000 or \"£1,250,000\""
    if "financial year" in message:
        return "a financial year written like 2025/26"
    return message or "a valid value"


def _show(value: object) -> str:
    if isinstance(value, (dict, list)):
        return _describe(value)
    return f"'{value}'"


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


def _first_field(model: type[BaseModel]) -> str:
    return next(iter(model.model_fields))


def _field_list(model: type[BaseModel]) -> str:
    required = [name for name, info in model.model_fields.items() if info.is_required()]
    return ", ".join(f"'{name}'" for name in required)
