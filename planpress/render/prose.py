"""Prose that quotes the data: author Markdown may say {{ pooled_budget["2015/16"].agreed | money }}.

Author content is rendered in Jinja's immutable sandbox, with undefined names as errors, from a
small namespace of plain values built from the figures: an author can quote any figure but cannot
reach Python internals or the file system, and cannot change a figure (a dict's update, a list's
append). Rendered once, before any target runs, so every output shows the same sentence with the
same figure.

What an expression may cost is bounded (AuthorSandbox): a handful of safe filters and methods,
range() up to MAX_RANGE numbers, no value or text larger than MAX_TEXT characters (checked
wherever text can grow: output, ~, +, *, filters), and MAX_SECONDS of work for one part of a text.
Past a bound the part is left as written and `check` names its file and line.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
import time
from collections.abc import Iterator
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment, SecurityError

from planpress.checks.references import items_of_kind
from planpress.errors import BuildError, Finding, Location, closest
from planpress.figures import Figures, compute
from planpress.load.author_markdown import pictures, raw_blocks
from planpress.load.content import PlanContent, SchemeDoc, SectionDoc, text_problem
from planpress.load.models import Record
from planpress.render import long_date, money, number, template_environment


class _NamedUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose error remembers what was asked for and where, to suggest the nearest name."""

    def _fail_with_undefined_error(self, *args: object, **kwargs: object):  # type: ignore[override]
        try:
            super()._fail_with_undefined_error(*args, **kwargs)
        except jinja2.UndefinedError as error:
            error.asked = self._undefined_name  # type: ignore[attr-defined]
            error.within = self._undefined_obj  # type: ignore[attr-defined]
            raise



# Undefined binds its operators (__str__, __getitem__, __add__, ...) to the base class's method
# when the class is made; point each of them at ours.
for _name, _value in [*vars(jinja2.Undefined).items(), *vars(jinja2.StrictUndefined).items()]:
    if _value is jinja2.Undefined._fail_with_undefined_error and _name != "_fail_with_undefined_error":
        setattr(_NamedUndefined, _name, _NamedUndefined._fail_with_undefined_error)


MAX_RANGE = 1_000
"""The most numbers range() may count in author text."""
MAX_TEXT = 2_000_000
"""The most characters a value, or one part's text with its figures filled in, may hold."""
MAX_SECONDS = 2.0
"""The longest one part of a text may take to work out."""
MAX_SECONDS_IN_ALL = 10.0
"""The longest all the plan's text may take to work out."""
_MAX_WALK = 200_000  # values looked at to measure one value (shared parts counted each time they appear)


