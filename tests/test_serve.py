"""`python build.py serve` stops on the first Ctrl+C, at once, and leaves nothing behind.

Run for real: serve is started as an author starts it, with its temporary folder in a folder of
the test's own (TMPDIR), and sent SIGINT while it waits, while it rebuilds after a save, with
pages open (their live-reload requests held open) and while it builds the first site; and sent
SIGTERM. It must end within 2 seconds (timed here; 10 seconds is only
how long the test waits before calling it stuck), say "Stopped.", and leave no temporary folder
and no process of its own running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from site_helpers import REPO, free_port, serve_process
from planpress.write import running

STOP_WITHIN = 2.0  # seconds from Ctrl+C to the end of the process
STUCK_AFTER = 10.0  # seconds: only a bound, so a stuck serve fails the test rather than hanging it


def descendants(pid: int) -> set[int]:
    """Every process started by `pid`, and by those, as /proc shows them now."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_bytes().rpartition(b")")[2].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def stop(process: subprocess.Popen, how: int = signal.SIGINT) -> float:
    """Send `how` and wait for the process to end; how long it took."""
    started = time.monotonic()
    process.send_signal(how)
    try:
        process.wait(timeout=STUCK_AFTER)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(f"serve was still running {STUCK_AFTER:.0f} s after {signal.Signals(how).name}")
    return time.monotonic() - started


def wait_for(condition, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.005)


def ask_to_reload(url: str, request: int) -> None:
    """What the live-reload script in an open page does: a request the server holds open until the site changes."""
    try:
        urllib.request.urlopen(f"{url}livereload/{10 ** 15}/{request}", timeout=60).read()
    except OSError:
        pass  # serve stopped


def building(scratch: Path) -> bool:
    """Whether serve is building the first site: it builds a whole site into a fresh `.serve-*` folder in its
    temporary folder."""
    return any(scratch.glob("planpress-serve-*/.serve-*"))


def rebuilds(served) -> int:
    """How many rebuilds serve has started: it says so as each starts."""
    return "".join(served.lines).count("Rebuilding the site...")


@pytest.mark.parametrize("moment", ["waiting", "rebuilding", "with a page open"])
def test_the_first_ctrl_c_stops_serve_within_two_seconds_leaving_nothing(project: Path, tmp_path: Path,
                                                                         moment: str) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with serve_process(project, env=os.environ | {"TMPDIR": str(scratch)}) as served:
        with urllib.request.urlopen(served.url, timeout=10) as page:
            assert page.status == 200 and b"<html" in page.read()
        assert [p.name.startswith("planpress-serve-") for p in scratch.iterdir()] == [True]
        if moment == "rebuilding":
            started = rebuilds(served)
            section = project / "content" / "sections" / "02-vision.md"
            section.write_text(section.read_text(encoding="utf-8") + "\nA sentence saved now.\n", encoding="utf-8")
            wait_for(lambda: rebuilds(served) > started, "serve to start rebuilding after the save")
        if moment == "with a page open":  # an open page keeps asking whether to reload, and waits for the answer
            for request in range(3):
                threading.Thread(target=ask_to_reload, args=(served.url, request), daemon=True).start()
            time.sleep(0.5)
        children = descendants(served.process.pid)
        elapsed = stop(served.process)
        said = "".join(served.lines)
    print(f"serve stopped {elapsed:.2f} s after Ctrl+C ({moment})")
    assert elapsed < STOP_WITHIN, f"serve took {elapsed:.2f} s to stop after Ctrl+C ({moment}):\n{said}"
    assert served.process.returncode == 0, said
    assert "Stopped." in said and "Traceback" not in said, said
    assert list(scratch.iterdir()) == [], "serve left its temporary folder behind"
    assert not [pid for pid in children if running(pid)], "serve left a process running"


def test_ctrl_c_while_building_the_first_site(project: Path, tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--project", str(project), "--port", str(free_port())],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=os.environ | {"TMPDIR": str(scratch)})
    try:
        wait_for(lambda: building(scratch) or process.poll() is not None, "serve to build the first site")
        elapsed = stop(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    said = process.stdout.read()
    print(f"serve stopped {elapsed:.2f} s after Ctrl+C (building the first site)")
    assert elapsed < STOP_WITHIN, f"serve took {elapsed:.2f} s to stop after Ctrl+C:\n{said}"
    assert process.returncode == 0 and "Stopped." in said and "Traceback" not in said, said
    assert list(scratch.iterdir()) == []


def test_sigterm_stops_serve_the_same_way(project: Path, tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with serve_process(project, env=os.environ | {"TMPDIR": str(scratch)}) as served:
        elapsed = stop(served.process, signal.SIGTERM)
        said = "".join(served.lines)
    assert elapsed < STOP_WITHIN, f"serve took {elapsed:.2f} s to stop after SIGTERM:\n{said}"
    assert served.process.returncode == 0, said
    assert list(scratch.iterdir()) == []
