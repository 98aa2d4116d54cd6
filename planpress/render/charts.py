"""Charts drawn once, as SVG files, for every target: the website shows them, the documents embed them.

    charts = make_charts(content, figures)   # -> list[Chart]
    chart.filename  "charts/gantt.svg"  (where a target writes it, relative to its root)
    chart.svg       the SVG text
    chart.title     a short title, for a caption
    chart.alt       the text alternative, for alt text (the tables beside each chart give every figure)

The SVG is written by hand: a few rectangles, lines and words need no plotting library, and
hand-written SVG loads no fonts or scripts from anywhere. Text uses fonts every machine has
(DejaVu Sans on Debian, Arial elsewhere). Colours are dark enough for 3:1 contrast on white
(WCAG 1.4.11), and no chart relies on colour alone: bars and points carry their labels.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from planpress.figures import Figures
from planpress.load.content import PlanContent
from planpress.load.models import Period, Record, first_day, last_day


NARROW = 288  # px: the narrowest phone's column (288 px on a 320 px screen, 358 on a 390 px one); its charts are drawn this wide
WIDE = 680  # px: the website's column where it shows the wide drawing (686 px or more), so it is never shrunk there
SMALL = 12  # px: the least size of words in any chart, as the website shows it (never scaled down)
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
INK = "#0b0c0c"
MUTED = "#505a5f"
GRID = "#b1b4b6"
# GOV.UK palette colours that keep at least 3:1 contrast against white.
PALETTE = ["#1d70b8", "#00703c", "#4c2c92", "#d4351c", "#912b88", "#505a5f", "#005a30", "#003078"]


@dataclass(frozen=True)
class Chart:
    filename: str
    """Where the chart goes, relative to the target's root, such as "charts/gantt.svg"."""
    svg: str
    """The SVG document."""
    title: str
    """A short title, for a caption or figure heading."""
    alt: str
    """The text alternative: what the chart shows, in a sentence or two."""
    narrow: str = ""
    """The same chart drawn for a phone's width (NARROW px, words at 12 px or more), for the
    website to show on a small screen; "" when the chart has no such drawing."""

    pages: tuple[str, ...] = ()
    """The chart cut into parts that each fit a printed page (a long Gantt), for the documents;
    () when the whole chart fits one page."""

    def page_filename(self, number: int) -> str:
        """Where part `number` (from 1) goes: "charts/gantt-page-1.svg"."""
        return self.filename.removesuffix(".svg") + f"-page-{number}.svg"

    @property
    def narrow_filename(self) -> str:
        """Where the narrow drawing goes, beside the chart: "charts/gantt-narrow.svg"."""
        return self.filename.removesuffix(".svg") + "-narrow.svg"


def make_charts(content: PlanContent, figures: Figures) -> list[Chart]:
    """Every chart of the plan: the Gantt of milestones, spend by theme, and one per metric."""
    charts = []
    if content.milestones and content.plan:
        charts.append(gantt_chart(content.milestones.milestones, content.plan.period, content))
    if content.themes:
        charts.append(spend_by_theme_chart(content.themes.themes, figures))
    if content.metrics:
        charts += [metric_chart(metric) for metric in content.metrics.metrics]
    return charts


def chart_named(charts: list[Chart], filename: str) -> Chart:
    """The chart written to `filename`, such as "charts/gantt.svg"."""
    for chart in charts:
        if chart.filename == filename:
            return chart
    raise KeyError(f"There is no chart '{filename}'")


def metric_chart_filename(metric_id: str) -> str:
    return f"charts/metric-{metric_id}.svg"


# --- the SVG document ------------------------------------------------------------------


