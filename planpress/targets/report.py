"""The quarterly progress update to the Health and Wellbeing Board, as Word and PDF, from content/progress/.

`python build.py` writes one for every quarter reported; `python build.py report 2025-q3`
writes one quarter's alone. Same pipeline and house style as the plan document.
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import yaml

from planpress.build import build as build_plan
from planpress.targets.documents.docx import DocumentFacts
from planpress.targets.documents.markdown import PlanDocument, anchor, attribute, yaml_text
from planpress.errors import PlanError
from planpress.figures import Figures, ProgressFigures, compute, progress
from planpress.load.content import PlanContent
from planpress.load.models import Quarter
from planpress.render.progress_charts import progress_charts
from planpress.render import render_template, template_environment
from planpress.render.context import layout_context
from planpress.side_by_side import Job
from planpress.targets import BuildContext, Target, output_prefix
from planpress.targets.document import filled, write_word_and_pdf
from planpress.collaborate.version import VersionStamp, version_stamp

TEMPLATE = "report/report.md.j2"


def report_names(slug: str, quarter: str) -> list[str]:
    return [f"{slug}-progress-{quarter}.docx", f"{slug}-progress-{quarter}.pdf"]


def build(context: BuildContext) -> list[str]:
    return [name for job in parts(context) for name in job.run()]


def parts(context: BuildContext) -> list[Job]:
    """One job per quarter's report, so that reports are written side by side."""
    figures = compute(context.content)
    return [Job(f"the {quarter} progress report",
                partial(write_report, context.content, figures, quarter, context.draft, context.stage.path),
                weight=0.7)
            for quarter in context.content.progress]


def promised(context: BuildContext) -> list[str]:
    return [name for quarter in context.content.progress for name in report_names(context.slug, quarter)]


def write_report(content: PlanContent, figures: Figures, quarter: str, draft: bool, path_for) -> list[str]:
    quarter_figures = progress(content, figures, quarter)
    stamp = version_stamp(content.root, content.plan.version)
    document = render_report_markdown(content, figures, quarter_figures, draft, stamp)
    docx_name, pdf_name = report_names(output_prefix(content), quarter)
    wording = content.pack.report
    heading = _title_block(document.markdown)
    quarter_name = quarter_figures.quarter.short_label
    report_title = heading.get("title") or wording.title
    facts = DocumentFacts(
        # The title its layout gives the report (a pack may call a quarter's report something else,
        # such as an end-of-year report), with the area and the quarter, so that each quarter's file
        # says whose and which it is; the running header, a shorter one that fits one line.
        title=f"{content.plan.area} {report_title}, {quarter_name}",
        header=f"{content.plan.area} {report_title.rpartition(': ')[2]}, {quarter_name}",
        subject=heading.get("subject") or filled(wording.subject, content.plan),
        author=quarter_figures.report.author, hwb=filled(content.pack.document.author, content.plan),
        version=stamp.short, status="", draft=draft, draft_note=document.draft_note,
        date=quarter_figures.report.meeting, keywords=wording.keywords)
    write_word_and_pdf(content, document, facts, path_for(docx_name), path_for(pdf_name))
    return [docx_name, pdf_name]


def _title_block(markdown: str) -> dict:
    """The title, subtitle and subject of the YAML block a report's Markdown starts with, or {} if it has none."""
    if not markdown.startswith("---\n"):
        return {}
    end = markdown.find("\n...\n")
    try:
        block = yaml.safe_load(markdown[4:end]) if end > 0 else None
    except yaml.YAMLError:
        return {}
    return {key: str(block[key]) for key in ("title", "subtitle", "subject") if isinstance(block, dict) and block.get(key)}


def render_report_markdown(content: PlanContent, figures: Figures, quarter: ProgressFigures,
                           draft: bool, stamp: VersionStamp) -> PlanDocument:
    charts = progress_charts(quarter)
    env = template_environment(content.pack)
    env.filters.update(yaml_text=yaml_text, attribute=attribute)
    note = "DRAFT: a draft build, not the report as sent to the board"
    data = SimpleNamespace(**layout_context(content, figures) | dict(
        progress=quarter, charts=charts, draft=draft, draft_note=note, title=content.pack.report.title,
        anchor=anchor, stamp=str(stamp), stamp_short=stamp.short))
    markdown = render_template(env, TEMPLATE, data=data, **vars(data))
    return PlanDocument(markdown, charts, draft, note)


def run(root: Path, args: argparse.Namespace) -> int:
    """`python build.py report <year>-q<N>`: one quarter's report, built like any target (checked,
    staged, refused by --final while anything is unfinished)."""
    if len(args.arguments) != 1:
        print("Error: say which quarter, such as `python build.py report 2025-q3`.", file=sys.stderr)
        return 1
    try:
        quarter = Quarter.parse(args.arguments[0]).name
    except ValueError as error:
        print(f"Error: {error}.", file=sys.stderr)
        return 1
    started = time.perf_counter()
    _, written = build_plan(root, [one_quarter(quarter)], final=args.final)
    for name in written:
        print(f"Wrote output/{name}")
    print(f"Built the {quarter} progress report in {time.perf_counter() - started:.1f} s.")
    return 0


def one_quarter(quarter: str) -> Target:
    """A target that builds only the given quarter's report."""

    def build_one(context: BuildContext) -> list[str]:
        content = context.content
        if quarter not in content.progress:
            known = ", ".join(content.progress) or "none yet"
            raise PlanError(f"There is no content/progress/{quarter}.yaml (quarters reported: {known}). "
                            "Write it first: see content/progress/ for an example.")
        return write_report(content, compute(content), quarter, context.draft, context.stage.path)

    return Target(name="report", kind="reports", summary=f"the {quarter} progress report",
                  outputs=lambda slug: report_names(slug, quarter), build=build_one)


TARGET = Target(
    name="reports",
    summary="the quarterly progress reports to the board (Word and PDF), one per quarter in content/progress",
    outputs=lambda slug: [f"{slug}-progress-*"],
    build=build,
    parts=parts,
    promised=promised,
)
