"""The figures a finance lead checks by hand: budgets meet the minimum, lines add up, the fund covers them.

Three families, each switched on and set by the pack: `pooled-budget` (each year's agreed
value meets its minimum and equals the funding), `finance-totals` (stated totals match their
lines; expenditure does not exceed funding) and `within-fund` (named amounts are parts of the fund).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from planpress.checks.registry import rule_family
from planpress.errors import Finding
from planpress.figures import Figures, compute
from planpress.load.content import PlanContent
from planpress.load.models import Record, stated_agrees, step_of, to_step
from planpress.render import as_stated, money


class PooledBudgetParams(Record):
    budgets: str = "plan.pooled_budget"
    """Where the budgets are: the plan's field listing, per year, its minimum and agreed values."""


class FinanceParams(Record):
    file: str = "finance"
    """The data file with the funding and expenditure lines."""


class WithinFundParams(Record):
    file: str = "finance"
    """The data file holding the amounts."""
    amounts: dict[str, str]
    """Each field of money by year that is a part of the fund, with what it is for (such as carers_support:
    carer-specific support)."""


def at_precision(stated: Decimal, actual: Decimal) -> str:
    """For a stated figure written short, what the worked-out one is at its precision: ", which is £86k to
    the nearest £1,000"; nothing for a figure written in full."""
    step = step_of(stated)
    if step is None:
        return ""
    return f", which is {stated.like(to_step(actual, step))} to the nearest {money(step)}"


def write_instead(stated: Decimal, actual: Decimal) -> str:
    """What to write for a stated figure that disagrees: the worked-out one, at the stated precision too."""
    step = step_of(stated)
    if step is None:
        return f"Write {money(actual)}"
    return f"Write {stated.like(to_step(actual, step))} (or the exact {money(actual)})"


def _finance_ready(content: PlanContent, file: str = "finance") -> bool:
    return content.plan is not None and content.data.get(file) is not None


@rule_family("pooled-budget", PooledBudgetParams)
def pooled_budget(content: PlanContent, params: PooledBudgetParams) -> Iterator[Finding]:
    if not _finance_ready(content):
        return
    figures = compute(content)
    field = params.budgets.removeprefix("plan.")
    budgets = getattr(content.plan, field)
    finance_file = content.data_files().get("finance", "the finance file")
    for budget in budgets:
        if budget.agreed is not None and budget.minimum is not None and budget.agreed < budget.minimum:
            yield Finding(budget.where("agreed"), "error",
                          f"The agreed pooled budget for {budget.year} ({money(budget.agreed)}) is below the "
                          f"minimum required value ({money(budget.minimum)}) by {money(budget.minimum - budget.agreed)}",
                          "The total must be equal to or more than the minimum: raise the agreed value "
                          "or correct the minimum", rule="budget-below-minimum")
        funding = figures.funding_by_year.get(budget.year)
        if budget.agreed is not None and funding is not None and not stated_agrees(budget.agreed, funding):
            yield Finding(budget.where("agreed"), "error",
                          f"The agreed pooled budget for {budget.year} is {as_stated(budget.agreed)}, but the funding "
                          f"sources in {finance_file} add up to {money(funding)}{at_precision(budget.agreed, funding)} "
                          f"(a difference of {money(funding - budget.agreed)})",
                          "Make the funding sources add up to the agreed value, or correct the agreed value",
                          rule="budget-funding-mismatch")
    years_given = {b.year for b in budgets}
    for year in figures.years:
        if year not in years_given:
            yield Finding(content.plan.where(field), "error",
                          f"The pooled budget has no entry for {year}",
                          f"Add '- year: {year}' with its minimum and agreed values", rule="budget-year-missing")


@rule_family("finance-totals", FinanceParams)
def finance_totals(content: PlanContent, params: FinanceParams) -> Iterator[Finding]:
    if not _finance_ready(content, params.file):
        return
    figures = compute(content)
    finance = content.data[params.file]
    computed = {"funding": figures.funding_by_year, "expenditure": figures.expenditure_by_year}
    for kind, by_year in getattr(finance, "stated_totals", {}).items():
        for year, stated in by_year.items():
            actual = computed[kind].get(year)
            if actual is not None and not stated_agrees(stated, actual):
                yield Finding(finance.where("stated_totals", kind, year), "error",
                              f"The {kind} lines for {year} add up to {money(actual)}{at_precision(stated, actual)}, "
                              f"but the stated total is {as_stated(stated)} (a difference of {money(actual - stated)})",
                              f"Correct the {kind} lines or the stated total so that they agree" if step_of(stated) is None
                              else f"{write_instead(stated, actual)} as the stated total, or correct the {kind} lines",
                              rule=f"{kind}-total-mismatch")
    for year in figures.years:
        funding, spend = figures.funding_by_year[year], figures.expenditure_by_year[year]
        if spend > funding:
            yield Finding(finance.where("expenditure"), "error",
                          f"Expenditure for {year} ({money(spend)}) is more than the funding ({money(funding)}) "
                          f"by {money(spend - funding)}",
                          "Reduce the expenditure lines or add the missing funding", rule="funding-short")


@rule_family("within-fund", WithinFundParams)
def within_fund(content: PlanContent, params: WithinFundParams) -> Iterator[Finding]:
    if not _finance_ready(content, params.file):
        return
    figures: Figures = compute(content)
    finance = content.data[params.file]
    for field, what in params.amounts.items():
        for year, amount in (getattr(finance, field, None) or {}).items():
            fund = figures.agreed_by_year.get(year) or figures.funding_by_year.get(year)
            if fund is not None and amount > fund:
                yield Finding(finance.where(field, year), "error",
                              f"The amount for {what} in {year} ({money(amount)}) is larger than the whole fund "
                              f"({money(fund)})",
                              "It is a part of the pooled budget: correct the amount", rule=f"{field}-above-fund")
