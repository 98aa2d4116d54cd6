"""An amount of the fund broken down by scheme and purpose: the lines add up to the amount stated.

One family, `breakdown`, that a pack switches on for a field of money by year (such as the amount
for protecting social care) and a list of lines breaking it down, each naming a scheme, a purpose
and its amounts by year. Per year the lines add up to the amount stated (at the precision it is
written to); the lines a tag marks as part of another stated amount (such as the Care Act duties or
carers' support) add up to that amount; and no scheme's lines come to more than the scheme spends.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from planpress.checks.funding import sum_by_year
from planpress.checks.money import at_precision, write_instead
from planpress.checks.registry import rule_family
from planpress.errors import Finding
from planpress.figures import compute
from planpress.load.content import PlanContent
from planpress.load.models import Record, stated_agrees, step_of
from planpress.render import as_stated, money


class BreakdownParams(Record):
    file: str = "finance"
    """The data file holding the amount and its breakdown."""
    lines: str
    """The list of lines breaking the amount down, such as protection_breakdown: each with amounts by year."""
    total: str
    """The field of money by year the lines add up to, such as social_care_protection."""
    what: str
    """What the amount is for, in messages, such as protecting social care."""
    scheme: str = "scheme"
    """The field of a line naming its scheme: a scheme's lines come to no more than the scheme spends
    in the year ("" when the lines name no scheme)."""
    tag: str = "counts_toward"
    """The field of a line naming another stated amount the line is part of, such as care_act."""
    tagged: dict[str, str] = {}
    """Each amount a line may be tagged with (a field of money by year of the same file), with what it is
    for, such as care_act: the Care Act duties."""


@rule_family("breakdown", BreakdownParams)
def breakdown(content: PlanContent, params: BreakdownParams) -> Iterator[Finding]:
    holder = content.data.get(params.file)
    if content.plan is None or holder is None:
        return
    lines = list(getattr(holder, params.lines, None) or [])
    if not lines:
        return
    years = content.plan.period.financial_years()
    yield from _adds_up(holder, lines, params.total, params.what, params, years, tag=None)
    for tag, what in params.tagged.items():
        marked = [line for line in lines if getattr(line, params.tag, None) == tag]
        if marked:
            yield from _adds_up(holder, marked, tag, what, params, years, tag=tag)
    if params.scheme:
        yield from _within_scheme_spend(content, lines, params, years)


def _adds_up(holder: Record, lines: list[Record], field: str, what: str, params: BreakdownParams,
             years: list[str], tag: str | None) -> Iterator[Finding]:
    stated_by_year = getattr(holder, field, None) or {}
    which = f"The {params.lines} lines marked '{params.tag}: {tag}'" if tag else f"The {params.lines} lines"
    sums = sum_by_year(lines)
    for year in years:
        stated = stated_by_year.get(year)
        if stated is None:
            continue
        actual = sums.get(year, Decimal(0))
        if stated_agrees(stated, actual):
            continue
        message = (f"{which} for {year} add up to {money(actual)}{at_precision(stated, actual)}, but the amount "
                   f"stated for {what} ({field}) is {as_stated(stated)} (a difference of {money(actual - stated)})")
        if step_of(stated) is not None:
            hint = f"{write_instead(stated, actual)} as {field}, or correct the lines"
        elif tag:
            hint = (f"Mark every line that is part of {what} with '{params.tag}: {tag}' and correct their amounts, "
                    f"or correct {field}, so that they agree")
        else:
            hint = f"Correct the lines of {params.lines} or the amount in {field} so that they agree"
        yield Finding(holder.where(field, year), "error", message, hint,
                      rule="breakdown-tagged-mismatch" if tag else "breakdown-total-mismatch")


def _within_scheme_spend(content: PlanContent, lines: list[Record], params: BreakdownParams,
                         years: list[str]) -> Iterator[Finding]:
    spend = compute(content).spend_by_scheme
    by_scheme: dict[str, list[Record]] = {}
    for line in lines:
        by_scheme.setdefault(str(getattr(line, params.scheme)), []).append(line)
    for scheme, own in by_scheme.items():
        if scheme not in spend:
            continue  # an unknown scheme: the reference check names it
        for year in years:
            given = [line for line in own if year in line.amounts]
            total = sum((line.amounts[year] for line in given), Decimal(0))
            spent = spend[scheme].by_year.get(year, Decimal(0))
            if not given or total <= spent:
                continue
            subject = f"Scheme {scheme}'s line in {params.lines} for {year} is" if len(given) == 1 else \
                f"Scheme {scheme}'s {len(given)} lines in {params.lines} for {year} add up to"
            yield Finding(given[-1].where("amounts", year), "error",
                          f"{subject} {money(total)}, more than the scheme's expenditure that year ({money(spent)}) "
                          f"by {money(total - spent)}",
                          f"A scheme cannot give more to {params.what} than it spends: correct the line, or the "
                          f"scheme's expenditure lines", rule="breakdown-above-scheme-spend")
