"""Run a build's jobs side by side: one forked process per job, as many at once as the machine has cores.

Most of a build is spent in tools (pandoc, LibreOffice, Typst) and in Python that holds the
interpreter's lock (MkDocs, python-docx), so threads would not overlap them; processes do.
Each job runs in a child made by fork (it sees the checked plan without copying or pickling
it) and in a process group of its own, so that stopping the build stops the tools it started:
when one job fails, or the build is interrupted, every job still running is killed with its
tools, and the error of the first job that failed is raised as if the build had run it.

Fork copies only the thread that calls it: a library that has started threads of its own (Typst
keeps a pool) would wait forever in the child on a lock one of them held. So jobs run side by side
only while this process has a single thread (the build keeps it so: see in_a_child), and one after
another, in this process, otherwise, and where fork is missing (not Linux or macOS).
"""

from __future__ import annotations

import os
import pickle
import selectors
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from planpress.errors import BuildError


@dataclass(frozen=True)
class Job:
    name: str
    """What the job makes, for messages ("the Word file")."""
    run: Callable[[], list[str]]
    """Write the job's files; return their paths relative to output/ (or, for a part of `check`, its answer)."""
    weight: float = 1.0
    """About how long it takes, relative to the others: the heaviest start first."""
    part_of_check: bool = False
    """It reads or checks the plan, rather than making an output: its name says what ("the plan's rules")."""


JOBS_SETTING = "PLANPRESS_JOBS"
"""An environment variable that sets how many jobs run at once (1: one after another), for benchmarks."""


def cores() -> int:
    """How many jobs to run at once: PLANPRESS_JOBS when set, else the cores this process may use."""
    setting = os.environ.get(JOBS_SETTING, "")
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def run_side_by_side(jobs: Sequence[Job], at_once: int | None = None) -> list[list[str]]:
    """Run every job, at most `at_once` at a time, the heaviest first; return each job's paths, in
    the order of `jobs`."""
    at_once = at_once or cores()
    if len(jobs) <= 1 or at_once <= 1 or not forking_is_safe():
        return [job.run() for job in jobs]
    return _Runner(jobs, at_once).run()


def in_a_child(work: Callable[[], object]) -> object:
    """work(), done in a forked child when that is safe, so that a library it starts (Typst, with its
    threads) never runs in this process, which can then still fork. Its answer must pickle."""
    if not forking_is_safe():
        return work()
    return _Runner([Job("a check", work)], 1).run()[0]


def forking_is_safe() -> bool:
    """Fork exists and this process runs one thread (as Linux lists them), so a child cannot inherit a
    lock another thread holds."""
    if not hasattr(os, "fork"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc (macOS): Python's own count, which misses threads a library started
        import threading
        return threading.active_count() == 1


class _Runner:
    def __init__(self, jobs: Sequence[Job], at_once: int):
        self.jobs = list(jobs)
        self.at_once = at_once
        self.results: list[list[str] | None] = [None] * len(jobs)
        self.running: dict[int, tuple[int, int]] = {}  # pid -> (job number, read end of its pipe)
        self.received: dict[int, bytearray] = {}

    def run(self) -> list:
        waiting = sorted(range(len(self.jobs)), key=lambda number: -self.jobs[number].weight)
        selector = selectors.DefaultSelector()
        try:
            while waiting or self.running:
                while waiting and len(self.running) < self.at_once:
                    self._start(waiting.pop(0), selector)
                for key, _ in selector.select():
                    self._read(key.fd, selector)
        finally:
            self._stop_all(selector)
        return list(self.results)

    def _start(self, number: int, selector: selectors.BaseSelector) -> None:
        read_end, write_end = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: run the job, send its answer, and leave without the parent's clean-up
            os.close(read_end)
            _child(self.jobs[number], write_end)
        os.close(write_end)
        try:
            os.setpgid(pid, pid)  # as the child does: whichever runs first, the group exists before a kill
        except OSError:
            pass
        self.running[pid] = (number, read_end)
        self.received[read_end] = bytearray()
        selector.register(read_end, selectors.EVENT_READ)

    def _read(self, fd: int, selector: selectors.BaseSelector) -> None:
        chunk = os.read(fd, 1 << 16)
        if chunk:
            self.received[fd] += chunk
            return
        selector.unregister(fd)
        os.close(fd)
        pid, number = next((pid, n) for pid, (n, read_end) in self.running.items() if read_end == fd)
        _, status = os.waitpid(pid, 0)
        del self.running[pid]
        self.results[number] = self._answer(self.jobs[number], bytes(self.received.pop(fd)), status)

    @staticmethod
    def _answer(job: Job, sent: bytes, status: int) -> list[str]:
        try:
            kind, value = pickle.loads(sent)
        except Exception:  # the child died before it could answer (killed, out of memory)
            if job.part_of_check:
                raise BuildError(f"Checking the plan ({job.name}) stopped unexpectedly (exit status "
                                 f"{_exit_code(status)}). Check again; if it happens again, set {JOBS_SETTING}=1 to "
                                 "check in one process and see why.") from None
            raise BuildError(f"Making {job.name} stopped unexpectedly (exit status {_exit_code(status)}). "
                             "Build again; if it happens again, build that output alone to see why.") from None
        if kind == "error":
            raise value
        return value

    def _stop_all(self, selector: selectors.BaseSelector) -> None:
        """Kill every job still running, with every tool it started (its process group)."""
        for pid, (_, read_end) in list(self.running.items()):
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            os.waitpid(pid, 0)
            selector.unregister(read_end)
            os.close(read_end)
        self.running.clear()
        selector.close()


def _child(job: Job, write_end: int) -> None:
    code = 0
    try:
        os.setpgid(0, 0)  # its own group: the parent can stop the job and its tools together
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            answer = ("done", job.run())
        except BaseException as error:  # sent to the parent, which raises it
            answer = ("error", _sendable(error))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(pickle.dumps(answer))
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def _sendable(error: BaseException) -> BaseException:
    """The error itself when it survives pickling, else a BuildError with its message."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return BuildError(str(error))


def _exit_code(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return str(os.waitstatus_to_exitcode(status))
