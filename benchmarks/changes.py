"""How long `changes` takes on the example plan: two versions read from git, compared, HTML and DOCX written.

Makes a temporary git repository from the example plan, tags it v1.0, changes a sentence, a
figure and a scheme, tags v2.0, then times `python build.py changes v1.0 v2.0` in-process
(git archive, two loads, comparison, both files staged into output/) and once as a command.

Run: .venv/bin/python benchmarks/changes.py [runs]
"""

from __future__ import annotations

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

from git_helpers import commit, git, make_repo  # noqa: E402
from planpress.collaborate.changes import write_report  # noqa: E402
from planpress.collaborate.history import compare_versions  # noqa: E402
from test_changes import change_the_plan  # noqa: E402


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "plan"
        project.mkdir()
        for name in ("content", "templates", "mkdocs.yml"):
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
        make_repo(project, "v1.0")
        change_the_plan(project)
        commit(project, "Changes")
        git(project, "tag", "-a", "v2.0", "-m", "Second version")
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            changes = compare_versions(project, "v1.0", "v2.0")
            write_report(project, changes, "v1.0", "v2.0")
            timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "build.py"), "changes", "v1.0", "v2.0", "--project", str(project)],
                       check=True, capture_output=True)
        command = time.perf_counter() - started
    print(f"changes v1.0 v2.0 on the example plan: median {statistics.median(timings) * 1000:.0f} ms, "
          f"best {min(timings) * 1000:.0f} ms over {runs} runs in-process; {command:.2f} s as a command "
          f"(Python start-up included). {changes.summary()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
