"""Template packs: what a national template asks, kept as data in templates/<pack>/pack.yaml.

Nothing about one year's template is written in code: a later round is a new pack.
"""

from __future__ import annotations

from pydantic import Field

from planpress.models import Record


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


class Pack(Record):
    id: str
    """The pack's id, the name of its folder in templates/."""
    name: str
    """The template's full name."""
    pay_for_performance: bool = False
    """Whether the template asks for a pay-for-performance element."""
    sections: list[PackSection] = Field(min_length=1)
    """The template's sections, in order."""
    scheme_parts: list[PackPart] = Field(min_length=1)
    """The parts of the detailed scheme description (Annex 1)."""

    def section(self, section_id: str) -> PackSection | None:
        return next((s for s in self.sections if s.id == section_id), None)
