"""The plan's typed models: what an author may write in `content/`, one docstring per field.

Every model is frozen and forbids unknown fields, so a typo is reported rather than ignored.
After validation the loader attaches each record's file and line (`Record.where`), so a
check can point an author at the exact place to change.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr

from planpress.errors import Location


# --- Money -----------------------------------------------------------------------------

_MONEY_GROUPED = re.compile(r"^-?£?\d{1,3}(,\d{3})*(\.\d{2})?$")
_MONEY_PLAIN = re.compile(r"^-?£?\d+(\.\d{2})?$")
_MONEY_SHORT = re.compile(r"^-?£?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([km])$", re.IGNORECASE)


def parse_money(value: object) -> Decimal:
    """Read a sum of money in pounds: 1250000, "1,250,000", "£1,250,000.50", "£1.25m", "£154k".

    Anything else ("£214,00", "£1xxk", "tba") is refused: a malformed sum is an error, not a guess.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a sum of money")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value)).quantize(Decimal("0.01")) if value != int(value) else Decimal(int(value))
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if _MONEY_GROUPED.match(text) or _MONEY_PLAIN.match(text):
            return Decimal(text.replace("£", "").replace(",", ""))
        short = _MONEY_SHORT.match(text)
        if short:
            factor = 1000 if short.group(2).lower() == "k" else 1_000_000
            sign = -1 if text.startswith("-") else 1
            return sign * (Decimal(short.group(1).replace(",", "")) * factor).quantize(Decimal("1"))
    raise ValueError(f"'{value}' is not a well-formed sum of money")


Money = Annotated[Decimal, BeforeValidator(parse_money)]
"""A sum in pounds. Write 1250000, "£1,250,000" or "£1.25m"."""

Status = Literal["draft", "review", "agreed"]

_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def parse_year(value: object) -> str:
    """A financial year written as "2014/15", the second part being the year after the first."""
    text = str(value).strip()
    match = _YEAR.match(text)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"'{value}' is not a financial year written like 2014/15")
    return text


FinancialYear = Annotated[str, BeforeValidator(parse_year)]
AmountsByYear = dict[FinancialYear, Money]


class Record(BaseModel):
    """Base of every model: frozen, unknown fields refused, field docstrings kept as help."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    _location: Location | None = PrivateAttr(default=None)
    _field_lines: dict[tuple, int] = PrivateAttr(default_factory=dict)

    def where(self, *path: str | int) -> Location:
        """The file and line of this record, or of a field in it (`where("schemes", 2)`)."""
        base = self._location or Location("<unknown>", 0)
        while path:
            if path in self._field_lines:
                return Location(base.file, self._field_lines[path])
            path = path[:-1]
        return base


# --- content/plan.yaml -----------------------------------------------------------------


class Period(Record):
    start: dt.date
    """First day of the plan, such as 2014-04-01."""
    end: dt.date
    """Last day of the plan, such as 2016-03-31."""

    def financial_years(self) -> list[str]:
        """The financial years (April to March) that the period covers, such as ["2014/15", "2015/16"]."""
        first = self.start.year if self.start.month >= 4 else self.start.year - 1
        last = self.end.year if self.end.month >= 4 else self.end.year - 1
        return [f"{y}/{(y + 1) % 100:02d}" for y in range(first, last + 1)]


class PooledBudget(Record):
    year: FinancialYear
    """The financial year, such as 2014/15."""
    minimum: Money
    """The minimum required value of the pooled budget for the year, as the national allocation sets it."""
    agreed: Money | None = None
    """The total agreed value of the pooled budget for the year; leave out until it is agreed."""


class Signatory(Record):
    organisation: str
    """The organisation signing, such as Harrowdale Council."""
    name: str | None = None
    """The person who signs for it."""
    position: str | None = None
    """Their position, such as Chief Executive."""
    date: dt.date | None = None
    """The date they signed, as YYYY-MM-DD."""


class Plan(Record):
    area: str
    """The Health and Wellbeing Board area, such as Harrowdale. Also names the output files."""
    local_authority: str
    """The council, such as Harrowdale Borough Council."""
    ccgs: list[str] = Field(min_length=1)
    """The Clinical Commissioning Groups (or Integrated Care Boards) that are party to the plan."""
    boundary_note: str = ""
    """Where the CCG and council boundaries differ, and how the plan deals with it."""
    hwb: str
    """The name of the Health and Wellbeing Board."""
    title: str = "Better Care Fund plan"
    """The plan's title as it appears on the cover and the website."""
    period: Period
    """The period the plan covers."""
    date_agreed: dt.date | None = None
    """The date the Health and Wellbeing Board agreed the plan; leave out until it has."""
    date_submitted: dt.date | None = None
    """The date the plan was submitted for national assurance; leave out until it is."""
    pooled_budget: list[PooledBudget] = Field(min_length=1)
    """The minimum required and the agreed value of the pooled budget, one entry per year."""
    status: Status
    """Where the plan stands: draft, review or agreed."""
    version: str
    """The version label readers see, such as "Version 2.1 (resubmission)"."""
    template: str
    """The national template the plan follows: the name of a pack in templates/, such as bcf-2014."""
    signatories: list[Signatory] = []
    """Authorisation and sign-off: one entry per organisation."""
    data_owners: dict[str, str] = {}
    """Who answers for each data file, by its name in content/data (such as finance: "Rachel Ingham")."""
    accounts: dict[str, str] = {}
    """Each owner's account on the hosting service (such as "@pnatarajan") or email, by their name as written
    before the comma (such as Priya Natarajan): `python build.py codeowners` makes CODEOWNERS from it."""


