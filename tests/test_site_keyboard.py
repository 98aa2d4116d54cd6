"""The website for a keyboard user, on a phone and a desktop, and pages that read like a plan.

Real Chromium on the built example: Tab through every page at 390 px and 1280 px (and a handful
of pages at 1024 and 1100 px, between a phone and a desktop, where the header has both the menu
button and the search box) and every focused element is visible with a focus indicator, the
content comes within three presses, the closed menu drawer takes no tab stops, the menu opens from
the keyboard and offers the search at every width with a drawer; axe (with target-size)
finds nothing at either width; opened from a disk the site searches with no script error; the public pages
say true things in words and show the template's questions only as a quiet note.

These tests fail (never skip) when Chromium is missing: `make test` installs it as root.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from site_helpers import run_axe, static_server

WIDTHS = {390: 844, 1280: 900}
# Between a phone and a desktop (960 to 1219 px) Material shows the menu button and the search box
# together; a few pages of each kind are enough there (every page at every width would be slow).
MIDDLE_WIDTHS = {1024: 768, 1100: 800}
MIDDLE_PAGES = ("index.html", "finance.html", "schemes/iur1.html", "sections/vision.html", "glossary.html")

# What the focused element looks like, and whether a person can see it: a box inside the viewport,
# no hidden or undisplayed ancestor (a closed drawer), and where it sits relative to the content.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect();
  let hidden = false;
  for (let n = e; n; n = n.parentElement) {
    const s = getComputedStyle(n);
    if (s.visibility === 'hidden' || s.display === 'none' || n.hasAttribute('inert')) hidden = true;
  }
  const s = getComputedStyle(e);
  const content = document.querySelector('.md-content');
  return {
    name: e.tagName + ' ' + (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40),
    inViewport: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
                && r.top < innerHeight && r.left < innerWidth,
    hidden,
    inContent: !!e.closest('.md-content'),
    afterContent: !!(content.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING)
                  && !content.contains(e),
    look: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' | '),
  };
}"""
# The same element's look without focus (blurred, then focused again so Tab goes on from it).
UNFOCUSED_LOOK = """() => {
  const e = document.activeElement;
  e.blur();
  const s = getComputedStyle(e);
  const look = [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' | ');
  e.focus();
  return look;
}"""
TABBABLE_IN_CONTENT = ("() => [...document.querySelectorAll('.md-content a[href], .md-content button, "
                       ".md-content input, .md-content summary, .md-content [tabindex]')]"
                       ".filter(e => e.tabIndex >= 0 && e.getClientRects().length).length")


@pytest.fixture(scope="module")
def site(built_project: Path) -> Path:
    return built_project / "output" / "site"


@pytest.fixture(scope="module")
def pages(site: Path) -> list[str]:
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(names) > 25
    return names



def tab_through(page, limit: int = 200) -> list[dict]:
    """Press Tab from the top of the page until focus leaves the page or comes round again."""
    seen: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (seen and focused["name"] == seen[0]["name"] and len(seen) > 3):
            break
        focused["unfocused"] = page.evaluate(UNFOCUSED_LOOK)
        seen.append(focused)
    return seen


@pytest.mark.parametrize("width", sorted(WIDTHS) + sorted(MIDDLE_WIDTHS))
def test_every_tab_stop_is_visible_and_the_content_comes_within_three_presses(
        site: Path, pages: list[str], browser, width: int) -> None:
    problems: list[str] = []
    height = WIDTHS.get(width) or MIDDLE_WIDTHS[width]
    names = pages if width in WIDTHS else [name for name in pages if name in MIDDLE_PAGES]
    assert width in WIDTHS or len(names) == len(MIDDLE_PAGES)
    with static_server(site) as base:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        for name in names:
            page.goto(base + name, wait_until="load")
            stops = tab_through(page)
            assert stops, f"{name}: Tab focuses nothing"
            for number, stop in enumerate(stops, 1):
                if stop["hidden"] or not stop["inViewport"]:
                    problems.append(f"{name}: Tab {number} focuses {stop['name']!r}, which cannot be seen")
                elif stop["look"] == stop["unfocused"]:
                    problems.append(f"{name}: Tab {number} focuses {stop['name']!r} with no focus indicator")
            first_three = stops[:3]
            if page.evaluate(TABBABLE_IN_CONTENT):
                if not any(stop["inContent"] for stop in first_three):
                    problems.append(f"{name}: the content is not reached within 3 presses of Tab: "
                                    f"{[stop['name'] for stop in first_three]}")
            elif len(stops) >= 3 and not stops[2]["afterContent"]:
                # Nothing in the content takes focus: by the third press the keyboard is past it.
                problems.append(f"{name}: the third press of Tab is still before the content: {stops[2]['name']!r}")
        context.close()
    assert not problems, "\n".join(problems)