class ProseLimit(Exception):
    """An author expression went past one of the bounds: what happened, and what to do."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def _too_large() -> ProseLimit:
    return ProseLimit(f"An expression in the text makes text or a value of more than {MAX_TEXT:,} characters",
                      "Quote the figures one at a time: a repeated text, or a loop inside a loop, makes more "
                      "text than any plan needs")


def _size(value: object, budget: int = MAX_TEXT) -> int:
    """About how many characters `value` shows as; ProseLimit as soon as it is more than `budget`.

    Lists that hold the same list many times are counted in full, as str() would write them."""
    total, seen, stack = 0, 0, [value]
    while stack:
        item = stack.pop()
        seen += 1
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, dict):
            total += 2 * len(item) + 2
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 * len(item) + 2
            stack.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            total += item.bit_length() // 3 + 1
        else:
            total += 24
        if total > budget or seen > _MAX_WALK:
            raise _too_large()
    return total


def _percent(value: object, places: int = 1) -> str:
    if not isinstance(places, int) or not 0 <= places <= 6:
        raise ValueError("percent takes from 0 to 6 decimal places, such as | percent(1)")
    return f"{float(value):.{places}f}%"


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise ProseLimit(f"range() in the text counts {len(numbers):,} numbers, more than the {MAX_RANGE:,} "
                         "author text may", "Loop over the plan's items (such as {% for ref, s in scheme.items() %}) "
                         "rather than over numbers")
    return numbers


SAFE_FILTERS = (
    "abs", "capitalize", "count", "d", "default", "dictsort", "first", "float", "groupby", "int", "items",
    "join", "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "reverse", "round",
    "select", "selectattr", "sort", "string", "sum", "title", "trim", "truncate", "unique", "upper", "wordcount",
)
"""Jinja's filters an author may use: none that pads, repeats or multiplies text (center, indent,
wordwrap, format, replace) or that runs anything else."""

SAFE_METHODS = {
    dict: {"items", "keys", "values", "get"},
    str: {"upper", "lower", "title", "capitalize", "strip", "lstrip", "rstrip", "startswith", "endswith"},
    list: {"index", "count"},
    tuple: {"index", "count"},
}
"""The methods an author may call, by the type they belong to: reading only."""


def _checked_filter(function):
    """A filter whose input and output are measured, so that no filter makes text out of all proportion."""
    passes = getattr(function, "jinja_pass_arg", None)

    @functools.wraps(function)
    def checked(*args, **kwargs):
        value = args[1] if passes is not None and len(args) > 1 else (args[0] if args else None)
        _size(value)
        result = function(*args, **kwargs)
        if isinstance(result, (str, list, tuple, dict)):
            _size(result)
        return result

    return checked


class _AuthorCodeGenerator(CodeGenerator):
    """Compiles `a ~ b` to a join that measures what it makes (Jinja would join any two strings at all)."""

    def visit_Concat(self, node, frame) -> None:  # noqa: N802 (Jinja's name)
        self.write("environment.joined((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class AuthorSandbox(ImmutableSandboxedEnvironment):
    """The sandbox author text is rendered in: nothing changed, nothing reached, nothing too large."""

    code_generator_class = _AuthorCodeGenerator
    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if callable(value) and not isinstance(value, type):
            return any(isinstance(obj, kind) and attr in names for kind, names in SAFE_METHODS.items())
        return True

    def wrap_str_format(self, value: Any) -> None:
        """No str.format or format_map: a width such as {:>1000000000} pads text without bound."""
        return None

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        numbers = all(isinstance(side, (int, float)) or type(side).__name__ == "Decimal" for side in (left, right))
        if operator == "%" and not numbers:
            raise ProseLimit("'%' in the text formats text, which author text may not do",
                             "Write a figure with | number, | money or | percent")
        if operator == "**" and numbers:
            if abs(float(right)) > 64 or (isinstance(left, int) and isinstance(right, int)
                                          and left.bit_length() * max(right, 0) > 4096):
                raise _too_large()
        if operator == "*" and not numbers:
            count = right if isinstance(right, int) else left if isinstance(left, int) else 1
            other = left if count is right else right
            if isinstance(count, int) and count * _size(other) > MAX_TEXT:
                raise _too_large()
        if operator == "*" and isinstance(left, int) and isinstance(right, int) \
                and left.bit_length() + right.bit_length() > 4096:
            raise _too_large()
        if operator == "+" and not numbers:
            if _size(left) + _size(right) > MAX_TEXT:
                raise _too_large()
        return super().call_binop(context, operator, left, right)

    def joined(self, parts: tuple) -> str:
        total, texts = 0, []
        for part in parts:
            total += _size(part)
            if total > MAX_TEXT:
                raise _too_large()
            texts.append(part if isinstance(part, str) else str(part))
        return "".join(texts)


def _finalize(value: object) -> object:
    """Every value an expression writes into the text is measured first (str() of it could be enormous)."""
    _size(value)
    return value


def author_environment() -> SandboxedEnvironment:
    env = AuthorSandbox(
        undefined=_NamedUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        finalize=_finalize,
        # "{#" starts a heading id in Markdown ({#vision}), so Jinja comments use "{##".
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters = {name: _checked_filter(env.filters[name]) for name in SAFE_FILTERS}
    env.globals = {"range": _range, "dict": dict}
    helpers = {"money": money, "number": number, "percent": _percent, "long_date": long_date}
    env.filters.update(helpers)
    env.globals.update(helpers)
    return env


def namespace(content: PlanContent, figures: Figures) -> dict[str, Any]:
    """The names an author can use, as plain dicts and numbers (documented in the README).

    The plan's own fields; `years`; each kind of item the pack declares, by its name (risk.R3,
    metric.nel-admissions), with what is worked out for it; the totals of the money lines; the
    pack's own names (`prose:` in pack.yaml) and what its families work out (such as a performance fund).
    """
    plan = content.plan
    names: dict[str, Any] = {name: plain(getattr(plan, name)) for name in type(plan).model_fields}
    names["years"] = list(figures.years)
    if figures.funding_by_year:
        names["funding_total"] = dict(figures.funding_by_year)
        names["expenditure_total"] = dict(figures.expenditure_by_year)
    names |= _items(content, figures)
    names |= {name: plain(value) for name, value in _pack_names(content, figures).items()}
    names |= {name: plain(value) for name, value in figures.extra.items()}
    return names


def _items(content: PlanContent, figures: Figures) -> dict[str, dict[str, Any]]:
    """Each kind of item by its name, such as {"risk": {"R1": {...}}}, with its worked-out figures."""
    found: dict[str, dict[str, Any]] = {}
    data = content.pack.data
    if data.schemes is not None and data.schemes.kind:
        found[data.schemes.kind] = {
            ref: {**plain(s.meta), **_spend(figures.spend_by_scheme.get(ref))}
            for s in content.schemes for ref in [str(getattr(s.meta, "reference", ""))]}
    for kind, (_, _, key) in data.kinds().items():
        items = items_of_kind(content, kind) or []
        found[kind] = {str(getattr(item, key)): {**plain(item), **_worked_out(kind, item, figures)} for item in items}
    return found


def _spend(spend) -> dict[str, Any]:
    return {} if spend is None else {"spend": dict(spend.by_year), "total": spend.total}


def _worked_out(kind: str, item, figures: Figures) -> dict[str, Any]:
    """What the core works out for an item: a theme's spend, a risk's factor, a metric's plans by period."""
    key = getattr(item, "id", None)
    if key in figures.spend_by_theme and kind == "theme":
        return {"spend": dict(figures.spend_by_theme[key])}
    if key in figures.risk_factors:
        return {"factor": figures.risk_factors[key], "band": figures.risk_bands.get(key, "")}
    baseline, plans = getattr(item, "baseline", None), getattr(item, "plans", None)
    if hasattr(baseline, "value") and isinstance(plans, list):
        return {"baseline": baseline.value, "baseline_period": baseline.period,
                "plans": {p.period: p.value for p in plans}}
    return {}


