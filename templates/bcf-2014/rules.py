"""The 2014 resubmission's pay-for-performance element: a rule only this template has.

The plan sets out to avoid a number of non-elective (emergency) admissions, at least a
minimum share of the baseline; the performance-linked fund is that reduction times the
national cost of one admission. pack.yaml switches the family on with the minimum and cost.
Loaded by path by planpress (templates/<pack>/rules.py), tested in tests/packs/.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pydantic import Field

from planpress.checks.registry import family_figures, rule_family
from planpress.errors import Finding
from planpress.checks.money import at_precision, write_instead
from planpress.load.models import Money, Record, stated_agrees
from planpress.render import as_stated, money


class PerformanceFundParams(Record):
    file: str = "finance"
    """The data file holding the plan's figures for the element."""
    field: str = "pay_for_performance"
    """The field of that file holding them."""
    minimum_reduction_percent: float = Field(gt=0, lt=100)
    """The smallest planned reduction in non-elective admissions, as a percentage of the baseline."""
    unit_cost: Money
    """The national cost of one non-elective admission, used to value the reduction."""


@dataclass(frozen=True)
class PerformanceFund:
    """The planned reduction in admissions and what it is worth, as every output shows it."""

    baseline_admissions: int
    baseline_period: str
    planned_reduction: int
    unit_cost: Decimal
    minimum_reduction_percent: Decimal
    stated_fund: Decimal | None
    local_case: str

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


def _given(content, params: PerformanceFundParams):
    holder = content.data.get(params.file)
    return None if holder is None else getattr(holder, params.field, None)


@rule_family("performance-fund", PerformanceFundParams)
def check(content, params: PerformanceFundParams) -> Iterator[Finding]:
    holder = content.data.get(params.file)
    if holder is None:
        return
    given = getattr(holder, params.field, None)
    if given is None:
        yield Finding(holder.where(), "error",
                      "The template asks for a pay-for-performance element, and the finance file has none",
                      f"Add '{params.field}:' with baseline_admissions, baseline_period and planned_reduction",
                      rule="p4p-missing")
        return
    p4p = performance_fund(content, params)
    if p4p.planned_reduction < p4p.minimum_reduction:
        message = (f"The planned reduction of {p4p.planned_reduction:,} admissions is {p4p.reduction_percent}% of the "
                   f"baseline of {p4p.baseline_admissions:,}, below the minimum of {p4p.minimum_reduction_percent}% "
                   f"({p4p.minimum_reduction:,} admissions)")
        if given.local_case.strip():
            yield Finding(given.where("planned_reduction"), "warning", message,
                          "The plan records a local case for a lower ambition; make sure the assessors "
                          "will accept it", rule="p4p-below-minimum")
        else:
            yield Finding(given.where("planned_reduction"), "error", message,
                          f"Plan a reduction of at least {p4p.minimum_reduction:,} admissions, or record the "
                          "local case for a lower ambition in 'local_case'", rule="p4p-below-minimum")
    if params.unit_cost != p4p.unit_cost:
        yield Finding(given.where("unit_cost"), "warning",
                      f"The unit cost {money(p4p.unit_cost)} differs from the template's {money(params.unit_cost)}",
                      "Use the template's unit cost unless the national team agreed another",
                      rule="p4p-unit-cost")
    if p4p.stated_fund is not None and not stated_agrees(p4p.stated_fund, p4p.fund):
        yield Finding(given.where("stated_fund"), "error",
                      f"The stated performance fund {as_stated(p4p.stated_fund)} is not the planned reduction x unit "
                      f"cost: {p4p.planned_reduction:,} x {money(p4p.unit_cost)} = {money(p4p.fund)}"
                      f"{at_precision(p4p.stated_fund, p4p.fund)}",
                      f"{write_instead(p4p.stated_fund, p4p.fund)}, or leave 'stated_fund' out and let the outputs "
                      "show it", rule="p4p-fund-mismatch")


