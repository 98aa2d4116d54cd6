"""Quarterly progress data names metrics, schemes and risks that exist, for a quarter in the plan."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from planpress.checks.money import at_precision, write_instead
from planpress.checks.references import did_you_mean, scheme_refs
from planpress.checks.registry import rule_family
from planpress.errors import Finding, Location
from planpress.figures import compute, metric_target
from planpress.load.content import PlanContent
from planpress.load.models import Quarter, Record, stated_agrees
from planpress.render import as_stated, money, number

ProgressReport = Record


def check(content: PlanContent) -> Iterator[Finding]:
    for name, report in content.progress.items():
        file = report.where().file
        yield from _quarter_in_period(content, Quarter.parse(name), file)
        yield from _metrics(content, report)
        yield from _schemes(content, report)
        yield from _risks(content, report)


def _quarter_in_period(content: PlanContent, quarter: Quarter, file: str) -> Iterator[Finding]:
    period = content.plan.period if content.plan else None
    if period and (quarter.start < period.start or quarter.end > period.end):
        yield Finding(Location(file, 1), "error",
                      f"{quarter.label} is outside the plan's period "
                      f"({period.start:%d %B %Y} to {period.end:%d %B %Y})",
                      "Rename the file after a quarter of the plan, such as "
                      f"{period.start.year}-q3.yaml", rule="progress-outside-period")


def _metrics(content: PlanContent, report: ProgressReport) -> Iterator[Finding]:
    if content.metrics is None:
        return
    metrics = {m.id: m for m in content.metrics.metrics}
    seen: set[str] = set()
    for index, entry in enumerate(report.metrics):
        where = report.where("metrics", index, "metric")
        metric = metrics.get(entry.metric)
        if metric is None:
            yield Finding(where, "error", f"There is no metric '{entry.metric}' in the plan",
                          did_you_mean(entry.metric, metrics), rule="progress-unknown-metric")
            continue
        if entry.metric in seen:
            yield Finding(where, "error", f"The metric '{entry.metric}' is reported twice in this quarter",
                          "Keep the latest actual only", rule="progress-duplicate")
        seen.add(entry.metric)
        no_data = getattr(entry, "no_data", "")
        if entry.actual is None or no_data:
            yield from _no_data(report, index, entry, no_data)
            continue
        if entry.period is None:
            periods = ", ".join(f"'{p.period}'" for p in metric.plans)
            yield Finding(where, "error", f"The actual {number(entry.actual)} for '{entry.metric}' has no period",
                          f"Say which period it covers as 'period:': one of the plan's ({periods}), or another "
                          "with the planned value for it as 'target:'", rule="progress-no-period")
            continue
        if metric_target(metric, entry) is None:
            periods = ", ".join(f"'{p.period}'" for p in metric.plans)
            yield Finding(report.where("metrics", index, "period"), "error",
                          f"The plan has no value for '{entry.metric}' in the period '{entry.period}'",
                          f"Use one of the plan's periods ({periods}), or give the planned value for this "
                          "period as 'target:'", rule="progress-no-target")


def _no_data(report: ProgressReport, index: int, entry: Record, no_data: str) -> Iterator[Finding]:
    """An entry with no actual says why (the survey is annual, say); one with an actual needs no reason."""
    if entry.actual is None and not no_data:
        yield Finding(report.where("metrics", index, "metric"), "error",
                      f"The update gives '{entry.metric}' no actual and no reason why there is none",
                      "Give the latest actual as 'actual:', or say why there is no data since the baseline as "
                      "'no_data:', such as \"The survey is annual; the next results are published in June 2015\"",
                      rule="progress-no-actual")
    elif entry.actual is not None and no_data:
        yield Finding(report.where("metrics", index, "no_data"), "error",
                      f"The update gives '{entry.metric}' both an actual ({number(entry.actual)}) and a reason "
                      "why there is no data",
                      "Keep the actual and remove 'no_data:', or remove the actual if there is truly no data yet",
                      rule="progress-actual-and-no-data")


def _schemes(content: PlanContent, report: ProgressReport) -> Iterator[Finding]:
    if not content.schemes_complete():  # a scheme's file did not load: a reference to it is no mistake
        return
    known = scheme_refs(content)
    seen: set[str] = set()
    for index, entry in enumerate(report.schemes):
        where = report.where("schemes", index, "scheme")
        if entry.scheme not in known:
            yield Finding(where, "error", f"There is no scheme '{entry.scheme}' in the plan",
                          did_you_mean(entry.scheme, known), rule="progress-unknown-scheme")
        elif entry.scheme in seen:
            yield Finding(where, "error", f"The scheme '{entry.scheme}' is reported twice in this quarter",
                          "Give one projected outturn per scheme", rule="progress-duplicate")
        seen.add(entry.scheme)


def _risks(content: PlanContent, report: ProgressReport) -> Iterator[Finding]:
    if content.risks is None:
        return
    known = {r.id for r in content.risks.risks}
    for index, entry in enumerate(report.risks):
        if entry.risk not in known:
            yield Finding(report.where("risks", index, "risk"), "error", f"There is no risk '{entry.risk}' in the plan",
                          did_you_mean(entry.risk, known), rule="progress-unknown-risk")


@rule_family("progress-complete")
def missing(content: PlanContent, params: Record) -> Iterator[Finding]:
    """A quarter's update should give every metric an actual and every scheme an outturn."""
    metric_ids = [m.id for m in content.metrics.metrics] if content.metrics else []
    schemes = [s.meta.reference for s in content.schemes]
    for name, report in content.progress.items():
        reported_metrics = {e.metric for e in report.metrics}
        reported_schemes = {e.scheme for e in report.schemes}
        for metric in metric_ids:
            if metric not in reported_metrics:
                yield Finding(report.where("metrics"), "warning", f"The {name} update has no actual for '{metric}'",
                              "Add the latest actual, or the metric with 'no_data:' saying why there is none yet",
                              rule="progress-metric-missing")
        for ref in schemes:
            if ref not in reported_schemes:
                yield Finding(report.where("schemes"), "warning",
                              f"The {name} update has no projected outturn for scheme {ref}",
                              f"Add '- scheme: {ref}' with its projected_outturn", rule="progress-scheme-missing")


