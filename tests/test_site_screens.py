"""The website read on a phone (390 px wide) and on a desktop (1280 px), in a real Chromium.

On every page of two built examples (the 2014 plan and the bcf-2026 round): the page never
scrolls sideways; a table wider than the column sits in a named, keyboard-scrollable region
with a visible cue that it scrolls; every chart's words are at least 12 CSS px as shown, on a phone,
a desktop and the widths between (320, 768, 900 and 1024 px, on the pages with charts); and the Gantt chart names every task in full (never cut with "…"), in the site and in
the chart the Word and PDF documents embed.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_cli
from site_helpers import launch_chromium, static_server

WIDTHS = (390, 1280)
# The widths where a chart's drawing is switched or shrunk: the narrowest phone, a tablet, a small
# laptop (Material's table of contents appears at 960 px and narrows the column). Only the pages
# with charts are measured there.
CHART_WIDTHS = (320, 768, 900, 1024)
SMALLEST_TEXT = 12  # CSS px: the least a reader on a phone should have to read

# One call per page: what the page, its tables and its charts measure as the browser lays them out.
MEASURE = """() => {
  const article = document.querySelector("article.md-typeset");
  const style = getComputedStyle(article);
  const column = article.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const named = (el) => {
    const label = (el.getAttribute("aria-label") || "").trim();
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    return label || ids.map((id) => (document.getElementById(id) || {}).textContent || "").join(" ").trim();
  };
  const tables = [...article.querySelectorAll("table")].map((table) => {
    const region = table.closest("[role=region]");
    // A row's height in lines; a row laid out as a card (its cells stacked), each cell's.
    const lines = (el) => el.getBoundingClientRect().height / (parseFloat(getComputedStyle(el).lineHeight) || 20);
    const cards = getComputedStyle(table).display === "block";
    const rows = [...table.rows].map((row) => cards ? Math.max(0, ...[...row.cells].map(lines))
      : row.getBoundingClientRect().height / (parseFloat(getComputedStyle(row.cells[0]).lineHeight) || 20));
    return {
      width: table.getBoundingClientRect().width,
      region: !!region,
      name: region ? named(region) : "",
      tabindex: region ? region.getAttribute("tabindex") : null,
      cue: region ? getComputedStyle(region).backgroundImage : "none",
      lines: Math.max(0, ...rows),
      head: (table.querySelector("th") || {textContent: ""}).textContent.trim(),
      cards,
      paragraph: !!table.querySelector("td.pp-longer"),
    };
  });
  const charts = [...article.querySelectorAll(".pp-chart img")].map((img) => ({
    src: img.currentSrc, shown: img.getBoundingClientRect().width, natural: img.naturalWidth,
    right: img.getBoundingClientRect().right,
  }));
  return {overflow: document.documentElement.scrollWidth - window.innerWidth, column, tables, charts};
}"""


@pytest.fixture(scope="module")
def sites(built_project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example plan's site (every target built) and the bcf-2026 example's site (built alone: quick)."""
    other = tmp_path_factory.mktemp("screens") / "bcf-2026"
    shutil.copytree(REPO / "examples" / "bcf-2026", other, ignore=shutil.ignore_patterns("output", ".output-*"))
    result = run_cli(other, "site")
    assert result.code == 0, result.out + result.err
    return {"bcf-2014": built_project, "bcf-2026": other}


@pytest.fixture(scope="module")
def measured(sites: dict[str, Path]) -> dict[tuple[int, str], dict]:
    """Every page of both sites at both widths: (width, "site/page.html") -> what MEASURE returns."""
    from playwright.sync_api import sync_playwright

    found: dict[tuple[int, str], dict] = {}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        pages = {width: browser.new_page(viewport={"width": width, "height": 900}) for width in WIDTHS}
        for name, project in sites.items():
            site = project / "output" / "site"
            with static_server(site) as base:
                for html in sorted(site.rglob("*.html")):
                    address = html.relative_to(site).as_posix()
                    for width, page in pages.items():
                        response = page.goto(base + address, wait_until="load")
                        assert response is not None and response.ok, address
                        result = page.evaluate(MEASURE)
                        for chart in result["charts"]:
                            chart["file"] = site / chart["src"].removeprefix(base).split("#")[0]
                        found[(width, f"{name}/{address}")] = result
        browser.close()
    assert len(found) > 2 * 40
    return found


