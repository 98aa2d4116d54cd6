"""Rules on the risk log, the plan of action and the sign-off: three families a pack switches on."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from pydantic import Field

from planpress.checks.references import did_you_mean
from planpress.checks.registry import ItemsParams, rule_family
from planpress.errors import Finding
from planpress.figures import risk_factor
from planpress.load.content import PlanContent
from planpress.load.models import Month, Record, first_day, last_day, shown_date


class RiskBand(Record):
    up_to: int = Field(ge=1)
    """The highest risk factor in the band."""
    name: str
    """The band's name, such as High."""


class RiskScoresParams(Record):
    file: str = "risks"
    """The data file holding the risk log (a list 'risks' with likelihood and impact, and `scale`: numbers or words)."""
    scale: tuple[int, int] = (1, 5)
    """The lowest and highest score for likelihood and for impact."""
    bands: list[RiskBand] = []
    """Bands for the overall risk factor (likelihood x impact), lowest first: the first whose up_to is at least it."""
    band_tolerance: int = Field(default=1, ge=0)
    """In a log scored in numbers, how many bands a stated `rating` may sit from the factor's band before it is
    reported (plans draw their bands differently: a factor of 16 rated High is a plan's own banding, rated Low
    a mistake)."""
    matrix: dict[str, dict[str, str | list[str]]] = {}
    """For a log rated in words (`scale: words`): the overall rating for each likelihood (the outer names)
    and impact (the inner names), such as {High: {High: High, Low: [Medium, High]}}; where a cell lists
    several ratings, any of them is accepted, and the first is shown when the plan states none."""

    def band(self, factor: int | None) -> str:
        """The name of the band a risk factor falls in, or "" when there are no bands."""
        if factor is None:
            return ""
        return next((band.name for band in self.bands if factor <= band.up_to), "")

    @property
    def words(self) -> list[str]:
        """The words a log rated in words uses for likelihood and impact, as the matrix names them."""
        return list(dict.fromkeys([*self.matrix, *(impact for row in self.matrix.values() for impact in row)]))

    def rated(self, likelihood: object, impact: object) -> list[str]:
        """The overall ratings the matrix accepts for a likelihood and an impact given as words ([] if none)."""
        cell = self.matrix.get(str(likelihood), {}).get(str(impact), [])
        return [cell] if isinstance(cell, str) else list(cell)


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


def _risk_log(content: PlanContent, file: str) -> Record | None:
    return content.data.get(file)


def _tasks_of(content: PlanContent, file: str) -> list[Record] | None:
    found = content.data.get(file)
    return None if found is None else found.milestones


@rule_family("risk-scores", RiskScoresParams)
def risk_scores(content: PlanContent, params: RiskScoresParams) -> Iterator[Finding]:
    log = _risk_log(content, params.file)
    if log is not None:
        yield from _risks(log, params)


@rule_family("task-plan", TaskPlanParams)
def task_plan(content: PlanContent, params: TaskPlanParams) -> Iterator[Finding]:
    tasks = _tasks_of(content, params.file)
    if tasks is None:
        return
    yield from _dependencies(tasks)
    yield from _milestone_cycles(tasks)
    yield from _milestone_dates(content, tasks)
    yield from _scheme_names(content, tasks)


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


def _risks(log: Record, params: RiskScoresParams) -> Iterator[Finding]:
    words = risk_scale(log) == "words"
    whole_log = _whole_log_off_scale(log, words, params)
    if whole_log:
        yield whole_log
        return
    for risk in log.risks:
        wrong_scale = list(_off_scale(risk, words, params))
        yield from wrong_scale
        if words:
            if not wrong_scale:
                yield from _words_rating(risk, params)
            continue
        in_range = not wrong_scale
        low, high = params.scale
        for field in ("likelihood", "impact"):
            value = getattr(risk, field)
            if isinstance(value, int) and not low <= value <= high:
                in_range = False
                yield Finding(risk.where(field), "error",
                              f"Risk {risk.id}: the {field} is {value}, outside {low} to {high}",
                              f"Score the {field} from {low} (lowest) to {high} (highest)", rule="risk-score-range")
        if not in_range:
            continue
        if risk.factor is not None and risk.factor != risk_factor(risk):
            yield Finding(risk.where("factor"), "error",
                          f"Risk {risk.id}: the overall factor is given as {risk.factor}, but likelihood x impact = "
                          f"{risk.likelihood} x {risk.impact} = {risk_factor(risk)}",
                          f"Write {risk_factor(risk)}, or leave 'factor' out and let the outputs work it out",
                          rule="risk-factor-mismatch")
        yield from _band_rating(risk, params)


def risk_scale(log: Record) -> str:
    """numbers or words: how the risk log rates its risks (numbers unless it says `scale: words`)."""
    return getattr(log, "scale", None) or "numbers"


