"""One readable build: read everything, check everything, then write every target at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planpress.checks import run_checks
from planpress.errors import ContentErrors, Finding
from planpress.load import PlanContent, load_content
from planpress.targets import BuildContext, Target, all_targets, slugify
from planpress.write import staged_output


@dataclass(frozen=True)
class CheckedPlan:
    content: PlanContent
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


def check_plan(root: Path) -> CheckedPlan:
    """Load content/ and run every check; the findings come sorted by file and line."""
    content, findings = load_content(root)
    findings = findings + run_checks(content)
    findings.sort(key=lambda f: (f.location.file, f.location.line))
    return CheckedPlan(content, findings)


def build(root: Path, targets: list[Target] | None = None, final: bool = False) -> tuple[CheckedPlan, list[str]]:
    """Build the chosen targets (all by default) into output/; raise ContentErrors if the plan has errors.

    Stages, in order: read and check the whole plan; stage a copy of output/ without the
    targets' old files; let each target write; swap the stage into output/.
    """
    checked = check_plan(root)
    if checked.errors:
        raise ContentErrors(checked.findings)
    targets = targets if targets is not None else all_targets()
    slug = slugify(checked.content.plan.area)
    owned = [name for target in targets for name in target.outputs(slug)]
    written: list[str] = []
    with staged_output(root, owned) as stage:
        context = BuildContext(checked.content, stage, final)
        for target in targets:
            written += target.build(context)
    return checked, written
