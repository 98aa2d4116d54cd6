"""What the document filter (templates/common/document/filters.lua) costs pandoc, and what it makes.

Every Word file and PDF the build makes runs pandoc with this filter, so its CPU time is paid
about six times a build. For the example plan's Markdown (as the build hands it to pandoc) this
prints pandoc's CPU time (user + system, best of --runs) to Word and to Typst, without the filter
and with each filter named (--filter, again for another; by default the repository's), and what
the filter adds.

With --save DIR it also writes, with the (last) filter named, what pandoc makes of every document of
the example plan and of each plan in examples/ (the plan and each quarter's report) and of the
test document of every case the filter handles (tests/filter_cases.py), to Word and to Typst;
--compare DIR OTHER names every file that differs (a Word file part by part, its dates aside).
So a change meant to make the filter cheaper can be shown to change nothing:

    .venv/bin/python benchmarks/filter_cost.py --filter /tmp/old.lua --save /tmp/before
    .venv/bin/python benchmarks/filter_cost.py --save /tmp/after --compare /tmp/before /tmp/after

Nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from planpress.targets.documents.pandoc import READER, pandoc_path  # noqa: E402

PLANS = {"example": ROOT, **{folder.name: folder for folder in sorted((ROOT / "examples").iterdir())
                            if (folder / "content").is_dir()}}


def copied(plan: str, folder: Path) -> Path:
    """A copy of a plan outside the repository, so that its version stamp (git's state) stays the same."""
    from conftest import copy_project

    if PLANS[plan] == ROOT:
        return copy_project(folder)
    shutil.copytree(PLANS[plan], folder)
    return folder


# --- the documents, as the build hands them to pandoc --------------------------------------------


def documents(project: Path) -> dict[str, tuple[object, list[str]]]:
    """The plan's document and each quarter's report: name -> (PlanDocument, the PDF's --metadata options)."""
    from planpress.build import check_plan
    from planpress.collaborate.version import version_stamp
    from planpress.figures import compute, progress
    from planpress.targets.document import _facts
    from planpress.targets.documents.markdown import render_plan_markdown
    from planpress.targets.report import render_report_markdown

    content = check_plan(project).content
    plan = render_plan_markdown(content, draft=True)
    facts = _facts(content, plan)
    found = {"plan": (plan, [f"--metadata=title:{facts.title}", f"--metadata=header-title:{facts.title}",
                             f"--metadata=status:{facts.status}"])}
    figures = compute(content)
    stamp = version_stamp(content.root, content.plan.version)
    for quarter in content.progress:
        report = render_report_markdown(content, figures, progress(content, figures, quarter), True, stamp)
        found[f"report-{quarter}"] = (report, [f"--metadata=title:Report {quarter}", "--metadata=status:"])
    return found


def write_sources(project: Path, folder: Path) -> dict[str, tuple[Path, Path, list[str]]]:
    """Each document's Word and PDF sources (Markdown, charts, pictures): name -> (word, pdf, metadata)."""
    from planpress.targets import document as target

    written = {}
    for name, (rendered, metadata) in documents(project).items():
        word, pdf = folder / name / "word", folder / name / "pdf"
        word.mkdir(parents=True)
        pdf.mkdir(parents=True)
        target._write_sources(word, rendered, pngs=True)
        target._write_sources(pdf, rendered, pngs=False)
        written[name] = (word, pdf, metadata)
    return written


def house_style(project: Path) -> dict[str, Path]:
    from planpress.build import check_plan
    from planpress.targets.document import house_style as found

    return found(check_plan(project).content)


# --- pandoc, timed by its CPU -------------------------------------------------------------------


def pandoc(work: Path, writer: str, output: str, style: dict[str, Path], lua: Path | None,
           metadata: list[str] = (), reader: str = READER) -> float:
    """Run pandoc as the build does (planpress/targets/document.py); return its CPU time (user + system)."""
    options = ([f"--reference-doc={style['reference.docx']}", f"--resource-path={work}"] if writer.startswith("docx")
               else [f"--template={style['plan.typ']}", "--wrap=none", *metadata])
    if lua is not None:
        options.append(f"--lua-filter={lua}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([pandoc_path(), "plan.md", "--from", reader, "--to", writer, "--output", output, *options],
                            cwd=work, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"pandoc to {writer} in {work} failed:\n{result.stderr[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best_of(runs: int, measure) -> float:
    return min(measure() for _ in range(runs))


def measure(filters: list[Path], runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="planpress-filter-") as scratch:
        project = copied("example", Path(scratch) / "example")
        style = house_style(project)
        word, pdf, metadata = write_sources(project, Path(scratch))["plan"]
        for label, work, writer, output in (("Word", word, "docx+native_numbering", "plan.docx"),
                                            ("Typst", pdf, "typst", "plan.typ")):
            bare = best_of(runs, lambda: pandoc(work, writer, output, style, None, metadata))
            print(f"{label}: pandoc without the filter: {bare:.2f} s CPU")
            for lua in filters:
                filtered = best_of(runs, lambda: pandoc(work, writer, output, style, lua, metadata))
                print(f"{label}: with {lua}: {filtered:.2f} s CPU, the filter adds {filtered - bare:.2f} s")


# --- what the filter makes, to compare ----------------------------------------------------------


def save_outputs(lua: Path, folder: Path) -> None:
    """Word and Typst output of every reference document, made with `lua`, into `folder`."""
    from filter_cases import CASES, CASES_AT_TOP, RAW_READER

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="planpress-filter-") as scratch:
        for plan in PLANS:
            project = copied(plan, Path(scratch) / "plans" / plan)
            style = house_style(project)
            for name, (word, pdf, metadata) in write_sources(project, Path(scratch) / plan).items():
                pandoc(word, "docx+native_numbering", str(folder / f"{plan}-{name}.docx"), style, lua)
                pandoc(pdf, "typst", str(folder / f"{plan}-{name}.typ"), style, lua, metadata)
        cases = Path(scratch) / "cases"
        (cases / "charts").mkdir(parents=True)
        style = house_style(ROOT)
        for label, text, reader in (("cases", CASES, READER), ("cases-raw", CASES, RAW_READER),
                                    ("cases-at-top", CASES_AT_TOP, READER)):
            (cases / "plan.md").write_text(text, encoding="utf-8")
            pandoc(cases, "docx", str(folder / f"{label}.docx"), style, lua, reader=reader)
            pandoc(cases, "typst", str(folder / f"{label}.typ"), style, lua, reader=reader)
    print(f"wrote {len(list(folder.iterdir()))} files into {folder}")


def parts(path: Path) -> dict[str, bytes]:
    if path.suffix != ".docx":
        return {"": path.read_bytes()}
    with zipfile.ZipFile(path) as docx:
        return {name: docx.read(name) for name in docx.namelist() if name != "docProps/core.xml"}


def compare(one: Path, other: Path) -> int:
    """Name each file (and Word part) that differs between two --save folders; the number of them."""
    differ = 0
    names = sorted({path.name for path in one.iterdir()} | {path.name for path in other.iterdir()})
    for name in names:
        if not (one / name).exists() or not (other / name).exists():
            print(f"{name}: only in one folder")
            differ += 1
            continue
        a, b = parts(one / name), parts(other / name)
        changed = sorted(part for part in a.keys() | b.keys() if a.get(part) != b.get(part))
        if changed:
            print(f"{name}: differs in {', '.join(changed) or 'its text'}")
            differ += 1
    print(f"{len(names)} files compared, {differ} differ")
    return differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--filter", action="append", type=Path, help="a filters.lua to measure (again for more)")
    parser.add_argument("--save", type=Path, help="write every reference document's output into this folder")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("DIR", "OTHER"))
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args()
    filters = [lua.resolve() for lua in args.filter or [ROOT / "templates" / "common" / "document" / "filters.lua"]]
    if not args.no_timing:
        print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; best of {args.runs} runs")
        measure(filters, args.runs)
    if args.save:
        save_outputs(filters[-1], args.save)
    if args.compare:
        sys.exit(1 if compare(*args.compare) else 0)


if __name__ == "__main__":
    main()
