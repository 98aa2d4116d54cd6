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
