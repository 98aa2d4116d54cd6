"""Write outputs into a staging folder and swap it into output/ only when the whole build succeeds.

Neither MkDocs nor pandoc writes atomically, so a crash half way would leave a half-built
site. We build beside output/, then swap: a failed build leaves the previous output/ whole.

The swap survives the build being killed (even SIGKILL) at any instant: output/ is always
either the whole previous output or the whole new one, never missing and never a mix.

- The staging folder is `.output-staging-<pid>-<random>` beside output/ (and the build's
  temporary files are in `.output-scratch-<pid>-<random>`). A build killed while staging
  leaves them behind; the next build removes every leftover whose process (the pid in its
  name) is no longer running, and never one of a build still running.
- On Linux the swap is one system call, renameat2(RENAME_EXCHANGE), which exchanges the
  staged folder and output/ atomically; the staging name then holds the previous output,
  which is removed. When output/ does not exist yet, a plain rename is just as atomic.
- Where renameat2 is missing (a kernel before 3.15, another system) or the file system
  refuses it, the swap falls back to two renames: output/ to `.output-old-<pid>-<random>`,
  then the stage to output/. A kill between the two leaves no output/; the next run of any
  command (recover_output) renames the old one back, so output/ is again the whole previous
  output. A `.output-old-` folder is always whole: it is renamed to `.output-trash-` before
  it is deleted.

output/ and everything in it get the permissions a plain `mkdir` and file write would give
(directories 0755 and files 0644 under the usual umask 022), never a temporary folder's 0700.
"""

from __future__ import annotations

import ctypes
import errno
import fnmatch
import os
import platform
import re
import secrets
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from planpress.errors import BuildError

OUTPUT_DIR = "output"
STAGING, OLD, TRASH, SCRATCH = ".output-staging-", ".output-old-", ".output-trash-", ".output-scratch-"
# Every leftover this module can leave beside output/: its kind and the pid of the process that made it.
_LEFTOVER = re.compile(r"\.output-(staging|old|trash|scratch)-(\d+)-[0-9a-f]+")
# Leftovers of planpress before the names carried a pid (tempfile.mkdtemp's names).
_LEGACY = re.compile(r"\.output-(staging|old)-[A-Za-z0-9_]{8}")


class Stage:
    """The staging folder of one build. Refuses to write outside it, or the same file twice."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._written: set[Path] = set()

    def path(self, relative: str) -> Path:
        """The staging path for an output file, its parent folders made; each path once per build."""
        target = (self.folder / relative).resolve()
        if not target.is_relative_to(self.folder.resolve()):
            raise BuildError(f"Refusing to write '{relative}': it is outside {OUTPUT_DIR}/")
        if target in self._written:
            raise BuildError(f"Two outputs of this build would write '{relative}'")
        self._written.add(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def folder_for(self, relative: str) -> Path:
        """A fresh folder inside the stage for a tool that writes many files (such as MkDocs)."""
        target = self.path(relative)
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        return target


@contextmanager
def staged_output(root: Path, replacing: Iterable[str]) -> Iterator[Stage]:
    """Yield a stage holding the previous output less the paths being rebuilt; swap it in on success.

    `replacing` names the top-level files and folders of output/ this build writes anew (a name
    may be a pattern such as "plan-progress-*"); the rest of the previous output (say, the
    documents when only the site is rebuilt) is kept.
    """
    output = root / OUTPUT_DIR
    recover_output(root)
    clean_leftovers(root)
    folder = _new_folder(root, STAGING)
    try:
        with scratch_folder(root):
            _copy_previous(output, folder, set(replacing))
            yield Stage(folder)
        normalise_permissions(folder)
        replace_folder(folder, output)
    except BaseException:
        _remove(folder)
        raise


@contextmanager
def scratch_folder(root: Path) -> Iterator[Path]:
    """The build's temporary files (MkDocs' and pandoc's working folders) beside output/ rather than in
    the system's temporary folder, so that what a killed build leaves is named for it and cleaned up
    (with any tool still working in it: see clean_leftovers)."""
    scratch = _new_folder(root, SCRATCH)
    previous = tempfile.tempdir
    tempfile.tempdir = str(scratch)
    try:
        yield scratch
    finally:
        tempfile.tempdir = previous
        _remove(scratch)


def _new_folder(parent: Path, prefix: str) -> Path:
    """A new folder named for this process (`<prefix><pid>-<random>`), with a plain mkdir's permissions."""
    while True:
        folder = parent / _name(prefix)
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue


def _name(prefix: str) -> str:
    return f"{prefix}{os.getpid()}-{secrets.token_hex(4)}"


def _copy_previous(output: Path, folder: Path, replacing: set[str]) -> None:
    if not output.is_dir():
        return
    for item in output.iterdir():
        if any(fnmatch.fnmatchcase(item.name, pattern) for pattern in replacing):
            continue
        if item.is_dir() and not item.is_symlink():
            shutil.copytree(item, folder / item.name, symlinks=True)
        else:
            shutil.copy2(item, folder / item.name, follow_symlinks=False)


# --- the swap ------------------------------------------------------------------------------


def replace_folder(new: Path, target: Path) -> None:
    """Put the folder `new` in the place of `target` (a sibling), so that `target` is never missing or mixed.

    After the call `new` no longer exists; the previous `target` has been removed.
    """
    for _ in range(10):  # only another process creating or removing `target` meanwhile makes this loop
        if not os.path.lexists(target):
            try:
                os.rename(new, target)  # atomic; refuses a non-empty folder that appeared meanwhile
                return
            except OSError as error:
                if error.errno not in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR, errno.EISDIR):
                    raise
                continue
        try:
            exchanged = exchange(new, target)
        except FileNotFoundError:
            continue  # `target` went away meanwhile: a plain rename will do
        if exchanged:
            _remove(new)  # it holds the previous output now
            return
        _two_renames(new, target)
        return
    raise BuildError(f"Could not put the new {target.name}/ in place: another process keeps changing it")


