"""The website in a real browser: headless Chromium loads every page from a plain static file
server, nothing is requested from another host, axe-core finds no accessibility violation, the
keyboard and print work, and `serve` reloads the open page when an author saves.

These tests fail (never skip) when Chromium is missing: `make test` installs it as root.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from site_helpers import run_axe, serving, static_server


@pytest.fixture(scope="module")
def site(built_project: Path) -> Path:
    return built_project / "output" / "site"





def describe(violations: list[dict]) -> str:
    return "; ".join(f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}" for v in violations)


def test_every_page_loads_only_from_the_local_server_with_no_axe_violations(site: Path, browser) -> None:
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) > 25
    problems, requests = [], []
    with static_server(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        failed: list[str] = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        for name in pages:
            response = page.goto(base + name, wait_until="load")
            assert response is not None and response.ok, name
            violations = run_axe(page)
            if violations:
                problems.append(f"{name}: {describe(violations)}")
        context.close()
    assert not problems, "\n".join(problems)
    outside = [url for url in requests if not url.startswith(base) and not url.startswith(("data:", "blob:"))]
    assert not outside, outside
    assert not failed, failed
    assert len(requests) >= len(pages)


def test_a_draft_and_a_phone_screen_pass_axe_too(project: Path, browser) -> None:
    from conftest import run_cli

    plan_file = project / "content" / "plan.yaml"
    plan_file.write_text(plan_file.read_text(encoding="utf-8").replace("status: agreed", "status: draft"),
                         encoding="utf-8")
    assert run_cli(project, "site").code == 0
    with static_server(project / "output" / "site") as base:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        for name in ("index.html", "risks.html", "schemes/iur1.html"):
            page.goto(base + name)
            assert page.locator(".md-banner").is_visible()
            violations = run_axe(page)
            assert not violations, f"{name}: {describe(violations)}"
        context.close()


def test_a_keyboard_user_can_skip_to_the_content_and_reach_every_scroll_table(site: Path, browser) -> None:
    with static_server(site) as base:
        page = browser.new_page()
        page.goto(base + "risks.html")
        page.keyboard.press("Tab")
        focused = page.evaluate("() => [document.activeElement.className, document.activeElement.textContent.trim()]")
        assert "md-skip" in focused[0] and focused[1] == "Skip to content"
        assert page.locator(".md-skip").is_visible()  # shown when focused
        page.keyboard.press("Enter")
        assert page.url.endswith("#risk-register")
        # The wide risk table scrolls sideways: a tab stop with a name lets a keyboard scroll it.
        wrapper = page.locator(".md-typeset__scrollwrap").first
        assert wrapper.get_attribute("tabindex") == "0"
        assert wrapper.get_attribute("aria-label").startswith("Table: Risk register")
        page.close()


def test_the_print_style_drops_the_navigation(site: Path, browser) -> None:
    with static_server(site) as base:
        page = browser.new_page()
        page.goto(base + "finance.html")
        assert page.locator(".md-header").is_visible()
        page.emulate_media(media="print")
        assert not page.locator(".md-header").is_visible()
        assert not page.locator(".md-sidebar--primary").is_visible()
        assert page.locator("article h1").is_visible()
        page.close()


def test_screenshots_of_the_home_page_and_a_scheme(site: Path, browser, tmp_path: Path) -> None:
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with static_server(site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name, file in (("index.html", "home.png"), ("schemes/pe1.html", "scheme-pe1.png")):
            page.goto(base + name)
            page.screenshot(path=str(shots / file), full_page=True)
            assert (shots / file).stat().st_size > 20_000
        page.close()
    print(f"Screenshots: {shots / 'home.png'} and {shots / 'scheme-pe1.png'}")


def test_serve_reloads_the_open_page_when_a_section_is_saved(project: Path, browser) -> None:
    section = project / "content" / "sections" / "02-vision.md"
    with serving(project) as url:
        page = browser.new_page()
        page.goto(url + "sections/vision.html")
        assert page.locator("article h1").inner_text().startswith("2)")
        marker = f"A sentence saved at {time.time_ns()}."
        started = time.perf_counter()
        section.write_text(section.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
        page.wait_for_function("m => document.body.innerText.includes(m)", arg=marker, timeout=15_000)
        elapsed = time.perf_counter() - started
        page.close()
    # Speed is measured in benchmarks/, never asserted here: the page showing the text at all is the test.
    print(f"serve refreshed the page {elapsed:.2f} s after the save")
