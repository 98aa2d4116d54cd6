"""How long a build takes, against the raw tools it runs, measured in one run.

For the example plan (and, with --scale N, a plan of N times its schemes, made by
benchmarks/bigger_plan.py) this prints:

- each raw tool chain, run by hand on the same inputs the build gives it (the Word file:
  pandoc then LibreOffice's layout; the PDF: pandoc then Typst; the website: MkDocs), and the
  longest of them;
- `python build.py` from cold (no output/, no .planpress-cache/), as an author runs it, and
  its ratio to the longest raw chain (the aim: at most 1.2);
- the same with the jobs one after another (PLANPRESS_JOBS=1), and, with --before REV, the
  build of that earlier commit of planpress on the same plan;
- a second build with nothing changed (the aim: under 1 s), and one after a section is saved;
- with --scale, the bigger plan's cold build and its ratio to the example's (the aim: at most 3).

Every figure is the median of --runs runs (3 by default). Nothing is written into the repository.
Run: .venv/bin/python benchmarks/build_speed.py [--runs 3] [--scale 10] [--before 609495a]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import copy_project  # noqa: E402


def timed(command: list[str], cwd: Path | None = None, env: dict | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=1200)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed


def median_of(runs: int, measure) -> float:
    return statistics.median(measure() for _ in range(runs))


# --- the raw tools, on the inputs the build gives them -------------------------------------------


def raw_inputs(project: Path, folder: Path) -> dict[str, Path]:
    """Write what the build hands each tool (the plan's Markdown and charts, the website's docs and
    configuration) into `folder`, with planpress's own code; untimed."""
    from planpress.build import check_plan
    from planpress.targets import document, site
    from planpress.targets.documents.markdown import render_plan_markdown
    from planpress.targets.site_pages import render_pages
    from planpress.render import template_environment

    content = check_plan(project).content
    rendered = render_plan_markdown(content, draft=True)
    words = folder / "word"
    words.mkdir()
    document._write_sources(words, rendered, pngs=True)
    pdf = folder / "pdf"
    pdf.mkdir()
    document._write_sources(pdf, rendered, pngs=False)
    data = site.site_data(content, [], draft=True)
    pages = render_pages(template_environment(content.pack), data)
    docs = folder / "site" / "docs"
    site._write_docs(docs, pages, data, [], site._site_folder(content.pack, "assets"))
    config = site._write_config(folder / "site", docs, folder / "site" / "built", pages, data, content, True)
    return {"word": words, "pdf": pdf, "config": config, **document.house_style(content)}


def word_chain(inputs: dict[str, Path], scratch: Path) -> float:
    """pandoc to .docx, then LibreOffice lays it out (its PDF export), with a fresh profile as the build's."""
    from planpress.targets.documents.pandoc import READER, pandoc_path

    work = inputs["word"]
    profile = Path(tempfile.mkdtemp(dir=scratch))
    started = time.perf_counter()
    subprocess.run([pandoc_path(), "plan.md", "--from", READER, "--to", "docx+native_numbering",
                    "--output", "plan.docx", f"--reference-doc={inputs['reference.docx']}",
                    f"--lua-filter={inputs['filters.lua']}", f"--resource-path={work}"], cwd=work, check=True,
                   capture_output=True)
    subprocess.run([shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(profile), str(work / "plan.docx")], check=True,
                   capture_output=True)
    elapsed = time.perf_counter() - started
    shutil.rmtree(profile, ignore_errors=True)
    return elapsed


def pdf_chain(inputs: dict[str, Path]) -> float:
    """pandoc to Typst, then Typst's compiler (in a Python of its own, as it runs in a build's job)."""
    from planpress.targets.documents.pandoc import READER, pandoc_path

    work = inputs["pdf"]
    started = time.perf_counter()
    subprocess.run([pandoc_path(), "plan.md", "--from", READER, "--to", "typst", "--output", "plan.typ",
                    f"--template={inputs['plan.typ']}", "--wrap=none", f"--lua-filter={inputs['filters.lua']}"],
                   cwd=work, check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], "
                    "root=sys.argv[3], pdf_standards=['ua-1'])", str(work / "plan.typ"), str(work / "plan.pdf"),
                    str(work)], check=True, capture_output=True)
    return time.perf_counter() - started


