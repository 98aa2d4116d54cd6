"""How long `python build.py serve` takes from saving a section to the open page showing it, against MkDocs alone.

Copies the example plan to a temporary folder, serves it, opens the vision section in headless
Chromium, then appends a sentence to content/sections/02-vision.md and times until the page,
reloaded by MkDocs' live reload, shows it. In the same run it times MkDocs alone on the same
docs folder (the pages as serve renders them): a whole `mkdocs build`, and a `--dirty` build
after one page is saved (MkDocs' own rebuild of a changed page), so the figure reads as a
ratio against the raw tool.
Run: .venv/bin/python benchmarks/serve_refresh.py [saves]
"""

from __future__ import annotations

import logging
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import copy_project  # noqa: E402
from site_helpers import launch_chromium, serve_process  # noqa: E402

SECTION = "content/sections/02-vision.md"


def save_to_visible(project: Path, saves: int) -> tuple[list[float], list[float]]:
    """Each save's time until the open page shows it, and serve's own rebuild time for each (as it prints it)."""
    from playwright.sync_api import Error, sync_playwright

    section = project / SECTION
    timings = []
    with serve_process(project) as served, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.goto(served.url + "sections/vision.html")
        for number in range(saves):
            marker = f"Refresh marker {number} {time.time_ns()}."
            started = time.perf_counter()
            section.write_text(section.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
            while True:
                try:
                    page.wait_for_function("m => document.body.innerText.includes(m)", arg=marker, timeout=30_000)
                    break
                except Error as error:  # the page reloaded while it was being asked: ask the new one
                    if "destroyed" not in str(error) and "navigat" not in str(error):
                        raise
            timings.append(time.perf_counter() - started)
            time.sleep(0.3)  # let the reloaded page settle before the next save
        browser.close()
        said = "".join(served.lines)
    rebuilds = [float(s) for s in re.findall(r"Rebuilt \d+ pages? in ([0-9.]+) s", said)]
    return timings, rebuilds


def raw_mkdocs(project: Path, runs: int) -> tuple[list[float], list[float]]:
    """MkDocs alone, in this process, on the docs folder serve builds from: whole builds, and dirty builds
    after one page is saved."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from planpress.serve import _downloads, preview_findings
    from planpress.render import template_environment
    from planpress.targets.site import _site_folder, _write_config, _write_docs, site_data
    from planpress.targets.site_pages import render_pages

    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # a dirty build warns that it is one
    content = preview_findings(project).content
    downloads = _downloads(project, content)
    data = site_data(content, downloads, draft=True)
    pages = render_pages(template_environment(content.pack), data)
    whole, dirty = [], []
    with tempfile.TemporaryDirectory() as scratch:
        docs, site = Path(scratch) / "docs", Path(scratch) / "site"
        _write_docs(docs, pages, data, downloads, _site_folder(content.pack, "assets"))
        config_file = _write_config(Path(scratch), docs, site, pages, data, content, True)
        page = docs / "sections" / "vision.md"
        for number in range(runs):
            started = time.perf_counter()
            mkdocs_build(load_config(config_file=str(config_file), strict=False))
            whole.append(time.perf_counter() - started)
            page.write_text(page.read_text(encoding="utf-8") + f"\nRaw marker {number}.\n", encoding="utf-8")
            started = time.perf_counter()
            mkdocs_build(load_config(config_file=str(config_file), strict=False), dirty=True)
            dirty.append(time.perf_counter() - started)
    return whole, dirty


def main(saves: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project = copy_project(Path(scratch) / "plan")
        timings, rebuilds = save_to_visible(project, saves)
        whole, dirty = raw_mkdocs(project, max(3, saves // 2))
    median = statistics.median
    print(f"serve refresh (save a section -> open page shows it): median {median(timings):.2f} s, "
          f"worst {max(timings):.2f} s over {saves} saves")
    if rebuilds:
        print(f"  of which serve rebuilding (check, render, MkDocs for the changed pages): median {median(rebuilds):.2f} s")
    print(f"raw MkDocs on the same docs folder: whole build median {median(whole):.2f} s, "
          f"dirty build of one saved page median {median(dirty):.2f} s")
    print(f"ratio: save-to-visible / raw whole build {median(timings) / median(whole):.2f}, "
          f"/ raw dirty build {median(timings) / median(dirty):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