class _Svg:
    """Collects SVG elements; `document()` wraps them with a title and description for screen readers."""

    def __init__(self, width: int, height: int, slug: str):
        self.width, self.height, self.slug = width, height, slug
        self.items: list[str] = []

    def rect(self, x: float, y: float, w: float, h: float, fill: str, **extra: str) -> None:
        attrs = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in extra.items())
        self.items.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" fill="{fill}"{attrs}/>')

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = GRID, width: float = 1,
             dash: str = "") -> None:
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        self.items.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                          f'stroke="{stroke}" stroke-width="{width}"{dashed}/>')

    def text(self, x: float, y: float, words: str, size: int = 12, anchor: str = "start",
             fill: str = INK, weight: str = "normal") -> None:
        bold = ' font-weight="bold"' if weight == "bold" else ""
        self.items.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
                          f'fill="{fill}"{bold}>{escape(words)}</text>')

    def raw(self, element: str) -> None:
        self.items.append(element)

    def document(self, title: str, description: str) -> str:
        ids = f"{self.slug}-title {self.slug}-desc"
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
                f'width="{self.width}" height="{self.height}" role="img" aria-labelledby="{ids}" '
                f'font-family="{FONT}">\n'
                f'<title id="{self.slug}-title">{escape(title)}</title>\n'
                f'<desc id="{self.slug}-desc">{escape(description)}</desc>\n'
                f'<rect width="100%" height="100%" fill="#ffffff"/>\n')
        return head + "\n".join(self.items) + "\n</svg>\n"


def _clip(text: str, characters: int) -> str:
    """Shorten a label to fit; the full text is in the table beside the chart."""
    text = " ".join(text.split())
    return text if len(text) <= characters else text[: characters - 1].rstrip() + "…"


def _characters(room: float, size: int = SMALL) -> int:
    """About how many characters of words `size` px high fit in `room` px."""
    return int(room / (size * 0.6))


def _wrap(text: str, characters: int) -> list[str]:
    """A label as lines of at most about `characters` characters, broken between words, none lost."""
    return textwrap.wrap(" ".join(text.split()), characters, break_long_words=True, break_on_hyphens=False) or [""]


def _lines(svg: "_Svg", x: float, y: float, lines: list[str], size: int, leading: float, **style: str) -> None:
    for number, words in enumerate(lines):
        svg.text(x, y + number * leading, words, size, **style)


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) that cuts `span` into about `ticks` parts."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


# --- the Gantt chart of milestones -----------------------------------------------------


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], dt.date(start.year, start.month, 1)
    while month <= end:
        months.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _task_group(task: Record, content: PlanContent) -> str:
    """The theme a task belongs to: its own, or its scheme's, so bars are coloured by theme."""
    if task.theme:
        return task.theme
    for theme in (content.themes.themes if content.themes else []):
        if task.scheme in theme.schemes:
            return theme.id
    return ""


def _task_label(task: Record) -> str:
    scope = task.scheme or task.theme or ""
    return f"{scope}: {task.task}" if scope else task.task


def gantt_chart(tasks: list[Record], period: Period, content: PlanContent) -> Chart:
    """One bar per task, from its start to its due date, on a month grid across the plan's period.

    Each task's name is given in full, over as many lines as it needs (an assessor cites it);
    a second drawing for a phone puts each name above its bar, across the whole width."""
    # A task known only to the month runs from the month's first day to its last.
    first = min([period.start, *(first_day(t.start) for t in tasks)])
    last = max([period.end, *(last_day(t.due) for t in tasks)])
    months = _months(first, last)
    groups = list(dict.fromkeys(_task_group(t, content) for t in tasks))
    colour = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    alt = _gantt_alt(tasks, first, last)
    title = "Plan of action: milestones by month"
    parts = _page_parts(tasks)
    pages = tuple(_gantt_wide(part, months, colour, content, f"gantt-page-{number}").document(
        f"{title} (part {number} of {len(parts)})", alt) for number, part in enumerate(parts, 1)) if len(parts) > 1 else ()
    return Chart("charts/gantt.svg", _gantt_wide(tasks, months, colour, content).document(title, alt), title, alt,
                 narrow=_gantt_narrow(tasks, months, colour, content).document(title, alt), pages=pages)


PAGE_HEIGHT = 900  # px of a WIDE chart: about as much as fits on an A4 page, with its caption
GANTT_LEADING = 15
GANTT_LABEL = 300  # px: the room for each task's id and name, left of the bars


def _gantt_row(task: Record) -> tuple[list[str], int]:
    """A task's name as the lines it takes beside its bar, and the row's height."""
    lines = _wrap(_task_label(task), _characters(GANTT_LABEL - 48))
    return lines, max(22, GANTT_LEADING * len(lines) + 9)


def _page_parts(tasks: list[Record]) -> list[list[Record]]:
    """The tasks in runs whose rows, with the chart's heading and key, fit one printed page."""
    parts: list[list[Record]] = [[]]
    used = 0
    for task in tasks:
        row = _gantt_row(task)[1]
        if parts[-1] and used + row > PAGE_HEIGHT - 140:
            parts.append([])
            used = 0
        parts[-1].append(task)
        used += row
    return parts


