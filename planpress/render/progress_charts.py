"""Charts of plan against actual for a quarter's progress report, drawn with the shared SVG helpers."""

from __future__ import annotations

from planpress.render.charts import (INK, MUTED, PALETTE, SMALL, WIDE, Chart, _characters, _clip, _nice_step,
                                     _short_money, _Svg, _wrap, legend, money_axis, narrow_bars)
from planpress.figures import ProgressFigures

ON_TRACK, OFF_TRACK = PALETTE[1], PALETTE[3]


def progress_charts(progress: ProgressFigures) -> list[Chart]:
    charts = []
    if _charted(progress):
        charts.append(metrics_against_plan(progress))
    if progress.schemes:
        charts.append(spending_against_budget(progress))
    return charts


def _charted(progress: ProgressFigures) -> list:
    """The metrics with both a target and an actual: one with no data since its baseline has no bar."""
    return [m for m in progress.metrics if m.target and not m.no_data]


def metrics_against_plan(progress: ProgressFigures) -> Chart:
    """Each metric's actual as a share of its target (100 = on plan), labelled on track or off track.

    Metrics count different things, so the chart compares each with its own target; "lower is
    better" metrics are on track below 100, the others above it. The table gives every figure.
    """
    rows = _charted(progress)
    # Room at the right for the longest words after a bar ("107%: off track (lower is better)").
    label_width, right, top, bar, gap = 200, 200, 36, 22, 12
    width = WIDE
    plot = width - label_width - right
    shares = [100 * m.entry.actual / m.target for m in rows]
    scale_max = max(shares + [110.0])
    scale_max = (int(scale_max / 10) + 1) * 10
    waiting = [m for m in progress.metrics if m.no_data]
    note = 20 if waiting else 0
    height = top + len(rows) * (bar + gap) + 34 + note
    name = progress.quarter.name
    svg = _Svg(width, height, f"progress-metrics-{name}")
    svg.text(label_width, 18, "Actual as a percentage of the target for the period (100% = on plan)", 12, fill=MUTED)
    for tick in range(0, int(scale_max) + 1, 20):
        x = label_width + plot * tick / scale_max
        svg.line(x, top - 4, x, height - 28 - note)
        svg.text(x, height - 12 - note, f"{tick}%", SMALL, "middle", MUTED)
    hundred = label_width + plot * 100 / scale_max
    svg.line(hundred, top - 8, hundred, height - 28 - note, INK, 2, "6 3")
    y = top
    for metric, share in zip(rows, shares):
        colour = ON_TRACK if metric.status == "on track" else OFF_TRACK
        characters = _characters(label_width - 14)
        lines = _wrap(metric.metric.name, characters)
        lines = lines if len(lines) <= 2 else [lines[0], _clip(" ".join(lines[1:]), characters)]
        for number, words in enumerate(lines):
            svg.text(label_width - 8, y + bar / 2 + 4 + 14 * (number - (len(lines) - 1) / 2), words, SMALL, "end")
        svg.rect(label_width, y, plot * share / scale_max, bar, colour)
        svg.text(label_width + plot * share / scale_max + 6, y + bar - 6,
                 f"{share:.0f}%: {metric.status} ({metric.metric.better} is better)", SMALL)
        y += bar + gap
    alt = "Bar chart of each metric's actual as a percentage of its target. " + "; ".join(
        f"{' '.join(m.metric.name.split())}: {s:.0f}% of target, {m.status}" for m, s in zip(rows, shares)) + "."
    note = ""
    if waiting:
        names = "; ".join(" ".join(m.metric.name.split()) for m in waiting)
        note = f"Not shown, with no data yet since the baseline: {names}"
        svg.text(8, height - 6, _clip(note, _characters(width - 16)), SMALL, fill=MUTED)
        alt += f" {note}."
    title = f"Metrics against plan, {progress.quarter.label}"
    narrow = narrow_bars(f"progress-metrics-{name}-narrow", [
        (f"{' '.join(m.metric.name.split())} ({m.metric.better} is better)",
         [(share, ON_TRACK if m.status == "on track" else OFF_TRACK, f"{share:.0f}%: {m.status}")])
        for m, share in zip(rows, shares)], scale_max, reference=(100, "100% = on plan"), note=note)
    return Chart(f"charts/progress-{name}-metrics.svg", svg.document(title, alt), title, alt,
                 narrow=narrow.document(title, alt))


def spending_against_budget(progress: ProgressFigures) -> Chart:
    """For each scheme, the year's budget and its projected outturn as paired bars."""
    rows = progress.schemes
    label_width, right, top, bar, gap = 90, 200, 40, 12, 10
    width = WIDE
    plot = width - label_width - right
    largest = max([float(s.budget) for s in rows] + [float(s.projected) for s in rows] + [1.0])
    step = _nice_step(largest, 4)
    scale_max = (int(largest / step) + 1) * step
    height = top + len(rows) * (2 * bar + gap) + 30
    name = progress.quarter.name
    svg = _Svg(width, height, f"progress-spend-{name}")
    legend(svg, label_width, [("Budget", PALETTE[0]), ("Projected outturn", PALETTE[2])], 150)
    money_axis(svg, label_width, plot, top, height, step, scale_max)
    y = top
    for scheme in rows:
        svg.text(label_width - 8, y + bar + 4, scheme.reference, 12, "end", weight="bold")
        svg.rect(label_width, y, plot * float(scheme.budget) / scale_max, bar - 1, PALETTE[0])
        svg.rect(label_width, y + bar, plot * float(scheme.projected) / scale_max, bar - 1, PALETTE[2])
        end = label_width + plot * max(float(scheme.budget), float(scheme.projected)) / scale_max
        variance = scheme.variance
        words = "on budget" if variance == 0 else (
            f"{_short_money(abs(variance))} {'over' if variance > 0 else 'under'}")
        svg.text(end + 6, y + bar + 4, words, SMALL, fill=OFF_TRACK if variance > 0 else INK)
        y += 2 * bar + gap
    alt = "Bar chart of each scheme's budget for the year against its projected outturn. " + "; ".join(
        f"{s.reference} {' '.join(s.name.split())}: budget {_short_money(s.budget)}, projected "
        f"{_short_money(s.projected)}" for s in rows) + "."
    title = f"Spending against budget, {progress.quarter.label}"
    narrow = narrow_bars(f"progress-spend-{name}-narrow", [
        (f"{s.reference} {' '.join(s.name.split())}",
         [(float(s.budget), PALETTE[0], _short_money(s.budget)),
          (float(s.projected), PALETTE[2], f"{_short_money(s.projected)}, " + (
              "on budget" if s.variance == 0 else
              f"{_short_money(abs(s.variance))} {'over' if s.variance > 0 else 'under'}"))])
        for s in rows], scale_max, key=[("Budget", PALETTE[0]), ("Projected outturn", PALETTE[2])])
    return Chart(f"charts/progress-{name}-spend.svg", svg.document(title, alt), title, alt,
                 narrow=narrow.document(title, alt))