def _choices(params: RiskScoresParams) -> str:
    words = params.words or ["Low", "Medium", "High"]
    return f"{', '.join(words[:-1])} or {words[-1]}" if len(words) > 1 else words[0]


def _whole_log_off_scale(log: Record, words: bool, params: RiskScoresParams) -> Finding | None:
    """One finding, not one per score, when every risk is scored on the other scale."""
    other = int if words else str
    if len(log.risks) < 2 or not all(isinstance(getattr(risk, field), other)
                                     for risk in log.risks for field in ("likelihood", "impact")):
        return None
    low, high = params.scale
    if words:
        return Finding(log.where("scale"), "error",
                       f"The risk log is rated in words (scale: words), but all {len(log.risks)} risks score their "
                       f"likelihood and impact in numbers",
                       f"Remove 'scale: words' to score them from {low} to {high}, or rate each risk "
                       f"{_choices(params)}", rule="risk-scale-mismatch")
    return Finding(log.where("risks"), "error",
                   f"The risk log is scored in numbers ({low} to {high}), but all {len(log.risks)} risks rate their "
                   f"likelihood and impact in words",
                   f"Put 'scale: words' at the top of the file, or score each risk from {low} to {high}",
                   rule="risk-scale-mismatch")


def _off_scale(risk: Record, words: bool, params: RiskScoresParams) -> Iterator[Finding]:
    """A word in a log scored in numbers, or a number in a log rated in words."""
    low, high = params.scale
    choices = _choices(params)
    for field in ("likelihood", "impact"):
        value = getattr(risk, field)
        if words and isinstance(value, int):
            yield Finding(risk.where(field), "error",
                          f"Risk {risk.id}: the {field} is {value}, a number, but the risk log is rated in words "
                          f"(scale: words)",
                          f"Write {choices}, or remove 'scale: words' from the top of the file to score every "
                          f"risk from {low} to {high}", rule="risk-scale-mismatch")
        elif not words and isinstance(value, str):
            yield Finding(risk.where(field), "error",
                          f"Risk {risk.id}: the {field} is {value}, a word, but the risk log is scored in numbers "
                          f"({low} to {high})",
                          f"Write a number from {low} to {high}, or put 'scale: words' at the top of the file to "
                          f"rate every risk {choices}", rule="risk-scale-mismatch")
    if words and risk.factor is not None:
        yield Finding(risk.where("factor"), "error",
                      f"Risk {risk.id} gives a factor ({risk.factor}), but the risk log is rated in words (scale: words)",
                      "Give the overall risk as 'rating:' (such as rating: High), and remove 'factor'",
                      rule="risk-scale-mismatch")


def _words_rating(risk: Record, params: RiskScoresParams) -> Iterator[Finding]:
    """In a log rated in words: each word is on the matrix, and a stated rating is the one it gives."""
    choices = _choices(params)
    for field in ("likelihood", "impact"):
        value = getattr(risk, field)
        if params.words and value not in params.words:
            yield Finding(risk.where(field), "error",
                          f"Risk {risk.id}: the {field} is {value}, which the risk matrix does not use",
                          f"Write {choices}", rule="risk-scale-mismatch")
            return
    accepted = params.rated(risk.likelihood, risk.impact)
    rating = getattr(risk, "rating", None)
    if rating is None or not accepted or rating in accepted:
        return
    yield Finding(risk.where("rating"), "error",
                  f"Risk {risk.id}: the overall rating is {rating}, but likelihood {risk.likelihood} and impact "
                  f"{risk.impact} rate {' or '.join(accepted)} on the risk matrix",
                  f"Write rating: {' or rating: '.join(accepted)}, or correct the likelihood or the impact",
                  rule="risk-rating-mismatch")