@pytest.fixture(scope="module")
def charts_between(sites: dict[str, Path]) -> dict[tuple[int, str], dict]:
    """The pages with charts of both sites at CHART_WIDTHS: (width, "site/page.html") -> what MEASURE returns."""
    from playwright.sync_api import sync_playwright

    found: dict[tuple[int, str], dict] = {}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        pages = {width: browser.new_page(viewport={"width": width, "height": 900}) for width in CHART_WIDTHS}
        for name, project in sites.items():
            site = project / "output" / "site"
            with static_server(site) as base:
                for html in sorted(site.rglob("*.html")):
                    if 'class="pp-chart' not in html.read_text(encoding="utf-8"):
                        continue
                    address = html.relative_to(site).as_posix()
                    for width, page in pages.items():
                        page.goto(base + address, wait_until="load")
                        result = page.evaluate(MEASURE)
                        for chart in result["charts"]:
                            chart["file"] = site / chart["src"].removeprefix(base).split("#")[0]
                        found[(width, f"{name}/{address}")] = result
        browser.close()
    assert len({page for _, page in found}) >= 8
    return found


def test_no_page_scrolls_sideways(measured: dict) -> None:
    wide = [f"{page} at {width} px: {m['overflow']} px too wide"
            for (width, page), m in measured.items() if m["overflow"] > 0]
    assert wide == []


def test_every_table_wider_than_the_column_scrolls_in_a_named_region_with_a_cue(measured: dict) -> None:
    problems, overflowing = [], 0
    for (width, page), m in measured.items():
        for table in m["tables"]:
            if table["width"] <= m["column"] + 1:
                continue
            overflowing += 1
            where = f"{page} at {width} px, table '{table['head']}' ({table['width']:.0f} px in {m['column']:.0f})"
            if not (table["region"] and table["name"] and table["tabindex"] == "0"):
                problems.append(f"{where}: not in a named region with tabindex=0")
            elif "gradient" not in table["cue"]:
                problems.append(f"{where}: no visible cue that it scrolls sideways")
    assert overflowing > 0  # the test has something to test: the risk log is wide on a phone
    assert problems == []


def test_no_table_row_is_a_tall_thin_column_of_words(measured: dict) -> None:
    """A risk squeezed into the phone's width ran to 20-33 lines a row; a long cell now has room and the table scrolls."""
    tall = [f"{page} at {width} px, table '{t['head']}': a row {t['lines']:.0f} lines high"
            for (width, page), m in measured.items() for t in m["tables"] if t["lines"] > 15]
    assert tall == []


def test_a_table_of_paragraphs_reads_as_cards_on_a_phone_and_as_a_table_on_a_desktop(measured: dict) -> None:
    """The national conditions' assurance, a risk's mitigation: a paragraph in a cell made a row 14
    lines high in a table that scrolled sideways on a phone; there each row is a card instead."""
    paragraphs = [(width, page, t) for (width, page), m in measured.items() for t in m["tables"] if t["paragraph"]]
    assert any(page == "bcf-2026/sections/national-conditions.html" for _, page, _ in paragraphs)
    wrong = [f"{page} at {width} px: table '{t['head']}' is {'' if t['cards'] else 'not '}cards"
             for width, page, t in paragraphs if t["cards"] != (width == 390)]
    assert wrong == []
    wide = [f"{page}: table '{t['head']}' is {t['width']:.0f} px in {measured[(width, page)]['column']:.0f}"
            for width, page, t in paragraphs if width == 390 and t["width"] > measured[(width, page)]["column"] + 1]
    assert wide == []
    # Other tables stay tables (a wide one scrolls in its region).
    assert all(not t["cards"] for m in measured.values() for t in m["tables"] if not t["paragraph"])


def test_a_table_as_cards_is_still_a_table_to_a_screen_reader(sites: dict[str, Path]) -> None:
    """Chromium's accessibility tree, with the rows stacked: a table with rows, its column headers and
    cells; each cell shows its column's heading, which a screen reader skips (it has the header)."""
    from playwright.sync_api import sync_playwright

    site = sites["bcf-2026"] / "output" / "site"
    with sync_playwright() as playwright, static_server(site) as base:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + "sections/national-conditions.html", wait_until="load")
        labels = page.evaluate("""() => [...document.querySelectorAll("article table tbody td")].map((td) => {
            const label = getComputedStyle(td, "::before");
            return label.display === "block" ? label.content.split(" / ")[0].replace(/"/g, "") : null; })""")
        tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
        browser.close()
    assert labels[:4] == ["Ref", "National condition", "Met", "Assurance"] and len(labels) == 16
    roles = [node.get("role", {}).get("value") for node in tree if not node.get("ignored")]
    assert roles.count("table") == 1
    assert roles.count("columnheader") == 4
    assert roles.count("cell") == 16
    assert roles.count("row") == 5
    # The headings over the cells are not read again with each cell.
    cells = [str(node.get("name", {}).get("value", "")) for node in tree
             if not node.get("ignored") and node.get("role", {}).get("value") == "cell"]
    assert cells[:3] == ["NC1", "Plans to be jointly agreed", "Yes"], cells[:3]