_TOTAL_NAMES = {"projected_outturn": "projected outturns", "spent_to_date": "spend to date", "budget": "budgets"}


@rule_family("progress-totals")
def totals(content: PlanContent, params: Record) -> Iterator[Finding]:
    """A total the update prints under its scheme lines agrees with the lines it totals."""
    for name, report in content.progress.items():
        stated = getattr(report, "stated_totals", None) or {}
        for key, total in stated.items():
            worked_out = _total_of(content, report, Quarter.parse(name), key)
            if worked_out is None:
                continue
            what, sum_ = worked_out
            if stated_agrees(total, sum_):
                continue
            yield Finding(report.where("stated_totals", key), "error",
                          f"The {what} add up to {money(sum_)}{at_precision(total, sum_)}, but the stated total "
                          f"is {as_stated(total)} (a difference of {money(sum_ - total)})",
                          f"{write_instead(total, sum_)} as the total, or correct the line that is wrong",
                          rule="progress-total-mismatch")


def _total_of(content: PlanContent, report: ProgressReport, quarter: Quarter,
              key: str) -> tuple[str, Decimal] | None:
    """What a stated total is checked against, in words and as a sum; None when it cannot be worked out."""
    def lines(count: int) -> str:
        return f"{count} scheme{'s' if count != 1 else ''}"

    if key != "budget":
        given = [a for a in (getattr(entry, key, None) for entry in report.schemes) if a is not None]
        label = _TOTAL_NAMES.get(key, key.replace("_", " "))
        return (f"{label} of the {lines(len(given))}", sum(given, Decimal(0))) if given else None
    if content.plan is None or content.data.get("finance") is None or not content.schemes_complete():
        return None
    spend = compute(content).spend_by_scheme
    if any(entry.scheme not in spend for entry in report.schemes):
        return None  # an unknown scheme is reported on its own line
    year = quarter.financial_year
    budget = sum((spend[entry.scheme].by_year.get(year, Decimal(0)) for entry in report.schemes), Decimal(0))
    return f"{year} budgets of the {lines(len(report.schemes))} (from the expenditure plan)", budget
