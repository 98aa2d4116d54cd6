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

from planpress.errors import Finding, Location, closest
from planpress.figures import Figures, compute
from planpress.load import PlanContent, SchemeDoc, SectionDoc
from planpress.render import long_date, money, number


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
    """The names an author can use, as plain dicts and numbers (documented in the README)."""
    plan = content.plan
    p4p = figures.pay_for_performance
    return {
        "area": plan.area,
        "hwb": plan.hwb,
        "local_authority": plan.local_authority,
        "years": list(figures.years),
        "pooled_budget": {year: {"minimum": figures.minimum_by_year.get(year),
                                 "agreed": figures.agreed_by_year.get(year)} for year in figures.years},
        "funding_total": dict(figures.funding_by_year),
        "expenditure_total": dict(figures.expenditure_by_year),
        "protection": dict(figures.protection_by_year),
        "carers": dict(figures.carers_by_year),
        "scheme": {ref: {"name": s.meta.name, "lead": s.meta.lead,
                         "spend": dict(figures.spend_by_scheme[ref].by_year),
                         "total": figures.spend_by_scheme[ref].total}
                   for s in content.schemes for ref in [s.meta.reference]},
        "theme": {t.id: {"name": t.name, "spend": dict(figures.spend_by_theme[t.id]),
                         "schemes": list(t.schemes)} for t in content.themes.themes},
        "risk": {r.id: {"likelihood": r.likelihood, "impact": r.impact, "factor": figures.risk_factors[r.id],
                        "band": figures.risk_bands[r.id]} for r in content.risks.risks},
        "metric": {m.id: {"name": m.name, "unit": m.unit, "baseline": m.baseline.value,
                          "baseline_period": m.baseline.period,
                          "plans": {p.period: p.value for p in m.plans}}
                   for m in (content.metrics.metrics if content.metrics else [])},
        "p4p": None if p4p is None else {
            "baseline_admissions": p4p.baseline_admissions, "baseline_period": p4p.baseline_period,
            "planned_reduction": p4p.planned_reduction, "reduction_percent": p4p.reduction_percent,
            "minimum_reduction_percent": p4p.minimum_reduction_percent, "unit_cost": p4p.unit_cost,
            "fund": p4p.fund, "planned_admissions": p4p.planned_admissions},
    }


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
