"""The build cache: outputs kept by the content of everything that went into them, for the next build.

It lives in `.planpress-cache/` beside content/ (never in output/, never committed) and is safe
to delete at any time: a build that finds nothing there simply makes everything again.

Two kinds of entry, each named by a SHA-256 of its inputs:

- a whole build (`builds/`): the key covers every file of content/, templates/ and mkdocs.yml,
  planpress's own code, the installed packages and tools, the git commit, tags and state the
  outputs quote, today's date (a check compares dates), and the command (which targets,
  draft or final). A build whose key is there copies its files into output/ and prints the
  problems it found the first time, without reading the plan again.
- one output file (`files/`): the Word file, the PDF and each report, keyed by the document
  made from the plan (its Markdown, charts and pictures), the house style and the code and
  tools, so a change elsewhere (a quarter's progress, the website's wording) reuses them.

Entries are written to a temporary name and renamed into place, so a build killed half way, or
two builds at once, never leave a half entry. The least recently used entries go when the
cache grows past CACHE_LIMIT.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import secrets
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from planpress.write import running, staged_output

CACHE_DIR = ".planpress-cache"
CACHE_LIMIT = 300 * 1024 * 1024
"""Bytes the cache may hold before its least recently used entries are removed."""
INPUT_FOLDERS = ("content", "templates")
INPUT_FILES = ("mkdocs.yml",)
PACKAGE = Path(__file__).resolve().parent


class Key:
    """A SHA-256 fed with labelled parts, so that no two different inputs run together into one."""

    def __init__(self, kind: str):
        self._hash = hashlib.sha256(kind.encode())

    def add(self, label: str, value: bytes | str) -> "Key":
        data = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
        self._hash.update(f"\0{label}\0{len(data)}\0".encode("utf-8", "surrogatepass"))
        self._hash.update(data)
        return self

    def add_file(self, label: str, path: Path) -> "Key":
        try:
            return self.add(label, path.read_bytes())
        except OSError:
            return self.add(label, b"\0missing")

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


@lru_cache(maxsize=1)
def code_and_tools() -> str:
    """What planpress's outputs depend on beyond the plan: its own code, the Python packages installed
    (their names carry their versions), the pandoc and LibreOffice programs, and the Python itself."""
    key = Key("code").add("python", sys.version)
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            key.add_file(str(path.relative_to(PACKAGE)), path)
    for folder in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
        try:
            key.add("packages", "\n".join(sorted(name for name in os.listdir(folder) if name.endswith("-info"))))
        except OSError:
            pass
    for program in (_pandoc(), shutil.which("soffice") or shutil.which("libreoffice")):
        key.add("program", _described(program))
    return key.hexdigest()


def _pandoc() -> str | None:
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return None


def _described(program: str | None) -> str:
    """A program's resolved path, size and time: it changes when the program is upgraded."""
    if program is None:
        return "none"
    try:
        real = Path(program).resolve()
        facts = real.stat()
        return f"{real} {facts.st_size} {facts.st_mtime_ns}"
    except OSError:
        return program


def build_key(root: Path, selection: str | None, final: bool) -> str:
    """The key of a whole build of the plan in `root`: of every target (`selection` None) or of those
    named (comma-separated), draft or final."""
    command = f"{'final' if final else 'draft'} build of {selection or 'every target'}"
    key = Key("build").add("command", command).add("code", code_and_tools()).add("today", dt.date.today().isoformat())
    for name in INPUT_FOLDERS:
        folder = root / name
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                key.add_file(path.relative_to(root).as_posix(), path)
    for name in INPUT_FILES:
        key.add_file(name, root / name)
    key.add("git", _git_state(root))
    return key.hexdigest()


def _git_state(root: Path) -> str:
    """What the outputs quote of git: the commit (history, version stamp), the tags (changes since the
    last one) and which files differ from it (a stamp says "with changes")."""
    asked = [["rev-parse", "HEAD"], ["show-ref", "--tags"], ["status", "--porcelain", "--", *INPUT_FOLDERS]]
    answers = []
    for args in asked:
        try:
            result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=30)
            answers.append(f"{result.returncode}\n{result.stdout!r}")
        except (OSError, subprocess.SubprocessError):
            answers.append("no git")
    return "\n".join(answers)


# --- entries ------------------------------------------------------------------------------


def cache_folder(root: Path) -> Path:
    return root / CACHE_DIR


