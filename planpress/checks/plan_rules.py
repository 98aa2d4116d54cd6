"""Rules on the risk log, the plan of action and the sign-off: three families a pack switches on."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

from planpress.checks.references import did_you_mean
from planpress.checks.registry import ItemsParams, rule_family
from planpress.errors import Finding
from planpress.figures import risk_factor
from planpress.load.content import PlanContent
from planpress.load.models import Record


class RiskBand(Record):
    up_to: int = Field(ge=1)
    """The highest risk factor in the band."""
    name: str
    """The band's name, such as High."""


class RiskScoresParams(Record):
    file: str = "risks"
    """The data file holding the risk log (a list 'risks' with likelihood and impact)."""
    scale: tuple[int, int] = (1, 5)
    """The lowest and highest score for likelihood and for impact."""
    bands: list[RiskBand] = []
    """Bands for the overall risk factor (likelihood x impact), lowest first: the first whose up_to is at least it."""

    def band(self, factor: int) -> str:
        """The name of the band a risk factor falls in, or "" when there are no bands."""
        return next((band.name for band in self.bands if factor <= band.up_to), "")


class TaskPlanParams(Record):
    file: str = "milestones"
    """The data file holding the tasks (a list 'milestones' with id, start, due and depends_on)."""


class DateOrderParams(ItemsParams):
    start: str = "start"
    """The field holding when each item starts."""
    due: str = "due"
    """The field holding when it is due."""


class SignOffParams(Record):
    field: str = "signatories"
    """The plan's field listing who signs, with organisation, name, position and date."""
    agreed_by: str = "the meeting that agreed it"
    """Who agrees the plan, for the message when the date it was agreed is missing."""
    roles: dict[str, str] = {}
    """Who must sign an agreed plan: each role (a signatory's `role`) with the plan's field naming the
    organisation, or the list of organisations, it signs for (such as ICB chief executive: icbs)."""
    not_delegable: list[str] = []
    """Roles that cannot sign through a deputy or on someone's behalf."""
    delegation: str = r"(?i)\b(deputy|on behalf|p\.?\s?p\.?|acting for|for the chief)\b"
    """A regular expression finding a position that shows a delegated signature."""


def _risks_of(content: PlanContent, file: str) -> list[Record] | None:
    found = content.data.get(file)
    return None if found is None else found.risks


def _tasks_of(content: PlanContent, file: str) -> list[Record] | None:
    found = content.data.get(file)
    return None if found is None else found.milestones


@rule_family("risk-scores", RiskScoresParams)
def risk_scores(content: PlanContent, params: RiskScoresParams) -> Iterator[Finding]:
    yield from _risks(_risks_of(content, params.file), params)


@rule_family("task-plan", TaskPlanParams)
def task_plan(content: PlanContent, params: TaskPlanParams) -> Iterator[Finding]:
    tasks = _tasks_of(content, params.file)
    if tasks is None:
        return
    yield from _dependencies(tasks)
    yield from _milestone_cycles(tasks)
    yield from _milestone_dates(content, tasks)


@rule_family("date-order", DateOrderParams)
def date_order(content: PlanContent, params: DateOrderParams) -> Iterator[Finding]:
    holder = content.data.get(params.file)
    if holder is not None:
        yield from _dates(content, getattr(holder, params.items), params.what, params.start, params.due)


@rule_family("sign-off", SignOffParams)
def sign_off(content: PlanContent, params: SignOffParams) -> Iterator[Finding]:
    yield from _delegated(content, params)
    yield from _sign_off(content, params)


# --- risks -----------------------------------------------------------------------------


def _risks(risks: list[Record] | None, params: RiskScoresParams) -> Iterator[Finding]:
    low, high = params.scale
    for risk in risks or []:
        in_range = True
        for field in ("likelihood", "impact"):
            value = getattr(risk, field)
            if not low <= value <= high:
                in_range = False
                yield Finding(risk.where(field), "error",
                              f"Risk {risk.id}: the {field} is {value}, outside {low} to {high}",
                              f"Score the {field} from {low} (lowest) to {high} (highest)", rule="risk-score-range")
        if in_range and risk.factor is not None and risk.factor != risk_factor(risk):
            yield Finding(risk.where("factor"), "error",
                          f"Risk {risk.id}: the overall factor is given as {risk.factor}, but likelihood x impact = "
                          f"{risk.likelihood} x {risk.impact} = {risk_factor(risk)}",
                          f"Write {risk_factor(risk)}, or leave 'factor' out and let the outputs work it out",
                          rule="risk-factor-mismatch")


# --- the plan of action ----------------------------------------------------------------


def _dependencies(tasks: list[Record]) -> Iterator[Finding]:
    ids = {t.id for t in tasks}
    for task in tasks:
        for index, dependency in enumerate(task.depends_on):
            where = task.where("depends_on", index)
            if dependency == task.id:
                yield Finding(where, "error", f"Task {task.id} depends on itself",
                              "Remove it from its own 'depends_on'", rule="self-dependency")
            elif dependency not in ids:
                yield Finding(where, "error", f"Task {task.id} depends on '{dependency}', which does not exist",
                              did_you_mean(dependency, ids), rule="unknown-task")


def _milestone_cycles(task_list: list[Record]) -> Iterator[Finding]:
    """Report each dependency cycle once, naming every task in it."""
    tasks = {t.id: t for t in task_list}
    reported: set[frozenset[str]] = set()
    for cycle in _find_cycles(tasks):
        key = frozenset(cycle)
        if key in reported:
            continue
        reported.add(key)
        first = tasks[cycle[0]]
        path = " → ".join([*cycle, cycle[0]])
        yield Finding(first.where("depends_on"), "error", f"The tasks depend on each other in a circle: {path}",
                      "No task can start: remove one of these dependencies", rule="dependency-cycle")


