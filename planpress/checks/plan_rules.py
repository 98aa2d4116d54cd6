"""Rules on the risk log, the plan of action and the sign-off."""

from __future__ import annotations

from collections.abc import Iterator

from planpress.errors import Finding
from planpress.figures import risk_factor
from planpress.load import PlanContent
from planpress.models import Milestone


def check(content: PlanContent) -> Iterator[Finding]:
    yield from _risks(content)
    yield from _milestone_cycles(content)
    yield from _milestone_dates(content)
    yield from _sign_off(content)


# --- risks -----------------------------------------------------------------------------


def _risks(content: PlanContent) -> Iterator[Finding]:
    if content.risks is None:
        return
    for risk in content.risks.risks:
        in_range = True
        for field in ("likelihood", "impact"):
            value = getattr(risk, field)
            if not 1 <= value <= 5:
                in_range = False
                yield Finding(risk.where(field), "error",
                              f"Risk {risk.id}: the {field} is {value}, outside 1 to 5",
                              f"Score the {field} from 1 (lowest) to 5 (highest)", rule="risk-score-range")
        if in_range and risk.factor is not None and risk.factor != risk_factor(risk):
            yield Finding(risk.where("factor"), "error",
                          f"Risk {risk.id}: the overall factor is given as {risk.factor}, but likelihood x impact = "
                          f"{risk.likelihood} x {risk.impact} = {risk_factor(risk)}",
                          f"Write {risk_factor(risk)}, or leave 'factor' out and let the outputs work it out",
                          rule="risk-factor-mismatch")


# --- the plan of action ----------------------------------------------------------------


def _milestone_cycles(content: PlanContent) -> Iterator[Finding]:
    """Report each dependency cycle once, naming every task in it."""
    if content.milestones is None:
        return
    tasks = {t.id: t for t in content.milestones.milestones}
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


def _find_cycles(tasks: dict[str, Milestone]) -> Iterator[list[str]]:
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


def _milestone_dates(content: PlanContent) -> Iterator[Finding]:
    if content.milestones is None or content.plan is None:
        return
    period = content.plan.period
    tasks = {t.id: t for t in content.milestones.milestones}
    for task in content.milestones.milestones:
        for field in ("start", "due"):
            day = getattr(task, field)
            if not period.start <= day <= period.end:
                yield Finding(task.where(field), "error",
                              f"Task {task.id} is {'due' if field == 'due' else 'to start'} on {day:%d %B %Y}, "
                              f"outside the plan's period ({period.start:%d %B %Y} to {period.end:%d %B %Y})",
                              "Correct the date, or change the period in content/plan.yaml", rule="date-outside-period")
        if task.due < task.start:
            yield Finding(task.where("due"), "error",
                          f"Task {task.id} is due ({task.due:%d %B %Y}) before it starts ({task.start:%d %B %Y})",
                          "Correct the start or the due date", rule="due-before-start")
        for index, dependency_id in enumerate(task.depends_on):
            dependency = tasks.get(dependency_id)
            if dependency is not None and dependency is not task and task.due < dependency.due:
                yield Finding(task.where("depends_on", index), "error",
                              f"Task {task.id} is due on {task.due:%d %B %Y}, before task {dependency.id} that it "
                              f"depends on ({dependency.due:%d %B %Y})",
                              f"Move {task.id}'s due date after {dependency.id}'s, or remove the dependency",
                              rule="due-before-dependency")


# --- sign-off --------------------------------------------------------------------------


def _sign_off(content: PlanContent) -> Iterator[Finding]:
    plan = content.plan
    if plan is None or plan.status != "agreed":
        return
    if plan.date_agreed is None:
        yield Finding(plan.where("status"), "error", "The plan's status is agreed, but it has no 'date_agreed'",
                      "Add the date of the Health and Wellbeing Board meeting that agreed it, as date_agreed: "
                      "YYYY-MM-DD", rule="agreed-without-date")
    if not plan.signatories:
        yield Finding(plan.where("status"), "error", "The plan's status is agreed, but no one has signed it off",
                      "Add the signatories: organisation, name, position and date for each", rule="no-signatories")
    for index, person in enumerate(plan.signatories):
        missing = [field for field in ("name", "position", "date") if not getattr(person, field)]
        if missing:
            yield Finding(plan.where("signatories", index), "error",
                          f"The sign-off for {person.organisation} has no {' or '.join(missing)}, "
                          "and the plan's status is agreed",
                          f"Fill in the {', '.join(missing)}, or set the status back to review",
                          rule="incomplete-sign-off")