@family_figures("performance-fund", "p4p")
def performance_fund(content, params: PerformanceFundParams) -> PerformanceFund | None:
    """The element's figures, quoted in prose and layouts as p4p; None when the plan gives none."""
    given = _given(content, params)
    if given is None:
        return None
    return PerformanceFund(
        baseline_admissions=given.baseline_admissions,
        baseline_period=given.baseline_period,
        planned_reduction=given.planned_reduction,
        unit_cost=given.unit_cost if given.unit_cost is not None else params.unit_cost,
        minimum_reduction_percent=Decimal(str(params.minimum_reduction_percent)),
        stated_fund=given.stated_fund,
        local_case=given.local_case,
    )


# --- Annex 2: the change in each provider's non-elective admissions on the year before ---------

class ProviderChangesParams(Record):
    file: str = "providers"
    """The data file holding the provider commentaries."""
    items: str = "providers"
    """The field of that file listing them."""


@dataclass(frozen=True)
class ProviderChange:
    """One "change compared to" row of Annex 2: a planned year on the year before it."""

    year: str
    compared_with: str
    """The year before, as the row names it: "the 2013/14 outturn" or "the planned 2014/15 outturn"."""
    before: int
    after: int
    stated: int | None

    @property
    def label(self) -> str:
        return f"{self.year} change compared to {self.compared_with}"

    @property
    def change(self) -> int:
        return self.after - self.before

    @property
    def percent(self) -> Decimal:
        """The change as a percentage of the year before, signed, to one place."""
        if self.before == 0:
            return Decimal(0)
        return (Decimal(self.change) * 100 / self.before).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _changes(provider, years: list[str]) -> list[ProviderChange]:
    figures = provider.figures
    stated = getattr(figures, "stated_changes", None) or {}
    before, before_name = figures.outturn, f"the {figures.outturn_period} outturn"
    changes = []
    for year in years:
        if figures.plans.get(year) is None or before is None:
            continue  # a figure not yet filled in: nothing to work out (check names the empty field)
        changes.append(ProviderChange(year, before_name, before, figures.plans[year], stated.get(year)))
        before, before_name = figures.plans[year], f"the planned {year} outturn"
    return changes


def _providers(content, params: ProviderChangesParams):
    holder = content.data.get(params.file)
    return [] if holder is None else getattr(holder, params.items, None) or []


@rule_family("provider-changes", ProviderChangesParams)
def check_provider_changes(content, params: ProviderChangesParams) -> Iterator[Finding]:
    changes = provider_changes(content, params)
    for provider in _providers(content, params):
        stated_years = getattr(provider.figures, "stated_changes", None) or {}
        worked_out = {row.year: row for row in changes.get(provider.provider, [])}
        for year in stated_years:
            row = worked_out.get(year)
            where = provider.figures.where("stated_changes", year)
            if row is None:
                yield Finding(where, "error",
                              f"{provider.provider}: a change is stated for {year}, which has no planned admissions",
                              f"Add the {year} plan under 'plans', or take {year} out of 'stated_changes'",
                              rule="provider-change-mismatch")
            elif row.stated != row.change:
                yield Finding(where, "error",
                              f"{provider.provider}: the stated {row.label} is {row.stated:+,}, but from "
                              f"{row.before:,} to {row.after:,} it is {row.change:+,}",
                              f"Write {row.change}, or leave 'stated_changes' out and let the outputs work it out",
                              rule="provider-change-mismatch")


@family_figures("provider-changes", "provider_changes")
def provider_changes(content, params: ProviderChangesParams) -> dict[str, list[ProviderChange]]:
    """Each provider's "change compared to" rows, by provider name, in the plan's years."""
    if content.plan is None:
        return {}  # plan.yaml has its own errors, reported where they are; no years to work in
    years = content.plan.period.financial_years()
    return {provider.provider: _changes(provider, years) for provider in _providers(content, params)}
