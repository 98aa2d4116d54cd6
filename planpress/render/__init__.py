"""The Jinja environment for our own templates, with the filters every target shares.

Templates come from the plan's pack folder first, then the packs it extends, then
templates/common/, so a pack can override a shared partial. Undefined names are errors, never blank text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from typing import TYPE_CHECKING

import jinja2

from planpress.errors import BuildError
from planpress.load.models import Month, Rounded

if TYPE_CHECKING:
    from planpress.load.pack import Pack


def money(value: Decimal | int | None) -> str:
    """£1,250,000; pence only when there are some; a dash for nothing."""
    if value is None:
        return "–"
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    text = f"{value:,.2f}" if value != value.to_integral_value() else f"{int(value):,}"
    return f"{sign}£{text}"


def as_stated(value: Decimal | int | None) -> str:
    """A stated figure as its author wrote it when written short (£154k, £18.6m), else as `money` writes it."""
    return value.written if isinstance(value, Rounded) else money(value)


def long_date(value: "dt.date | Month | None") -> str:
    """11 September 2025; a month known only to the month as October 2025."""
    if isinstance(value, Month):
        return str(value)
    return f"{value.day} {value:%B %Y}" if value else "not yet"


def number(value: float | int) -> str:
    """24,860 for whole numbers; 82.5 or 2.45 otherwise, without trailing zeros."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def as_text(value: object) -> str:
    """Text shown as written, not read as HTML: <, > and & escaped (a message that quotes a <script>)."""
    return html.escape(str(value), quote=False)


def cell(value: object) -> str:
    """Text made safe for one pipe-table cell: no pipes breaking the row, no line breaks."""
    return " ".join(str(value).split()).replace("|", "\\|")


def template_environment(pack: "Pack") -> jinja2.Environment:
    """Layouts looked up in the pack's folder, then in the packs it extends, then in templates/common."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in pack.layers if f.is_dir()]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown out, escaped per target where needed
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=money, as_stated=as_stated, long_date=long_date, cell=cell, as_text=as_text, number=number, by_key=by_key,
                       change_percent=_change_percent, anchor_id=anchor_id, month_name=month_name,
                       matching=matching, sum_by=sum_by, sum_by_year=sum_by_year)
    return env


def month_name(value: object) -> str:
    """"2025-06" as "June 2025"; anything that is not a month written that way, as it is."""
    match = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", str(value).strip())
    return f"{dt.date(int(match.group(1)), int(match.group(2)), 1):%B %Y}" if match else str(value)


def matching(records: object, fields: dict) -> list:
    """The records whose fields have the values given: finance.expenditure | matching({"source": "..."})."""
    return [r for r in records or [] if all(str(getattr(r, k, None)) == str(v) for k, v in fields.items())]


def sum_by(records: object, field: str) -> dict:
    """Money lines added up per year for each value of one field, as the checks add them:
    finance.funding | sum_by("stream") gives {stream: {year: total}}."""
    from planpress.checks.funding import by_stream

    return by_stream(records or [], field)


def sum_by_year(records: object) -> dict:
    """Money lines added up per year, as the checks add them: {year: total}."""
    from planpress.checks.funding import sum_by_year as add_up

    return add_up(records or [])


def _change_percent(baseline: float, target: float, places: int = 1) -> Decimal:
    from planpress.figures import change_percent

    return change_percent(baseline, target, places)


def anchor_id(kind: str, name: object) -> str:
    """The id an item's row or heading carries: "risk-r3", "enabler-information-sharing"."""
    text = re.sub(r"[^a-z0-9]+", "-", f"{kind}-{name}".lower())
    return text.strip("-")


def by_key(records: object, key: str) -> dict:
    """A list of records as a dict by one of their fields: plan.pooled_budget | by_key("year")."""
    return {getattr(record, key): record for record in records or []}


def render_template(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render one of our templates; a mistake in it names the template and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as error:
        raise BuildError(f"templates/…/{error.name or name}:{error.lineno}: {error.message}") from None
    except jinja2.UndefinedError as error:
        raise BuildError(f"Error rendering '{name}' at {_template_line(error)}: {error.message}. "
                         "Check the name against the data it should come from.") from None
    except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError, ArithmeticError) as error:
        raise BuildError(f"Error rendering '{name}' at {_template_line(error)}: {error}") from None


def _template_line(error: Exception) -> str:
    """The template files and lines an exception came from, outermost first, read off Jinja's traceback.

    A mistake inside a shared macro is reported with the line that called it, since either may be wrong.
    """
    tb = error.__traceback__
    frames: list[str] = []
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or "/templates/" in filename:
            where = f"{_from_templates(filename)}:{tb.tb_lineno}"
            if not frames or frames[-1] != where:
                frames.append(where)
        tb = tb.tb_next
    return ", in a macro at ".join(frames) or "an unknown line"


def _from_templates(filename: str) -> str:
    """templates/common/site/home.md.j2 rather than the whole path of the project."""
    index = filename.rfind("/templates/")
    return filename[index + 1:] if index >= 0 else filename
