"""A build runs its targets side by side and reuses what has not changed (planpress/side_by_side.py,
planpress/cache.py). No timings here (benchmarks/build_speed.py measures them): these tests prove
the cache gives the same files as a build from nothing, that a change is never hidden by it, and
that jobs side by side fail and stop as one build does.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import REPO, run_cli
from planpress.cache import CACHE_DIR
from planpress.cli import TARGET_NAMES
from planpress.targets import all_targets

REUSED = "the last build's files were reused"


def digests(folder: Path) -> dict[str, str]:
    """Every file under `folder` by its path, with a digest of its bytes."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_build_with_nothing_changed_reuses_the_last_and_gives_the_same_files(project: Path):
    first = run_cli(project)
    assert first.code == 0, first.err
    assert REUSED not in first.out
    built = digests(project / "output")

    again = run_cli(project)
    assert again.code == 0, again.err
    assert REUSED in again.out
    assert digests(project / "output") == built
    # The problems found the first time are printed again, as a build prints them.
    assert again.out.split("Wrote output/")[0] == first.out.split("Wrote output/")[0]

    # The cache is beside output/, not in it, and deleting it only costs time.
    assert (project / CACHE_DIR).is_dir() and not (project / "output" / CACHE_DIR).exists()
    shutil.rmtree(project / CACHE_DIR)
    shutil.rmtree(project / "output")
    afresh = run_cli(project)
    assert afresh.code == 0 and REUSED not in afresh.out
    assert set(digests(project / "output")) == set(built)


def test_a_cache_entry_half_deleted_is_built_afresh(project: Path):
    assert run_cli(project).code == 0
    built = digests(project / "output")
    for entry in (project / CACHE_DIR / "builds").iterdir():
        shutil.rmtree(entry / "files")  # its record kept, its files gone
    again = run_cli(project)
    assert again.code == 0, again.err
    assert REUSED not in again.out and "Traceback" not in again.err
    assert set(digests(project / "output")) == set(built)
    assert REUSED in run_cli(project).out  # kept afresh


def test_a_change_is_never_hidden_by_the_cache_and_undoing_it_reuses_again(project: Path):
    assert run_cli(project).code == 0
    vision = project / "content" / "sections" / "02-vision.md"
    written = vision.read_text(encoding="utf-8")
    vision.write_text(written + "\nA sentence added after the first build.\n", encoding="utf-8")
    changed = run_cli(project)
    assert changed.code == 0 and REUSED not in changed.out
    assert "A sentence added after the first build." in _site_text(project)

    vision.write_text(written, encoding="utf-8")
    undone = run_cli(project)
    assert undone.code == 0 and REUSED in undone.out
    assert "A sentence added after the first build." not in _site_text(project)


def _site_text(project: Path) -> str:
    return "".join(page.read_text(encoding="utf-8") for page in (project / "output" / "site").rglob("*.html"))


def test_a_draft_is_never_reused_for_a_final_build_nor_one_target_for_another(project: Path):
    assert run_cli(project, "site").code == 0
    documents = run_cli(project, "documents")
    assert documents.code == 0 and REUSED not in documents.out
    final = run_cli(project, "--final")
    assert REUSED not in final.out + final.err


def test_one_quarters_report_is_never_reused_for_another(project: Path):
    assert run_cli(project, "report", "2014-q2").code == 0
    other = run_cli(project, "report", "2014-q3")
    assert other.code == 0, other.err
    assert (project / "output" / "harrowdale-bcf-progress-2014-q3.pdf").is_file()


def test_a_change_to_one_quarter_remakes_only_its_report(project: Path):
    """The Word files and PDFs are kept by what they are made from: the plan's own are reused."""
    assert run_cli(project).code == 0
    files = project / CACHE_DIR / "files"
    before = {entry.name for group in files.iterdir() for entry in group.iterdir()}
    quarter = project / "content" / "progress" / "2014-q3.yaml"
    text = quarter.read_text(encoding="utf-8")
    quarter.write_text(text.replace("Emergency admissions are now below", "Emergency admissions are at last below"),
                       encoding="utf-8")
    rebuilt = run_cli(project)
    assert rebuilt.code == 0, rebuilt.err
    after = {entry.name for group in files.iterdir() for entry in group.iterdir()}
    # That report's Word file and PDF are new; the plan's and the other quarter's come from the cache.
    assert len(after - before) == 2, sorted(after - before)


