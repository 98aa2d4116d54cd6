"""`python build.py audit`: the automated accessibility test, written into the plan's audit record.

Builds the website, serves it as a council's web space would (a plain static server on this
machine), and in Chromium at 390 and 1280 px wide, on every page:

- runs axe-core (the axe.min.js bundled with axe-playwright-python) for the WCAG A and AA rules;
- walks the page with the Tab key: the first stop is the skip link (2.4.1), focus moves on from
  every element (2.1.2) and every element focused can be seen (2.4.7).

It replaces the previous automated test in the record (keeping a planned fix date a person gave
a failure found again) and leaves every manual audit as it is: it never records a manual test.
Then it builds the website again, so the statement shows the new record.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

from planpress.errors import PlanError

WIDTHS = (390, 1280)
MAX_TABS = 80
CHROMIUM_PATHS = (Path("/usr/bin/chromium"), Path("/usr/bin/chromium-browser"), Path("/usr/bin/google-chrome"))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
HOW_TO_INSTALL = ("The accessibility audit needs Playwright and axe-core (`pip install playwright "
                  "axe-playwright-python`, or `pip install -e .[test]`) and a Chromium browser (`apt-get install "
                  "chromium` on Debian or Ubuntu, or `python -m playwright install chromium`)")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def run(root: Path, args) -> int:
    from planpress.build import build
    from planpress.load.content import load_content
    from planpress.targets import all_targets

    if args.arguments:
        print(f"Error: audit takes no further arguments: {' '.join(args.arguments)}", file=sys.stderr)
        return 1
    try:
        tools = _tools()
    except PlanError as missing:
        print(f"Error: {missing}", file=sys.stderr)
        return 1
    site_target = [t for t in all_targets() if t.name == "site"]
    build(root, site_target, final=False)
    content, _ = load_content(root)
    record_file = content.data_files().get("accessibility_audit")
    if not record_file:
        print("Error: the plan's template has no accessibility audit record (accessibility_audit in its "
              "data.yaml), so there is nowhere to write the results.", file=sys.stderr)
        return 1
    from planpress.checks.accessibility import site_sources_hash

    site = root / "output" / "site"
    try:
        found = audit_site(site, tools)
    except PlanError as failed:
        print(f"Error: {failed}", file=sys.stderr)
        return 1
    test = {
        "date": dt.date.today(),
        "kind": "automated",
        "by": (f"{content.website.publisher.name}, " if getattr(content, "website", None) else "")
              + "using python build.py audit",
        "method": (f"automated: axe-core {found['axe']} in Chromium {found['chromium']} at "
                   f"{' and '.join(str(w) for w in WIDTHS)} px on {len(found['pages'])} pages, "
                   "and a keyboard pass (Tab through every page)"),
        "whole_site": True,
        "plan_version": str(getattr(content.plan, "version", "") or ""),
        "commit": _commit(root),
        "content_hash": site_sources_hash(root, record_file),
        "pages": found["pages"],
        "failures": found["failures"],
    }
    write_record(root / record_file, test)
    build(root, site_target, final=False)
    failed = [p for p in found["pages"] if p["result"] == "failed"]
    print(f"Tested {len(found['pages'])} pages at {' and '.join(str(w) for w in WIDTHS)} px: "
          f"{len(failed)} with problems, {len(found['failures'])} failure(s) recorded in {record_file}.")
    for failure in found["failures"]:
        print(f"  {failure['criterion']} {failure['location']}: {failure['what']}")
    print("The accessibility statement in output/site/ now says what this test found. Automated tools find only "
          "some problems: record a manual audit by hand (the README says how).")
    return 0


def _tools():
    try:
        import axe_playwright_python
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PlanError(HOW_TO_INSTALL) from None
    axe_js = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    if not axe_js.is_file():
        raise PlanError(f"axe-core is missing from {axe_js.parent}. {HOW_TO_INSTALL}")
    return sync_playwright, axe_js.read_text(encoding="utf-8")


def _launch(playwright):
    for path in CHROMIUM_PATHS:
        if path.exists():
            return playwright.chromium.launch(executable_path=str(path), args=["--no-sandbox", "--disable-gpu"])
    try:
        return playwright.chromium.launch()
    except Exception:
        raise PlanError(f"No Chromium browser was found. {HOW_TO_INSTALL}") from None


_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const inView = r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  const seen = r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && inView;
  const label = (el.innerText || el.getAttribute('aria-label') || el.getAttribute('title') || '').trim().slice(0, 40);
  const skip = el.matches('a[href^="#"]') && /skip/i.test(el.textContent + ' ' + el.className);
  // Where on the page, not in the window: Chromium centres each newly focused element, so two like
  // elements in a row (two 'What the national template asks' notes) sit at the same place in the window.
  return {tag: el.tagName.toLowerCase(), label, seen, skip, key: el.outerHTML.slice(0, 200) + (r.top + scrollY) + ',' + (r.left + scrollX)};
}"""


