"""Lists a template fixes: the items it requires by id, and items each stating whether they are met.

`required-items`: a plan holds every item a template names (the three headline metrics, the
four national conditions). `conditions-met`: each item says whether it is met, and one that
is not says what will be done.
"""

from __future__ import annotations

from collections.abc import Iterator

from planpress.checks.registry import rule_family
from planpress.errors import Finding
from planpress.load.content import PlanContent
from planpress.load.models import Record


class RequiredList(Record):
    file: str
    """The data file holding the list, such as metrics."""
    items: str
    """The list in that file, such as metrics."""
    what: str = "item"
    """What one item is called in messages, such as headline metric."""
    key: str = "id"
    """The field naming each item."""
    ids: dict[str, str]
    """Each id the template requires, with what it is, such as NC1: Plans to be jointly agreed."""


class RequiredItemsParams(Record):
    lists: list[RequiredList]
    """The lists, each with the ids it must hold."""


class ConditionsMetParams(Record):
    file: str
    """The data file holding the list, such as conditions."""
    items: str
    """The list in that file, such as conditions."""
    what: str = "condition"
    """What one item is called in messages, such as national condition."""
    met: str = "met"
    """The yes-or-no field saying whether it is met."""
    action: str = "action"
    """The field saying what will be done when it is not met."""


@rule_family("required-items", RequiredItemsParams)
def required_items(content: PlanContent, params: RequiredItemsParams) -> Iterator[Finding]:
    for required in params.lists:
        holder = content.data.get(required.file)
        if holder is None:
            continue
        given = {str(getattr(item, required.key)) for item in getattr(holder, required.items)}
        path = content.data_files().get(required.file, required.file)
        for item_id, name in required.ids.items():
            if item_id not in given:
                yield Finding(holder.where(required.items), "error",
                              f"The plan has no {required.what} '{item_id}' ({name}), which the template requires",
                              f"Add it to {path} with {required.key}: {item_id}", rule="required-item-missing")


@rule_family("conditions-met", ConditionsMetParams)
def conditions_met(content: PlanContent, params: ConditionsMetParams) -> Iterator[Finding]:
    holder = content.data.get(params.file)
    if holder is None:
        return
    for item in getattr(holder, params.items):
        if getattr(item, params.met):
            continue
        name = getattr(item, "id", params.what)
        if not str(getattr(item, params.action) or "").strip():
            yield Finding(item.where(params.met), "error",
                          f"{name} is not met, and the plan does not say what will be done",
                          f"Say in '{params.action}' what will be done to meet it and by when, or set "
                          f"{params.met}: true once it is met", rule="condition-not-met")
        else:
            yield Finding(item.where(params.met), "warning",
                          f"{name} is not yet met: an assessor will look for the action and its date",
                          f"Set {params.met}: true once it is met", rule="condition-not-yet-met")