def _band_rating(risk: Record, params: RiskScoresParams) -> Iterator[Finding]:
    """In a log scored in numbers: a stated rating sits in (or near) the band of likelihood x impact."""
    rating = getattr(risk, "rating", None)
    names = [band.name for band in params.bands]
    if not isinstance(rating, str) or rating not in names:
        return
    factor = risk_factor(risk)
    band = params.band(factor)
    if band and abs(names.index(rating) - names.index(band)) > params.band_tolerance:
        yield Finding(risk.where("rating"), "error",
                      f"Risk {risk.id}: the overall rating is {rating}, but likelihood x impact = "
                      f"{risk.likelihood} x {risk.impact} = {factor}, in the band {band}",
                      f"Write rating: {band}, or correct the likelihood or the impact", rule="risk-rating-mismatch")


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
    """Each item starts and is due inside the plan's period, and is due after it starts.

    A month given without a day (October 2025) counts as its first day for a start and its last for a due."""
    if content.plan is None:
        return
    period = content.plan.period
    name = what.capitalize()
    for item in items:
        for field, day in ((start, first_day(getattr(item, start))), (due, last_day(getattr(item, due)))):
            if not period.start <= day <= period.end:
                yield Finding(item.where(field), "error",
                              f"{name} {item.id} is {'due' if field == due else 'to start'} "
                              f"{_on(getattr(item, field))}, "
                              f"outside the plan's period ({period.start:%d %B %Y} to {period.end:%d %B %Y})",
                              "Correct the date, or change the period in content/plan.yaml", rule="date-outside-period")
        if last_day(getattr(item, due)) < first_day(getattr(item, start)):
            yield Finding(item.where(due), "error",
                          f"{name} {item.id} is due ({shown_date(getattr(item, due))}) before it starts "
                          f"({shown_date(getattr(item, start))})",
                          "Correct the start or the due date", rule="due-before-start")


def _on(value: object) -> str:
    """"on 30 September 2025", or "in October 2025" for a month."""
    return f"{'in' if isinstance(value, Month) else 'on'} {shown_date(value)}"


def _milestone_dates(content: PlanContent, task_list: list[Record]) -> Iterator[Finding]:
    yield from _dates(content, task_list, "task")
    tasks = {t.id: t for t in task_list}
    for task in task_list:
        for index, dependency_id in enumerate(task.depends_on):
            dependency = tasks.get(dependency_id)
            if dependency is not None and dependency is not task and last_day(task.due) < last_day(dependency.due):
                yield Finding(task.where("depends_on", index), "error",
                              f"Task {task.id} is due {_on(task.due)}, before task {dependency.id} that it "
                              f"depends on ({shown_date(dependency.due)})",
                              f"Move {task.id}'s due date after {dependency.id}'s, or remove the dependency",
                              rule="due-before-dependency")


def _scheme_names(content: PlanContent, tasks: list[Record]) -> Iterator[Finding]:
    """The scheme (or theme) name a task prints beside its reference is that scheme's name."""
    schemes = {str(s.meta.reference): str(s.meta.name) for s in content.schemes if getattr(s.meta, "name", None)}
    themes_file = content.data.get("themes")
    themes = {t.id: t.name for t in getattr(themes_file, "themes", None) or []}
    for task in tasks:
        printed = getattr(task, "scheme_name", None)
        if not printed:
            continue
        ref = getattr(task, "scheme", None) or getattr(task, "theme", None)
        names = schemes if getattr(task, "scheme", None) else themes
        what = "scheme" if getattr(task, "scheme", None) else "theme"
        if ref is None:
            yield Finding(task.where("scheme_name"), "error",
                          f"Task {task.id} prints the name '{printed}', but gives no scheme or theme",
                          "Add the reference the name belongs to (such as scheme: PE2), or remove 'scheme_name'",
                          rule="milestone-scheme-name")
            continue
        printed = re.sub(rf"^\s*{re.escape(ref)}\b[\s:.\-–]*", "", printed, flags=re.IGNORECASE) or printed
        if ref not in names or same_name(printed, names[ref]):
            continue  # an unknown reference is reported by the reference checks
        owner = next((other for other, name in names.items() if other != ref and same_name(printed, name)), None)
        belongs = f"; that is the name of {owner}" if owner else ""
        fix = (f"Write scheme_name: {names[ref]}, or change the {what} to {owner} if the task belongs to it"
               if owner else f"Write scheme_name: {names[ref]}, as the {what} list names it")
        yield Finding(task.where("scheme_name"), "error",
                      f"Task {task.id} names {what} {ref} '{printed}', but {ref} is '{names[ref]}'{belongs}",
                      fix, rule="milestone-scheme-name")


_NAME_WORDS = re.compile(r"[a-z0-9]+")
_SMALL_WORDS = {"the", "of", "for", "a", "an", "to", "in", "and"}


def _name_words(name: str) -> list[str]:
    text = name.lower().replace("&", " and ").replace("'", "").replace("’", "")
    words = [word for word in _NAME_WORDS.findall(text) if word not in _SMALL_WORDS]
    return [word[:-1] if len(word) > 3 and word.endswith("s") else word for word in words]


def same_name(printed: str, name: str) -> bool:
    """Whether a printed name is this name: the same words in any order (ignoring case, punctuation, plurals,
    "&" for "and" and small words), some of its words (a shortened name), or a near spelling of it."""
    short, full = _name_words(printed), _name_words(name)
    if not short:
        return False
    if set(short) <= set(full) or set(full) <= set(short):
        return True
    return difflib.SequenceMatcher(None, " ".join(short), " ".join(full)).ratio() >= 0.85


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
