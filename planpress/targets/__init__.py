"""Output targets. Each turns the loaded plan into files in the build's stage; all share one interface.

A later capability adds a target by writing a module with a `Target` and listing it in all_targets().
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from planpress.errors import Finding
from planpress.load import PlanContent
from planpress.write import Stage


@dataclass(frozen=True)
class BuildContext:
    """What every target is given: the checked plan, the stage to write into, and the build's kind."""

    content: PlanContent
    stage: Stage
    final: bool = False
    findings: tuple[Finding, ...] = ()
    """Every open problem check found (none are errors in a final build)."""

    @property
    def draft(self) -> bool:
        """Outputs say DRAFT unless this is a final build of an agreed plan."""
        assert self.content.plan is not None
        return not self.final or self.content.plan.status != "agreed"

    @property
    def open_problems(self) -> int:
        return len(self.findings)

    @property
    def slug(self) -> str:
        """The area's name as it appears in output file names, such as "harrowdale"."""
        assert self.content.plan is not None
        return slugify(self.content.plan.area)


@dataclass(frozen=True)
class Target:
    name: str
    """The command that builds only this target, such as "site"."""
    summary: str
    """One line for `--help`."""
    outputs: Callable[[str], list[str]]
    """The top-level names in output/ the target owns, given the area's slug."""
    build: Callable[[BuildContext], list[str]]
    """Write the target's files into the stage; return their paths relative to output/."""


def slugify(text: str) -> str:
    cleaned = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(part for part in cleaned.split("-") if part) or "plan"


def all_targets() -> list[Target]:
    from planpress.targets import data, document, report, site, workbook

    return [data.TARGET, document.TARGET, workbook.TARGET, report.TARGET, site.TARGET]  # site last: it offers the other targets' files as downloads