def audit_site(site: Path, tools) -> dict:
    """Every page of the built site tested in Chromium at each width: the pages with their results, the
    failures (criterion, location, what), axe-core's and Chromium's versions."""
    sync_playwright, axe_js = tools
    if not (site / "index.html").is_file():
        raise PlanError("The website was not built, so it could not be tested: run `python build.py site` "
                        "and fix what it reports")
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    found: dict[str, dict[str, set[str]]] = {name: {} for name in names}  # page -> criterion -> problems
    seen_at: dict[tuple[str, str], dict[str, set[int]]] = {}  # (criterion, problem) -> page -> widths
    try:
        with sync_playwright() as playwright:
            browser = _launch(playwright)
            chromium = browser.version
            axe_version = ""
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                           else route.abort())
                for name in names:
                    page.goto(base + name, wait_until="load")
                    page.add_script_tag(content=axe_js)
                    axe_version = page.evaluate("() => axe.version")
                    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                                           "resultTypes: ['violations']})", AXE_TAGS)
                    problems = [(_criterion(v["tags"]), f"{v['help']} (axe-core rule {v['id']})")
                                for v in result["violations"]]
                    for criterion, problem in problems + _keyboard(page):
                        found[name].setdefault(criterion, set()).add(problem)
                        seen_at.setdefault((criterion, problem), {}).setdefault(name, set()).add(width)
                page.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    pages = [{"page": name, "result": "failed" if found[name] else "passed",
              "criteria": sorted(found[name], key=_order)} for name in names]
    failures = [{"criterion": criterion, "location": _where(sorted(where), names), "what": f"{problem}, {_widths(where)}"}
                for (criterion, problem), where in sorted(seen_at.items(), key=lambda kv: (_order(kv[0][0]), kv[0][1]))]
    return {"axe": axe_version, "chromium": chromium, "pages": pages, "failures": failures}


def _keyboard(page) -> list[tuple[str, str]]:
    """Tab through the page from its top: what the keyboard pass finds, as (criterion, what)."""
    problems: list[tuple[str, str]] = []
    seen_keys: list[str] = []
    hidden: list[str] = []
    for number in range(MAX_TABS):
        page.keyboard.press("Tab")
        focus = page.evaluate(_FOCUS)
        if focus is None:
            if number == 0:
                problems.append(("2.1.1", "The Tab key reaches nothing on the page"))
            break
        if number == 0 and not focus["skip"]:
            problems.append(("2.4.1", "The first Tab stop is not a link to skip to the content"))
        if seen_keys and focus["key"] == seen_keys[-1]:
            problems.append(("2.1.2", "Focus stays on one element when Tab is pressed (a keyboard trap)"))
            break
        if focus["key"] in seen_keys:
            break  # round the page and back to the start
        seen_keys.append(focus["key"])
        if not focus["seen"]:
            hidden.append(f"{focus['tag']} '{focus['label']}'")
    if hidden:
        problems.append(("2.4.7", "Tab moves focus to links or controls that cannot be seen (hidden menus or search)"))
    return problems


def _where(pages: list[str], every: list[str]) -> str:
    if pages == every:
        return f"every page ({len(every)})"
    if len(pages) > 6:
        return f"{len(pages)} pages: " + ", ".join(pages[:5]) + f" and {len(pages) - 5} more"
    return ", ".join(pages)


def _widths(where: dict[str, set[int]]) -> str:
    widths = sorted(set().union(*where.values()))
    return "at " + " and ".join(str(w) for w in widths) + " px wide"


def _criterion(tags: list[str]) -> str:
    """The success criterion of axe-core tags (wcag143 -> 1.4.3). Every rule run (tagged wcag2a to
    wcag22aa) names one; 4.1.2 (name, role, value) stands in if one ever does not."""
    for tag in tags:
        digits = tag[4:] if tag.startswith("wcag") else ""
        if digits.isdigit() and len(digits) >= 3:
            return f"{digits[0]}.{digits[1]}.{digits[2:]}"
    return "4.1.2"


def _order(criterion: str) -> tuple[int, ...]:
    return tuple(int(part) for part in criterion.split("."))


def _commit(root: Path) -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def write_record(path: Path, test: dict) -> None:
    """Put `test` in the record in place of the previous automated test, keeping the manual ones, the
    comments, and a planned fix date given to a failure found again."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # as `build.py fmt` writes YAML: a long value stays on one line, so fmt --check passes
    if path.is_file():
        record = yaml.load(path.read_text(encoding="utf-8")) or CommentedMap()
    else:
        record = CommentedMap()
        record.yaml_set_start_comment(
            "The record of every accessibility test of the plan's website: the accessibility statement is made\n"
            "from it. `python build.py audit` writes the automated test (replacing the previous one); add each\n"
            "manual audit by hand as another item of `tests` (the README says how). Keep the manual ones.")
        record["standard"] = "WCAG 2.2 AA"
    tests = record.setdefault("tests", [])
    planned = {}
    for old in [t for t in tests if t.get("kind") == "automated"]:
        for failure in old.get("failures") or []:
            if failure.get("fix_by"):
                planned[(str(failure.get("criterion")), str(failure.get("location")))] = failure["fix_by"]
        tests.remove(old)
    for failure in test["failures"]:
        if (failure["criterion"], failure["location"]) in planned:
            failure["fix_by"] = planned[(failure["criterion"], failure["location"])]
    tests.append(test)
    tests.sort(key=lambda t: str(t.get("date")))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(record, out)
