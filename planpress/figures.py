"""Derived figures, computed once from the checked plan and shared by every output.

Templates and prose quote these; nothing is added up in a template.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from planpress.load import PlanContent
from planpress.models import ExpenditureLine, Finance, Metric, MetricProgress, ProgressReport, Quarter, Risk
from planpress.pack import Pack


@dataclass(frozen=True)
class SchemeSpend:
    reference: str
    lines: list[ExpenditureLine]
    by_year: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.by_year.values(), Decimal(0))


@dataclass(frozen=True)
class PayForPerformanceFigures:
    """The pay-for-performance element: the planned reduction in admissions and what it is worth."""

    baseline_admissions: int
    baseline_period: str
    planned_reduction: int
    unit_cost: Decimal
    minimum_reduction_percent: Decimal
    stated_fund: Decimal | None

    @property
    def reduction_percent(self) -> Decimal:
        """The planned reduction as a percentage of the baseline, to two places."""
        return (Decimal(self.planned_reduction) * 100 / self.baseline_admissions).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def minimum_reduction(self) -> int:
        """The fewest admissions the plan may set out to avoid to meet the national minimum."""
        return math.ceil(self.baseline_admissions * self.minimum_reduction_percent / 100)

    @property
    def fund(self) -> Decimal:
        """The performance-linked fund: planned reduction x unit cost."""
        return self.planned_reduction * self.unit_cost

    @property
    def planned_admissions(self) -> int:
        return self.baseline_admissions - self.planned_reduction


@dataclass(frozen=True)
class Figures:
    years: list[str]
    funding_by_year: dict[str, Decimal]
    expenditure_by_year: dict[str, Decimal]
    spend_by_scheme: dict[str, SchemeSpend]
    spend_by_theme: dict[str, dict[str, Decimal]]
    risk_factors: dict[str, int]
    risk_bands: dict[str, str]
    minimum_by_year: dict[str, Decimal]
    agreed_by_year: dict[str, Decimal | None]
    protection_by_year: dict[str, Decimal]
    carers_by_year: dict[str, Decimal]
    pay_for_performance: PayForPerformanceFigures | None

    @property
    def funding_total(self) -> Decimal:
        return sum(self.funding_by_year.values(), Decimal(0))

    @property
    def expenditure_total(self) -> Decimal:
        return sum(self.expenditure_by_year.values(), Decimal(0))


def compute(content: PlanContent) -> Figures:
    """All derived figures for a plan that loaded without errors."""
    assert content.plan and content.finance and content.themes and content.risks
    years = content.plan.period.financial_years()
    finance = content.finance
    spend = {
        scheme.meta.reference: _scheme_spend(scheme.meta.reference, finance.expenditure, years)
        for scheme in content.schemes
    }
    by_theme = {
        theme.id: {year: sum((spend[ref].by_year[year] for ref in theme.schemes if ref in spend), Decimal(0))
                   for year in years}
        for theme in content.themes.themes
    }
    factors = {risk.id: risk_factor(risk) for risk in content.risks.risks}
    budgets = content.plan.pooled_budget
    return Figures(
        years=years,
        funding_by_year=_sum_by_year((f.amounts for f in finance.funding), years),
        expenditure_by_year=_sum_by_year((e.amounts for e in finance.expenditure), years),
        spend_by_scheme=spend,
        spend_by_theme=by_theme,
        risk_factors=factors,
        risk_bands={ref: content.pack.risk_band(f) if content.pack else "" for ref, f in factors.items()},
        minimum_by_year={b.year: b.minimum for b in budgets},
        agreed_by_year={b.year: b.agreed for b in budgets},
        protection_by_year=dict(finance.social_care_protection),
        carers_by_year=dict(finance.carers_support),
        pay_for_performance=pay_for_performance(finance, content.pack),
    )


def pay_for_performance(finance: Finance, pack: Pack | None) -> PayForPerformanceFigures | None:
    """The pay-for-performance figures, where the plan gives them and the template asks for them."""
    given = finance.pay_for_performance
    rule = pack.pay_for_performance if pack else None
    if given is None or rule is None:
        return None
    return PayForPerformanceFigures(
        baseline_admissions=given.baseline_admissions,
        baseline_period=given.baseline_period,
        planned_reduction=given.planned_reduction,
        unit_cost=given.unit_cost if given.unit_cost is not None else rule.unit_cost,
        minimum_reduction_percent=Decimal(str(rule.minimum_reduction_percent)),
        stated_fund=given.stated_fund,
    )


MetricStatus = Literal["on track", "off track"]


def metric_status(metric: Metric, planned: float, actual: float) -> MetricStatus:
    """On track when the actual is at least as good as the plan, as the metric defines good."""
    if metric.better == "lower":
        return "on track" if actual <= planned else "off track"
    return "on track" if actual >= planned else "off track"


def risk_factor(risk: Risk) -> int:
    """The overall risk factor: likelihood x impact, from 1 to 25."""
    return risk.likelihood * risk.impact


def _scheme_spend(reference: str, expenditure: list[ExpenditureLine], years: list[str]) -> SchemeSpend:
    lines = [line for line in expenditure if line.scheme == reference]
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
    metric: Metric
    entry: MetricProgress
    target: float | None
    status: MetricStatus | None


@dataclass(frozen=True)
class SchemeProgressFigures:
    reference: str
    name: str
    budget: Decimal
    projected: Decimal
    notes: str

    @property
    def variance(self) -> Decimal:
        """Projected outturn less budget: above zero is an overspend."""
        return self.projected - self.budget


@dataclass(frozen=True)
class ProgressFigures:
    quarter: Quarter
    report: ProgressReport
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
    def off_track(self) -> list[MetricProgressFigures]:
        return [m for m in self.metrics if m.status == "off track"]


def metric_target(metric: Metric, entry: MetricProgress) -> float | None:
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
        status = metric_status(metric, target, entry.actual) if target is not None else None
        metric_rows.append(MetricProgressFigures(metric, entry, target, status))
    scheme_rows = [
        SchemeProgressFigures(entry.scheme, names[entry.scheme],
                              figures.spend_by_scheme[entry.scheme].by_year.get(quarter.financial_year, Decimal(0)),
                              entry.projected_outturn, entry.notes)
        for entry in report.schemes
    ]
    return ProgressFigures(quarter, report, metric_rows, scheme_rows)
