"""Output targets. Each turns the loaded plan into files in the build's stage; all share one interface.

A later capability adds a target by writing a module with a `Target` and listing it in all_targets().
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from planpress.side_by_side import Job

from planpress.errors import Finding
from planpress.load.content import PlanContent
from planpress.write import Stage


@dataclass(frozen=True)
class BuildContext:
    """What every target is given: the checked plan, the stage to write into, and the build's kind."""

    content: PlanContent
    stage: Stage
    final: bool = False
    findings: tuple[Finding, ...] = ()
    """Every open problem check found (none are errors in a final build)."""
    building: tuple[str, ...] = ()
    """The names of the targets this build writes (their files may not be written yet)."""

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
        """How output file names start: the area and the kind of plan, such as "harrowdale-bcf"."""
        return output_prefix(self.content)


@dataclass(frozen=True)
class Target:
    name: str
    """The command that builds only this target, such as "site"."""
    summary: str
    """One line for `--help`."""
    outputs: Callable[[str], list[str]]
    """The top-level names in output/ the target owns, given how their names start (BuildContext.slug)."""
    build: Callable[[BuildContext], list[str]]
    """Write the target's files into the stage; return their paths relative to output/."""
    kind: str = ""
    """The output a pack lists in `outputs` to have this target (its name by default)."""
    parts: Callable[[BuildContext], list[Job]] | None = None
    """The target's work as jobs that may run side by side (by default `build`, as one job)."""
    weight: float = 1.0
    """About how long `build` takes, relative to other targets: the heaviest start first."""
    promised: Callable[[BuildContext], list[str]] | None = None
    """The names of the files `build` will write (by default `outputs`, when they name files, not patterns)."""
    early: Callable[[Path], AbstractContextManager] | None = None
    """A slow tool to start before the plan is read, given the build's scratch folder (LibreOffice)."""
    finish: Callable[[BuildContext], None] | None = None
    """What is left once every target of the build has written (the site's copies of the downloads)."""

    def will_write(self, context: BuildContext) -> list[str]:
        """The files this target will write in this build, known before it runs (for the site's downloads)."""
        return self.promised(context) if self.promised is not None else self.outputs(context.slug)

    def jobs(self, context: BuildContext) -> list[Job]:
        if self.parts is not None:
            return self.parts(context)
        return [Job(self.summary, lambda: self.build(context), self.weight)]

    def wanted(self, content: PlanContent) -> bool:
        return content.pack is None or (self.kind or self.name) in content.pack.outputs


def output_prefix(content: PlanContent) -> str:
    """The area's name and the pack's short name, such as "harrowdale-bcf", to start every output's name."""
    assert content.plan is not None and content.pack is not None
    return "-".join(part for part in (slugify(content.plan.area), content.pack.short_name) if part)


SLUG_LENGTH = 60
"""The longest an output's name may start with (a file name has room for 255 bytes)."""


def slugify(text: str) -> str:
    cleaned = "".join(c.lower() if c.isalnum() else "-" for c in text[:1000])
    return "-".join(part for part in cleaned.split("-") if part)[:SLUG_LENGTH].strip("-") or "plan"


def all_targets() -> list[Target]:
    from planpress.targets import data, document, report, site, workbook

    return [data.TARGET, document.TARGET, workbook.TARGET, report.TARGET, site.TARGET]  # site last: it offers the other targets' files as downloads