# --- content/sections/*.md and content/schemes/*.md ------------------------------------


class SectionFrontMatter(Record):
    id: str
    """The template section this file answers, as the template pack names it (such as vision)."""
    title: str
    """The section's title."""
    owner: str
    """The person who writes and answers for this section."""
    status: Status
    """draft, review or agreed."""


class SchemeFrontMatter(Record):
    reference: str = Field(pattern=r"^[A-Z]{1,5}\d{1,3}[a-z]?$")
    """The scheme's reference, such as PE1 or IUR2: capital letters then a number."""
    name: str
    """The scheme's name."""
    theme: str
    """The theme it belongs to: a theme id from content/data/themes.yaml."""
    lead: str
    """The lead officer for the scheme."""
    owner: str | None = None
    """Who writes this description, if not the lead."""
    status: Status = "draft"
    """draft, review or agreed."""
    strategic_objective: str
    """The scheme's strategic objective, in a sentence or two."""


# --- content/data/themes.yaml (the list of planned schemes, 4d) --------------------------


class Theme(Record):
    id: str = Field(pattern=r"^[A-Z]{1,5}$")
    """A short code for the theme, such as PE. Scheme references usually start with it."""
    name: str
    """The theme's name, such as Prevention and early help."""
    description: str = ""
    """A sentence on what the theme is for."""
    schemes: list[str] = Field(min_length=1)
    """The references of the schemes in this theme, in the order the plan lists them."""


class ThemesFile(Record):
    themes: list[Theme] = Field(min_length=1)
    """The plan's themes, each with its schemes."""


# --- content/data/finance.yaml ---------------------------------------------------------


class FundingSource(Record):
    source: str
    """Who contributes, such as "Harrowdale CCG: minimum contribution"."""
    organisation: str
    """The contributing organisation."""
    amounts: AmountsByYear
    """The contribution for each financial year, such as 2014/15: £1,200,000."""


class ExpenditureLine(Record):
    scheme: str
    """The scheme's reference, such as PE1."""
    commissioner: str
    """Who commissions the service: the council, a CCG, or jointly."""
    provider: str
    """Who provides it."""
    area_of_spend: str
    """The area of spend as the template lists them, such as Social care or Community health."""
    amounts: AmountsByYear
    """The spend for each financial year."""


class PayForPerformance(Record):
    baseline_admissions: int = Field(gt=0)
    """Non-elective admissions in the baseline period."""
    baseline_period: str
    """The baseline period, such as "April to December 2013"."""
    planned_reduction: int = Field(ge=0)
    """The number of non-elective admissions the plan sets out to avoid."""
    unit_cost: Money | None = None
    """The cost of one admission, if not the national template's own (£1,490 in 2014)."""
    stated_fund: Money | None = None
    """The performance-linked fund as the plan states it, if it states one."""
    local_case: str = ""
    """Where the planned reduction is below the national minimum, the local case for it."""


class Finance(Record):
    funding: list[FundingSource] = Field(min_length=1)
    """Where the pooled budget comes from, one line per source."""
    expenditure: list[ExpenditureLine] = Field(min_length=1)
    """The expenditure plan: one line per scheme (or per scheme and provider)."""
    stated_totals: dict[Literal["funding", "expenditure"], AmountsByYear] = {}
    """The totals as the plan states them, to be checked against the lines."""
    social_care_protection: AmountsByYear = {}
    """The amount of the fund allocated to protecting social care services, per year."""
    carers_support: AmountsByYear = {}
    """The amount dedicated to carer-specific support, per year."""
    pay_for_performance: PayForPerformance | None = None
    """The pay-for-performance element, where the template asks for one."""


