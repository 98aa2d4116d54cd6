"""The plan's typed models: what an author may write in `content/`, one docstring per field.

Every model is frozen and forbids unknown fields, so a typo is reported rather than ignored.
After validation the loader attaches each record's file and line (`Record.where`), so a
check can point an author at the exact place to change.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainSerializer, PlainValidator, \
    PrivateAttr, ValidationInfo, WrapValidator, field_validator

from planpress.errors import Location


# --- Money -----------------------------------------------------------------------------

_MONEY_GROUPED = re.compile(r"^-?£?\d{1,3}(,\d{3})*(\.\d{2})?$")
_MONEY_PLAIN = re.compile(r"^-?£?\d+(\.\d{2})?$")
_MONEY_SHORT = re.compile(r"^-?£?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([km])$", re.IGNORECASE)


MONEY_LIMIT = Decimal(10) ** 12
"""A sum of money is less than a trillion pounds: with its pence, it keeps every digit in a spreadsheet."""
NUMBER_LIMIT = 10 ** 15
"""A number or a whole number is less than a thousand million million: a spreadsheet keeps 15 digits."""


class Rounded(Decimal):
    """A sum written to a round step, such as "£87k" (to the nearest £1,000) or "£18.64m" (to £10,000).

    It is the sum for arithmetic (£87k is 87,000, and anything worked out from it is a plain Decimal);
    `step` and `written` let a check of a *stated* figure read it at the precision its author gave.
    """

    step: Decimal
    """The place of its last digit: £1,000 for "£87k", £100,000 for "£1.2m"."""
    written: str
    """As the author wrote it, such as "£87k"."""

    def __new__(cls, value: object, step: Decimal, written: str) -> "Rounded":
        made = super().__new__(cls, value)
        made.step, made.written = Decimal(step), written
        return made

    def __reduce__(self):
        return (Rounded, (str(self), self.step, self.written))

    def like(self, value: Decimal) -> str:
        """Another sum written the way this one is: £86k beside £87k, £18.63m beside £18.64m."""
        unit = 1_000_000 if self.written.lower().endswith("m") else 1_000
        places = max(0, -(self.step / unit).normalize().as_tuple().exponent)
        sign = "-" if value < 0 else ""
        return f"{sign}£{abs(value) / unit:,.{places}f}{self.written[-1]}"


def step_of(amount: Decimal) -> Decimal | None:
    """The precision a stated sum was written to (£1,000 for "£87k"), or None when it is exact."""
    return amount.step if isinstance(amount, Rounded) else None


def to_step(value: Decimal, step: Decimal) -> Decimal:
    """`value` rounded half up to a whole number of `step`s: £86,420 to the nearest £1,000 is £86,000."""
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def stated_agrees(stated: Decimal, actual: Decimal) -> bool:
    """A stated figure agrees with the one worked out when it is that figure at the stated precision:
    "£87k" agrees with £86,500 to £87,499; a figure written in full ("£86,420") only with itself."""
    step = step_of(stated)
    return actual == stated if step is None else to_step(actual, step) == stated


def parse_money(value: object) -> Decimal:
    """Read a sum of money in pounds: 1250000, "1,250,000", "£1,250,000.50", "£1.25m", "£154k".

    A sum written short ("£154k", "£1.25m") keeps the precision it was written to (see Rounded).
    Anything else ("£214,00", "£1xxk", "tba", .inf, 1e400) is refused: a malformed sum is an error, not a guess.
    """
    return _within_money_limit(_read_money(value))


def _money(value: object, handler) -> Decimal:
    """Validate a sum as pydantic validates a Decimal (with its constraints), keeping its precision."""
    parsed = parse_money(value)
    checked = handler(parsed)
    return Rounded(checked, parsed.step, parsed.written) if isinstance(parsed, Rounded) else checked


def _within_money_limit(amount: Decimal) -> Decimal:
    if abs(amount) >= MONEY_LIMIT:
        raise ValueError(f"a sum of money less than £{MONEY_LIMIT:,.0f} (this one is too large to be right)")
    return amount


def _read_money(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a sum of money")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"'{value}' is not a sum of money")
        return Decimal(str(value)).quantize(Decimal("0.01")) if value != int(value) else Decimal(int(value))
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if _MONEY_GROUPED.match(text) or _MONEY_PLAIN.match(text):
            return Decimal(text.replace("£", "").replace(",", ""))
        short = _MONEY_SHORT.match(text)
        if short:
            factor = 1000 if short.group(2).lower() == "k" else 1_000_000
            sign = -1 if text.startswith("-") else 1
            digits = short.group(1).replace(",", "")
            amount = sign * (Decimal(digits) * factor).quantize(Decimal("1"))
            places = len(digits.split(".")[1]) if "." in digits else 0
            step = max(Decimal(1), Decimal(1).scaleb(-places) * factor).quantize(Decimal(1))
            written = f"{'-' if sign < 0 else ''}£{short.group(1)}{short.group(2).lower()}"
            return Rounded(amount, step, written)
    raise ValueError(f"'{value}' is not a well-formed sum of money")


Money = Annotated[Decimal, WrapValidator(_money), PlainSerializer(Decimal)]
"""A sum in pounds. Write 1250000, "£1,250,000" or "£1.25m" (a Rounded sum, read at its precision where
it states a figure worked out elsewhere)."""


def _bounded_number(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("a number (not infinite, and not .nan)")
    if abs(value) >= NUMBER_LIMIT:
        raise ValueError(f"a number less than {NUMBER_LIMIT:,} (this one is too large to be right)")
    return value


def _bounded_whole_number(value: int) -> int:
    if abs(value) >= NUMBER_LIMIT:
        raise ValueError(f"a whole number less than {NUMBER_LIMIT:,} (this one is too large to be right)")
    return value


Number = Annotated[float, AfterValidator(_bounded_number)]
"""A number such as 12.5: finite, and small enough for a spreadsheet to hold exactly."""
WholeNumber = Annotated[int, AfterValidator(_bounded_whole_number)]
"""A whole number such as 12, small enough for a spreadsheet to hold exactly."""

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


FIRST_YEAR, LAST_YEAR = 1990, 2100
"""The years a plan's dates, periods and quarters may fall in."""
MAX_PLAN_YEARS = 20
"""The most financial years a plan's period may cover: every table by year has a column for each."""