def _pack_names(content: PlanContent, figures: Figures) -> dict[str, Any]:
    """The names the pack's `prose:` gives, each an expression over the plan (trusted: packs are reviewed)."""
    if not content.pack.prose:
        return {}
    env = template_environment(content.pack)
    context = {"plan": content.plan, "figures": figures, **content.data}
    found = {}
    for name, expression in content.pack.prose.items():
        try:
            found[name] = env.compile_expression(expression, undefined_to_none=False)(**context)
        except Exception as error:  # a pack mistake: name it, never a traceback
            raise BuildError(f"templates/{content.pack.id}/pack.yaml: the prose name '{name}' "
                             f"({expression}) cannot be worked out: {error}") from None
    return found


def plain(value: Any) -> Any:
    """A value as plain dicts, lists and numbers, so the sandbox holds nothing with methods to reach."""
    if isinstance(value, Record):
        return {name: plain(getattr(value, name)) for name in type(value).model_fields}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        worked = {name: plain(getattr(value, name)) for name, member in vars(type(value)).items()
                  if isinstance(member, property)}
        return fields | worked
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def render_prose(content: PlanContent) -> tuple[PlanContent, list[Finding]]:
    """A copy of the content with every section and scheme rendered, and a finding per mistake.

    Content with no Jinja in it comes back unchanged. Needs a plan that loaded whole.
    """
    if not content.is_complete():
        return content, []
    env = author_environment()
    names = namespace(content, compute(content))
    findings: list[Finding] = []
    clock = _Clock(time.monotonic() + MAX_SECONDS_IN_ALL)
    sections = [_render_doc(doc, env, names, findings, clock) for doc in content.sections]
    schemes = [_render_doc(doc, env, names, findings, clock) for doc in content.schemes]
    return dataclasses.replace(content, sections=sections, schemes=schemes), findings


def check(content: PlanContent) -> Iterator[Finding]:
    """The prose mistakes only, for `check`."""
    yield from render_prose(content)[1]


@dataclasses.dataclass
class _Clock:
    """When all the plan's text must be worked out by."""

    deadline: float


def _render_doc(doc: SectionDoc | SchemeDoc, env: SandboxedEnvironment, names: dict,
                findings: list[Finding], clock: _Clock) -> SectionDoc | SchemeDoc:
    intro = _render(doc.intro, Location(doc.file, doc.intro_line), env, names, findings, clock)
    texts = [_render(part.markdown, Location(doc.file, part.body_line), env, names, findings, clock)
             for part in doc.parts]
    if intro is doc.intro and all(text is part.markdown for text, part in zip(texts, doc.parts)):
        return doc  # nothing to fill in (most descriptions): not copied
    parts = [part if text is part.markdown else dataclasses.replace(part, markdown=text)
             for text, part in zip(texts, doc.parts)]
    return dataclasses.replace(doc, intro=intro, parts=parts)


