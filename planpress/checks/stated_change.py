"""A change stated as a percentage agrees with the baseline and target it sits beside.

Real plans print improvements that do not follow from their own figures ("25%" for 1,200 to
960, which is 20%). The pack says where the figures are; the rule works the change out.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from planpress.checks.registry import ItemsParams, rule_family
from planpress.errors import Finding
from planpress.figures import change_percent
from planpress.load.content import PlanContent
from planpress.load.models import Record
from planpress.render import number


class StatedChangeParams(ItemsParams):
    baseline: str = "baseline.value"
    """Where each item's starting value is, as a dotted path."""
    target: str = "target.value"
    """Where each item's target value is."""
    stated: str = "stated_improvement"
    """Where the change the plan states is, as a percentage of the baseline."""
    better: str = "better"
    """The field saying whether lower or higher is better, to check the target moves the right way."""
    places: int = 1
    """The decimal places the stated percentage is compared to."""


def _value(record: Record, path: str) -> object:
    for name in path.split("."):
        record = getattr(record, name, None)
    return record


@rule_family("stated-change", StatedChangeParams)
def check(content: PlanContent, params: StatedChangeParams) -> Iterator[Finding]:
    holder = content.data.get(params.file)
    if holder is None:
        return
    for item in getattr(holder, params.items):
        baseline, target, stated = (_value(item, params.baseline), _value(item, params.target),
                                    _value(item, params.stated))
        name = f"{params.what.capitalize()} {getattr(item, 'id', '')}".strip()
        if baseline is None or target is None:
            continue
        if baseline == 0:
            yield Finding(item.where(*params.baseline.split(".")), "error",
                          f"{name}: the baseline is 0, so no change can be stated as a percentage of it",
                          "Correct the baseline, or state the change in its own units", rule="stated-change-zero")
            continue
        better = _value(item, params.better)
        worse = (better == "lower" and target > baseline) or (better == "higher" and target < baseline)
        if worse:
            yield Finding(item.where(*params.target.split(".")), "error",
                          f"{name}: the target {number(target)} is worse than the baseline {number(baseline)}, "
                          f"and {better} is better",
                          "Correct the target, or the direction in which the measure is better",
                          rule="target-wrong-direction")
        if stated is None:
            continue
        actual = change_percent(baseline, target, params.places)
        if Decimal(str(stated)).quantize(actual) != actual:
            yield Finding(item.where(*params.stated.split(".")), "error",
                          f"{name}: the stated improvement is {number(stated)}%, but from {number(baseline)} to "
                          f"{number(target)} it is {actual}%",
                          f"Write {actual}, or leave '{params.stated}' out and let the outputs work it out",
                          rule="stated-change-mismatch")
