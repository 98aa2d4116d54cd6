"""How long `python build.py serve` takes from saving a section to the open page showing it.

Copies the example plan to a temporary folder, serves it, opens the vision section in headless
Chromium, then appends a sentence to content/sections/02-vision.md and times until the page,
reloaded by MkDocs' live reload, shows it.
Run: .venv/bin/python benchmarks/serve_refresh.py [saves]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import copy_project  # noqa: E402
from site_helpers import launch_chromium, serving  # noqa: E402


def main(saves: int) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        project = copy_project(Path(scratch) / "plan")
        section = project / "content" / "sections" / "02-vision.md"
        timings = []
        with serving(project) as url, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page()
            page.goto(url + "sections/vision.html")
            for number in range(saves):
                marker = f"Refresh marker {number} {time.time_ns()}."
                started = time.perf_counter()
                section.write_text(section.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
                page.wait_for_function("m => document.body.innerText.includes(m)", arg=marker, timeout=30_000)
                timings.append(time.perf_counter() - started)
            browser.close()
    print(f"serve refresh (save a section -> open page shows it): median {statistics.median(timings):.2f} s, "
          f"worst {max(timings):.2f} s over {saves} saves")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
