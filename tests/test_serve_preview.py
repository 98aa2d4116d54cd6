"""`python build.py serve` in Chromium: a save shows in the open page, figures quoted on other pages follow
the YAML behind them, and a save that breaks the plan shows its problems in the page, over the last good site.

Run for real: serve is started as an author starts it, on a copy of the example plan, and the page is
a real headless Chromium that MkDocs' live reload reloads after each save.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Page, expect, sync_playwright

from site_helpers import launch_chromium, serve_process
from planpress.build import check_plan
from planpress.serve import with_problems

VISION = "content/sections/02-vision.md"
FINANCE = "content/data/finance.yaml"
WAIT = 30_000  # ms: only a bound, so a stuck serve fails the test rather than hanging it


def append(project: Path, name: str, text: str) -> None:
    path = project / name
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def shows(page: Page, text: str) -> None:
    """Wait until the open page (reloaded by serve as it likes) shows `text`."""
    page.wait_for_function("t => document.body && document.body.innerText.includes(t)", arg=text, timeout=WAIT)


def test_a_save_shows_in_the_open_page_and_a_figure_follows_its_yaml_on_every_page(project: Path) -> None:
    append(project, VISION, '\nWe protect {{ protection["2015/16"] | money }} of social care.\n')
    with serve_process(project) as served, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.goto(served.url + "sections/vision.html")
        shows(page, "We protect £3,450,000 of social care.")
        finance = browser.new_page()
        finance.goto(served.url + "finance.html")
        assert "£3,450,000" in finance.inner_text("article")
        assert "£3,460,000" not in finance.inner_text("article")

        append(project, VISION, "\nA sentence saved just now.\n")
        shows(page, "A sentence saved just now.")

        yaml_file = project / FINANCE
        yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace(
            'social_care_protection:\n  "2014/15": "£1,450,000"\n  "2015/16": "£3,450,000"',
            'social_care_protection:\n  "2014/15": "£1,450,000"\n  "2015/16": "£3,460,000"'), encoding="utf-8")
        shows(page, "We protect £3,460,000 of social care.")  # the open page, from a section
        shows(finance, "£3,460,000")  # and another open page, from the YAML itself
        said = "".join(served.lines)
        browser.close()
    assert "Rebuilt 1 page in" in said, said  # the sentence: only its page was rebuilt
    assert "Traceback" not in said, said


def test_a_broken_save_shows_its_problems_in_the_page_until_it_is_fixed(project: Path) -> None:
    finance = project / FINANCE
    good = finance.read_text(encoding="utf-8")
    line = good.splitlines().index("carers_support:") + 1
    with serve_process(project) as served, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 360, "height": 740})  # a phone
        elsewhere: list[str] = []
        page.on("request", lambda request: elsewhere.append(request.url)
                if urlparse(request.url).hostname not in ("127.0.0.1", "localhost") else None)
        page.goto(served.url + "sections/vision.html")
        append(project, VISION, "\nThe last good sentence.\n")
        shows(page, "The last good sentence.")
        expect(page.get_by_role("alert")).to_have_count(0)

        finance.write_text(good.replace("carers_support:\n", "carers_support: [not closed\n"), encoding="utf-8")
        box = page.get_by_role("alert")
        expect(box).to_be_visible(timeout=WAIT)
        text = box.inner_text()
        where = [str(f.location) for f in check_plan(project).blocking]  # what `check` says, file and line
        assert where and all(w in text for w in where), (where, text)
        assert re.search(rf"{re.escape(FINANCE)}:({line}|{line + 1})\b", text), text  # the line broken, or the next
        assert box.get_by_role("heading", name="The plan cannot be built").is_visible()
        assert "The last good sentence." in page.inner_text("article")  # the last good site, under the box
        page.keyboard.press("Tab")  # the box is the first thing the keyboard reaches
        assert page.evaluate("document.activeElement.id") == "planpress-problems"
        width = page.evaluate("[document.getElementById('planpress-problems').getBoundingClientRect().right,"
                              " document.documentElement.scrollWidth]")
        assert width[0] <= 360 and width[1] <= 360, f"the box does not fit a phone's width: {width}"

        finance.write_text(good, encoding="utf-8")
        expect(page.get_by_role("alert")).to_have_count(0, timeout=WAIT)
        shows(page, "The last good sentence.")
        said = "".join(served.lines)
        browser.close()
    assert elsewhere == [], elsewhere
    assert all(w in said for w in where), said  # the terminal says it too
    assert "Traceback" not in said, said


def test_the_box_escapes_what_it_quotes_and_is_absent_when_all_is_well() -> None:
    page = b'<html><body class="x"><p>Plan</p></body></html>'
    assert with_problems(page, []) == page
    boxed = with_problems(page, ["content/plan.yaml:3: A <script> is not allowed here. Remove it."]).decode()
    assert boxed.startswith('<html><body class="x"><div id="planpress-problems" role="alert"')
    assert "<code>content/plan.yaml:3</code>: A &lt;script&gt; is not allowed here." in boxed
    assert "<script>" not in boxed and boxed.endswith("<p>Plan</p></body></html>")