def _two_renames(new: Path, target: Path) -> None:
    """The swap without renameat2: a kill between the renames leaves the whole old folder, which recover_output restores."""
    old = target.parent / _name(OLD)
    with signals_held():
        os.rename(target, old)
        try:
            os.rename(new, target)
        except BaseException:
            os.rename(old, target)
            raise
    trash = target.parent / _name(TRASH)
    os.rename(old, trash)
    _remove(trash)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl+C and termination (delivered when the block ends) for a step that must not be cut in two,
    such as the two renames of the fallback swap. A SIGKILL cannot be held."""
    held = {signal.SIGINT, signal.SIGTERM} | ({signal.SIGHUP} if hasattr(signal, "SIGHUP") else set())
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


_RENAME_EXCHANGE = 1 << 1
_AT_FDCWD = -100
# renameat2's system call number where the C library has no wrapper (glibc before 2.28).
_SYSCALL_NUMBERS = {"x86_64": 316, "amd64": 316, "aarch64": 276, "arm64": 276, "i386": 353, "i686": 353,
                    "armv7l": 382, "ppc64le": 357, "s390x": 347, "riscv64": 276}
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _load_renameat2(wrapper_wanted: bool = True):
    """renameat2 through ctypes (libc's wrapper, else the raw system call), or None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    wrapper = getattr(libc, "renameat2", None) if wrapper_wanted else None
    if wrapper is not None:
        wrapper.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        wrapper.restype = ctypes.c_int
        return wrapper
    number = _SYSCALL_NUMBERS.get(platform.machine())
    syscall = getattr(libc, "syscall", None)
    if number is None or syscall is None:
        return None
    syscall.restype = ctypes.c_long

    def raw(olddirfd: int, oldpath: bytes, newdirfd: int, newpath: bytes, flags: int) -> int:
        # syscall() is variadic: every argument goes as a full machine word.
        return syscall(ctypes.c_long(number), ctypes.c_long(olddirfd), ctypes.c_char_p(oldpath),
                       ctypes.c_long(newdirfd), ctypes.c_char_p(newpath), ctypes.c_ulong(flags))

    return raw


_renameat2 = _load_renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Exchange two paths atomically (renameat2 RENAME_EXCHANGE). False where the system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


# --- leftovers of killed builds --------------------------------------------------------------


def _leftovers(root: Path) -> list[tuple[Path, str, int | None]]:
    """Every leftover beside output/: (path, kind, pid), the pid None for an older planpress's leftovers."""
    found = []
    try:
        names = os.listdir(root)
    except OSError:
        return []
    for name in names:
        if match := _LEFTOVER.fullmatch(name):
            found.append((root / name, match.group(1), int(match.group(2))))
        elif match := _LEGACY.fullmatch(name):
            found.append((root / name, match.group(1), None))
    return found


def running(pid: int) -> bool:
    """Whether the process `pid` is alive (a zombie, killed but not yet reaped, is not)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, only someone else's
    except (OSError, OverflowError):
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as status:
            return status.read().rpartition(b")")[2].split()[0] not in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def recover_output(root: Path) -> Path | None:
    """If output/ is missing because a build was killed between the two renames of the fallback swap,
    rename the previous output back. Any command may call this first; it changes nothing otherwise.

    Returns the folder it restored from, or None.
    """
    output = root / OUTPUT_DIR
    if os.path.lexists(output):
        return None
    candidates = []
    for path, kind, pid in _leftovers(root):
        if kind != "old" or (pid is not None and running(pid)):
            continue
        whole = path if pid is not None else path / OUTPUT_DIR  # an older planpress kept it one level down
        if whole.is_dir() and not whole.is_symlink():
            candidates.append(whole)
    for whole in sorted(candidates, key=_changed, reverse=True):
        try:
            os.rename(whole, output)
        except OSError:
            if os.path.lexists(output):
                return None  # another process restored it or built a new one meanwhile
            continue
        return whole
    return None


def _changed(path: Path) -> int:
    try:
        return path.stat().st_ctime_ns
    except OSError:
        return 0


def clean_leftovers(root: Path) -> list[Path]:
    """Remove what builds killed half way left beside output/ (never a running build's); return what went."""
    removed = []
    for path, _, pid in _leftovers(root):
        if pid is not None and running(pid):
            continue
        _stop_tools_working_in(path.name)
        trash = root / _name(TRASH)
        try:
            os.rename(path, trash)  # a removal killed half way must not leave a half `.output-old-`
        except OSError:
            continue  # gone already (another build cleaned it)
        _remove(trash)
        if os.path.lexists(trash):  # a tool the killed build started was still writing there: once more
            _remove(trash)
        removed.append(path)
    return removed


def _stop_tools_working_in(folder_name: str) -> None:
    """Kill what a killed build's tools still do in its leftover folder. A tool the build started
    (LibreOffice laying out the Word file) outlives a build killed outright, and would make its
    files there again after the folder is removed. Each process whose command line names the
    folder (its name carries the dead build's pid and a random part) is one of them. Linux's /proc
    lists them; elsewhere there is nothing to read, and the folder is removed as before."""
    proc = Path("/proc")
    if not proc.is_dir():
        return
    wanted = folder_name.encode()
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            named = wanted in (entry / "cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile, or not ours to read
        if named:
            try:
                os.kill(int(entry.name), signal.SIGKILL)
            except OSError:
                pass


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


# --- permissions ---------------------------------------------------------------------------------


def umask() -> int:
    """The process's umask, read without changing it where Linux tells it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def normalise_permissions(folder: Path) -> None:
    """Give `folder` and everything in it a plain mkdir's and file write's permissions under the umask
    (0755 and 0644 with umask 022); an executable file keeps its execute bits."""
    mask = umask()
    for directory, _, files in os.walk(folder):
        _chmod(directory, 0o777 & ~mask)
        for name in files:
            path = os.path.join(directory, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISREG(mode):
                _chmod(path, (0o777 if mode & stat.S_IXUSR else 0o666) & ~mask, mode)


def _chmod(path: str, wanted: int, mode: int | None = None) -> None:
    if mode is None:
        mode = os.lstat(path).st_mode
    if stat.S_IMODE(mode) != wanted:
        os.chmod(path, wanted)
