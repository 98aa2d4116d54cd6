"""Builds killed at any instant: output/ is always the whole previous output or the whole new one.

The bounded fault test starts real builds (`python build.py ...` on a copy of the example plan)
and SIGKILLs each at a seeded random instant within the build's measured duration; after each
kill output/ must be whole, and the next build must leave no `.output-*` behind. The other
tests kill a build at the two instants a random kill almost never hits (between the two
renames of the fallback swap, and just after the exchange) and check leftovers, recovery and
permissions one by one.
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import os
import random
import re
import signal
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from planpress import write
from planpress.targets import all_targets
from planpress.write import OUTPUT_DIR, clean_leftovers, recover_output, running, staged_output

SEED = 20251124


# --- what a complete output holds ------------------------------------------------------------------

# Fields that differ between two builds of the same plan: when each document was made.
_ZIP_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
_PDF_STAMPS = [
    re.compile(rb"(/(?:CreationDate|ModDate)\s*\()[^)]*(\))"),
    re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)[^<]*(</xmp:)"),
    re.compile(rb"(<xmpMM:(?:InstanceID|DocumentID)>)[^<]*(</xmpMM:)"),
    re.compile(rb"(/ID\s*\[)[^\]]*(\])"),
]


def digest(path: Path) -> str:
    """A file's contents, less the time stamps that make two builds of one plan differ."""
    data = path.read_bytes()
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = []
            for name in sorted(archive.namelist()):
                body = archive.read(name)
                if name == "docProps/core.xml":
                    body = _ZIP_DATES.sub(rb"\1\2", body)
                parts.append(name.encode() + b"\0" + hashlib.sha256(body).digest())
        data = b"\n".join(parts)
    elif path.suffix == ".pdf":
        for pattern in _PDF_STAMPS:
            data = pattern.sub(rb"\1\2", data)
    return hashlib.sha256(data).hexdigest()