# --- content/data/metrics.yaml ---------------------------------------------------------


class MetricValue(Record):
    period: str
    """The period the value is for, such as "2012/13" or "April to December 2014"."""
    value: float
    """The value."""


class Metric(Record):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """A short name in lower case with hyphens, such as nel-admissions."""
    name: str
    """The metric's name, as the template states it."""
    unit: str
    """What the values count, such as "admissions", "per 100,000 population" or "%"."""
    better: Literal["lower", "higher"]
    """Whether a lower or a higher value is better."""
    source: str = ""
    """Where the figures come from."""
    national: bool = True
    """True for a national metric, false for the local metric."""
    baseline: MetricValue
    """The baseline value and its period."""
    plans: list[MetricValue] = Field(min_length=1)
    """The planned values, one per period."""


class MetricsFile(Record):
    metrics: list[Metric] = Field(min_length=1)
    """The plan's metrics."""


# --- content/data/risks.yaml -----------------------------------------------------------


class FinancialImpact(Record):
    amount: Money
    """The cost if the risk happens, in pounds, such as "£450,000" (outputs show it in £ thousands)."""
    falls_on: str
    """Who bears it, such as the CCG or the council."""


class Risk(Record):
    id: str = Field(pattern=r"^R\d{1,3}$")
    """The risk's number, such as R1."""
    risk: str
    """The risk, written as "There is a risk that ..."."""
    likelihood: int
    """How likely it is, from 1 (rare) to 5 (almost certain)."""
    impact: int
    """How much it would matter, from 1 (negligible) to 5 (severe)."""
    factor: int | None = None
    """The overall risk factor as the plan states it (likelihood x impact); optional."""
    financial_impact: FinancialImpact | None = None
    """The financial impact and who bears it."""
    lead: str
    """The person who owns the risk."""
    mitigation: str
    """What is being done to reduce it."""
    schemes: list[str] = []
    """The references of the schemes the risk touches."""


class RisksFile(Record):
    risks: list[Risk] = Field(min_length=1)
    """The risk log."""


# --- content/data/milestones.yaml ------------------------------------------------------


class Milestone(Record):
    id: str = Field(pattern=r"^M\d{1,3}$")
    """The task's number, such as M12."""
    task: str
    """What is to be done."""
    scheme: str | None = None
    """The scheme the task belongs to, if any (such as PE1)."""
    theme: str | None = None
    """The theme it belongs to, for tasks that serve a whole theme."""
    owner: str
    """Who is responsible."""
    start: dt.date
    """When the work starts, as YYYY-MM-DD."""
    due: dt.date
    """When it is due, as YYYY-MM-DD."""
    depends_on: list[str] = []
    """The tasks that must finish first, by number (such as [M3, M4])."""


class MilestonesFile(Record):
    milestones: list[Milestone] = Field(min_length=1)
    """The plan of action's tasks."""


# --- content/data/governance.yaml ------------------------------------------------------


class BoardMember(Record):
    role: str
    """The member's role, such as "Director of Adult Social Care"."""
    represents: str
    """The organisation or group they represent."""


class Board(Record):
    name: str
    """The board's name."""
    purpose: str
    """What it decides or oversees for the plan."""
    chair: str
    """Who chairs it."""
    meets: str
    """How often it meets, such as "monthly"."""
    reports_to: str | None = None
    """The name of the board it reports to, if any."""
    members: list[BoardMember] = []
    """Who sits on it, and whom they represent."""


class GovernanceFile(Record):
    boards: list[Board] = Field(min_length=1)
    """The boards that govern the plan, top first."""


# --- content/data/documents.yaml -------------------------------------------------------


class RelatedDocument(Record):
    ref: str
    """A short reference, such as D1."""
    title: str
    """The document's title."""
    synopsis: str
    """A sentence or two on what it says that matters to the plan."""
    link: str = ""
    """Where to read it: a web address, or blank if it is not published."""


class DocumentsFile(Record):
    documents: list[RelatedDocument] = Field(min_length=1)
    """The related documents."""


# --- content/data/providers.yaml (Annex 2) ---------------------------------------------


class AdmissionsFigures(Record):
    outturn_period: str
    """The outturn period, such as 2013/14."""
    outturn: int
    """Non-elective admissions in the outturn period."""
    plans: dict[FinancialYear, int]
    """Planned non-elective admissions per financial year."""
    prevented_by_bcf: dict[FinancialYear, int]
    """Admissions the BCF schemes are expected to prevent, per financial year."""