def _font_sizes(svg: str) -> list[float]:
    return [float(size) for size in re.findall(r'<text[^>]*\bfont-size="([\d.]+)"', svg)]


def _smallest_chart_text(measured: dict) -> tuple[list[str], int]:
    """Each shown chart whose smallest words are under 12 CSS px as drawn, and how many were shown."""
    small, charts = [], 0
    for (width, page), m in measured.items():
        for chart in m["charts"]:
            assert chart["natural"] > 0, f"{page}: {chart['src']} did not load"
            assert chart["right"] <= width, f"{page} at {width} px: {chart['src']} runs off the screen"
        shown = [c for c in m["charts"] if c["shown"] > 0]  # the drawing for the other width is not shown
        assert len(shown) == len({c["src"].replace("-narrow", "") for c in m["charts"]}), \
            f"{page} at {width} px: each chart shown once"
        for chart in shown:
            charts += 1
            scale = chart["shown"] / chart["natural"]
            smallest = min(_font_sizes(chart["file"].read_text(encoding="utf-8"))) * scale
            if smallest < SMALLEST_TEXT:
                small.append(f"{page} at {width} px: {chart['file'].name} has text {smallest:.1f} px high")
    return small, charts


def test_every_chart_reads_at_12_px_on_a_phone_and_a_desktop(measured: dict) -> None:
    small, charts = _smallest_chart_text(measured)
    assert charts > 20
    assert small == []


def test_every_chart_reads_at_12_px_at_the_widths_between(charts_between: dict) -> None:
    """A tablet or small laptop once got the wide drawing shrunk to 10 px words (and 320 px phones the narrow one)."""
    small, charts = _smallest_chart_text(charts_between)
    assert charts > 4 * 10
    assert small == []
    # Both drawings are used: the narrow one on the narrowest phone, the wide one on a tablet.
    assert all("-narrow" in c["src"] for (width, _), m in charts_between.items() if width == 320
               for c in m["charts"] if c["shown"] > 0)
    assert any("-narrow" not in c["src"] for (width, _), m in charts_between.items() if width == 768
               for c in m["charts"] if c["shown"] > 0)


def test_every_chart_is_drawn_with_words_of_12_px_or_more(sites: dict[str, Path]) -> None:
    """Wide and narrow drawings alike, at their own size: the website never shrinks them below it."""
    small = [f"{svg.name}: {min(_font_sizes(svg.read_text(encoding='utf-8')))} px"
             for project in sites.values() for svg in sorted((project / "output" / "site" / "charts").glob("*.svg"))
             if min(_font_sizes(svg.read_text(encoding="utf-8"))) < SMALLEST_TEXT]
    assert small == []


class _Texts(HTMLParser):
    """The words of each <text> element of an SVG, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._inside = 0

    def handle_starttag(self, tag, attrs):
        if tag == "text":
            self._inside += 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag == "text":
            self._inside -= 1

    def handle_data(self, data):
        if self._inside:
            self.texts[-1] += data


def _svg_words(svg: str) -> list[str]:
    parser = _Texts()
    parser.feed(svg)
    return [" ".join(text.split()) for text in parser.texts]


def test_the_gantt_names_every_task_in_full(sites: dict[str, Path]) -> None:
    """Site and documents alike: each task's name whole, over as many lines as it needs, none cut."""
    tasks = yaml.safe_load((REPO / "content" / "data" / "milestones.yaml").read_text(encoding="utf-8"))["milestones"]
    charts = sorted((sites["bcf-2014"] / "output" / "site" / "charts").glob("gantt*.svg"))
    assert charts
    from planpress.figures import compute
    from planpress.load.content import load_content
    from planpress.render.charts import make_charts

    # The chart the Word and PDF documents embed, drawn from the same plan.
    content, _ = load_content(sites["bcf-2014"])
    gantt = [c for c in make_charts(content, compute(content)) if c.filename == "charts/gantt.svg"][0]
    # Too long for one printed page, the documents' copy comes in parts, each whole.
    assert len(gantt.pages) > 1
    drawn = [gantt.svg, " ".join(gantt.pages)]
    for svg in [c.read_text(encoding="utf-8") for c in charts] + drawn:
        words = _svg_words(svg)
        assert [w for w in words if w.endswith("…")] == []
        joined = " ".join(words)
        for task in tasks:
            scope = task.get("scheme") or task.get("theme") or ""
            name = " ".join(f"{scope}: {task['task']}".split())
            assert name in joined, f"'{name}' is not whole in the Gantt chart"
