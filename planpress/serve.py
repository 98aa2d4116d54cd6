"""`python build.py serve`: the website at a local address, rebuilt and reloaded as authors save.

MkDocs' own live-reload server does the serving and the page reloading; we only tell it what
to watch (content/, templates/, mkdocs.yml) and how to rebuild (check, then build the site).
The preview is built into a temporary folder, never into output/. A save that breaks the plan
prints the problems with their file and line, and the last good site stays up.

The first Ctrl+C (or a SIGTERM or SIGHUP) stops it at once, whatever it is doing (building
the first site, rebuilding after a save, or waiting), and removes its temporary folder; a
second Ctrl+C while it tidies up is ignored, so it never leaves the folder half removed.
"""

from __future__ import annotations

import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from planpress.build import check_plan
from planpress.errors import PlanError
from planpress.targets import all_targets, output_prefix
from planpress.targets.site import SITE, build_site
from planpress.write import OUTPUT_DIR, recover_output, replace_folder, signals_held

WATCHED = ("content", "templates", "mkdocs.yml")


def rebuild(root: Path, site_dir: Path) -> bool:
    """Check the plan and build the site into `site_dir`; print what went wrong and return False if it failed."""
    started = time.perf_counter()
    checked = check_plan(root)
    if checked.blocking:
        print("The plan cannot be built; the site shows the last version that could:", file=sys.stderr)
        for finding in checked.blocking:
            print(f"  {finding}", file=sys.stderr)
        return False
    fresh = Path(tempfile.mkdtemp(prefix=".serve-", dir=site_dir.parent))
    try:
        build_site(checked.content, fresh, _downloads(root, checked.content), draft=True)
    except PlanError as error:
        shutil.rmtree(fresh, ignore_errors=True)
        print(f"Error: {error}", file=sys.stderr)
        return False
    _replace(fresh, site_dir)
    print(f"Rebuilt the site in {time.perf_counter() - started:.1f} s.", flush=True)
    return True


def _replace(fresh: Path, site_dir: Path) -> None:
    """Swap the new build in (one atomic exchange where the system allows), so the server never shows
    half a site, nor none."""
    replace_folder(fresh, site_dir)


def _downloads(root: Path, content) -> list[Path]:
    """The documents from the last build in output/, so the preview's download links work."""
    slug = output_prefix(content)
    names = [name for target in all_targets() if target.name != SITE for name in target.outputs(slug)]
    return [root / OUTPUT_DIR / name for name in names if (root / OUTPUT_DIR / name).is_file()]


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Serve the site until interrupted; return the exit status."""
    from mkdocs.livereload import LiveReloadServer

    recover_output(root)  # the preview offers output/'s documents as downloads
    server = scratch = None
    with _stopped_by_signals() as signals:
        try:
            with signals_held():  # made and named at once: a Ctrl+C between the two would leave it behind
                scratch = Path(tempfile.mkdtemp(prefix="planpress-serve-"))
            site_dir = scratch / SITE
            site_dir.mkdir()
            rebuild(root, site_dir)
            server = LiveReloadServer(builder=lambda: rebuild(root, site_dir), host=host, port=port,
                                      root=str(site_dir))
            for name in WATCHED:
                if (root / name).exists():
                    server.watch(str(root / name))
            print(f"Serving the plan's website at {server.url} (press Ctrl+C to stop).", flush=True)
            print(f"Saving a file in {', '.join(WATCHED)} rebuilds the site and reloads the open page.", flush=True)
            server.serve()  # returns only when shut down; Ctrl+C raises KeyboardInterrupt
            return 0
        except KeyboardInterrupt:
            print("Stopped.", flush=True)
            return 0
        except OSError as error:
            if server is None:
                raise
            print(f"Error: cannot serve at {server.url}: {error}. Try another --port.", file=sys.stderr)
            return 1
        finally:
            for number in signals:
                signal.signal(number, signal.SIG_IGN)  # a second Ctrl+C must not stop the tidying up
            if server is not None:
                server.shutdown()
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def _stopped_by_signals() -> Iterator[list[int]]:
    """Ctrl+C, SIGTERM (kill, a service manager) and SIGHUP (the terminal closed) all stop serve the same
    way, tidying up; the previous handlers come back afterwards."""
    wanted = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {number: signal.getsignal(number) for number in wanted}
    for number in wanted:
        signal.signal(number, _interrupt)
    try:
        yield wanted
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
