"""How cost grows with the plan: `check` and a full build on the example and on plans grown from it.

Prints, measured in one run: check on the example (13 schemes), on 10x (130), on 1,000 and on 10,000
schemes, with the time per scheme against the example's; and the full build (`build.py` in a
subprocess on a copy) on the example and on 10x, with the ratio. The issue's targets: 10x the
schemes at most 3x the build time; check on 10,000 schemes under 30 s.

A plan of 1,000 or 10,000 schemes is past what planpress reads (MAX_FILES_PER_FOLDER, 300 files in
a folder; MAX_ITEMS_PER_LIST; MAX_YAML_VALUES; MAX_TEXT_BYTES), which would refuse it in
milliseconds; to measure the checks themselves this script lifts those bounds in its own process.

Run: .venv/bin/python benchmarks/scaling.py [runs] [--checks-only | --builds-only]
     .venv/bin/python benchmarks/scaling.py --profile SCHEMES   (cProfile of check_plan)
"""

from __future__ import annotations

import contextlib
import cProfile
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bigger_plan import write_bigger_plan  # noqa: E402
from planpress.build import check_plan  # noqa: E402
from planpress.load import content as load_content, limits, yamlsource  # noqa: E402

EXAMPLE_SCHEMES = 13


@contextlib.contextmanager
def limits_lifted() -> Iterator[None]:
    """The bounds on what planpress reads raised far enough for a plan of 10,000 schemes, then put back."""
    patched = [(load_content, "MAX_FILES_PER_FOLDER", 100_000), (yamlsource, "MAX_ITEMS_PER_LIST", 1_000_000),
               (yamlsource, "MAX_YAML_VALUES", 10_000_000)]
    saved = [(module, name, getattr(module, name)) for module, name, _ in patched]
    saved_defaults = limits.file_problem.__defaults__
    for module, name, value in patched:
        setattr(module, name, value)
    limits.file_problem.__defaults__ = (1_000_000_000,)
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)
        limits.file_problem.__defaults__ = saved_defaults


def timed(action: Callable[[], object], runs: int) -> tuple[float, object]:
    """The median time of `runs` calls of `action`, in seconds, and what the last call returned."""
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def build_time(project: Path) -> float:
    """One full build of `project`, as an author runs it, in a subprocess."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project)], cwd=project,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"the build of {project} failed:\n{result.stdout}{result.stderr}")
    return elapsed


def measure_checks(work: Path, runs: int) -> None:
    base = None
    for schemes, repeat in ((EXAMPLE_SCHEMES, runs), (130, runs), (1_000, 1), (10_000, 1)):
        project = write_bigger_plan(work / f"check-{schemes}", schemes)
        with limits_lifted():
            median, checked = timed(lambda: check_plan(project), repeat)
        outcome = f"{len(checked.errors)} errors, {len(checked.warnings)} warnings"
        per_scheme = median / schemes
        base = base or per_scheme
        print(f"check, {schemes:>6,} schemes: {median:7.2f} s (median of {repeat}; {outcome}); "
              f"{per_scheme * 1000:6.1f} ms a scheme, {per_scheme / base:5.2f} x the example's")


def measure_builds(work: Path, runs: int) -> None:
    times = {}
    for schemes in (EXAMPLE_SCHEMES, 130):
        project = write_bigger_plan(work / f"build-{schemes}", schemes)
        times[schemes] = statistics.median([build_time(project) for _ in range(runs)])
        print(f"full build, {schemes:>4} schemes: {times[schemes]:6.2f} s (median of {runs})")
    print(f"full build, 10x the schemes: {times[130] / times[EXAMPLE_SCHEMES]:.2f} x the example's time "
          f"(target: at most 3 x)")


def profile(work: Path, schemes: int) -> None:
    """cProfile of check_plan on a plan of `schemes` schemes, the 30 costliest calls by cumulative time."""
    project = write_bigger_plan(work / f"profile-{schemes}", schemes)
    with limits_lifted():
        profiler = cProfile.Profile()
        profiler.runcall(check_plan, project)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="planpress-scaling-") as temporary:
        work = Path(temporary)
        if argv[:1] == ["--profile"]:
            profile(work, int(argv[1]))
            return
        runs = next((int(arg) for arg in argv if arg.isdigit()), 3)
        if "--builds-only" not in argv:
            measure_checks(work, runs)
        if "--checks-only" not in argv:
            measure_builds(work, runs)


if __name__ == "__main__":
    main(sys.argv[1:])
