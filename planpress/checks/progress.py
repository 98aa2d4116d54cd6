"""Quarterly progress data names metrics, schemes and risks that exist, for a quarter in the plan."""

from __future__ import annotations

from collections.abc import Iterator

from planpress.checks.references import did_you_mean, scheme_refs
from planpress.checks.registry import rule_family
from planpress.errors import Finding, Location
from planpress.figures import metric_target
from planpress.load.content import PlanContent
from planpress.load.models import Quarter, Record

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
        if metric_target(metric, entry) is None:
            periods = ", ".join(f"'{p.period}'" for p in metric.plans)
            yield Finding(report.where("metrics", index, "period"), "error",
                          f"The plan has no value for '{entry.metric}' in the period '{entry.period}'",
                          f"Use one of the plan's periods ({periods}), or give the planned value for this "
                          "period as 'target:'", rule="progress-no-target")


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
                              "Add the latest actual, or say in the summary why there is none",
                              rule="progress-metric-missing")
        for ref in schemes:
            if ref not in reported_schemes:
                yield Finding(report.where("schemes"), "warning",
                              f"The {name} update has no projected outturn for scheme {ref}",
                              f"Add '- scheme: {ref}' with its projected_outturn", rule="progress-scheme-missing")
