"""Template packs: what a national template asks, kept as data in templates/<pack>/pack.yaml.

Nothing about one year's template is written in code: a later round is a new pack.
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from planpress.models import Money, Record


class PackPart(Record):
    id: str
    """A stable name for the part, such as summary."""
    label: str = ""
    """The letter the template gives the part, such as a; blank if it has none."""
    title: str
    """The part's title; an author answers it under a level-2 heading with this text."""
    question: str
    """The template's question for the part."""
    data: str | None = None
    """The content data that answers the part, if any (its narrative is then optional)."""

    @property
    def numbered_title(self) -> str:
        """The title as the template numbers it, such as "a) Summary of plan"."""
        return f"{self.label}) {self.title}" if self.label else self.title


class PackSection(Record):
    id: str
    """The section's id; a section file names it in its front matter."""
    number: str
    """The template's number for the section, such as 1."""
    title: str
    """The section's title."""
    parts: list[PackPart] = Field(min_length=1)
    """The section's parts, in order."""

    @property
    def numbered_title(self) -> str:
        return f"{self.number}) {self.title}"


class PayForPerformanceRule(Record):
    minimum_reduction_percent: float = Field(gt=0, lt=100)
    """The smallest planned reduction in non-elective admissions, as a percentage of the baseline."""
    unit_cost: Money
    """The national cost of one non-elective admission, used to value the reduction."""


class RiskBand(Record):
    up_to: int = Field(ge=1, le=25)
    """The highest risk factor in the band."""
    name: str
    """The band's name, such as High."""


class PlaceholderPattern(Record):
    name: str
    """What the pattern finds, as an author would say it, such as "to be confirmed"."""
    pattern: str
    """A Python regular expression."""
    ignore_case: bool = False
    """Match any mix of capitals and small letters."""
    unless_after: list[str] = []
    """Words that, just before a match, make it something else (the roman numeral in "section x")."""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as error:
            raise ValueError(f"the pattern does not compile: {error}") from None
        return value

    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.IGNORECASE if self.ignore_case else 0)


class WorkbookSheets(Record):
    """The names the template gives the sheets of its Part 2 workbook."""

    summary: str = "Summary"
    """The plan details and totals."""
    funding: str = "Funding sources"
    """Funding sources by year."""
    expenditure: str = "Expenditure plan"
    """One row per scheme line and year."""
    metrics: str = "Benefits and metrics"
    """Baseline and planned values of each metric."""
    risks: str = "Risk log"
    """The risk log."""


class Pack(Record):
    id: str
    """The pack's id, the name of its folder in templates/."""
    name: str
    """The template's full name."""
    pay_for_performance: PayForPerformanceRule | None = None
    """The pay-for-performance element the template asks for, if any."""
    risk_bands: list[RiskBand] = []
    """Bands for the overall risk factor, lowest first."""
    placeholders: list[PlaceholderPattern] = []
    """The forms of unfinished text to find anywhere in the content."""
    workbook: WorkbookSheets = WorkbookSheets()
    """The Part 2 workbook's sheet names."""
    sections: list[PackSection] = Field(min_length=1)
    """The template's sections, in order."""
    scheme_parts: list[PackPart] = Field(min_length=1)
    """The parts of the detailed scheme description (Annex 1)."""

    def risk_band(self, factor: int) -> str:
        """The name of the band a risk factor falls in, or "" when the pack has no bands."""
        return next((band.name for band in self.risk_bands if factor <= band.up_to), "")

    def section(self, section_id: str) -> PackSection | None:
        return next((s for s in self.sections if s.id == section_id), None)