def _month_scale(months: list[dt.date], left: float, plot: float):
    day0 = months[0]
    days = ((months[-1].replace(day=28) + dt.timedelta(days=4)).replace(day=1) - day0).days
    return lambda day: left + plot * (day - day0).days / days


def _gantt_wide(tasks: list[Record], months: list[dt.date], colour: dict[str, str], content: PlanContent,
                slug: str = "gantt") -> _Svg:
    # About as wide as a page's text column (site and A4), so the words print at their size.
    label_width, right, top, bottom, leading = GANTT_LABEL, 12, 56, 64, GANTT_LEADING
    width = WIDE
    labels, rows = zip(*(_gantt_row(task) for task in tasks))
    height = top + sum(rows) + bottom
    x = _month_scale(months, label_width, width - label_width - right)
    svg = _Svg(width, height, slug)
    svg.text(label_width, 20, "Months of the plan (bars run from start to due date)", 12, fill=MUTED)
    for month in months:
        svg.line(x(month), top - 8, x(month), height - bottom, GRID if month.month != 4 else MUTED,
                 1 if month.month != 4 else 1.5)
        if month.month in (1, 4, 7, 10):
            svg.text(x(month) + 2, top - 14, f"{month:%b} {month:%y}", SMALL, fill=INK)
    y = top
    for index, (task, lines, row) in enumerate(zip(tasks, labels, rows)):
        if index % 2 == 0:
            svg.rect(0, y, width, row, "#f3f2f1")
        svg.text(6, y + 15, f"{task.id}", SMALL, weight="bold")
        _lines(svg, 44, y + 15, lines, SMALL, leading)
        start, due = first_day(task.start), last_day(task.due)
        svg.rect(x(start), y + 4, x(due + dt.timedelta(days=1)) - x(start), 14,
                 colour[_task_group(task, content)], rx="3")
        y += row
    _gantt_legend(svg, list(colour), colour, content, height - bottom + 24, SMALL)
    return svg


def _gantt_narrow(tasks: list[Record], months: list[dt.date], colour: dict[str, str], content: PlanContent) -> _Svg:
    """For a phone: each task's name above its bar, the bars across the whole width."""
    width, side, top, leading, bar = NARROW, 6, 62, 16, 14
    labels = [_wrap(f"{task.id} {_task_label(task)}", _characters(width - 2 * side)) for task in tasks]
    rows = [leading * len(lines) + bar + 12 for lines in labels]
    names = {t.id: t.name for t in (content.themes.themes if content.themes else [])}
    key_lines = _legend_lines([names.get(g, g or "Other") for g in colour], width - 2 * side, SMALL)
    height = top + sum(rows) + 16 + 20 * key_lines
    x = _month_scale(months, side, width - 2 * side)
    svg = _Svg(width, height, "gantt-narrow")
    svg.text(side, 18, "Months of the plan: bars run", SMALL, fill=MUTED)
    svg.text(side, 34, "from start to due date", SMALL, fill=MUTED)
    # Row grounds, then the month lines, then each name on a ground of its own over the lines.
    y = top
    for index, row in enumerate(rows):
        svg.rect(0, y, width, row, "#f3f2f1" if index % 2 == 0 else "#ffffff")
        y += row
    for month in months:
        year_start = month.month == 4
        svg.line(x(month), top - 8, x(month), top + sum(rows), MUTED if year_start else GRID, 1.5 if year_start else 1)
        if year_start:
            svg.text(x(month) + 2, top - 12, f"Apr {month:%Y}", SMALL, fill=INK)
    y = top
    for index, (task, lines, row) in enumerate(zip(tasks, labels, rows)):
        svg.rect(0, y + 1, width, leading * len(lines) + 2, "#f3f2f1" if index % 2 == 0 else "#ffffff")
        _lines(svg, side, y + 14, lines, SMALL, leading)
        start, due = first_day(task.start), last_day(task.due)
        svg.rect(x(start), y + leading * len(lines) + 5, x(due + dt.timedelta(days=1)) - x(start), bar,
                 colour[_task_group(task, content)], rx="3")
        y += row
    _gantt_legend(svg, list(colour), colour, content, y + 24, SMALL)
    return svg


