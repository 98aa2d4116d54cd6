"""Write outputs into a staging folder and swap it into output/ only when the whole build succeeds.

Neither MkDocs nor pandoc writes atomically, so a crash half way would leave a half-built
site. We build beside output/, then swap: a failed build leaves the previous output/ whole.
"""

from __future__ import annotations

import fnmatch
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from planpress.errors import BuildError

OUTPUT_DIR = "output"


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
    folder = Path(tempfile.mkdtemp(prefix=".output-staging-", dir=root))
    try:
        _copy_previous(output, folder, set(replacing))
        yield Stage(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _swap(folder, output)


def _copy_previous(output: Path, folder: Path, replacing: set[str]) -> None:
    if not output.is_dir():
        return
    for item in output.iterdir():
        if any(fnmatch.fnmatchcase(item.name, pattern) for pattern in replacing):
            continue
        if item.is_dir():
            shutil.copytree(item, folder / item.name, symlinks=True)
        else:
            shutil.copy2(item, folder / item.name)


def _swap(folder: Path, output: Path) -> None:
    old = None
    if output.exists():
        old = Path(tempfile.mkdtemp(prefix=".output-old-", dir=output.parent))
        output.rename(old / OUTPUT_DIR)
    folder.rename(output)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
