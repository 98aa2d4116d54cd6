"""One readable build: read everything, check everything, then write every target at once."""

from __future__ import annotations

import dataclasses
import fnmatch
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from planpress.cache import build_key, reuse_build, store_build
from planpress.checks import all_findings, author_markup, html_policy
from planpress.checks.unfinished import UNFINISHED_RULES
from planpress.errors import ContentErrors, FinalBuildRefused, Finding  # noqa: F401 (FinalBuildRefused: raised here)
from planpress.load.content import PLAN_FILE, PlanContent, load_content
from planpress.render.prose import render_prose
from planpress.side_by_side import run_side_by_side
from planpress.targets import BuildContext, Target, all_targets, output_prefix
from planpress.write import OUTPUT_DIR, scratch_folder, staged_output


@dataclass(frozen=True)
class CheckedPlan:
    content: PlanContent | None
    """The plan, with author prose already rendered (figures quoted in the text filled in); None when a
    build was reused whole from the cache, without reading the plan."""
    findings: list[Finding]
    reused: bool = False
    """True when the build's outputs came from the cache (nothing that goes into them had changed)."""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def blocking(self) -> list[Finding]:
        """Errors that stop every build: the content could not be read or rendered whole."""
        return [f for f in self.errors if f.blocks_build]

    @property
    def unfinished(self) -> list[Finding]:
        """What stops a final build: every error, and every placeholder or unanswered question."""
        return [f for f in self.findings if f.severity == "error" or f.rule in UNFINISHED_RULES]


def check_plan(root: Path) -> CheckedPlan:
    """Load content/, run every check and render the author prose; findings sorted by file and line.

    Loading and reference problems block every build; the other rules' errors only block a
    final build, so a draft can always be built and shared.
    """
    content, load_findings = load_content(root)
    structural, rules = all_findings(content)
    rendered, prose_findings = render_prose(content)
    filled_in, filled_in_rules = _filled_in_findings(content, rendered, structural + rules)
    content = rendered
    blocking = [dataclasses.replace(f, blocks_build=True)
                for f in load_findings + structural + prose_findings + filled_in]
    findings = _with_owners(content, blocking + rules + filled_in_rules)
    findings.sort(key=lambda f: (f.location.file, f.location.line))
    return CheckedPlan(content, findings)


def _filled_in_findings(written: PlanContent, rendered: PlanContent,
                        found: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """The text checks asked again of the text with its figures filled in ({{ ... }} worked out), for
    what only the filled-in text holds (a raw block, a character the PDF cannot show, HTML the website
    removes): the blocking ones and the others, each found once."""
    # Only the sections and items whose text changed, and none of the YAML (no expression fills it in).
    # render_prose keeps each list's order and length: compared pair by pair (not each with every other).
    changed = dataclasses.replace(
        rendered, sections=[doc for doc, was in zip(rendered.sections, written.sections) if doc != was],
        schemes=[doc for doc, was in zip(rendered.schemes, written.schemes) if doc != was], sources={})
    if not changed.sections and not changed.schemes:
        return [], []
    seen = {(f.location, f.message) for f in found}
    blocking = [f for f in author_markup.check(changed) if (f.location, f.message) not in seen]
    others = [f for f in html_policy.check(changed) if (f.location, f.message) not in seen]
    return blocking, others


def build(root: Path, targets: list[Target] | None = None, final: bool = False) -> tuple[CheckedPlan, list[str]]:
    """Build the chosen targets (all by default) into output/.

    When nothing that goes into them has changed since a build the cache keeps (planpress/cache.py),
    its files are put in output/ as they were. Otherwise, in order: read and check the whole plan;
    refuse if it cannot be built (or, for a final build, if anything is unfinished); stage a copy
    of output/ without the targets' old files; let the targets write, side by side
    (planpress/side_by_side.py), then finish what needs the others' files; swap the stage into
    output/; keep a copy in the cache.
    """
    selection = None if targets is None else _selection(targets)
    reused = reuse_build(root, selection, final)
    if reused is not None:
        answer, written = reused
        return CheckedPlan(None, answer.findings, reused=True), written
    key = build_key(root, selection, final)
    checked, owned, written = _build_afresh(root, targets if targets is not None else all_targets(), final)
    if build_key(root, selection, final) == key:  # not if an author saved a file while it built
        store_build(root, key, root / OUTPUT_DIR, _names_in(root / OUTPUT_DIR, owned), checked.findings, owned, written)
    return checked, written


def _build_afresh(root: Path, requested: list[Target], final: bool) -> tuple[CheckedPlan, list[str], list[str]]:
    """Check the plan and write the targets; the check, the names the targets own in output/ and what they wrote."""
    with ExitStack() as started:
        early = [target.early for target in requested if target.early is not None]
        if early:  # a slow tool starts while the plan is read (planpress/targets), in a scratch folder of the build's
            scratch = started.enter_context(scratch_folder(root))
            for start in early:
                started.enter_context(start(scratch))
        checked = check_plan(root)
        if checked.blocking:
            raise ContentErrors(checked.findings)
        if final and checked.unfinished:
            raise FinalBuildRefused(checked.unfinished)
        targets = [t for t in requested if t.wanted(checked.content)]
        slug = output_prefix(checked.content)
        owned = [name for target in targets for name in target.outputs(slug)]
        with staged_output(root, owned) as stage:
            context = BuildContext(checked.content, stage, final, tuple(checked.findings),
                                   building=tuple(target.name for target in targets))
            jobs = [job for target in targets for job in target.jobs(context)]
            written = [name for names in run_side_by_side(jobs) for name in names]
            for target in targets:
                if target.finish is not None:
                    target.finish(context)
    return checked, owned, written


def _selection(targets: list[Target]) -> str:
    """The targets named as the command line names them; one made for the occasion (a quarter's report) by
    what it makes too, so that two of them never share a cache entry."""
    known = all_targets()
    return ",".join(target.name if target in known else f"{target.name} ({target.summary})" for target in targets)


def _names_in(output: Path, owned: list[str]) -> list[str]:
    """The top-level names in output/ that the build's targets own (some are patterns)."""
    return [item.name for item in output.iterdir() if any(fnmatch.fnmatchcase(item.name, pattern) for pattern in owned)]


def item_owner(doc) -> str:
    """Who answers for an item's description: its owner, else its lead."""
    return getattr(doc.meta, "owner", None) or getattr(doc.meta, "lead", None) or ""


def _data_owners(content: PlanContent) -> dict[str, str]:
    """content/plan.yaml's data_owners, read from the file itself when the plan's details do not validate yet."""
    if content.plan:
        return dict(content.plan.data_owners)
    raw = content.sources.get(PLAN_FILE)
    owners = raw.data.get("data_owners") if raw and isinstance(raw.data, dict) else None
    return {str(k): str(v) for k, v in owners.items()} if isinstance(owners, dict) else {}


def _with_owners(content: PlanContent, findings: list[Finding]) -> list[Finding]:
    """Name on each finding the person who answers for its file, so work can be shared out."""
    owners = {doc.file: doc.meta.owner for doc in content.sections}
    owners |= {doc.file: item_owner(doc) for doc in content.schemes}
    named = _data_owners(content)
    if named:
        owners |= {file: named[name] for name, file in content.data_files().items() if name in named}
        if "plan" in named:
            owners[PLAN_FILE] = named["plan"]
    return [dataclasses.replace(f, owner=owners.get(f.location.file, "")) for f in findings]
