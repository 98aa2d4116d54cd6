"""`python build.py serve`: the website at a local address, rebuilt and reloaded as authors save.

MkDocs' own live-reload server does the serving and the page reloading; we tell it what to
watch (content/, templates/, mkdocs.yml) and how to rebuild: check what could stop a build,
then rebuild only the pages the save changed (planpress/targets/site_live.py). The preview is
built into a temporary folder, never into output/. A save that breaks the plan prints the
problems with their file and line, the last good site stays up, and every page shows the
problems in a box at its top until a save fixes them.

The first Ctrl+C (or a SIGTERM or SIGHUP) stops it at once, whatever it is doing (building
the first site, rebuilding after a save, or waiting), and removes its temporary folder; a
second Ctrl+C while it tidies up is ignored, so it never leaves the folder half removed.
"""

from __future__ import annotations

import dataclasses
import html
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from planpress.build import CheckedPlan, _filled_in_findings
from planpress.checks import structural_findings
from planpress.errors import PlanError
from planpress.load.content import load_content
from planpress.render.prose import render_prose
from planpress.targets import all_targets, output_prefix
from planpress.targets.site import SITE
from planpress.targets.site_live import LiveSite
from planpress.write import OUTPUT_DIR, recover_output, signals_held

WATCHED = ("content", "templates", "mkdocs.yml")


class Preview:
    """The plan's website as serve shows it: rebuilt on each save (only the pages the save changed), and the
    problems that stopped the last save, which every page shows over the last good site until they are fixed."""

    def __init__(self, root: Path, scratch: Path, site_dir: Path) -> None:
        self.root = root
        self.site = LiveSite(scratch, site_dir)
        self.problems: list[str] = []

    def rebuild(self) -> bool:
        """Check the plan and bring the site up to date; keep and print what went wrong and return False if it failed."""
        started = time.perf_counter()
        print("Rebuilding the site...", flush=True)  # tests wait for this to stop serve in the middle of a rebuild
        blocking = preview_findings(self.root)
        if blocking.blocking:
            return self._failed([str(finding) for finding in blocking.blocking])
        try:
            what = self.site.update(blocking.content, _downloads(self.root, blocking.content))
        except PlanError as error:
            return self._failed(str(error).splitlines()[1:] or [str(error)])
        self.problems = []
        print(f"Rebuilt {what} in {time.perf_counter() - started:.2f} s.", flush=True)
        return True

    def _failed(self, problems: list[str]) -> bool:
        self.problems = [problem.strip() for problem in problems if problem.strip()]
        print("The plan cannot be built; the site shows the last version that could:", file=sys.stderr)
        for problem in self.problems:
            print(f"  {problem}", file=sys.stderr)
        return False


def preview_findings(root: Path) -> CheckedPlan:
    """check_plan without the rules that never stop a draft: the preview is always a draft and shows no
    findings, so only what blocks a build matters, and those rules are most of check's time."""
    content, load_findings = load_content(root)
    structural = structural_findings(content)
    rendered, prose_findings = render_prose(content)
    filled_in, _ = _filled_in_findings(content, rendered, structural)
    blocking = [dataclasses.replace(f, blocks_build=True) for f in load_findings + structural + prose_findings + filled_in]
    blocking.sort(key=lambda f: (f.location.file, f.location.line))
    return CheckedPlan(rendered, [f for f in blocking if f.severity == "error"])


def _waiting_page(site_dir: Path) -> None:
    """The one page there is while the plan has never built: it shows the problems, and reloads when they are fixed."""
    (site_dir / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Preview</title></head>'
        "<body><main><h1>No preview yet</h1><p>The website appears here as soon as the plan builds.</p></main>"
        "</body></html>", encoding="utf-8")


def _downloads(root: Path, content) -> list[Path]:
    """The documents from the last build in output/, so the preview's download links work."""
    slug = output_prefix(content)
    names = [name for target in all_targets() if target.name != SITE for name in target.outputs(slug)]
    return [root / OUTPUT_DIR / name for name in names if (root / OUTPUT_DIR / name).is_file()]


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Serve the site until interrupted; return the exit status."""
    recover_output(root)  # the preview offers output/'s documents as downloads
    server = scratch = None
    with _stopped_by_signals() as signals:
        try:
            with signals_held():  # made and named at once: a Ctrl+C between the two would leave it behind
                scratch = Path(tempfile.mkdtemp(prefix="planpress-serve-"))
            site_dir = scratch / SITE
            site_dir.mkdir()
            preview = Preview(root, scratch, site_dir)
            if not preview.rebuild():
                _waiting_page(site_dir)
            server = _server(preview, host, port, site_dir)
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


def _server(preview: Preview, host: str, port: int, site_dir: Path):
    """MkDocs' live-reload server, noticing a save within a twentieth of a second (it looks every half second by
    default), and showing the problems that stopped the last save at the top of every page."""
    from mkdocs.livereload import LiveReloadServer

    class Server(LiveReloadServer):
        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            return super()._inject_js_into_html(with_problems(content, preview.problems), epoch)

        def serve_request(self, environ, start_response):
            # The theme's files named by their content's hash never change: the reloaded page keeps them.
            if _HASHED.search(environ.get("PATH_INFO", "")):
                def start_response_kept(status, headers, *rest):
                    return start_response(status, [*headers, ("Cache-Control", "max-age=3600, immutable")], *rest)
                return super().serve_request(environ, start_response_kept)
            return super().serve_request(environ, start_response)

    server = Server(builder=preview.rebuild, host=host, port=port, root=str(site_dir), polling_interval=SAVE_POLL)
    server.build_delay = SAVE_SETTLE
    return server


SAVE_POLL = 0.05  # seconds between looks at the watched files (each look takes about a millisecond)
SAVE_SETTLE = 0.02  # seconds without another change before rebuilding: an editor's save is one write, or a few at once
_HASHED = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")  # Material's bundles: main.57a0d79d.min.css
_BODY = re.compile(rb"<body\b[^>]*>")
_LOCATION = re.compile(r"^(\S+?:\d+):\s")
BOX_STYLE = ("margin:0;padding:1rem 1.25rem;border:0.25rem solid #b00020;background:#fff4f4;color:#1a1a1a;"
             "font:0.8rem/1.5 system-ui,sans-serif;overflow-wrap:anywhere;position:relative;z-index:10")


def with_problems(page: bytes, problems: list[str]) -> bytes:
    """The page with a box at its very top listing each problem as file:line: message, when there are any:
    a live region read out at once, first in the keyboard's order, its own text (nothing loaded)."""
    if not problems:
        return page
    items = "".join(f"<li>{_problem_html(problem)}</li>" for problem in problems)
    box = (f'<div id="planpress-problems" role="alert" tabindex="0" style="{BOX_STYLE}">'
           '<h2 style="margin:0 0 0.5rem;font-size:1rem">The plan cannot be built</h2>'
           "<p style=\"margin:0 0 0.5rem\">This page is the last version that could. Fix these and save; "
           "this box goes when the plan builds again.</p>"
           f'<ul style="margin:0;padding-left:1.25rem">{items}</ul></div>'
           # A reload keeps the reader's place by default, which would leave the box above the screen.
           '<script>history.scrollRestoration = "manual"; scrollTo(0, 0);</script>').encode()
    found = _BODY.search(page)
    at = found.end() if found else 0
    return page[:at] + box + page[at:]


def _problem_html(problem: str) -> str:
    found = _LOCATION.match(problem)
    if not found:
        return html.escape(problem)
    return f"<code>{html.escape(found.group(1))}</code>: {html.escape(problem[found.end():])}"


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
