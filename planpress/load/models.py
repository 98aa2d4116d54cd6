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

from pydantic import BaseModel, BeforeValidator, ConfigDict, PrivateAttr

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
    """A financial year written as "2025/26", the second part being the year after the first."""
    text = str(value).strip()
    match = _YEAR.match(text)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"'{value}' is not a financial year written like 2025/26")
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


# --- content/plan.yaml: the fields every plan has, whatever its template -----------------


class Period(Record):
    start: dt.date
    """First day of the plan, such as 2015-04-01."""
    end: dt.date
    """Last day of the plan, such as 2017-03-31."""

    def financial_years(self) -> list[str]:
        """The financial years (April to March) that the period covers, such as ["2015/16", "2016/17"]."""
        first = self.start.year if self.start.month >= 4 else self.start.year - 1
        last = self.end.year if self.end.month >= 4 else self.end.year - 1
        return [f"{y}/{(y + 1) % 100:02d}" for y in range(first, last + 1)]


class CorePlan(Record):
    """The fields of content/plan.yaml that every plan has; its template pack declares the rest."""

    area: str
    """The Health and Wellbeing Board area, such as Harrowdale. Also names the output files."""
    title: str = ""
    """The plan's title as it appears on the cover and the website (the template's name if left out)."""
    period: Period
    """The period the plan covers."""
    status: Status
    """Where the plan stands: draft, review or agreed."""
    version: str
    """The version label readers see, such as "Version 2.1 (resubmission)"."""
    template: str
    """The national template the plan follows: the name of a pack in templates/."""
    data_owners: dict[str, str] = {}
    """Who answers for each data file, by its name in content/data (such as finance: "Rachel Ingham")."""
    accounts: dict[str, str] = {}
    """Each owner's account on the hosting service (such as "@pnatarajan") or email, by their name as written
    before the comma (such as Priya Natarajan): `python build.py codeowners` makes CODEOWNERS from it."""


# --- content/sections/*.md -------------------------------------------------------------


class SectionFrontMatter(Record):
    id: str
    """The template section this file answers, as the template pack names it (such as vision)."""
    title: str
    """The section's title."""
    owner: str
    """The person who writes and answers for this section."""
    status: Status
    """draft, review or agreed."""


class Quarter(BaseModel):
    """A quarter of a financial year: 2025-q1 is April to June 2025, 2025-q4 January to March 2026."""

    model_config = ConfigDict(frozen=True)
    year: int
    number: int

    @classmethod
    def parse(cls, name: str) -> "Quarter":
        match = re.fullmatch(r"(\d{4})-q([1-4])", name.strip().lower())
        if not match:
            raise ValueError(f"'{name}' is not a quarter written like 2025-q3")
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
        """"Quarter 3 of 2025/26 (October to December 2025)"."""
        return f"Quarter {self.number} of {self.financial_year} ({self.start:%B} to {self.end:%B %Y})"
