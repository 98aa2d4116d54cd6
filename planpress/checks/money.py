"""The figures a finance lead checks by hand: budgets meet the minimum, lines add up, the fund covers them."""

from __future__ import annotations

from collections.abc import Iterator

from planpress.errors import Finding
from planpress.figures import Figures, compute
from planpress.load import PlanContent
from planpress.render import money


def check(content: PlanContent) -> Iterator[Finding]:
    if not (content.plan and content.finance and content.themes and content.risks):
        return
    figures = compute(content)
    yield from _pooled_budget(content, figures)
    yield from _stated_totals(content, figures)
    yield from _funding_covers_expenditure(content, figures)
    yield from _amounts_within_fund(content, figures)
    yield from _pay_for_performance(content, figures)


def _pooled_budget(content: PlanContent, figures: Figures) -> Iterator[Finding]:
    for budget in content.plan.pooled_budget:
        if budget.agreed is not None and budget.agreed < budget.minimum:
            yield Finding(budget.where("agreed"), "error",
                          f"The agreed pooled budget for {budget.year} ({money(budget.agreed)}) is below the "
                          f"minimum required value ({money(budget.minimum)}) by {money(budget.minimum - budget.agreed)}",
                          "The total must be equal to or more than the minimum: raise the agreed value "
                          "or correct the minimum", rule="budget-below-minimum")
        funding = figures.funding_by_year.get(budget.year)
        if budget.agreed is not None and funding is not None and funding != budget.agreed:
            yield Finding(budget.where("agreed"), "error",
                          f"The agreed pooled budget for {budget.year} is {money(budget.agreed)}, but the funding "
                          f"sources in content/data/finance.yaml add up to {money(funding)} "
                          f"(a difference of {money(funding - budget.agreed)})",
                          "Make the funding sources add up to the agreed value, or correct the agreed value",
                          rule="budget-funding-mismatch")
    years_given = {b.year for b in content.plan.pooled_budget}
    for year in figures.years:
        if year not in years_given:
            yield Finding(content.plan.where("pooled_budget"), "error",
                          f"The pooled budget has no entry for {year}",
                          f"Add '- year: {year}' with its minimum and agreed values", rule="budget-year-missing")


def _stated_totals(content: PlanContent, figures: Figures) -> Iterator[Finding]:
    finance = content.finance
    computed = {"funding": figures.funding_by_year, "expenditure": figures.expenditure_by_year}
    for kind, by_year in finance.stated_totals.items():
        for year, stated in by_year.items():
            actual = computed[kind].get(year)
            if actual is not None and actual != stated:
                yield Finding(finance.where("stated_totals", kind, year), "error",
                              f"The {kind} lines for {year} add up to {money(actual)}, but the stated total is "
                              f"{money(stated)} (a difference of {money(actual - stated)})",
                              f"Correct the {kind} lines or the stated total so that they agree",
                              rule=f"{kind}-total-mismatch")


def _funding_covers_expenditure(content: PlanContent, figures: Figures) -> Iterator[Finding]:
    for year in figures.years:
        funding, spend = figures.funding_by_year[year], figures.expenditure_by_year[year]
        if spend > funding:
            yield Finding(content.finance.where("expenditure"), "error",
                          f"Expenditure for {year} ({money(spend)}) is more than the funding ({money(funding)}) "
                          f"by {money(spend - funding)}",
                          "Reduce the expenditure lines or add the missing funding", rule="funding-short")


def _amounts_within_fund(content: PlanContent, figures: Figures) -> Iterator[Finding]:
    finance = content.finance
    for field, what in (("social_care_protection", "protecting social care"),
                        ("carers_support", "carer-specific support")):
        for year, amount in getattr(finance, field).items():
            fund = figures.agreed_by_year.get(year) or figures.funding_by_year.get(year)
            if fund is not None and amount > fund:
                yield Finding(finance.where(field, year), "error",
                              f"The amount for {what} in {year} ({money(amount)}) is larger than the whole fund "
                              f"({money(fund)})",
                              "It is a part of the pooled budget: correct the amount", rule=f"{field}-above-fund")


def _pay_for_performance(content: PlanContent, figures: Figures) -> Iterator[Finding]:
    rule = content.pack.pay_for_performance if content.pack else None
    given = content.finance.pay_for_performance
    if rule is None:
        return
    if given is None:
        yield Finding(content.finance.where(), "error",
                      "The template asks for a pay-for-performance element, and finance.yaml has none",
                      "Add 'pay_for_performance:' with baseline_admissions, baseline_period and "
                      "planned_reduction", rule="p4p-missing")
        return
    p4p = figures.pay_for_performance
    assert p4p is not None
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
    if rule.unit_cost != p4p.unit_cost:
        yield Finding(given.where("unit_cost"), "warning",
                      f"The unit cost {money(p4p.unit_cost)} differs from the template's {money(rule.unit_cost)}",
                      "Use the template's unit cost unless the national team agreed another",
                      rule="p4p-unit-cost")
    if p4p.stated_fund is not None and p4p.stated_fund != p4p.fund:
        yield Finding(given.where("stated_fund"), "error",
                      f"The stated performance fund {money(p4p.stated_fund)} is not the planned reduction x unit cost: "
                      f"{p4p.planned_reduction:,} x {money(p4p.unit_cost)} = {money(p4p.fund)}",
                      f"Write {money(p4p.fund)}, or leave 'stated_fund' out and let the outputs show it",
                      rule="p4p-fund-mismatch")