def _legend_lines(labels: list[str], room: float, size: int) -> int:
    lines, x = 1, 0.0
    for label in labels:
        needed = 28 + len(label) * size * 0.6
        if x + needed > room and x > 0:
            lines, x = lines + 1, 0.0
        x += needed
    return lines


def _gantt_legend(svg: _Svg, groups: list[str], colour: dict[str, str], content: PlanContent, y: float,
                  size: int = SMALL) -> None:
    """A key of the themes' colours, wrapping onto a second line when it is too wide."""
    names = {t.id: t.name for t in (content.themes.themes if content.themes else [])}
    x = 6.0
    for group in groups:
        label = names.get(group, group or "Other")
        needed = 28 + len(label) * size * 0.6
        if x + needed > svg.width and x > 6:
            x, y = 6.0, y + size + 8
        svg.rect(x, y - 10, 12, 12, colour[group])
        svg.text(x + 16, y, label, size)
        x += needed


def _gantt_alt(tasks: list[Record], first: dt.date, last: dt.date) -> str:
    earliest = min(tasks, key=lambda t: first_day(t.start))
    latest = max(tasks, key=lambda t: last_day(t.due))
    return (f"Gantt chart of the plan's {len(tasks)} milestones, by month from {first:%B %Y} to "
            f"{last:%B %Y}. The first, {earliest.id}, starts in {first_day(earliest.start):%B %Y}; the last to "
            f"finish, {latest.id}, is due in {last_day(latest.due):%B %Y}. The milestones table lists every "
            "task with its owner, dates and dependencies.")


# --- spend by theme --------------------------------------------------------------------


def _short_money(value: Decimal | float) -> str:
    value = float(value)
    if abs(value) >= 1_000_000:
        return f"£{value / 1_000_000:.2f}".rstrip("0").rstrip(".") + "m"
    if abs(value) >= 1000:
        return f"£{value / 1000:,.0f}k"
    return f"£{value:,.0f}"


def legend(svg: _Svg, x: float, entries: list[tuple[str, str]], spacing: float) -> None:
    """A row of coloured keys along the top of a chart."""
    for label, colour in entries:
        svg.rect(x, 12, 12, 12, colour)
        svg.text(x + 16, 22, label, 12)
        x += spacing


def money_axis(svg: _Svg, left: float, plot: float, top: float, height: float, step: float,
               scale_max: float) -> None:
    """Vertical grid lines with amounts of money under them, for horizontal bar charts."""
    for tick in range(int(round(scale_max / step)) + 1):
        tx = left + plot * tick * step / scale_max
        svg.line(tx, top - 4, tx, height - 26)
        svg.text(tx, height - 10, _short_money(tick * step), SMALL, "middle", MUTED)


def narrow_bars(slug: str, groups: list[tuple[str, list[tuple[float, str, str]]]], scale_max: float,
                key: list[tuple[str, str]] = (), reference: tuple[float, str] | None = None,
                note: str = "") -> _Svg:
    """Horizontal bars drawn for a phone: each group's label on lines of its own above its bars,
    each bar labelled with its words after it, all at 12 px or more.

    groups: (label, [(value, colour, words), ...]); reference: a value marked with a dashed line,
    and its words; key: (label, colour) pairs shown at the top."""
    width, side, bar, leading, room = NARROW, 6, 16, 16, 130
    plot = width - 2 * side - room
    key_lines = _legend_lines([label for label, _ in key], width - 2 * side, SMALL) if key else 0
    top = 10 + 20 * key_lines + (20 if reference else 0)
    labels = [_wrap(label, _characters(width - 2 * side)) for label, _ in groups]
    height = top + sum(leading * len(lines) + len(bars) * (bar + 4) + 12 for lines, (_, bars) in zip(labels, groups))
    note_lines = _wrap(note, _characters(width - 2 * side)) if note else []
    svg = _Svg(width, height + 8 + leading * len(note_lines), slug)
    x, y = float(side), 24.0
    for label, colour in key:
        needed = 28 + len(label) * SMALL * 0.6
        if x + needed > width - side and x > side:
            x, y = float(side), y + 20
        svg.rect(x, y - 11, 12, 12, colour)
        svg.text(x + 16, y, label, SMALL)
        x += needed
    at = side + plot * reference[0] / scale_max if reference else 0.0
    if reference:
        svg.text(at, top - 6, reference[1], SMALL, "middle", MUTED)
    y = top
    for lines, (_, bars) in zip(labels, groups):
        _lines(svg, side, y + 13, lines, SMALL, leading, weight="bold")
        y += leading * len(lines) + 2
        for value, colour, words in bars:
            end = side + plot * max(value, 0) / scale_max
            svg.rect(side, y, end - side, bar, colour)
            svg.text(end + 4, y + bar - 3, words, SMALL)
            if reference:  # marked beside the bars only, clear of the labels
                svg.line(at, y - 2, at, y + bar + 2, INK, 1.5, "4 2")
            y += bar + 4
        y += 10
    _lines(svg, side, height + 8, note_lines, SMALL, leading, fill=MUTED)
    return svg


