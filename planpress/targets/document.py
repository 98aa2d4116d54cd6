"""The submission documents: the plan as the national template's Word document, and as a PDF/UA-1 PDF.

One pandoc Markdown document (templates/<pack>/document/plan.md.j2) feeds both:

    content ──Jinja──▶ plan.md ──pandoc + filters.lua──▶ .docx ──finish (python-docx)──▶ <area>-plan.docx
                              └──pandoc + filters.lua──▶ .typ  ──typst (PDF/UA-1)────▶ <area>-plan.pdf
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from planpress.targets.documents.docx import DocumentFacts, finish_docx
from planpress.targets.documents.markdown import PlanDocument, render_plan_markdown
from planpress.targets.documents.pages import started_early
from planpress.targets.documents.pandoc import run_pandoc
from planpress.targets.documents.locate import likely_source
from planpress.targets.documents.pdf import compile_pdf, svgs_to_pngs
from planpress.targets.documents.pictures import copy_pictures
from planpress.word.marks import mark_sources
from planpress.errors import BuildError
from planpress.load.content import PlanContent
from planpress.cache import Key, code_and_tools, reused_file
from planpress.side_by_side import Job
from planpress.targets import BuildContext, Target
from planpress.collaborate.version import version_stamp

DOCUMENT_FOLDER = "document"


def outputs(slug: str) -> list[str]:
    return [f"{slug}-plan.docx", f"{slug}-plan.pdf"]


def build(context: BuildContext) -> list[str]:
    return [name for job in parts(context) for name in job.run()]


def parts(context: BuildContext) -> list[Job]:
    """The Word file and the PDF, made side by side from one rendering of the plan."""
    content = context.content
    docx_name, pdf_name = outputs(context.slug)
    document = render_plan_markdown(content, draft=context.draft)
    facts = _facts(content, document)
    style = house_style(content)

    def word() -> list[str]:
        write_word(content, document, facts, style, context.stage.path(docx_name))
        return [docx_name]

    def pdf() -> list[str]:
        write_pdf(content, document, facts, style, context.stage.path(pdf_name))
        return [pdf_name]

    # The Word file waits on LibreOffice for its page numbers: the longest job of a build.
    return [Job("the Word file", word, weight=5), Job("the PDF", pdf, weight=2)]


def write_word_and_pdf(content: PlanContent, document: PlanDocument, facts: DocumentFacts,
                       docx_path: Path, pdf_path: Path) -> None:
    """Turn one pandoc Markdown document into the Word file and the PDF, in the pack's house style.

    Shared by every document the plan makes (the submission, the quarterly report).
    """
    style = house_style(content)
    write_word(content, document, facts, style, docx_path)
    write_pdf(content, document, facts, style, pdf_path)


def write_word(content: PlanContent, document: PlanDocument, facts: DocumentFacts, style: dict[str, Path],
               docx_path: Path) -> None:
    """The Word file: made by pandoc and laid out by LibreOffice (or the cache's copy of the same), then
    marked with where each paragraph came from (which reads content/, so is never cached)."""
    def make(laid_out: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="planpress-document-") as scratch:
            work = Path(scratch)
            source = _write_sources(work, document, pngs=True)
            _build_docx(source, work, style, laid_out, facts)

    reused_file(content.root, _document_key("docx", document, facts, style), docx_path, make)
    mark_sources(docx_path, content.root)  # invisible: where each paragraph came from, for `absorb` (planpress/word/)


def write_pdf(content: PlanContent, document: PlanDocument, facts: DocumentFacts, style: dict[str, Path],
              pdf_path: Path) -> None:
    def make(output: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="planpress-document-") as scratch:
            work = Path(scratch)
            source = _write_sources(work, document, pngs=False)
            try:
                _build_pdf(source, work, style, output, facts)
            except BuildError as error:
                raise BuildError(_located(str(error), content.root, work / "plan.typ")) from None

    reused_file(content.root, _document_key("pdf", document, facts, style), pdf_path, make)


def _document_key(kind: str, document: PlanDocument, facts: DocumentFacts, style: dict[str, Path]) -> str:
    """Everything a Word file or PDF is made from (planpress/cache.py): the same key, the same file."""
    key = Key(kind).add("code", code_and_tools()).add("markdown", document.markdown).add("facts", repr(facts))
    for chart in document.charts:
        key.add(chart.filename, chart.svg)
        for page in chart.pages:
            key.add("page", page)
    for picture in document.pictures:
        key.add_file(picture.name, picture.source)
    for name, path in sorted(style.items()):
        key.add_file(name, path)
    return key.hexdigest()


HOUSE_STYLE = ("reference.docx", "filters.lua", "plan.typ")


def house_style(content: PlanContent) -> dict[str, Path]:
    """The house style's files: the pack's own (templates/<pack>/document/), else the shared ones."""
    found = {}
    for name in HOUSE_STYLE:
        found[name] = content.pack.find(f"{DOCUMENT_FOLDER}/{name}")
        if found[name] is None:
            raise BuildError(f"Neither templates/{content.pack.id}/{DOCUMENT_FOLDER}/ nor templates/common/"
                             f"{DOCUMENT_FOLDER}/ has {name}: the documents cannot be built without it")
    return found


def _write_sources(work: Path, document: PlanDocument, pngs: bool) -> Path:
    """The Markdown and the charts it embeds, side by side, as pandoc and typst expect to find them.

    Each chart is written as SVG for the PDF, where it stays vector, and (`pngs`) as PNG for
    Word; each picture of the authors' is copied to the place the Markdown names it by.
    """
    source = work / "plan.md"
    source.write_text(document.markdown, encoding="utf-8")
    copy_pictures(document.pictures, work)
    svgs = []
    for chart in document.charts:
        path = work / chart.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(chart.svg, encoding="utf-8")
        svgs.append(path)
        for number, page in enumerate(chart.pages, 1):  # a chart too long for one page, in parts
            part = work / chart.page_filename(number)
            part.write_text(page, encoding="utf-8")
            svgs.append(part)
    if pngs:
        svgs_to_pngs(svgs)  # the Word file's copies (filters.lua)
    return source


def _build_docx(source: Path, work: Path, style: dict[str, Path], output: Path, facts: DocumentFacts) -> None:
    written = work / "plan.docx"
    # native_numbering: "Figure 1: ..." captions with SEQ fields, numbered as the PDF's (Typst numbers figures).
    run_pandoc(source, written, "docx+native_numbering", f"--reference-doc={style['reference.docx']}",
               f"--lua-filter={style['filters.lua']}", f"--resource-path={work}", cwd=work)
    finish_docx(written, facts)
    shutil.copyfile(written, output)


def _build_pdf(source: Path, work: Path, style: dict[str, Path], output: Path, facts: DocumentFacts) -> None:
    typ = work / "plan.typ"
    # The PDF's title and running header say what the Word file's properties and header say
    # (a report's title names its area and quarter; its header is short enough for one line).
    said = [f"--metadata=title:{facts.title}", f"--metadata=header-title:{facts.header or facts.title}",
            f"--metadata=status:{facts.status}"]
    run_pandoc(source, typ, "typst", f"--template={style['plan.typ']}", "--wrap=none",
               f"--lua-filter={style['filters.lua']}", *said, cwd=work)
    compile_pdf(typ, output, root=work)


def _located(message: str, root: Path, typst_source: Path) -> str:
    """Typst's message, with the author's line it most likely stopped at (it can only name plan.typ)."""
    where = likely_source(root, message, typst_source if typst_source.exists() else None)
    if where is None:
        return (f"{message}\nThe text it stopped at was not found in content/: it most likely comes from a figure "
                "filled in by {{ ... }} or from the template pack. Run `python build.py check`, which names what it can.")
    return f"{where}: the PDF cannot be made from the text here (most likely). Typst said: {message}"


def _facts(content: PlanContent, document: PlanDocument) -> DocumentFacts:
    plan = content.plan
    return DocumentFacts(
        title=plan.title,
        subject=filled(content.pack.document.subject, plan),
        author=filled(content.pack.document.author, plan),
        hwb=filled(content.pack.document.author, plan),
        keywords=content.pack.document.keywords,
        version=version_stamp(content.root, plan.version).short,
        status=plan.status.capitalize(),
        draft=document.draft,
        draft_note=document.draft_note,
        date=next((getattr(plan, name) for name in content.pack.document.dates if getattr(plan, name, None)), None),
    )


def filled(text: str, plan) -> str:
    """A pack's wording with the plan's fields filled in: "{hwb}" becomes the board's name."""
    fields = {name: getattr(plan, name) for name in type(plan).model_fields}
    return text.format(**fields, start=plan.period.start.year, end=plan.period.end.year)


TARGET = Target(
    name="documents",
    summary="the submission document, as Word and as PDF",
    outputs=outputs,
    build=build,
    parts=parts,
    early=started_early,
)
