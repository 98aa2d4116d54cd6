"""Funding streams, as a finance lead checks them in a round with several mandatory streams.

Three families a pack switches on: `stream-minimums` (each mandatory stream pools at least
the board's allocation), `spend-by-source` (each stream's spend adds up to its income) and
`spend-floor` (the lines of one kind, such as the NHS contribution to adult social care, add
up to at least a minimum the plan states per year).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from planpress.checks.registry import rule_family
from planpress.errors import Finding
from planpress.load.content import PlanContent
from planpress.load.models import Record
from planpress.render import money


class StreamMinimumsParams(Record):
    file: str = "finance"
    """The data file with the allocations and the funding lines."""
    allocations: str = "allocations"
    """The list of allocations: each names a stream and gives its minimum per year (amounts)."""
    funding: str = "funding"
    """The list of funding lines: each names a stream and gives its amounts per year."""
    stream: str = "stream"
    """The field naming the stream, in both lists."""


class SpendBySourceParams(Record):
    file: str = "finance"
    """The data file with the funding and expenditure lines."""
    funding: str = "funding"
    """The list of funding lines, each with a stream and amounts per year."""
    expenditure: str = "expenditure"
    """The list of expenditure lines, each with a source and amounts per year."""
    stream: str = "stream"
    """The field of a funding line naming its stream."""
    source: str = "source"
    """The field of an expenditure line naming the stream that pays for it."""


class SpendFloorParams(Record):
    file: str = "finance"
    """The data file with the lines and the floor."""
    items: str = "expenditure"
    """The list of lines, each with amounts per year."""
    match: dict[str, str]
    """Which lines count: each field with the value it must have, such as source: NHS minimum contribution."""
    floor: str
    """The field of the file giving the minimum per year, such as nhs_social_care_minimum."""
    what: str
    """What the lines add up to, for messages, such as the NHS minimum contribution to adult social care."""


def by_stream(lines: Iterable[Record], field: str) -> dict[str, dict[str, Decimal]]:
    """Stream -> year -> the sum of the lines' amounts."""
    streams: dict[str, list[Record]] = {}
    for line in lines:
        streams.setdefault(str(getattr(line, field)), []).append(line)
    return {stream: sum_by_year(group) for stream, group in streams.items()}


def sum_by_year(lines: Iterable[Record]) -> dict[str, Decimal]:
    """Year -> the sum of the lines' amounts."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        for year, amount in line.amounts.items():
            totals[year] = totals.get(year, Decimal(0)) + amount
    return totals


def _years(content: PlanContent) -> list[str]:
    return content.plan.period.financial_years() if content.plan else []


@rule_family("stream-minimums", StreamMinimumsParams)
def stream_minimums(content: PlanContent, params: StreamMinimumsParams) -> Iterator[Finding]:
    finance = content.data.get(params.file)
    if finance is None:
        return
    pooled = by_stream(getattr(finance, params.funding), params.stream)
    for index, allocation in enumerate(getattr(finance, params.allocations)):
        stream = str(getattr(allocation, params.stream))
        for year, minimum in allocation.amounts.items():
            given = pooled.get(stream, {}).get(year, Decimal(0))
            if given < minimum:
                yield Finding(allocation.where("amounts", year), "error",
                              f"The funding lines pool {money(given)} of the {stream} in {year}, "
                              f"less than the allocation of {money(minimum)} (short by {money(minimum - given)})",
                              f"Every pound of the allocation must be pooled: raise the {stream} lines in "
                              f"'{params.funding}' to {money(minimum)}, or correct the allocation",
                              rule="stream-below-allocation")
        if year_missing := [y for y in _years(content) if y not in allocation.amounts]:
            yield Finding(allocation.where("amounts"), "error",
                          f"The allocation of the {stream} has no amount for {', '.join(year_missing)}",
                          f"Add {year_missing[0]}: with the allocation published for the board",
                          rule="allocation-year-missing")


@rule_family("spend-by-source", SpendBySourceParams)
def spend_by_source(content: PlanContent, params: SpendBySourceParams) -> Iterator[Finding]:
    finance = content.data.get(params.file)
    if finance is None:
        return
    income = by_stream(getattr(finance, params.funding), params.stream)
    spend = by_stream(getattr(finance, params.expenditure), params.source)
    for stream in [*income, *(s for s in spend if s not in income)]:
        for year in _years(content):
            got, used = income.get(stream, {}).get(year, Decimal(0)), spend.get(stream, {}).get(year, Decimal(0))
            if used > got:
                yield Finding(finance.where(params.expenditure), "error",
                              f"Spend paid for by the {stream} in {year} ({money(used)}) is more than its income "
                              f"({money(got)}) by {money(used - got)}",
                              f"Move lines to another source, reduce them, or add the missing {stream} income",
                              rule="source-overspent")
            elif used < got:
                yield Finding(finance.where(params.funding), "warning",
                              f"{money(got - used)} of the {stream} in {year} is not allocated to any scheme "
                              f"(income {money(got)}, spend {money(used)})",
                              f"Give the rest to schemes with source: {stream}, or correct the income",
                              rule="source-unallocated")


@rule_family("spend-floor", SpendFloorParams)
def spend_floor(content: PlanContent, params: SpendFloorParams) -> Iterator[Finding]:
    finance = content.data.get(params.file)
    if finance is None:
        return
    counted = [line for line in getattr(finance, params.items)
               if all(str(getattr(line, field)) == value for field, value in params.match.items())]
    spent = sum_by_year(counted)
    which = " and ".join(f"{field}: {value}" for field, value in params.match.items())
    for year, floor in (getattr(finance, params.floor) or {}).items():
        total = spent.get(year, Decimal(0))
        if total < floor:
            yield Finding(finance.where(params.floor, year), "error",
                          f"Spend on {params.what} in {year} is {money(total)}, below the minimum of "
                          f"{money(floor)} by {money(floor - total)}",
                          f"Lines with {which} must add up to at least the minimum: "
                          f"raise them, or correct '{params.floor}'",
                          rule="below-spend-floor")
