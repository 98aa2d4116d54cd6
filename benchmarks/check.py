"""How long `check` takes on the example plan: load, validate and run every rule.

Run: .venv/bin/python benchmarks/check.py [runs]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planpress.build import check_plan  # noqa: E402


def main(runs: int) -> None:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        checked = check_plan(ROOT)
        timings.append(time.perf_counter() - started)
    files = sum(1 for p in (ROOT / "content").rglob("*") if p.is_file())
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "content").rglob("*") if p.is_file())
    print(f"check on the example plan ({files} files, {lines} lines): "
          f"median {statistics.median(timings) * 1000:.0f} ms, best {min(timings) * 1000:.0f} ms "
          f"over {runs} runs; {len(checked.errors)} errors, {len(checked.warnings)} warnings")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