def test_the_site_offers_every_download_with_its_real_size(built_project: Path):
    """The site is built beside the documents and given their sizes when they are written."""
    output = built_project / "output"
    home = (output / "site" / "index.html").read_text(encoding="utf-8")
    assert "PPSIZEOF" not in _site_text(built_project)
    offered = sorted(path.name for path in (output / "site" / "downloads").iterdir())
    assert offered == sorted(path.name for path in output.iterdir() if path.is_file())
    for name in offered:
        copy, original = output / "site" / "downloads" / name, output / name
        assert copy.read_bytes() == original.read_bytes(), name
    size = (output / "harrowdale-bcf-plan.pdf").stat().st_size
    shown = f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, round(size / 1024))} KB"
    assert f"harrowdale-bcf-plan.pdf</a> (PDF, {shown})" in home


def test_a_job_that_fails_stops_the_build_and_leaves_output_whole(project: Path):
    assert run_cli(project).code == 0
    before = digests(project / "output")
    # A house style the PDF cannot be made with: Typst stops; the Word file's job is killed with its tools.
    broken = project / "templates" / "common" / "document" / "plan.typ"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n#let broken = (\n", encoding="utf-8")
    failed = run_cli(project)
    assert failed.code == 1
    assert "Traceback" not in failed.err
    assert "plan.typ" in failed.err, failed.err  # Typst's own message, naming the file it stopped in
    assert digests(project / "output") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".output-")]


JOBS_SCRIPT = textwrap.dedent("""
    import os, subprocess, sys, time
    sys.path.insert(0, REPO_PATH)
    from planpress.errors import BuildError
    from planpress.side_by_side import Job, forking_is_safe, run_side_by_side

    assert forking_is_safe()
    case = sys.argv[1]
    if case == "order":
        jobs = [Job(f"job {n}", (lambda n=n: [f"{n} in {os.getpid()}"]), weight=n) for n in range(5)]
        answers = run_side_by_side(jobs, at_once=2)
        print([a[0].split()[0] for a in answers])
        print(len({a[0].split()[2] for a in answers} | {str(os.getpid())}))
    elif case == "failure":
        def sleeper():
            tool = subprocess.Popen(["sleep", "60"])
            open(sys.argv[2], "w").write(str(tool.pid))
            tool.wait()
            return []
        def failing():
            time.sleep(1)
            raise BuildError("the PDF could not be made")
        try:
            run_side_by_side([Job("sleeper", sleeper, 2), Job("failing", failing, 1)], at_once=2)
        except BuildError as error:
            print("raised:", error)
    elif case == "killed":
        try:
            run_side_by_side([Job("the Word file", lambda: os._exit(9)), Job("other", lambda: ["x"])], at_once=2)
        except BuildError as error:
            print("raised:", error)
        try:
            run_side_by_side([Job("the plan's rules", lambda: os._exit(9), part_of_check=True),
                              Job("other", lambda: ["x"], part_of_check=True)], at_once=2)
        except BuildError as error:
            print("raised:", error)
""")


def run_jobs_script(tmp_path: Path, *args: str) -> str:
    """Jobs run in a process of their own: forking is only safe in a process with one thread, and the
    test runner has more."""
    script = tmp_path / "jobs.py"
    script.write_text(JOBS_SCRIPT.replace("REPO_PATH", repr(str(REPO))), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_jobs_run_in_processes_of_their_own_and_answer_in_order(tmp_path: Path):
    order, processes = run_jobs_script(tmp_path, "order").splitlines()
    assert order == "['0', '1', '2', '3', '4']"
    assert int(processes) == 6  # five children and the parent


def test_a_failing_job_raises_its_error_and_stops_the_others_with_their_tools(tmp_path: Path):
    pid_file = tmp_path / "tool.pid"
    said = run_jobs_script(tmp_path, "failure", str(pid_file))
    assert "raised: the PDF could not be made" in said
    tool = int(pid_file.read_text())
    assert not Path(f"/proc/{tool}").exists() or "Z" in Path(f"/proc/{tool}/stat").read_text().split()[2]


def test_a_job_that_dies_is_named(tmp_path: Path):
    said = run_jobs_script(tmp_path, "killed")
    assert "raised: Making the Word file stopped unexpectedly (exit status 9)" in said
    assert "raised: Checking the plan (the plan's rules) stopped unexpectedly (exit status 9). Check again" in said


def test_the_command_line_knows_every_target_by_name():
    assert TARGET_NAMES == tuple(target.name for target in all_targets())