def test_the_menu_opens_and_closes_from_the_keyboard_on_a_phone(site: Path, browser) -> None:
    with static_server(site) as base:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        page.goto(base + "schemes/iur1.html")
        assert page.locator(".md-sidebar--primary").evaluate("e => getComputedStyle(e).visibility") == "hidden"
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        menu = page.evaluate("() => [document.activeElement.tagName, "
                             "document.activeElement.getAttribute('aria-label'), "
                             "document.activeElement.getAttribute('aria-expanded')]")
        assert menu == ["BUTTON", "Menu", "false"]
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary') !== null")
        # The drawer slides in: the focused link comes fully onto the screen.
        page.wait_for_function("() => { const r = document.activeElement.getBoundingClientRect(); "
                               "return r.left >= 0 && r.right <= innerWidth && r.width > 0; }")
        focused = page.evaluate(FOCUSED)
        assert focused["inViewport"] and not focused["hidden"], focused
        assert page.locator(".pp-menu").get_attribute("aria-expanded") == "true"
        # The drawer offers the search, which on a phone has no tab stop of its own.
        search = page.locator(".pp-drawer-search")
        assert search.is_visible()
        page.keyboard.press("Escape")
        page.wait_for_function("() => document.activeElement.getAttribute('aria-label') === 'Menu'")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary') !== null")
        search.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.classList.contains('md-search__input')")
        page.keyboard.type("falls")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        assert page.locator(".md-search__input").is_visible()
        context.close()


@pytest.mark.parametrize("width", sorted(MIDDLE_WIDTHS))
def test_between_a_phone_and_a_desktop_the_search_is_reached_from_the_menu(site: Path, browser, width: int) -> None:
    """The header's search box is no tab stop before the content there; the drawer's Search button
    opens it from the keyboard, and while it is open it is a tab stop like any other."""
    with static_server(site) as base:
        context = browser.new_context(viewport={"width": width, "height": MIDDLE_WIDTHS[width]})
        page = context.new_page()
        page.goto(base + "schemes/iur1.html")
        assert page.locator(".md-header .md-search__input").is_visible()  # still there for a mouse
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Menu"
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary') !== null")
        search = page.locator(".pp-drawer-search")
        assert search.is_visible()
        search.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.classList.contains('md-search__input')")
        assert page.locator(".md-search__input").get_attribute("tabindex") is None
        page.keyboard.type("falls")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        context.close()




def test_axe_with_target_size_finds_nothing_on_a_phone_or_a_desktop(site: Path, pages: list[str], browser) -> None:
    problems: list[str] = []
    with static_server(site) as base:
        for width, height in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for name in pages:
                page.goto(base + name, wait_until="load")
                problems += [f"{width} px {name}: {v['id']} ({len(v['nodes'])} nodes) {v['nodes'][0]['html'][:100]}"
                             for v in run_axe(page, target_size=True)]
            context.close()
    assert not problems, "\n".join(problems)


def test_menu_links_are_at_least_24_px_high(site: Path, browser) -> None:
    with static_server(site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "schemes/iur1.html")
        heights = page.evaluate("() => [...document.querySelectorAll('.md-nav a.md-nav__link')]"
                                ".filter(a => a.getClientRects().length).map(a => a.getBoundingClientRect().height)")
        page.close()
    assert len(heights) > 20
    assert min(heights) >= 24, sorted(heights)[:5]


def test_opened_from_a_disk_the_site_searches_and_has_no_script_error(site: Path, browser) -> None:
    """Opened from a disk (an assessor given the site on a memory stick), search works as on a server,
    with nothing loaded from another host and no script error."""
    errors: list[str] = []
    elsewhere: list[str] = []
    page = browser.new_page()
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}")
            if message.type == "error" else None)
    page.on("request", lambda request: elsewhere.append(request.url)
            if not request.url.startswith(("file:", "data:", "about:", "blob:")) else None)
    for name in ("index.html", "finance.html", "schemes/iur1.html"):
        page.goto((site / name).as_uri(), wait_until="load")
        page.locator(".md-search__input").click()
        page.locator(".md-search__input").press_sequentially("reablement", delay=20)
        results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=30_000)
        assert results.count() > 0, name
        assert "reablement" in results.first.inner_text().lower(), name
    page.close()
    assert not errors, errors
    assert not elsewhere, elsewhere


def text_of(path: Path) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")).split())


def test_the_draft_banner_says_what_is_true_and_no_empty_count(site: Path) -> None:
    home = text_of(site / "index.html")
    assert "0 open problems" not in home
    assert "Preview: the plan is agreed; this copy was built for checking and is not its published version." in home
    assert "Draft:" not in home  # the plan's status is Agreed: the banner does not call it a draft


def test_the_history_page_speaks_to_the_public_in_words(site: Path) -> None:
    page = (site / "history.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", re.search(r"<article.*?</article>", page, re.S).group(0)).split())
    assert "git " not in text and "`" not in text
    assert "Version history" in text


def test_the_public_pages_read_like_a_plan_not_a_form(site: Path, pages: list[str], built_project: Path) -> None:
    boxes = [name for name in pages if "The template asks" in (site / name).read_text(encoding="utf-8")]
    assert not boxes
    section = (site / "sections/vision.html").read_text(encoding="utf-8")
    assert '<details class="pp-question">' in section
    assert "<summary>What the national template asks</summary>" in section
    assert "as the plan states it" not in text_of(site / "finance.html")
    assert all("as the plan states it" not in text_of(site / name) for name in pages)
    # The submission keeps its cross-check row.
    word = zipfile.ZipFile(built_project / "output" / "harrowdale-bcf-plan.docx").read("word/document.xml")
    assert "as the plan states it" in re.sub(r"<[^>]+>", "", word.decode("utf-8"))