def manifest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (relative path) with its digest."""
    return {p.relative_to(folder).as_posix(): digest(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.glob(".output-*"))


def set_version(project: Path, version: str) -> None:
    """Mark the plan with a version name: it reaches every output, so two versions differ in every file."""
    plan = project / "content" / "plan.yaml"
    text, count = re.subn(r"(?m)^version: .*$", f'version: "{version}"', plan.read_text(encoding="utf-8"))
    assert count == 1
    plan.write_text(text, encoding="utf-8")


def build_command(project: Path, target: str | None) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), *([target] if target else []), "--project", str(project)]


def complete_build(project: Path, target: str | None) -> tuple[float, float]:
    """Build to the end; return how long it took and when its staging folder appeared (seconds from the start)."""
    with tempfile.TemporaryFile() as said:  # not a pipe: a full pipe would stall the build while we watch it
        started = time.monotonic()
        process = subprocess.Popen(build_command(project, target), stdout=said, stderr=subprocess.STDOUT)
        staged = None
        while process.poll() is None:
            if staged is None and any(project.glob(".output-staging-*")):
                staged = time.monotonic() - started
            time.sleep(0.002)
        elapsed = time.monotonic() - started
        said.seek(0)
        assert process.returncode == 0, said.read().decode(errors="replace")
    return elapsed, staged if staged is not None else 0.0


def killed_build(project: Path, target: str | None, delay: float, after_staging: bool) -> tuple[int, float]:
    """Start a build and SIGKILL it `delay` seconds after it starts (or after its staging folder appears);
    reap it. Its exit status (-9 when killed) and when the kill came, in seconds from the start."""
    started = time.monotonic()
    process = subprocess.Popen(build_command(project, target), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    if after_staging:
        while process.poll() is None and not any(project.glob(".output-staging-*")):
            time.sleep(0.002)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    instant = time.monotonic() - started
    return process.wait(), instant


# --- the bounded fault test ----------------------------------------------------------------------------


def test_builds_killed_at_random_instants_leave_output_whole(project: Path) -> None:
    rng = random.Random(SEED)
    started = time.monotonic()
    complete: dict[str, dict[str, str]] = {}
    durations: dict[str | None, tuple[float, float]] = {}  # how long each kind of build takes, and when it stages

    # The two complete outputs, one per version of the plan, and how long each kind of build takes.
    set_version(project, "Fault run A")
    first = complete_build(project, None)
    complete["A"] = manifest(project / OUTPUT_DIR)
    set_version(project, "Fault run B")
    second = complete_build(project, None)
    durations[None] = min(first, second)
    complete["B"] = manifest(project / OUTPUT_DIR)
    assert complete["A"].keys() == complete["B"].keys()
    slug = next(name for name in complete["A"] if name.endswith("-plan.json"))[: -len("-plan.json")]
    owned = {t.name: t.outputs(slug) for t in all_targets()}
    owned[None] = [pattern for patterns in owned.values() for pattern in patterns]

    def top(path: str) -> str:
        return path.split("/")[0]

    def owns(target: str | None, path: str) -> bool:
        return any(fnmatch.fnmatchcase(top(path), pattern) for pattern in owned[target])

    def after(state: dict[str, str], target: str | None, version: str) -> dict[str, str]:
        """The output a complete build of `target` makes from `state` with the plan at `version`."""
        return {k: v for k, v in state.items() if not owns(target, k)} | \
               {k: v for k, v in complete[version].items() if owns(target, k)}

    # Each version of each file, to say which version the output holds.
    version_of = {(k, complete[v][k]): v for v in ("A", "B") for k in complete[v]}
    state = complete["B"]
    for target in ("data", "data", "documents"):
        set_version(project, "Fault run A")
        durations[target] = min(complete_build(project, target), durations.get(target, (float("inf"), 0)))
        expected = after(state, target, "A")
        assert manifest(project / OUTPUT_DIR) == expected, f"a complete `{target}` build is not what the test expects"
        state = expected

    kinds = ["data"] * 12 + ["documents"] * 4 + [None] * 4
    rng.shuffle(kinds)
    umask = write.umask()
    log = []
    for number, target in enumerate(kinds, 1):
        first_owned = next(k for k in state if owns(target, k))
        version = "B" if version_of[(first_owned, state[first_owned])] == "A" else "A"
        new = after(state, target, version)
        assert new != state
        set_version(project, f"Fault run {version}")
        # A third of the kills anywhere in the build; the rest while it writes output, from when its
        # staging folder appears to the end of the build (as long as the complete build took to write).
        duration, staged = durations[target]
        after_staging = number % 3 != 0
        status, instant = killed_build(project, target, rng.uniform(0, duration - staged if after_staging else duration),
                                       after_staging)

        output = project / OUTPUT_DIR
        assert output.is_dir(), f"kill {number} ({target or 'all'} at {instant:.3f} s) left no output/"
        found = manifest(output)
        left = leftovers(project)
        outcome = "old" if found == state else "new" if found == new else "MIXED"
        what = "killed" if status == -signal.SIGKILL else f"had ended (exit {status}) before the kill"
        log.append(f"{number:2} {target or 'all':9} {what} at {instant:.3f} s of {duration:.2f} s: "
                   f"output/ {outcome}; left {', '.join(n.split('-')[1] for n in left) or 'nothing'}")
        assert outcome != "MIXED", (
            f"kill {number} ({target or 'all'} at {instant:.3f} s): output/ is neither the previous output nor "
            f"the new one: {sorted(set(found.items()) ^ set(state.items()))[:5]}\n" + "\n".join(log))
        assert stat.S_IMODE(output.stat().st_mode) == 0o777 & ~umask
        state = found

        if left or number == len(kinds):
            # The next build (of what output/ holds, so it changes nothing) removes what the kill left.
            json_name = f"{slug}-plan.json"
            set_version(project, f"Fault run {version_of[(json_name, state[json_name])]}")
            complete_build(project, "data")
            assert leftovers(project) == [], f"after kill {number}:\n" + "\n".join(log)
            assert manifest(output) == state

    elapsed = time.monotonic() - started
    timings = ", ".join(f"{t or 'all'} {d:.2f} s (stages at {st:.2f} s)" for t, (d, st) in durations.items())
    print(f"\n{len(kinds)} kills in {elapsed:.1f} s (seed {SEED}); builds take {timings}:\n" + "\n".join(log))


# --- the instants a random kill almost never hits ------------------------------------------------------

KILLED_AT = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from planpress import write
{patch}
from planpress.cli import main
sys.exit(main(sys.argv[1:], root=Path({repo!r})))
"""

BETWEEN_THE_RENAMES = """
write._renameat2 = None  # as on a kernel without renameat2
real_rename = os.rename
def rename(source, destination, *args, **kwargs):
    real_rename(source, destination, *args, **kwargs)
    if os.path.basename(destination).startswith(write.OLD):
        os.kill(os.getpid(), signal.SIGKILL)
os.rename = rename
"""

JUST_AFTER_THE_EXCHANGE = """
real_exchange = write.exchange
def exchange(a, b):
    assert real_exchange(a, b)
    os.kill(os.getpid(), signal.SIGKILL)
write.exchange = exchange
"""


