"""Derived figures, computed once from the checked plan and shared by every output.

Templates and prose quote these; nothing is added up in a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from planpress.load import PlanContent
from planpress.models import ExpenditureLine, Risk


@dataclass(frozen=True)
class SchemeSpend:
    reference: str
    lines: list[ExpenditureLine]
    by_year: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.by_year.values(), Decimal(0))


@dataclass(frozen=True)
class Figures:
    years: list[str]
    funding_by_year: dict[str, Decimal]
    expenditure_by_year: dict[str, Decimal]
    spend_by_scheme: dict[str, SchemeSpend]
    spend_by_theme: dict[str, dict[str, Decimal]]
    risk_factors: dict[str, int]

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
    return Figures(
        years=years,
        funding_by_year=_sum_by_year((f.amounts for f in finance.funding), years),
        expenditure_by_year=_sum_by_year((e.amounts for e in finance.expenditure), years),
        spend_by_scheme=spend,
        spend_by_theme=by_theme,
        risk_factors={risk.id: risk_factor(risk) for risk in content.risks.risks},
    )


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