def reused_file(root: Path, key: str, output: Path, make: Callable[[Path], None]) -> bool:
    """Put at `output` the file made from inputs with this key: the cache's copy, else make(output) and
    keep a copy. True when it was reused."""
    entry = cache_folder(root) / "files" / key[:2] / key
    if _copy_out(entry, output):
        return True
    make(output)
    _keep(entry, lambda folder: shutil.copy2(output, folder / "file"))
    return False


def _copy_out(entry: Path, output: Path) -> bool:
    try:
        shutil.copyfile(entry / "file", output)
    except OSError:
        return False
    _touch(entry)
    return True


@dataclass(frozen=True)
class StoredBuild:
    """What a whole build found and wrote, kept with its files."""

    findings: list
    """Its open problems (planpress.errors.Finding), printed again when it is reused."""
    owned: list[str]
    """The top-level names (or patterns) in output/ its targets own."""
    written: list[str]
    """The files it said it wrote, relative to output/."""


def reuse_build(root: Path, selection: str | None, final: bool) -> tuple[StoredBuild, list[str]] | None:
    """When the cache holds a build of exactly these inputs, put its files in output/ (staged and swapped
    in, as a build does) and return what it found and wrote; else None."""
    entry = cache_folder(root) / "builds" / build_key(root, selection, final)
    try:
        stored = pickle.loads((entry / "answer.pickle").read_bytes())
    except Exception:  # missing, or written by other code: build as if never built
        return None
    if not isinstance(stored, StoredBuild):
        return None
    _touch(entry)
    try:
        with staged_output(root, stored.owned) as stage:
            for item in (entry / "files").iterdir():
                if item.is_dir():
                    shutil.copytree(item, stage.folder / item.name, symlinks=True)
                else:
                    shutil.copy2(item, stage.folder / item.name)
    except OSError:  # part of the entry deleted meanwhile: output/ is untouched (the stage is dropped); build afresh
        shutil.rmtree(entry, ignore_errors=True)
        return None
    return stored, stored.written


def store_build(root: Path, key: str, output: Path, names: Iterable[str], findings: list, owned: list[str],
                written: list[str]) -> None:
    """Keep a copy of the build's top-level `names` in `output`, and what it found and wrote, under `key`."""
    def fill(folder: Path) -> None:
        files = folder / "files"
        files.mkdir()
        for name in names:
            source = output / name
            if source.is_dir():
                shutil.copytree(source, files / name, symlinks=True)
            elif source.is_file():
                shutil.copy2(source, files / name)
        (folder / "answer.pickle").write_bytes(pickle.dumps(StoredBuild(findings, owned, written)))

    _keep(cache_folder(root) / "builds" / key, fill)
    prune(root)


def _keep(entry: Path, fill: Callable[[Path], None]) -> None:
    """Write an entry under a temporary name, then rename it into place (a second writer's copy is dropped).
    A cache that cannot be written (a read-only folder, a full disk) only costs the next build time."""
    if entry.exists():
        return
    temporary = entry.parent / f".new-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        temporary.mkdir(parents=True)
        fill(temporary)
        os.rename(temporary, entry)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)


def _touch(entry: Path) -> None:
    try:
        os.utime(entry)
    except OSError:
        pass


def prune(root: Path, limit: int = CACHE_LIMIT) -> None:
    """Remove what killed builds left half written, then the least recently used entries until the
    cache holds at most `limit` bytes."""
    _remove_half_written(cache_folder(root))
    entries = [entry for kind in ("builds", "files") for group in _children(cache_folder(root) / kind)
               for entry in ([group] if kind == "builds" else _children(group))]
    sized = sorted(((_mtime(entry), _size(entry), entry) for entry in entries), key=lambda item: item[0])
    total = sum(size for _, size, _ in sized)
    for _, size, entry in sized:
        if total <= limit:
            break
        shutil.rmtree(entry, ignore_errors=True)
        total -= size


def _remove_half_written(cache: Path) -> None:
    """Entries being written by a build that is no longer running (the pid in their name)."""
    for temporary in [*cache.glob("*/.new-*"), *cache.glob("files/*/.new-*")]:
        pid = temporary.name.split("-")[1]
        if pid.isdigit() and not running(int(pid)):
            shutil.rmtree(temporary, ignore_errors=True)


def _children(folder: Path) -> list[Path]:
    try:
        return [child for child in folder.iterdir() if not child.name.startswith(".new-")]
    except OSError:
        return []


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
