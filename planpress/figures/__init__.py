"""Derived figures, computed once from the checked plan and shared by every output.

Templates and prose quote these; nothing is added up in a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from planpress.load.content import PlanContent
from planpress.load.models import Quarter, Record


@dataclass(frozen=True)
class SchemeSpend:
    reference: str
    lines: list[Record]
    by_year: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.by_year.values(), Decimal(0))


@dataclass(frozen=True)
class Figures:
    """What every output shows and nothing adds up again: the plan's totals, spend and risk factors.

    Each group is empty when the pack's template does not hold that kind of data. `extra` holds
    what the pack's own families work out (such as a performance fund), by the name they are quoted by.
    """

    years: list[str]
    funding_by_year: dict[str, Decimal] = field(default_factory=dict)
    expenditure_by_year: dict[str, Decimal] = field(default_factory=dict)
    spend_by_scheme: dict[str, SchemeSpend] = field(default_factory=dict)
    spend_by_theme: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    risk_factors: dict[str, int | None] = field(default_factory=dict)
    """Likelihood x impact for each risk; None in a log rated in words."""
    risk_bands: dict[str, str] = field(default_factory=dict)
    """Each risk's overall rating: the one the plan states, else the band of its factor (or the word the pack's
    risk matrix gives, in a log rated in words)."""
    minimum_by_year: dict[str, Decimal | None] = field(default_factory=dict)
    agreed_by_year: dict[str, Decimal | None] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def funding_total(self) -> Decimal:
        return sum(self.funding_by_year.values(), Decimal(0))

    @property
    def expenditure_total(self) -> Decimal:
        return sum(self.expenditure_by_year.values(), Decimal(0))


def compute(content: PlanContent) -> Figures:
    """All derived figures for a plan that loaded without errors, worked out once per loaded plan."""
    from planpress.checks.registry import pack_figures

    assert content.plan
    if content.figures_cache is None:
        years = content.plan.period.financial_years()
        figures = Figures(years=years, **_finance(content, years), **_risks(content), **_budgets(content))
        content.figures_cache = replace(figures, extra=pack_figures(content))
    return content.figures_cache


def _finance(content: PlanContent, years: list[str]) -> dict[str, object]:
    finance = content.data.get("finance")
    if finance is None or not hasattr(finance, "expenditure"):
        return {}
    lines_of = _lines_by_scheme(finance.expenditure)
    spend = {
        scheme_key(scheme): _scheme_spend(scheme_key(scheme), lines_of.get(scheme_key(scheme), []), years)
        for scheme in content.schemes
    }
    themes = content.data.get("themes")
    by_theme = {
        theme.id: {year: sum((spend[ref].by_year[year] for ref in theme.schemes if ref in spend), Decimal(0))
                   for year in years}
        for theme in (themes.themes if themes is not None else [])
    }
    return {"funding_by_year": _sum_by_year((f.amounts for f in finance.funding), years),
            "expenditure_by_year": _sum_by_year((e.amounts for e in finance.expenditure), years),
            "spend_by_scheme": spend, "spend_by_theme": by_theme}


def _risks(content: PlanContent) -> dict[str, object]:
    params = content.models.rule_params.get("risk-scores") if content.models else None
    risks = content.data.get(params.file) if params else None
    if params is None or risks is None or not hasattr(risks, "risks"):
        return {}
    if getattr(risks, "scale", None) == "words":
        # No factor to multiply: the overall risk is the rating stated, or the one the pack's matrix gives.
        ratings = {risk.id: getattr(risk, "rating", None) or next(iter(params.rated(risk.likelihood, risk.impact)), "")
                   for risk in risks.risks}
        return {"risk_factors": {ref: None for ref in ratings}, "risk_bands": ratings}
    factors = {risk.id: risk_factor(risk) for risk in risks.risks}
    bands = {risk.id: getattr(risk, "rating", None) or params.band(factors[risk.id]) for risk in risks.risks}
    return {"risk_factors": factors, "risk_bands": bands}


def _budgets(content: PlanContent) -> dict[str, object]:
    params = content.models.rule_params.get("pooled-budget") if content.models else None
    if params is None:
        return {}
    budgets = getattr(content.plan, params.budgets.removeprefix("plan."), None)
    if budgets is None:
        return {}  # the pack points at no such field: its rule says so
    return {"minimum_by_year": {b.year: b.minimum for b in budgets},
            "agreed_by_year": {b.year: b.agreed for b in budgets}}


def scheme_key(doc) -> str:
    return str(getattr(doc.meta, "reference", ""))


def change_percent(baseline: float, target: float, places: int = 1) -> Decimal:
    """The change from baseline to target as a percentage of the baseline, always positive, rounded half up."""
    change = abs(Decimal(str(target)) - Decimal(str(baseline))) * 100 / abs(Decimal(str(baseline)))
    return rounded_to(change, places)


def rounded_to(value: Decimal, places: int) -> Decimal:
    """`value` to `places` decimal places (at most 6), half up; a value too large to round is left as it is."""
    try:
        return value.quantize(Decimal(1).scaleb(-min(places, 6)), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than a Decimal holds: no real figure, but no crash either
        return value


MetricStatus = Literal["on track", "off track"]


def metric_status(metric: Record, planned: float, actual: float) -> MetricStatus:
    """On track when the actual is at least as good as the plan, as the metric defines good."""
    if metric.better == "lower":
        return "on track" if actual <= planned else "off track"
    return "on track" if actual >= planned else "off track"


def risk_factor(risk: Record) -> int | None:
    """The overall risk factor: likelihood x impact, from 1 to 25; None unless both are numbers."""
    if isinstance(risk.likelihood, int) and isinstance(risk.impact, int):
        return risk.likelihood * risk.impact
    return None


def _lines_by_scheme(expenditure: list[Record]) -> dict[object, list[Record]]:
    """Each scheme's expenditure lines, in the file's order: grouped once, not searched for each scheme."""
    grouped: dict[object, list[Record]] = {}
    for line in expenditure:
        grouped.setdefault(line.scheme, []).append(line)
    return grouped


def _scheme_spend(reference: str, lines: list[Record], years: list[str]) -> SchemeSpend:
    return SchemeSpend(reference, lines, _sum_by_year((line.amounts for line in lines), years))


def _sum_by_year(amounts, years: list[str]) -> dict[str, Decimal]:
    totals = {year: Decimal(0) for year in years}
    for by_year in amounts:
        for year, amount in by_year.items():
            if year in totals:
                totals[year] += amount
    return totals


# --- quarterly progress ----------------------------------------------------------------


@dataclass(frozen=True)
class MetricProgressFigures:
    metric: Record
    entry: Record
    target: float | None
    status: MetricStatus | None

    @property
    def no_data(self) -> str:
        """Why there is no actual yet ("The survey is annual; ..."), or "" when there is one."""
        reason = getattr(self.entry, "no_data", "") or ""
        return reason if reason or self.entry.actual is not None else "No reason given"


@dataclass(frozen=True)
class SchemeProgressFigures:
    reference: str
    name: str
    budget: Decimal
    projected: Decimal
    notes: str
    spent: Decimal | None = None
    """What the scheme has spent so far in the year, where the update gives it."""

    @property
    def variance(self) -> Decimal:
        """Projected outturn less budget: above zero is an overspend."""
        return self.projected - self.budget


@dataclass(frozen=True)
class ProgressFigures:
    quarter: Quarter
    report: Record
    metrics: list[MetricProgressFigures]
    schemes: list[SchemeProgressFigures]

    @property
    def budget_total(self) -> Decimal:
        return sum((s.budget for s in self.schemes), Decimal(0))

    @property
    def projected_total(self) -> Decimal:
        return sum((s.projected for s in self.schemes), Decimal(0))

    @property
    def variance_total(self) -> Decimal:
        return self.projected_total - self.budget_total

    @property
    def spent_total(self) -> Decimal | None:
        """What the schemes reported have spent so far, or None when no update gives it."""
        spent = [s.spent for s in self.schemes if s.spent is not None]
        return sum(spent, Decimal(0)) if spent else None

    @property
    def off_track(self) -> list[MetricProgressFigures]:
        return [m for m in self.metrics if m.status == "off track"]

    @property
    def on_track(self) -> list[MetricProgressFigures]:
        return [m for m in self.metrics if m.status == "on track"]

    @property
    def no_data(self) -> list[MetricProgressFigures]:
        """Metrics with no data since their baseline: the update says why instead of giving an actual."""
        return [m for m in self.metrics if m.no_data]


def metric_target(metric: Record, entry: Record) -> float | None:
    """The planned value to judge an actual against: the one given, or the plan's for the same period."""
    if entry.target is not None:
        return entry.target
    return next((plan.value for plan in metric.plans if plan.period == entry.period), None)


def progress(content: PlanContent, figures: Figures, quarter_name: str) -> ProgressFigures:
    """Status and variance for one quarter's update; references are assumed checked."""
    report = content.progress[quarter_name]
    quarter = Quarter.parse(quarter_name)
    metrics = {m.id: m for m in content.metrics.metrics}
    names = {s.meta.reference: s.meta.name for s in content.schemes}
    metric_rows = []
    for entry in report.metrics:
        metric = metrics[entry.metric]
        target = metric_target(metric, entry)
        has_actual = entry.actual is not None and not getattr(entry, "no_data", "")
        status = metric_status(metric, target, entry.actual) if target is not None and has_actual else None
        metric_rows.append(MetricProgressFigures(metric, entry, target, status))
    scheme_rows = [
        SchemeProgressFigures(entry.scheme, names[entry.scheme],
                              figures.spend_by_scheme[entry.scheme].by_year.get(quarter.financial_year, Decimal(0)),
                              entry.projected_outturn, entry.notes, getattr(entry, "spent_to_date", None))
        for entry in report.schemes
    ]
    return ProgressFigures(quarter, report, metric_rows, scheme_rows)