def build_killed_at(project: Path, patch: str, *args: str) -> int:
    code = KILLED_AT.format(repo=str(REPO), patch=patch)
    return subprocess.run([sys.executable, "-c", code, *args, "--project", str(project)],
                          capture_output=True, timeout=300).returncode


def json_version(project: Path) -> str:
    return re.search(r'"version": "([^"]*)"', (project / OUTPUT_DIR / "harrowdale-bcf-plan.json").read_text()).group(1)


def test_a_kill_between_the_two_renames_is_undone_by_the_next_command(project: Path) -> None:
    set_version(project, "Old")
    complete_build(project, "data")
    before = manifest(project / OUTPUT_DIR)
    set_version(project, "New")
    assert build_killed_at(project, BETWEEN_THE_RENAMES, "data") == -signal.SIGKILL
    assert not (project / OUTPUT_DIR).exists(), "the test should have killed the build between the renames"
    assert [name.split("-")[1] for name in leftovers(project)] == ["old", "staging"]

    check = run_cli(project, "check")  # any command puts the previous output back first
    assert check.code == 0, check.err
    assert manifest(project / OUTPUT_DIR) == before
    complete_build(project, "data")
    assert leftovers(project) == []
    assert json_version(project) == "New"


def test_a_kill_just_after_the_exchange_leaves_the_new_output(project: Path) -> None:
    set_version(project, "Old")
    complete_build(project, "data")
    set_version(project, "New")
    assert build_killed_at(project, JUST_AFTER_THE_EXCHANGE, "data") == -signal.SIGKILL
    assert json_version(project) == "New"
    assert [name.split("-")[1] for name in leftovers(project)] == ["staging"]  # holding the old output
    complete_build(project, "data")
    assert leftovers(project) == []
    assert json_version(project) == "New"


def test_the_swap_exchanges_with_renameat2_or_falls_back_to_two_renames(tmp_path: Path, monkeypatch) -> None:
    def build_once(text: str) -> None:
        with staged_output(tmp_path, ["site"]) as stage:
            stage.path("site/index.html").write_text(text)

    (tmp_path / "a").mkdir()
    (tmp_path / "b").write_text("b")
    assert write.exchange(tmp_path / "a", tmp_path / "b") is True  # renameat2 works here
    assert (tmp_path / "a").is_file() and (tmp_path / "b").is_dir()
    (tmp_path / OUTPUT_DIR).mkdir()
    (tmp_path / OUTPUT_DIR / "plan.txt").write_text("document")
    build_once("exchanged")
    monkeypatch.setattr(write, "_renameat2", write._load_renameat2(wrapper_wanted=False))  # the raw system call
    build_once("exchanged by the system call")
    assert (tmp_path / OUTPUT_DIR / "site" / "index.html").read_text() == "exchanged by the system call"
    monkeypatch.setattr(write, "_renameat2", None)  # a kernel without renameat2
    build_once("renamed twice")
    assert manifest(tmp_path / OUTPUT_DIR) == {"plan.txt": digest(tmp_path / OUTPUT_DIR / "plan.txt"),
                                                "site/index.html": digest(tmp_path / OUTPUT_DIR / "site/index.html")}
    assert (tmp_path / OUTPUT_DIR / "site" / "index.html").read_text() == "renamed twice"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", OUTPUT_DIR]


@contextmanager
def a_running_and_a_dead_process():
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])  # exits and is not reaped until the end
    while not Path(f"/proc/{zombie.pid}").exists() or b") Z" not in Path(f"/proc/{zombie.pid}/stat").read_bytes():
        time.sleep(0.01)
    try:
        yield alive.pid, dead.pid, zombie.pid
    finally:
        alive.kill()
        alive.wait()
        zombie.wait()


def test_leftovers_of_killed_builds_go_and_those_of_running_builds_stay(tmp_path: Path) -> None:
    with a_running_and_a_dead_process() as (alive, dead, zombie):
        assert running(alive) and not running(dead) and not running(zombie)
        names = [f".output-staging-{alive}-0a1b2c3d", f".output-scratch-{alive}-0a1b2c3d",
                 f".output-staging-{dead}-0a1b2c3d", f".output-old-{dead}-0a1b2c3d", f".output-trash-{dead}-00ff00ff",
                 f".output-scratch-{zombie}-0a1b2c3d", ".output-staging-x1y2_z3w", ".output-old-abcdefgh"]
        for name in names:
            (tmp_path / name / "site").mkdir(parents=True)
            (tmp_path / name / "site" / "index.html").write_text("half")
        (tmp_path / OUTPUT_DIR).mkdir()
        assert recover_output(tmp_path) is None  # output/ is there: nothing to restore
        clean_leftovers(tmp_path)
        assert leftovers(tmp_path) == sorted(names[:2])


