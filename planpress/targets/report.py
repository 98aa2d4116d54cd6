"""The quarterly progress update to the Health and Wellbeing Board, as Word and PDF, from content/progress/.

`python build.py` writes one for every quarter reported; `python build.py report 2014-q3`
writes one quarter's alone. Same pipeline and house style as the plan document.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from planpress.build import check_plan
from planpress.documents.docx import DocumentFacts
from planpress.documents.markdown import PlanDocument, anchor, attribute, yaml_text
from planpress.errors import ContentErrors, PlanError
from planpress.figures import Figures, ProgressFigures, compute, progress
from planpress.load import PlanContent
from planpress.models import Quarter
from planpress.progress_charts import progress_charts
from planpress.render import render_template, template_environment
from planpress.targets import BuildContext, Target, slugify
from planpress.targets.document import write_word_and_pdf
from planpress.version import version_stamp
from planpress.write import staged_output

TEMPLATE = "report/report.md.j2"
TITLE = "Better Care Fund: quarterly progress report"


def report_names(slug: str, quarter: str) -> list[str]:
    return [f"{slug}-bcf-progress-{quarter}.docx", f"{slug}-bcf-progress-{quarter}.pdf"]


def build(context: BuildContext) -> list[str]:
    figures = compute(context.content)
    written = []
    for quarter in context.content.progress:
        written += write_report(context.content, figures, quarter, context.draft, context.stage.path)
    return written


def write_report(content: PlanContent, figures: Figures, quarter: str, draft: bool, path_for) -> list[str]:
    quarter_figures = progress(content, figures, quarter)
    document = render_report_markdown(content, figures, quarter_figures, draft)
    docx_name, pdf_name = report_names(slugify(content.plan.area), quarter)
    stamp = version_stamp(content.root, content.plan.version)
    facts = DocumentFacts(
        title=f"{TITLE}, {quarter_figures.quarter.label}",
        subject=f"Better Care Fund progress report of {content.plan.hwb}",
        author=quarter_figures.report.author, hwb=content.plan.hwb, version=stamp.short,
        status=quarter_figures.quarter.label, draft=draft, draft_note=document.draft_note,
        date=quarter_figures.report.meeting, keywords="Better Care Fund; BCF; progress report")
    write_word_and_pdf(content, document, facts, path_for(docx_name), path_for(pdf_name))
    return [docx_name, pdf_name]


def render_report_markdown(content: PlanContent, figures: Figures, quarter: ProgressFigures,
                           draft: bool) -> PlanDocument:
    charts = progress_charts(quarter)
    env = template_environment(content.root, content.pack.id)
    env.filters.update(yaml_text=yaml_text, attribute=attribute)
    note = "DRAFT: a draft build, not the report as sent to the board"
    stamp = version_stamp(content.root, content.plan.version)
    data = SimpleNamespace(plan=content.plan, progress=quarter, figures=figures, risks=content.risks,
                           charts=charts, draft=draft, draft_note=note, title=TITLE, anchor=anchor,
                           stamp=str(stamp), stamp_short=stamp.short)
    markdown = render_template(env, TEMPLATE, data=data, **vars(data))
    return PlanDocument(markdown, charts, draft, note)


def run(root: Path, args: argparse.Namespace) -> int:
    """`python build.py report <year>-q<N>`: one quarter's report into output/, staged like any build."""
    if len(args.arguments) != 1:
        print("Error: say which quarter, such as `python build.py report 2014-q3`.", file=sys.stderr)
        return 1
    try:
        quarter = Quarter.parse(args.arguments[0]).name
    except ValueError as error:
        print(f"Error: {error}.", file=sys.stderr)
        return 1
    started = time.perf_counter()
    checked = check_plan(root)
    if checked.blocking:
        raise ContentErrors(checked.findings)
    content = checked.content
    if quarter not in content.progress:
        known = ", ".join(content.progress) or "none yet"
        raise PlanError(f"There is no content/progress/{quarter}.yaml (quarters reported: {known}). "
                        f"Write it first: see content/progress/ for an example.")
    names = report_names(slugify(content.plan.area), quarter)
    draft = args.final is False or content.plan.status != "agreed"
    with staged_output(root, names) as stage:
        write_report(content, compute(content), quarter, draft, stage.path)
    for name in names:
        print(f"Wrote output/{name}")
    print(f"Built the {quarter} progress report in {time.perf_counter() - started:.1f} s.")
    return 0


TARGET = Target(
    name="reports",
    summary="the quarterly progress reports to the board (Word and PDF), one per quarter in content/progress",
    outputs=lambda slug: [f"{slug}-bcf-progress-*"],
    build=build,
)
