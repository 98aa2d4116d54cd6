"""Helpers the website's tests share: a real Chromium, a static file server, `serve` run for real."""

from __future__ import annotations

import functools
import http.server
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def chromium_browser() -> Iterator:
    """Debian's Chromium for the tests of one module (the `browser` fixture in conftest.py)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


def run_axe(page, target_size: bool = False) -> list[dict]:
    """axe-core's every rule (WCAG 2.0 to 2.2 A and AA, and best practice) on the page as loaded; with
    `target_size`, WCAG 2.2's 2.5.8 too (off in axe by default)."""
    import axe_playwright_python

    page.add_script_tag(content=(Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8"))
    options = "{resultTypes: ['violations'], rules: {'target-size': {enabled: true}}}" if target_size \
        else "{resultTypes: ['violations']}"
    return page.evaluate(f"() => axe.run(document, {options})")["violations"]


def launch_chromium(playwright):
    """Debian's Chromium, driven by Playwright; a clear failure (never a skip) when it is missing."""
    if not CHROMIUM.exists():
        raise AssertionError(
            f"{CHROMIUM} is missing: the website's browser tests need it. Run `make test` as root "
            "(it installs Debian's chromium package), or `apt-get install chromium`.")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """A plain static file server, as a council's web space would be; yields its base address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Served:
    """`python build.py serve` running: its process, the address it printed and everything it has said."""
    process: subprocess.Popen
    url: str
    port: int
    lines: list[str]


@contextmanager
def serve_process(project: Path, timeout: float = 60, env: dict[str, str] | None = None) -> Iterator[Served]:
    """`python build.py serve` on a free port, as an author runs it, answering; stopped with Ctrl+C (SIGINT)
    at the end if it is still running (killed if that fails)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--project", str(project), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + timeout
        url = ""
        while not url:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                raise AssertionError("serve stopped before it served:\n" + "".join(lines))
            lines.append(line)
            if "Serving the plan's website at " in line:
                url = line.split(" at ", 1)[1].split()[0]
            if time.monotonic() > deadline:
                raise AssertionError("serve printed no address in time:\n" + "".join(lines))
        threading.Thread(target=lambda: [lines.append(l) for l in process.stdout], daemon=True).start()
        _wait_for_port(port, deadline)
        yield Served(process, url, port, lines)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def serving(project: Path, timeout: float = 60) -> Iterator[str]:
    """`python build.py serve` on a free port, as an author runs it; yields the address it prints."""
    with serve_process(project, timeout) as served:
        yield served.url


def _wait_for_port(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"serve is not listening on port {port}")


def axe_problems_on_every_page(site: Path) -> tuple[int, list[str]]:
    """axe-core run on every page of a built site, served as a council's web space would serve it:
    how many pages, and each violation as "page: rule <html>"."""
    import axe_playwright_python
    from playwright.sync_api import sync_playwright

    axe_js = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    problems = []
    with sync_playwright() as playwright, static_server(site) as base:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name in pages:
            response = page.goto(base + name, wait_until="load")
            assert response is not None and response.ok, name
            page.add_script_tag(content=axe_js)
            violations = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]
            problems += [f"{name}: {v['id']} {v['nodes'][0]['html'][:100]}" for v in violations]
        browser.close()
    return len(pages), problems



def browser_problems(site: Path, names: list[str]) -> list[str]:
    """Load each page (by its path in the site) in Chromium from a plain static server: every dialog
    that opens, script error and request to another host, as "page: what happened"."""
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as playwright, static_server(site) as base:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.on("dialog", lambda dialog: (problems.append(f"{page.url}: a dialog: {dialog.message}"),
                                          dialog.dismiss()))
        page.on("pageerror", lambda error: problems.append(f"{page.url}: a script error: {error}"))
        page.on("request", lambda request: None if request.url.startswith(base)
                else problems.append(f"{page.url}: a request to {request.url}"))
        for name in names:
            page.goto(base + name, wait_until="load")
            page.wait_for_timeout(100)  # a handler that fires after load (onload, autofocus, a timer)
        browser.close()
    return problems