def _find_cycles(tasks: dict[str, Record]) -> Iterator[list[str]]:
    """Depth-first search over depends_on; yields each cycle as the list of task ids in it."""
    state: dict[str, str] = {}  # "visiting" or "done"
    stack: list[str] = []

    def visit(task_id: str) -> Iterator[list[str]]:
        state[task_id] = "visiting"
        stack.append(task_id)
        for dependency in tasks[task_id].depends_on:
            if dependency not in tasks or dependency == task_id:
                continue  # reported by the reference checks
            if state.get(dependency) == "visiting":
                yield stack[stack.index(dependency):]
            elif dependency not in state:
                yield from visit(dependency)
        stack.pop()
        state[task_id] = "done"

    for task_id in tasks:
        if task_id not in state:
            yield from visit(task_id)


def _dates(content: PlanContent, items: list[Record], what: str, start: str = "start",
           due: str = "due") -> Iterator[Finding]:
    """Each item starts and is due inside the plan's period, and is due after it starts."""
    if content.plan is None:
        return
    period = content.plan.period
    name = what.capitalize()
    for item in items:
        for field in (start, due):
            day = getattr(item, field)
            if not period.start <= day <= period.end:
                yield Finding(item.where(field), "error",
                              f"{name} {item.id} is {'due' if field == due else 'to start'} on {day:%d %B %Y}, "
                              f"outside the plan's period ({period.start:%d %B %Y} to {period.end:%d %B %Y})",
                              "Correct the date, or change the period in content/plan.yaml", rule="date-outside-period")
        if getattr(item, due) < getattr(item, start):
            yield Finding(item.where(due), "error",
                          f"{name} {item.id} is due ({getattr(item, due):%d %B %Y}) before it starts "
                          f"({getattr(item, start):%d %B %Y})",
                          "Correct the start or the due date", rule="due-before-start")


def _milestone_dates(content: PlanContent, task_list: list[Record]) -> Iterator[Finding]:
    yield from _dates(content, task_list, "task")
    tasks = {t.id: t for t in task_list}
    for task in task_list:
        for index, dependency_id in enumerate(task.depends_on):
            dependency = tasks.get(dependency_id)
            if dependency is not None and dependency is not task and task.due < dependency.due:
                yield Finding(task.where("depends_on", index), "error",
                              f"Task {task.id} is due on {task.due:%d %B %Y}, before task {dependency.id} that it "
                              f"depends on ({dependency.due:%d %B %Y})",
                              f"Move {task.id}'s due date after {dependency.id}'s, or remove the dependency",
                              rule="due-before-dependency")


# --- sign-off --------------------------------------------------------------------------


def _sign_off(content: PlanContent, params: SignOffParams) -> Iterator[Finding]:
    plan = content.plan
    if plan is None or plan.status != "agreed":
        return
    if getattr(plan, "date_agreed", None) is None:
        yield Finding(plan.where("status"), "error", "The plan's status is agreed, but it has no 'date_agreed'",
                      f"Add the date of {params.agreed_by}, as date_agreed: YYYY-MM-DD", rule="agreed-without-date")
    signatories = getattr(plan, params.field)
    if not signatories:
        yield Finding(plan.where("status"), "error", "The plan's status is agreed, but no one has signed it off",
                      "Add the signatories: organisation, name, position and date for each", rule="no-signatories")
    yield from _roles_signed(plan, params)
    for index, person in enumerate(signatories):
        missing = [field for field in ("name", "position", "date") if not getattr(person, field)]
        if missing:
            yield Finding(plan.where(params.field, index), "error",
                          f"The sign-off for {person.organisation} has no {' or '.join(missing)}, "
                          "and the plan's status is agreed",
                          f"Fill in the {', '.join(missing)}, or set the status back to review",
                          rule="incomplete-sign-off")


def _organisations(plan: Record, field: str) -> list[str]:
    value = getattr(plan, field, None)
    return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []


def _roles_signed(plan: Record, params: SignOffParams) -> Iterator[Finding]:
    """Every role the template requires has signed, for every organisation it signs for."""
    if not params.roles:
        return
    signed = {(person.role, person.organisation) for person in getattr(plan, params.field)}
    for role, field in params.roles.items():
        for organisation in _organisations(plan, field):
            if (role, organisation) not in signed:
                yield Finding(plan.where(params.field), "error",
                              f"The plan's status is agreed, but the {role} of {organisation} has not signed it off",
                              f"Add '- role: {role}' with organisation: {organisation}, name, position and date",
                              rule="sign-off-missing")


def _delegated(content: PlanContent, params: SignOffParams) -> Iterator[Finding]:
    """A role that cannot delegate signs in person, and for an organisation party to the plan."""
    plan = content.plan
    if plan is None or not params.roles:
        return
    delegation = re.compile(params.delegation)
    for index, person in enumerate(getattr(plan, params.field)):
        role = getattr(person, "role", None)
        if role in params.not_delegable and person.position and delegation.search(person.position):
            yield Finding(plan.where(params.field, index, "position"), "error",
                          f"The {role}'s sign-off cannot be delegated, but it is given by '{person.position}'",
                          f"The {role} signs in person: correct the name and position", rule="sign-off-delegated")
        known = _organisations(plan, params.roles[role]) if role in params.roles else []
        if known and person.organisation not in known:
            yield Finding(plan.where(params.field, index, "organisation"), "error",
                          f"The {role} signs for '{person.organisation}', which is not named in the plan's "
                          f"'{params.roles[role]}'", did_you_mean(person.organisation, known),
                          rule="sign-off-organisation")