def test_a_tool_a_killed_build_started_is_stopped_before_its_folder_goes(tmp_path: Path) -> None:
    """LibreOffice, started by a build killed outright, went on making its profile in the build's scratch
    folder after the next build removed it: the folder came back (seen once in the random kills above)."""
    with a_running_and_a_dead_process() as (_, dead, _):
        folder = tmp_path / f".output-scratch-{dead}-0a1b2c3d"
        profile = folder / "tmp1" / "profile"
        tool = subprocess.Popen([sys.executable, "-c", "import os, sys, time\n"
                                 "while True:\n    os.makedirs(sys.argv[1], exist_ok=True); time.sleep(0.005)",
                                 str(profile)])  # the folder in its command line, as LibreOffice's profile is
        try:
            while not profile.exists():
                time.sleep(0.01)
            (tmp_path / OUTPUT_DIR).mkdir()
            clean_leftovers(tmp_path)
            assert tool.wait(timeout=10) == -signal.SIGKILL
            time.sleep(0.1)
            assert leftovers(tmp_path) == []
        finally:
            tool.kill()
            tool.wait()


def test_the_previous_output_comes_back_only_from_a_dead_build(tmp_path: Path) -> None:
    with a_running_and_a_dead_process() as (alive, dead, _):
        running_build = tmp_path / f".output-old-{alive}-0a1b2c3d"
        running_build.mkdir()
        assert recover_output(tmp_path) is None
        assert not (tmp_path / OUTPUT_DIR).exists(), "a running build between its renames is left alone"
        killed = tmp_path / f".output-old-{dead}-0a1b2c3d"
        killed.mkdir()
        (killed / "plan.json").write_text("previous")
        assert recover_output(tmp_path) == killed
        assert (tmp_path / OUTPUT_DIR / "plan.json").read_text() == "previous"


@pytest.mark.parametrize("command", ["check", "status"])
def test_any_command_puts_back_the_output_a_killed_build_left(project: Path, command: str) -> None:
    """Whatever command an author runs next (planpress.cli does it first, for every command)."""
    with a_running_and_a_dead_process() as (_, dead, _):
        killed = project / f".output-old-{dead}-0a1b2c3d"
        (killed / "site").mkdir(parents=True)
        (killed / "site" / "index.html").write_text("previous")
        run = run_cli(project, command)
        assert "Traceback" not in run.out + run.err
        assert (project / OUTPUT_DIR / "site" / "index.html").read_text() == "previous"
        assert not killed.exists()


def test_output_gets_a_plain_folders_permissions(project: Path) -> None:
    run = subprocess.run(build_command(project, "data"), capture_output=True, text=True,
                         preexec_fn=lambda: os.umask(0o022))
    assert run.returncode == 0, run.stderr
    output = project / OUTPUT_DIR
    assert stat.S_IMODE(output.stat().st_mode) == 0o755
    assert {stat.S_IMODE(p.stat().st_mode) for p in output.iterdir()} == {0o644}


def test_permissions_follow_the_umask_and_mend_a_private_output(tmp_path: Path) -> None:
    output = tmp_path / OUTPUT_DIR
    (output / "site").mkdir(parents=True)
    (output / "site" / "kept.html").write_text("kept")
    for path, mode in ((output / "site" / "kept.html", 0o600), (output / "site", 0o700), (output, 0o700)):
        path.chmod(mode)
    previous = os.umask(0o027)
    try:
        with staged_output(tmp_path, ["plan.json"]) as stage:
            written = stage.path("plan.json")
            written.write_text("{}")
            written.chmod(0o600)
    finally:
        os.umask(previous)
    modes = {p.relative_to(tmp_path).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in [output, *output.rglob("*")]}
    assert modes == {"output": 0o750, "output/site": 0o750, "output/site/kept.html": 0o640,
                     "output/plan.json": 0o640}


def test_an_interrupted_build_leaves_no_leftovers(tmp_path: Path) -> None:
    (tmp_path / OUTPUT_DIR / "site").mkdir(parents=True)
    before = manifest(tmp_path / OUTPUT_DIR)
    with pytest.raises(KeyboardInterrupt):
        with staged_output(tmp_path, ["site"]) as stage:
            stage.path("site/index.html").write_text("half")
            raise KeyboardInterrupt
    assert manifest(tmp_path / OUTPUT_DIR) == before
    assert leftovers(tmp_path) == []