class ProviderCommentary(Record):
    provider: str
    """The acute provider, such as Harrowdale Hospitals NHS Foundation Trust."""
    contact: str
    """Who answered for the provider: name and position."""
    date: dt.date | None = None
    """When they answered."""
    figures: AdmissionsFigures
    """The HWB's figures for the provider's non-elective admissions."""
    agrees_with_figures: Literal["yes", "no", "partly"]
    """Does the provider agree with the figures: yes, no or partly."""
    comments: str
    """The provider's own words on the figures, the schemes and their effect on its services."""


class ProvidersFile(Record):
    providers: list[ProviderCommentary] = Field(min_length=1)
    """One commentary per acute provider."""


# --- content/data/website.yaml (optional: the website's publisher and accessibility statement) ---


class Publisher(Record):
    name: str
    """The organisation that publishes the website, such as Harrowdale Borough Council."""
    email: str
    """Where readers write to ask for the plan in another format or to report a problem."""
    phone: str = ""
    """A telephone number for the same, if there is one."""
    address: str = ""
    """A postal address, if readers may write."""


class AccessibilityStatement(Record):
    standard: str = "WCAG 2.2 AA"
    """The standard the website is tested against, as the 2018 Regulations require."""
    compliance: Literal["full", "partial", "none"] = "full"
    """Whether the website fully, partly or does not meet that standard."""
    known_issues: list[str] = []
    """Content that is not yet accessible, one sentence each, with when it will be fixed."""
    other_formats: str = "large print, easy read, audio recording or braille"
    """The formats readers may ask for."""
    response_days: int = Field(default=10, gt=0)
    """How many working days the publisher takes to reply to a request."""
    how_checked: str = "automated testing with axe-core in a web browser and a manual check of keyboard use"
    """How the website was checked."""
    last_checked: dt.date
    """When the website was last checked for accessibility."""
    prepared: dt.date
    """When this statement was first prepared."""


class WebsiteFile(Record):
    publisher: Publisher
    """Who publishes the plan's website, and how to reach them."""
    accessibility: AccessibilityStatement
    """The accessibility statement the Public Sector Bodies Accessibility Regulations 2018 require."""


class Quarter(BaseModel):
    """A quarter of a financial year: 2014-q1 is April to June 2014, 2014-q4 January to March 2015."""

    model_config = ConfigDict(frozen=True)
    year: int
    number: int

    @classmethod
    def parse(cls, name: str) -> "Quarter":
        match = re.fullmatch(r"(\d{4})-q([1-4])", name.strip().lower())
        if not match:
            raise ValueError(f"'{name}' is not a quarter written like 2014-q3")
        return cls(year=int(match.group(1)), number=int(match.group(2)))

    @property
    def name(self) -> str:
        return f"{self.year}-q{self.number}"

    @property
    def financial_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def start(self) -> dt.date:
        month = 4 + 3 * (self.number - 1)
        return dt.date(self.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        following = Quarter(year=self.year + (self.number == 4), number=self.number % 4 + 1).start
        return following - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        """"Quarter 3 of 2014/15 (October to December 2014)"."""
        return f"Quarter {self.number} of {self.financial_year} ({self.start:%B} to {self.end:%B %Y})"


# --- content/progress/<year>-q<N>.yaml (the quarterly update to the HWB) ---------------


class MetricProgress(Record):
    metric: str
    """The metric's id, as in content/data/metrics.yaml (such as nel-admissions)."""
    period: str
    """The period the latest actual covers, such as "April to September 2014"."""
    actual: float
    """The latest actual value."""
    target: float | None = None
    """The planned value for that period; leave out when the period is one of the metric's plan periods."""
    source: str
    """Where the actual comes from, such as "SUS, month 6"."""
    action: str = ""
    """What is being done about it, especially when off track."""


class SchemeProgress(Record):
    scheme: str
    """The scheme's reference, such as PE1."""
    projected_outturn: Money
    """What the scheme is now expected to spend in the financial year, such as "£410,000"."""
    notes: str = ""
    """Progress, and the reason for any variance."""


class RiskProgress(Record):
    risk: str
    """The risk's number, such as R3."""
    note: str
    """What has changed since the plan."""


class ProgressReport(Record):
    meeting: dt.date
    """The date of the Health and Wellbeing Board meeting that receives the update."""
    author: str
    """Who writes the update: name and position."""
    summary: str
    """A short paragraph on progress in the quarter."""
    recommendations: list[str] = Field(min_length=1)
    """What the board is asked to do, one item each."""
    metrics: list[MetricProgress] = []
    """The latest actual for each metric."""
    schemes: list[SchemeProgress] = []
    """The projected outturn for each scheme."""
    risks: list[RiskProgress] = []
    """Risks that changed in the quarter."""
    next_steps: list[str] = []
    """What happens next, one item each."""
