"""Prose that quotes the data: author Markdown may say {{ pooled_budget["2015/16"].agreed | money }}.

Author content is rendered in Jinja's sandbox, with undefined names as errors, from a small
namespace of plain values built from the figures: an author can quote any figure but cannot
reach Python internals or the file system. Rendered once, before any target runs, so every
output shows the same sentence with the same figure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from planpress.checks.references import items_of_kind
from planpress.errors import BuildError, Finding, Location, closest
from planpress.figures import Figures, compute
from planpress.load.content import PlanContent, SchemeDoc, SectionDoc
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


def _percent(value: object, places: int = 1) -> str:
    return f"{float(value):.{places}f}%"


def author_environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=_NamedUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        # "{#" starts a heading id in Markdown ({#vision}), so Jinja comments use "{##".
        comment_start_string="{##",
        comment_end_string="##}",
    )
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
    sections = [_render_doc(doc, env, names, findings) for doc in content.sections]
    schemes = [_render_doc(doc, env, names, findings) for doc in content.schemes]
    return dataclasses.replace(content, sections=sections, schemes=schemes), findings


def check(content: PlanContent) -> Iterator[Finding]:
    """The prose mistakes only, for `check`."""
    yield from render_prose(content)[1]


def _render_doc(doc: SectionDoc | SchemeDoc, env: SandboxedEnvironment, names: dict,
                findings: list[Finding]) -> SectionDoc | SchemeDoc:
    intro = _render(doc.intro, Location(doc.file, doc.intro_line), env, names, findings)
    parts = [dataclasses.replace(part, markdown=_render(part.markdown, Location(doc.file, part.body_line),
                                                        env, names, findings))
             for part in doc.parts]
    return dataclasses.replace(doc, intro=intro, parts=parts)


def _render(text: str, start: Location, env: SandboxedEnvironment, names: dict,
            findings: list[Finding]) -> str:
    if "{{" not in text and "{%" not in text:
        return text
    try:
        return env.from_string(text).render(names)
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
                                "Use only the names of the plan's figures listed in the README",
                                rule="prose-unsafe"))
    except (TypeError, ValueError, ArithmeticError, LookupError) as error:
        findings.append(Finding(_error_line(error, start), "error",
                                f"An expression in the text fails: {error}",
                                "Check the names and the year in the expression", rule="prose-error"))
    return text


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
