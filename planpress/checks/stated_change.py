"""A change stated as a percentage agrees with the baseline and the value it sits beside.

Real plans print improvements that do not follow from their own figures ("25%" for 1,200 to
960, which is 20%). The pack says where the figures are: one target per item, or a list of
planned values per item (`plans`), each of which may state its own change. The rule works the
change out and compares it at the precision the plan states it (20 agrees with 19.96 and with
20.4; 20.0 only with 19.95 to 20.04).

The stated figure is the size of the change, whichever way it goes: 20 for 1,200 to 960. A
minus sign is allowed, since spreadsheets print a reduction as -20%; the direction follows from
the figures, and the message names it.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from planpress.checks.registry import ItemsParams, rule_family
from planpress.errors import Finding
from planpress.figures import change_percent, rounded_to
from planpress.load.content import PlanContent
from planpress.load.models import Record
from planpress.render import number


class StatedChangeParams(ItemsParams):
    baseline: str = "baseline.value"
    """Where each item's starting value is, as a dotted path."""
    target: str = "target.value"
    """Where each item's target value is (with `plans`: where each planned value is in its entry, such as value)."""
    stated: str = "stated_improvement"
    """Where the change the plan states is, as a percentage of the baseline (with `plans`: in each entry)."""
    better: str = "better"
    """The field saying whether lower or higher is better, to check the target moves the right way."""
    places: int = 1
    """The decimal places of the change a message gives."""
    plans: str = ""
    """Where each item's list of planned values is, such as plans; empty when an item has one target.
    A planned value may move either way (a plan may expect a measure to worsen), so only a single
    target is checked for its direction."""
    period: str = "period"
    """With `plans`: the field of each entry naming its period, for messages."""


def _value(record: Record, path: str) -> object:
    for name in path.split("."):
        record = getattr(record, name, None)
    return record


def change_agrees(stated: float, baseline: float, value: float) -> bool:
    """The stated change, read at its own precision, is the change from baseline to value."""
    written = Decimal(repr(float(stated))).normalize()
    places = min(6, max(0, -written.as_tuple().exponent))  # no plan states a change to a millionth
    return change_percent(baseline, value, places) == rounded_to(abs(written), places)


def _moves(baseline: float, value: float, better: object, change: Decimal) -> str:
    """'a reduction of 20.0% (an improvement, as lower is better)', or 'no change'."""
    if value == baseline:
        return "no change"
    way = f"{'a reduction' if value < baseline else 'a rise'} of {change}%"
    if better not in ("lower", "higher"):
        return way
    good = (value < baseline) == (better == "lower")
    return f"{way} ({'an improvement' if good else 'a worsening'}, as {better} is better)"


@rule_family("stated-change", StatedChangeParams)
def check(content: PlanContent, params: StatedChangeParams) -> Iterator[Finding]:
    holder = content.data.get(params.file)
    if holder is None:
        return
    for item in getattr(holder, params.items):
        name = f"{params.what.capitalize()} {getattr(item, 'id', '')}".strip()
        if params.plans:
            yield from _planned(item, name, params)
        else:
            yield from _target(item, name, params)


def _zero(where, name: str) -> Finding:
    return Finding(where, "error", f"{name}: the baseline is 0, so no change can be stated as a percentage of it",
                   "Correct the baseline, or state the change in its own units", rule="stated-change-zero")


def _target(item: Record, name: str, params: StatedChangeParams) -> Iterator[Finding]:
    baseline, target, stated = (_value(item, params.baseline), _value(item, params.target),
                                _value(item, params.stated))
    if baseline is None or target is None:
        return
    if baseline == 0:
        yield _zero(item.where(*params.baseline.split(".")), name)
        return
    better = _value(item, params.better)
    worse = (better == "lower" and target > baseline) or (better == "higher" and target < baseline)
    if worse:
        yield Finding(item.where(*params.target.split(".")), "error",
                      f"{name}: the target {number(target)} is worse than the baseline {number(baseline)}, "
                      f"and {better} is better",
                      "Correct the target, or the direction in which the measure is better",
                      rule="target-wrong-direction")
    if stated is None or change_agrees(stated, baseline, target):
        return
    actual = change_percent(baseline, target, params.places)
    yield Finding(item.where(*params.stated.split(".")), "error",
                  f"{name}: the stated improvement is {number(stated)}%, but from {number(baseline)} to "
                  f"{number(target)} it is {actual}%",
                  f"Write {actual}, or leave '{params.stated}' out and let the outputs work it out",
                  rule="stated-change-mismatch")


def _planned(item: Record, name: str, params: StatedChangeParams) -> Iterator[Finding]:
    baseline = _value(item, params.baseline)
    entries = getattr(item, params.plans, None) or []
    stated_any = [entry for entry in entries if _value(entry, params.stated) is not None]
    if baseline is None or not stated_any:
        return
    if baseline == 0:
        yield _zero(item.where(*params.baseline.split(".")), name)
        return
    better = _value(item, params.better)
    for index, entry in enumerate(entries):
        value, stated = _value(entry, params.target), _value(entry, params.stated)
        if value is None or stated is None or change_agrees(stated, baseline, value):
            continue
        actual = change_percent(baseline, value, params.places)
        period = _value(entry, params.period)
        label = f"{name}, {period}" if period else name
        moves = _moves(baseline, value, better, actual)
        yield Finding(item.where(params.plans, index, *params.stated.split(".")), "error",
                      f"{label}: the stated change is {number(stated)}%, but from the baseline {number(baseline)} "
                      f"to the planned {number(value)} it is {moves}",
                      f"Write {actual} (the size of the change, as a percentage of the baseline), or leave "
                      f"'{params.stated}' out and let the outputs work it out",
                      rule="stated-change-mismatch")