def spend_by_theme_chart(themes: list[Record], figures: Figures) -> Chart:
    """Horizontal bars: for each theme, one bar per financial year, labelled with the amount."""
    years = figures.years
    label_width, right, top, bar, gap = 190, 116, 40, 18, 14
    width = WIDE
    plot = width - label_width - right
    height = top + len(themes) * (len(years) * bar + gap) + 30
    largest = max([float(v) for t in themes for v in figures.spend_by_theme.get(t.id, {}).values()] + [1.0])
    step = _nice_step(largest, 4)
    scale_max = math.ceil(largest / step) * step
    svg = _Svg(width, height, "spend-by-theme")
    colour = {year: PALETTE[i % len(PALETTE)] for i, year in enumerate(years)}
    legend(svg, label_width, [(year, colour[year]) for year in years], 90)
    money_axis(svg, label_width, plot, top, height, step, scale_max)
    y = top
    for theme in themes:
        block = len(years) * bar
        svg.text(label_width - 8, y + block / 2 + 4, _clip(theme.name, _characters(label_width - 14)), SMALL, "end")
        for year in years:
            amount = float(figures.spend_by_theme.get(theme.id, {}).get(year, 0))
            svg.rect(label_width, y + 1, plot * amount / scale_max, bar - 2, colour[year])
            svg.text(label_width + plot * amount / scale_max + 4, y + bar - 5,
                     f"{year}: {_short_money(amount)}", SMALL)
            y += bar
        y += gap
    parts = []
    for theme in themes:
        amounts = ", ".join(f"{_short_money(figures.spend_by_theme.get(theme.id, {}).get(year, 0))} in {year}"
                            for year in years)
        parts.append(f"{theme.name}: {amounts}")
    alt = "Bar chart of planned spend by theme. " + "; ".join(parts) + "."
    narrow = narrow_bars("spend-by-theme-narrow", [
        (theme.name, [(float(figures.spend_by_theme.get(theme.id, {}).get(year, 0)), colour[year],
                       f"{year}: {_short_money(figures.spend_by_theme.get(theme.id, {}).get(year, 0))}")
                      for year in years]) for theme in themes], scale_max)
    return Chart("charts/spend-by-theme.svg", svg.document("Planned spend by theme", alt),
                 "Planned spend by theme", alt, narrow=narrow.document("Planned spend by theme", alt))


# --- metric trajectories ---------------------------------------------------------------


