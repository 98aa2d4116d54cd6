"""`python build.py serve` in Chromium: a save shows in the open page, figures quoted on other pages follow
the YAML behind them, and a save that breaks the plan shows its problems in the page, over the last good site.

Run for real: serve is started as an author starts it, on a copy of the example plan, and the page is
a real headless Chromium that MkDocs' live reload reloads after each save.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Page, expect, sync_playwright

from site_helpers import launch_chromium, serve_process
from planpress.build import check_plan
from planpress.serve import Preview, with_problems

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
        expect(box).to_be_in_viewport()  # not above the screen where the reloaded page kept the reader's place
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
    boxed = with_problems(page, ["content/plan.yaml:3: A <script>alert(1)</script> is not allowed here."]).decode()
    assert boxed.startswith('<html><body class="x"><div id="planpress-problems" role="alert"')
    assert "<code>content/plan.yaml:3</code>: A &lt;script&gt;alert(1)&lt;/script&gt; is not allowed here." in boxed
    assert "<script>alert" not in boxed and boxed.endswith("<p>Plan</p></body></html>")


# --- the preview's site, rebuilt in this process (what serve runs on each save) --------------------------


def search_index(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_a_save_rebuilds_its_page_alone_and_the_search_still_finds_every_page(project: Path, tmp_path: Path) -> None:
    append(project, VISION, "\nA first sentence.\n")  # so the content's date (every page shows it) is today's already
    site = tmp_path / "site"
    preview = Preview(project, tmp_path, site)
    assert preview.rebuild()
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    indexed = {entry["location"].split("#")[0] for entry in search_index(site)}
    untouched = {name: (site / name).read_bytes() for name in pages if name != "sections/vision.html"}

    append(project, VISION, "\nA sentence only the vision holds.\n")
    assert preview.rebuild() and not preview.problems
    assert "A sentence only the vision holds." in (site / "sections/vision.html").read_text(encoding="utf-8")
    assert {name: (site / name).read_bytes() for name in untouched} == untouched
    index = search_index(site)
    assert {entry["location"].split("#")[0] for entry in index} == indexed  # every page, still
    assert sum("A sentence only the vision holds." in entry["text"] for entry in index) == 1
    assert "A sentence only the vision holds." in (site / "search" / "search_index.js").read_text(encoding="utf-8")


def test_a_new_page_or_a_changed_mkdocs_yml_rebuilds_the_whole_site(project: Path, tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    preview = Preview(project, tmp_path, site)
    assert preview.rebuild()
    scheme = (project / "content/schemes/CH1.md").read_text(encoding="utf-8")
    (project / "content/schemes/CH9.md").write_text(scheme.replace("reference: CH1", "reference: CH9").replace(
        "name: Integrated neighbourhood teams", "name: A scheme added while serving"), encoding="utf-8")
    themes = project / "content/data/themes.yaml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("schemes: [CH1, CH2, CH3]", "schemes: [CH1, CH2, CH3, CH9]"),
                      encoding="utf-8")
    assert preview.rebuild(), preview.problems
    assert "Rebuilt the whole site" in capsys.readouterr().out.splitlines()[-1]
    assert "A scheme added while serving" in (site / "finance.html").read_text(encoding="utf-8")  # every page's menu
    assert any("schemes/ch9.html" == e["location"].split("#")[0] for e in search_index(site))

    settings = project / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "copyright: Published by the partners to the Better Care Fund plan", "copyright: Published by us"),
        encoding="utf-8")
    assert preview.rebuild(), preview.problems
    assert "Rebuilt the whole site" in capsys.readouterr().out.splitlines()[-1]
    assert "Published by us" in (site / "finance.html").read_text(encoding="utf-8")


def test_a_broken_link_leaves_the_last_good_page_and_says_where(project: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    preview = Preview(project, tmp_path, site)
    assert preview.rebuild()
    append(project, VISION, "\nA good sentence.\n")
    assert preview.rebuild()
    good = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    append(project, VISION, "\nSee [the missing page](/sections/no-such-page.md).\n")
    assert not preview.rebuild()
    assert any(problem.startswith(f"{VISION}:") and "no-such-page" in problem for problem in preview.problems), \
        preview.problems
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == good

    vision = project / VISION
    vision.write_text(vision.read_text(encoding="utf-8").replace("See [the missing page](/sections/no-such-page.md).",
                                                                 "Fixed."), encoding="utf-8")
    assert preview.rebuild() and preview.problems == []
    assert "Fixed." in (site / "sections/vision.html").read_text(encoding="utf-8")


def test_a_plan_that_never_built_shows_its_problems_until_it_does(project: Path) -> None:
    finance = project / FINANCE
    good = finance.read_text(encoding="utf-8")
    finance.write_text(good.replace("carers_support:\n", "carers_support: [not closed\n"), encoding="utf-8")
    where = [str(f.location) for f in check_plan(project).blocking]
    with serve_process(project) as served, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.goto(served.url)
        box = page.get_by_role("alert")
        expect(box).to_be_visible(timeout=WAIT)
        assert where and all(w in box.inner_text() for w in where), (where, box.inner_text())
        finance.write_text(good, encoding="utf-8")
        expect(page.get_by_role("alert")).to_have_count(0, timeout=WAIT)
        shows(page, "Better Care Fund")
        browser.close()