def _render(text: str, start: Location, env: SandboxedEnvironment, names: dict,
            findings: list[Finding], clock: _Clock) -> str:
    if "{{" not in text and "{%" not in text:
        return text
    try:
        template = env.from_string(text)
        rendered = _bounded(template, names, min(time.monotonic() + MAX_SECONDS, clock.deadline))
        if _writes_markup(text, rendered):
            findings.append(Finding(start, "error", "An expression in this text writes a raw block "
                                    "(```{=...}, `...`{=...}) or a picture (![...](...)) into it",
                                    "Quote figures only: write any picture in the text itself, as the README shows",
                                    rule="raw-block"))
            return text
        if rendered != text and (problem := text_problem(rendered, start)):
            findings.append(dataclasses.replace(problem, message=f"Once its expressions are worked out, "
                                                f"{problem.message[:1].lower()}{problem.message[1:]}"))
            return text
        return rendered
    except jinja2.TemplateSyntaxError as error:
        findings.append(Finding(Location(start.file, start.line + (error.lineno or 1) - 1), "error",
                                f"This expression cannot be read: {error.message}",
                                "Write a figure as {{ name }}, such as {{ pooled_budget[\"2015/16\"].agreed | money }}",
                                rule="prose-syntax"))
    except jinja2.UndefinedError as error:
        findings.append(Finding(_error_line(error, start), "error", _undefined_message(error),
                                _nearest_name(error, names), rule="prose-undefined"))
    except SecurityError as error:
        findings.append(Finding(_error_line(error, start), "error",
                                f"The text asks for something an author cannot use: {error}",
                                "Use only the names of the plan's figures listed in the README, and the filters "
                                "money, number, percent and long_date; a figure cannot be changed from the text",
                                rule="prose-unsafe"))
    except ProseLimit as error:
        findings.append(Finding(_error_line(error, start), "error", error.message, error.hint, rule="prose-limit"))
    except (RecursionError, MemoryError) as error:
        findings.append(Finding(_error_line(error, start), "error",
                                "An expression in the text calls itself without end, or makes more than the "
                                "build can hold", "Quote the figures one at a time, without macros or loops "
                                "that call themselves", rule="prose-limit"))
    except jinja2.TemplateError as error:  # a template feature an author's text cannot use (extends, include ...)
        findings.append(Finding(_error_line(error, start), "error",
                                f"The text uses something an author's text cannot: {error.message or error}",
                                "Quote figures with {{ name }}, and use {% if %} and {% for %} only",
                                rule="prose-unsafe"))
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as error:
        findings.append(Finding(_error_line(error, start), "error",
                                f"An expression in the text fails: {error}",
                                "Check the names and the year in the expression", rule="prose-error"))
    return text


def _writes_markup(text: str, rendered: str) -> bool:
    """Whether the figures filled in added a raw block or a picture the text did not have."""
    if "{=" not in rendered and "![" not in rendered:
        return False
    raw = {(r.format, r.block) for r in raw_blocks(rendered)} - {(r.format, r.block) for r in raw_blocks(text)}
    shown = {p.destination for p in pictures(rendered)} - {p.destination for p in pictures(text)}
    return bool(raw or shown)


def _bounded(template: jinja2.Template, names: dict, deadline: float) -> str:
    """The template rendered, stopped with ProseLimit past the deadline or past MAX_TEXT characters.

    The time is watched line by line in the template's own code (sys.settrace, in this thread
    only), so a loop that writes nothing is stopped too."""

    def in_template(frame, event, arg):
        if time.monotonic() > deadline:
            raise ProseLimit(f"Working out the figures in this text takes longer than {MAX_SECONDS:g} seconds",
                             "Simplify the expression: loop over the plan's items once, not in loops "
                             "inside loops")
        return in_template

    def on_call(frame, event, arg):
        return in_template if frame.f_code.co_filename == "<template>" else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        size, chunks = 0, []
        for chunk in template.generate(names):
            size += len(chunk)
            if size > MAX_TEXT:
                raise _too_large()
            chunks.append(chunk)
        return "".join(chunks)
    finally:
        sys.settrace(previous)


def _error_line(error: Exception, start: Location) -> Location:
    """The line in the file: Jinja rewrites its traceback so the template's own frame shows its line."""
    line = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return Location(start.file, start.line + (line or 1) - 1)


def _undefined_message(error: jinja2.UndefinedError) -> str:
    asked = getattr(error, "asked", None)
    if asked is None:
        return f"In the text, {error.message}"
    if isinstance(getattr(error, "within", None), dict):
        return f"In the text, '{asked}' is not one of the figures there"
    return f"In the text, '{asked}' is not a name of the plan's figures"


def _nearest_name(error: jinja2.UndefinedError, names: dict) -> str:
    """Suggest the closest name known where the author looked: at the top level or inside a figure."""
    asked = str(getattr(error, "asked", "") or "")
    within = getattr(error, "within", None)
    candidates = [str(k) for k in within] if isinstance(within, dict) else list(names)
    guess = closest(asked, candidates) if asked else None
    if guess:
        return f"Did you mean '{guess}'?"
    return f"Known names here are: {', '.join(sorted(candidates)[:15])}"