def _format_value(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 1000 else f"{value:,.1f}"


LABEL_CHAR = 6.2  # about how wide one character of an 11-point label is
SLANT = 45  # degrees: how far crowded labels under a chart are turned


def _tick_labels(ticks: list[float], step: float) -> list[str]:
    """The axis's labels; with as many decimal places as the step needs when fewer would repeat one."""
    words = [_format_value(tick) for tick in ticks]
    if len(set(words)) == len(words):
        return words
    places = max(0, -math.floor(math.log10(step))) if step > 0 else 1
    places += 0 if round(step * 10 ** places, 6).is_integer() else 1
    return [f"{tick:,.{places}f}" for tick in ticks]


def _short_period(period: str) -> str:
    """A period as a short label: a month written 2025-06 as "Jun 2025", anything else as it is."""
    try:
        month = dt.datetime.strptime(period.strip(), "%Y-%m")
    except ValueError:
        return period
    return f"{month:%b %Y}"


def metric_chart(metric: Record) -> Chart:
    """The metric's baseline and planned values as a line, each point labelled with its value;
    drawn twice, for a page and for a phone."""
    name = " ".join(metric.name.split())
    alt = (f"Line chart of {name} ({metric.unit}; {metric.better} is better): baseline "
           f"{_format_value(metric.baseline.value)} in {metric.baseline.period}, then planned "
           + ", ".join(f"{_format_value(p.value)} in {p.period}" for p in metric.plans) + ".")
    title = f"{name}: baseline and plan"
    wide = _metric_svg(metric, 640, SMALL, 70, 50, f"metric-{metric.id}")
    narrow = _metric_svg(metric, NARROW, SMALL, 56, 52, f"metric-{metric.id}-narrow")
    return Chart(metric_chart_filename(metric.id), wide.document(title, alt), title, alt,
                 narrow=narrow.document(title, alt))


def _metric_svg(metric: Record, width: int, size: int, left: int, inset: int, slug: str) -> _Svg:
    points = [("Baseline " + metric.baseline.period, metric.baseline.value)]
    points += [(f"Plan {p.period}", p.value) for p in metric.plans]
    height, right, top, bottom = 280, 30 if width > NARROW else 8, 40, 56
    char = LABEL_CHAR * size / 11
    # Many periods (a goal for each month): the labels would run into each other side by side,
    # so they are shortened ("Apr 2025") and slanted, with room made for them below the plot.
    # Room left of the first point for its label; on a phone the last point sits nearer the edge.
    inset_right = inset if width > NARROW else 16
    spacing = (width - left - right - inset - inset_right) / max(len(points) - 1, 1)
    crowded = len(points) > 2 and max(len(label) for label, _ in points) * char > spacing - 6
    stacked: list[list[str]] = []
    if crowded and width <= NARROW and len(points) <= 5:
        # A phone's chart with a few long periods: each period on lines of its own under its point.
        crowded = False
        stacked = [_wrap(label, max(8, int((spacing - 6) / char))) for label, _ in points]
        bottom = 30 + 16 * max(len(lines) for lines in stacked)
        height = 224 + bottom
    if crowded:
        # Clipped to what fits left of the first point once slanted; the table gives each period in full.
        points = [(_clip("Baseline " + metric.baseline.period, 24), metric.baseline.value)]
        points += [(_clip(_short_period(p.period), 24), p.value) for p in metric.plans]
        longest = max(len(label) for label, _ in points) * char
        bottom = 30 + int(longest * math.sin(math.radians(SLANT)))
        height = 224 + bottom
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high = min(v for _, v in points), max(v for _, v in points)
    step = _nice_step((high - low) or abs(high) or 1, 4)
    axis_low = math.floor(low / step) * step - step
    axis_high = math.ceil(high / step) * step + step
    if low >= 0 > axis_low:
        axis_low = 0.0

    def y(value: float) -> float:
        return top + plot_h * (axis_high - value) / (axis_high - axis_low)

    def x(index: int) -> float:
        if len(points) == 1:
            return left + plot_w / 2
        return left + inset + (plot_w - inset - inset_right) * index / (len(points) - 1)

    svg = _Svg(width, height, slug)
    svg.text(6 if width <= NARROW else left, 20, f"{_clip(metric.unit, 40 if width > NARROW else 28)} ({metric.better} is better)",
             max(12, size), fill=MUTED)
    ticks, tick = [], axis_low
    while tick <= axis_high + step / 2:
        ticks.append(tick)
        tick += step
    for tick, words in zip(ticks, _tick_labels(ticks, step)):
        svg.line(left, y(tick), width - right, y(tick))
        svg.text(left - 6, y(tick) + 4, words, size, "end", MUTED)
    coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_, v) in enumerate(points))
    svg.raw(f'<polyline points="{coords}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5"/>')
    for index, (label, value) in enumerate(points):
        svg.raw(f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="5" fill="{PALETTE[0] if index else INK}"/>')
        svg.text(x(index), y(value) - 10, _format_value(value), max(12, size), "middle", weight="bold")
        if crowded:
            lx, ly = x(index) + 4, height - bottom + 16
            svg.raw(f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="{size}" text-anchor="end" fill="{INK}" '
                    f'transform="rotate(-{SLANT} {lx:.1f} {ly:.1f})">{escape(label)}</text>')
        else:
            lines = stacked[index] if stacked else [label]
            _lines(svg, x(index), height - bottom + 20, lines, size, 16, anchor="middle")
    return svg