class Period(Record):
    start: dt.date
    """First day of the plan, such as 2015-04-01."""
    end: dt.date
    """Last day of the plan, such as 2017-03-31."""

    @field_validator("start", "end")
    @classmethod
    def _in_range(cls, value: dt.date) -> dt.date:
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(f"a date between {FIRST_YEAR} and {LAST_YEAR}")
        return value

    @field_validator("end")
    @classmethod
    def _after_start(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if isinstance(start, dt.date):
            if value <= start:
                raise ValueError(f"a date after the start ({start:%Y-%m-%d})")
            if value.year - start.year > MAX_PLAN_YEARS:
                raise ValueError(f"a date at most {MAX_PLAN_YEARS} years after the start ({start:%Y-%m-%d}): "
                                 "a plan's period is a few years")
        return value

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
        if not match or not FIRST_YEAR <= int(match.group(1)) < LAST_YEAR:
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
    def short_label(self) -> str:
        """"Quarter 3 of 2025/26": the label without its months, for a running header."""
        return f"Quarter {self.number} of {self.financial_year}"

    @property
    def label(self) -> str:
        """"Quarter 3 of 2025/26 (October to December 2025)"."""
        return f"Quarter {self.number} of {self.financial_year} ({self.start:%B} to {self.end:%B %Y})"


# --- a date, or a month known only to the month ------------------------------------------

_MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"), start=1)}
_MONTH_ISO = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_WORDS = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")
DATE_OR_MONTH = "a date written as YYYY-MM-DD, or a month such as 2025-10 or October 2025"


@dataclass(frozen=True, order=True)
class Month:
    """A month a plan gives without a day, such as October 2025: it starts on its first day and ends on its last."""

    year: int
    month: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def iso(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def __str__(self) -> str:
        return f"{self.start:%B %Y}"


def parse_date_or_month(value: object) -> dt.date | Month:
    """A date (2025-10-31), or a month: 2025-10, "October 2025" or "Oct 2025"."""
    if isinstance(value, (dt.date, Month)) and not isinstance(value, dt.datetime):
        return _in_years(value, value.year)
    if isinstance(value, str):
        text = value.strip()
        try:
            return _in_years(dt.date.fromisoformat(text), int(text[:4]))
        except ValueError:
            pass
        iso, words = _MONTH_ISO.match(text), _MONTH_WORDS.match(text)
        if iso and 1 <= int(iso.group(2)) <= 12:
            return _in_years(Month(int(iso.group(1)), int(iso.group(2))), int(iso.group(1)))
        if words:
            name = words.group(1).lower()
            number = _MONTH_NUMBERS.get(name) or next(
                (n for full, n in _MONTH_NUMBERS.items() if len(name) >= 3 and full.startswith(name)), None)
            if number:
                return _in_years(Month(int(words.group(2)), number), int(words.group(2)))
    raise ValueError(DATE_OR_MONTH)


def _in_years(value: dt.date | Month, year: int) -> dt.date | Month:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{DATE_OR_MONTH}, between {FIRST_YEAR} and {LAST_YEAR}")
    return value


DateOrMonth = Annotated[dt.date | Month, PlainValidator(parse_date_or_month),
                        PlainSerializer(lambda v: v.iso if isinstance(v, Month) else v.isoformat(), when_used="json")]
"""A date such as 2025-10-31, or a month known only to the month: 2025-10 or "October 2025"."""


def first_day(value: dt.date | Month) -> dt.date:
    """A date as it is; a month as its first day (when a task that starts in it starts)."""
    return value.start if isinstance(value, Month) else value


def last_day(value: dt.date | Month) -> dt.date:
    """A date as it is; a month as its last day (when a task due in it is due)."""
    return value.end if isinstance(value, Month) else value


def shown_date(value: dt.date | Month) -> str:
    """30 September 2025, or October 2025 for a month."""
    return str(value) if isinstance(value, Month) else f"{value:%d %B %Y}"


# --- a rating: a whole number, or a word from a scale ------------------------------------


def rating_parser(words: list[str], numbers: bool = True):
    """A validator for a score written as a whole number (4), when `numbers`, or as one of `words` in any case
    (high -> High)."""
    by_lower = {word.lower(): word for word in words}
    expected = f"{'a whole number or ' if numbers else ''}one of {', '.join(words)}"

    def parse(value: object) -> int | str:
        if numbers and isinstance(value, int) and not isinstance(value, bool):
            return _bounded_whole_number(value)
        if isinstance(value, str):
            text = " ".join(value.split())
            if numbers and text.isdigit():
                return _bounded_whole_number(int(text))
            if text.lower() in by_lower:
                return by_lower[text.lower()]
        raise ValueError(expected)

    return parse
