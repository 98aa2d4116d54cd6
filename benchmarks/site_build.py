"""How long the website takes to build from the example plan: check, render the pages, MkDocs.

Builds into a temporary folder, never into the repo's output/.
Run: .venv/bin/python benchmarks/site_build.py [runs]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planpress.build import check_plan  # noqa: E402
from planpress.targets.site import build_site  # noqa: E402


def main(runs: int) -> None:
    whole, site_only = [], []
    pages = 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            started = time.perf_counter()
            checked = check_plan(ROOT)
            checked_at = time.perf_counter()
            build_site(checked.content, Path(scratch) / "site", [], draft=True)
            done = time.perf_counter()
            pages = sum(1 for _ in (Path(scratch) / "site").rglob("*.html"))
        whole.append(done - started)
        site_only.append(done - checked_at)
    print(f"site build of the example plan ({pages} HTML pages): median {statistics.median(whole):.2f} s "
          f"with check ({statistics.median(site_only):.2f} s for the site alone), "
          f"best {min(whole):.2f} s over {runs} runs")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