def site_chain(inputs: dict[str, Path]) -> float:
    """MkDocs (with Material and planpress's hooks) builds the docs folder the build writes."""
    return timed([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(inputs["config"])])


# --- planpress's build ---------------------------------------------------------------------------


def cold_build(project: Path, env: dict | None = None, build_py: Path = ROOT / "build.py") -> float:
    for leftover in ("output", ".planpress-cache"):
        shutil.rmtree(project / leftover, ignore_errors=True)
    return timed([sys.executable, str(build_py), "--project", str(project)], env=env)


def warm_build(project: Path) -> float:
    return timed([sys.executable, str(ROOT / "build.py"), "--project", str(project)])


def saved_section_build(project: Path) -> float:
    """A build after one section gained a sentence (each run a new one, so nothing is reused whole)."""
    section = sorted((project / "content" / "sections").glob("*.md"))[1]
    section.write_text(section.read_text(encoding="utf-8") + f"\nSaved at {time.time()}.\n", encoding="utf-8")
    return warm_build(project)


def measure_plan(label: str, project: Path, runs: int, before: Path | None) -> float:
    with tempfile.TemporaryDirectory(prefix="planpress-raw-") as scratch:
        inputs = raw_inputs(project, Path(scratch))
        chains = {"Word (pandoc + LibreOffice)": median_of(runs, lambda: word_chain(inputs, Path(scratch))),
                  "PDF (pandoc + Typst)": median_of(runs, lambda: pdf_chain(inputs)),
                  "website (MkDocs)": median_of(runs, lambda: site_chain(inputs))}
    longest = max(chains.values())
    print(f"\n{label}")
    for name, seconds in chains.items():
        print(f"  raw tool chain, {name}: {seconds:.2f} s")
    print(f"  raw tools, all chains one after another: {sum(chains.values()):.2f} s")
    cold = median_of(runs, lambda: cold_build(project))
    print(f"  build from cold: {cold:.2f} s = {cold / longest:.2f} x the longest raw chain (aim: at most 1.2)")
    serial_env = {**os.environ, "PLANPRESS_JOBS": "1"}
    serial = median_of(runs, lambda: cold_build(project, serial_env))
    print(f"  build from cold, jobs one after another: {serial:.2f} s = {serial / longest:.2f} x")
    if before is not None:
        old = median_of(runs, lambda: cold_build(project, build_py=before / "build.py"))
        print(f"  build by planpress before (at {before.name}): {old:.2f} s = {old / longest:.2f} x")
    cold_build(project)
    again = median_of(runs, lambda: warm_build(project))
    print(f"  second build, nothing changed: {again:.2f} s = {again / longest:.2f} x (aim: under 1 s)")
    saved = median_of(runs, lambda: saved_section_build(project))
    print(f"  build after a section is saved: {saved:.2f} s = {saved / longest:.2f} x")
    return cold


def earlier_planpress(revision: str, folder: Path) -> Path:
    """A checkout of an earlier commit of planpress (its own code, run with this environment's Python)."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), revision], check=True,
                   capture_output=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=int, default=0, help="also a plan of this many times the example's schemes")
    parser.add_argument("--before", help="also time this earlier commit's build on the same plans")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; median of {args.runs} runs")
    with tempfile.TemporaryDirectory(prefix="planpress-bench-") as scratch:
        folder = Path(scratch)
        before = earlier_planpress(args.before, folder / "before") if args.before else None
        try:
            example = measure_plan("The example plan", copy_project(folder / "example"), args.runs, before)
            if args.scale:
                from bigger_plan import write_bigger_plan
                schemes = len(list((ROOT / "content" / "schemes").glob("*.md"))) * args.scale
                bigger = write_bigger_plan(folder / "bigger", schemes)
                cold = measure_plan(f"A plan of {schemes} schemes ({args.scale} x)", bigger, args.runs, before)
                print(f"\n{args.scale} x the schemes: the cold build takes {cold / example:.2f} x as long (aim: at most 3)")
        finally:
            if before is not None:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)],
                               capture_output=True)


if __name__ == "__main__":
    main()
