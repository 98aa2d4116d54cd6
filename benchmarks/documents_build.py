"""How long the submission documents take to build for the example plan: the Word file and the PDF.

Builds into a temporary copy of the project (never into the repository's own output/), in
process, with the same code `python build.py documents` runs, and times each stage.
Run: .venv/bin/python benchmarks/documents_build.py [runs]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planpress.build import build, check_plan  # noqa: E402
from planpress.targets import document  # noqa: E402


def _copy(destination: Path) -> Path:
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, destination / name)
    return destination


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="planpress-bench-") as scratch:
        project = _copy(Path(scratch))
        started = time.perf_counter()
        check_plan(project)
        check_time = time.perf_counter() - started
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            _, written = build(project, [document.TARGET])
            timings.append(time.perf_counter() - started)
        sizes = ", ".join(f"{name} {(project / 'output' / name).stat().st_size / 1024:.0f} KiB" for name in written)
    print(f"documents (Word and PDF) for the example plan: median {statistics.median(timings):.2f} s, "
          f"best {min(timings):.2f} s over {runs} runs, of which about {check_time:.2f} s is loading and "
          f"checking the plan; {sizes}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
