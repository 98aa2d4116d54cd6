"""Intermediate care capacity and demand: each service's months, and what happens where demand is above capacity.

The family `capacity-demand` checks that each service gives its months once each, inside the
plan's period and for every month of it, and that where expected demand is above capacity the
plan says how the gap will be met. Its figures (quoted as `capacity`) are the gaps, for the
outputs to show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from planpress.checks.registry import family_figures, rule_family
from planpress.errors import Finding
from planpress.load.content import PlanContent
from planpress.load.models import Record


class CapacityParams(Record):
    file: str = "capacity"
    """The data file holding the services."""
    items: str = "services"
    """The list of services, each with its months."""
    months: str = "months"
    """The field of a service listing its months (month, capacity, demand)."""
    response: str = "response"
    """The field of a service saying how demand above capacity is met."""


@dataclass(frozen=True)
class Gap:
    month: str
    capacity: int
    demand: int

    @property
    def shortfall(self) -> int:
        return self.demand - self.capacity

    @property
    def label(self) -> str:
        """"June 2025"."""
        year, month = self.month.split("-")
        return dt.date(int(year), int(month), 1).strftime("%B %Y")


@dataclass(frozen=True)
class ServiceGaps:
    service: Record
    gaps: list[Gap]

    @property
    def total_shortfall(self) -> int:
        return sum(gap.shortfall for gap in self.gaps)


def plan_months(content: PlanContent) -> list[str]:
    """Every month of the plan's period, written like 2025-04."""
    if content.plan is None:
        return []
    period, months = content.plan.period, []
    year, month = period.start.year, period.start.month
    while dt.date(year, month, 1) <= period.end:
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _services(content: PlanContent, params: CapacityParams) -> list[Record]:
    holder = content.data.get(params.file)
    return list(getattr(holder, params.items)) if holder is not None else []


@rule_family("capacity-demand", CapacityParams)
def capacity_demand(content: PlanContent, params: CapacityParams) -> Iterator[Finding]:
    expected = plan_months(content)
    for service in _services(content, params):
        months = getattr(service, params.months)
        seen: set[str] = set()
        for index, entry in enumerate(months):
            if entry.month not in expected:
                yield Finding(service.where(params.months, index, "month"), "error",
                              f"{service.id}: the month {entry.month} is outside the plan's period",
                              f"Give the months {expected[0]} to {expected[-1]}" if expected else "",
                              rule="capacity-month-outside")
            elif entry.month in seen:
                yield Finding(service.where(params.months, index, "month"), "error",
                              f"{service.id}: the month {entry.month} is given twice",
                              "Keep one entry per month", rule="capacity-month-twice")
            seen.add(entry.month)
        missing = [month for month in expected if month not in seen]
        if missing and seen:
            yield Finding(service.where(params.months), "warning",
                          f"{service.id}: no capacity or demand for {_listed(missing)}",
                          "Give every month of the year, April first", rule="capacity-month-missing")
        gaps = service_gaps(service, params)
        if gaps.gaps and not str(getattr(service, params.response) or "").strip():
            worst = max(gaps.gaps, key=lambda gap: gap.shortfall)
            yield Finding(service.where(params.months), "error",
                          f"{service.id}: expected demand is above capacity in {len(gaps.gaps)} month(s) "
                          f"({_listed([g.month for g in gaps.gaps])}; at most by {worst.shortfall} in {worst.label}), "
                          "and the plan does not say how the gap will be met",
                          f"Say in '{params.response}' how the extra demand will be met (spot purchase, "
                          "another service, a change in the model), or correct the figures",
                          rule="demand-above-capacity")


@family_figures("capacity-demand", "capacity")
def capacity_figures(content: PlanContent, params: CapacityParams) -> dict[str, ServiceGaps]:
    """Each service's months where expected demand is above capacity, by service id."""
    return {service.id: service_gaps(service, params) for service in _services(content, params)}


def service_gaps(service: Record, params: CapacityParams) -> ServiceGaps:
    gaps = [Gap(entry.month, entry.capacity, entry.demand)
            for entry in getattr(service, params.months) if entry.demand > entry.capacity]
    return ServiceGaps(service, gaps)


def _listed(months: list[str]) -> str:
    return ", ".join(months[:6]) + (f" and {len(months) - 6} more" if len(months) > 6 else "")
