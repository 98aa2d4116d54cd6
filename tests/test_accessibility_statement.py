"""The accessibility statement claims only what the audit record shows (issue 14).

It is a legal statement under the Public Sector Bodies Accessibility Regulations 2018: its
compliance status, its list of non-accessible content and the date and method of the last test
come from content/data/accessibility-audit.yaml, never from the build date. `python build.py
audit` writes the automated test into that record; people add manual audits by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import lxml.html
import yaml

from conftest import run_cli

RECORD = Path("content") / "data" / "accessibility-audit.yaml"
WEBSITE = Path("content") / "data" / "website.yaml"


def statement(project: Path) -> str:
    page = lxml.html.fromstring((project / "output" / "site" / "accessibility.html").read_text(encoding="utf-8"))
    return " ".join(page.cssselect("article")[0].text_content().split())


def built_statement(project: Path) -> str:
    result = run_cli(project, "site")
    assert result.code == 0, result.out + result.err
    return statement(project)


def write_record(project: Path, *tests: dict, **top: object) -> None:
    (project / RECORD).write_text(yaml.safe_dump({"standard": "WCAG 2.2 AA", **top, "tests": list(tests)},
                                                 sort_keys=False), encoding="utf-8")


AUTOMATED = {"date": "2024-03-02", "kind": "automated", "by": "Harrowdale Borough Council, using python build.py audit",
             "method": "automated: axe-core 4.12.1 in Chromium 131 at 390 and 1280 px on 36 pages",
             "whole_site": True, "failures": []}
MANUAL = {"date": "2024-04-15", "kind": "manual", "by": "Sam Patel, Digital Accessibility Centre",
          "method": "manual: keyboard, zoom to 400% and screen reader (NVDA) by Sam Patel, against every criterion",
          "whole_site": True, "failures": []}


def test_without_a_record_the_statement_says_plainly_it_is_not_yet_tested(project: Path) -> None:
    (project / RECORD).unlink(missing_ok=True)
    shown = built_statement(project)
    assert "This website has not yet been tested for accessibility" in shown
    assert "This statement is incomplete" in shown
    assert "compliant with" not in shown  # neither fully nor partially
    assert "last tested" not in shown
    assert dt.date.today().strftime("%-d %B %Y") not in shown  # never the build date


def test_an_automated_test_alone_is_never_full_compliance(project: Path) -> None:
    write_record(project, AUTOMATED)
    shown = built_statement(project)
    assert "fully compliant" not in shown
    assert "This website is partially compliant with the Web Content Accessibility Guidelines" in shown
    assert "no full manual audit is recorded" in shown
    assert "checked automatically with axe-core on 2 March 2024" in shown
    assert "Automated tools find only some accessibility problems" in shown
    assert "This website was last tested on 2 March 2024" in shown
    assert "axe-core 4.12.1 in Chromium 131" in shown  # the method, from the record
    assert "Harrowdale Borough Council, using python build.py audit" in shown


def test_each_recorded_failure_is_listed(project: Path) -> None:
    failures = [{"criterion": "1.4.3", "location": "finance.html", "what": "Some chart labels are too pale to read",
                 "fix_by": "2024-06-30"},
                {"criterion": "2.4.7", "location": "every page (36)",
                 "what": "Tab moves focus to the menu's links while the menu is closed"}]
    write_record(project, AUTOMATED, MANUAL | {"failures": failures})
    shown = built_statement(project)
    assert "fully compliant" not in shown
    assert "partially compliant" in shown
    assert ("Some chart labels are too pale to read: finance.html (WCAG success criterion 1.4.3); "
            "we plan to fix this by 30 June 2024") in shown
    assert "Tab moves focus to the menu's links while the menu is closed: every page (36) (WCAG success criterion 2.4.7)" in shown
    assert "This website was last tested on 15 April 2024" in shown


def test_a_clean_full_manual_audit_is_full_compliance(project: Path) -> None:
    write_record(project, AUTOMATED, MANUAL)
    shown = built_statement(project)
    assert "This website is fully compliant with the Web Content Accessibility Guidelines, the WCAG 2.2 AA standard" in shown
    assert "This website was last tested on 15 April 2024" in shown
    assert "Sam Patel, Digital Accessibility Centre" in shown
    assert "changed since" not in shown


def test_a_later_automated_failure_ends_full_compliance(project: Path) -> None:
    later = AUTOMATED | {"date": "2024-05-01", "failures": [
        {"criterion": "1.1.1", "location": "index.html", "what": "An image has no text alternative"}]}
    write_record(project, MANUAL, later)
    shown = built_statement(project)
    assert "fully compliant" not in shown and "partially compliant" in shown
    assert "An image has no text alternative: index.html (WCAG success criterion 1.1.1)" in shown


def test_the_record_can_say_not_compliant(project: Path) -> None:
    write_record(project, MANUAL, not_compliant=True)
    assert "This website is not compliant with the Web Content Accessibility Guidelines" in built_statement(project)


def test_a_change_since_the_last_test_is_said(project: Path) -> None:
    write_record(project, MANUAL | {"plan_version": "Version 1.0"})  # the example is now at a later version
    shown = built_statement(project)
    assert "The website has changed since it was last tested, on 15 April 2024" in shown
    assert "fully compliant" not in shown
    assert "the website has changed since its last full manual audit" in shown


def test_an_unchanged_site_is_not_said_to_have_changed(project: Path) -> None:
    version = yaml.safe_load((project / "content" / "plan.yaml").read_text(encoding="utf-8"))["version"]
    write_record(project, MANUAL | {"plan_version": version})
    shown = built_statement(project)
    assert "changed since" not in shown and "fully compliant" in shown


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_a_bad_record_is_refused_with_its_file_and_line_and_leaves_the_site(project: Path) -> None:
    assert run_cli(project, "site").code == 0
    before = (project / "output" / "site" / "accessibility.html").read_bytes()
    bad = [MANUAL | {"date": "15/04/2024"},
           AUTOMATED | {"failures": [{"criterion": "contrast", "location": "finance.html", "what": "Pale labels"}]}]
    for test, where in zip(bad, ["15/04/2024", "contrast"]):
        write_record(project, test)
        result = run_cli(project, "site")
        assert result.code == 1, result.out
        line = _line_of(project / RECORD, where)
        assert f"content/data/accessibility-audit.yaml:{line}:" in result.err + result.out
        assert "Traceback" not in result.err
        assert (project / "output" / "site" / "accessibility.html").read_bytes() == before
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    write_record(project, MANUAL | {"date": future})
    result = run_cli(project, "check")
    assert result.code == 1
    assert f"content/data/accessibility-audit.yaml:{_line_of(project / RECORD, future)}: " in result.out
    assert "is after today" in result.out


def test_website_yaml_may_not_claim_more_than_the_record(project: Path) -> None:
    write_record(project, AUTOMATED)
    website = project / WEBSITE
    website.write_text(website.read_text(encoding="utf-8").replace(
        "  standard: WCAG 2.2 AA\n", "  standard: WCAG 2.2 AA\n  compliance: full\n  last_checked: 2026-11-23\n"),
        encoding="utf-8")
    result = run_cli(project, "check")
    assert result.code == 1
    assert (f"content/data/website.yaml:{_line_of(website, 'compliance: full')}: website.yaml says the website is "
            "fully compliant, but the accessibility audit record does not show that") in result.out
    assert f"content/data/website.yaml:{_line_of(website, 'last_checked')}: " in result.out
    assert run_cli(project, "site").code == 1  # refused: a legal statement never claims more than was tested


def test_the_audit_command_writes_the_record_the_statement_is_made_from(project: Path) -> None:
    (project / RECORD).unlink(missing_ok=True)
    result = run_cli(project, "audit")
    assert result.code == 0, result.out + result.err
    record = yaml.safe_load((project / RECORD).read_text(encoding="utf-8"))
    formatted = run_cli(project, "fmt", "--check")  # written as fmt writes it: CI's fmt --check passes
    assert formatted.code == 0, formatted.out + formatted.err
    [test] = record["tests"]
    pages = sorted(p.relative_to(project / "output" / "site").as_posix()
                   for p in (project / "output" / "site").rglob("*.html"))
    assert test["date"] == dt.date.today() and test["kind"] == "automated" and test["whole_site"] is True
    assert [p["page"] for p in test["pages"]] == pages and len(pages) > 20
    axe = re.search(r"axe-core (\d+\.\d+\.\d+) in Chromium (\d+)\.[\d.]+ at 390 and 1280 px on (\d+) pages",
                    test["method"])
    assert axe and int(axe.group(3)) == len(pages)
    assert test["content_hash"].startswith("sha256:")
    for failure in test["failures"]:
        assert re.fullmatch(r"[1-4]\.\d{1,2}\.\d{1,2}", failure["criterion"]) and failure["location"]
    failed = {p["page"] for p in test["pages"] if p["result"] == "failed"}
    assert failed == {p["page"] for p in test["pages"] if p["criteria"]}
    shown = statement(project)  # audit builds the site again from the record it wrote
    today = dt.date.today().strftime("%-d %B %Y")
    assert f"This website was last tested on {today}" in shown
    assert f"checked automatically with axe-core on {today}" in shown
    assert f"axe-core {axe.group(1)}" in shown
    assert "fully compliant" not in shown and "partially compliant" in shown
    assert "changed since" not in shown
    for failure in test["failures"]:
        assert f"(WCAG success criterion {failure['criterion']})" in shown
    # A manual audit added by hand stays when the automated test is run again.
    record["tests"].insert(0, MANUAL | {"date": "2024-01-10"})
    (project / RECORD).write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")
    from planpress.audit import write_record as merge
    merge(project / RECORD, dict(test))
    again = yaml.safe_load((project / RECORD).read_text(encoding="utf-8"))["tests"]
    assert [t["kind"] for t in again] == ["manual", "automated"]


def test_the_keyboard_pass_does_not_take_two_like_notes_in_a_row_for_a_trap() -> None:
    """Chromium centres each element Tab moves to, so two 'What the national template asks' notes in a
    row sat at the same place in the window: the audit recorded a keyboard trap (2.1.2) that was not."""
    from playwright.sync_api import sync_playwright

    from planpress.audit import _keyboard
    from site_helpers import launch_chromium

    note = "<details><summary>What the national template asks</summary><p>The question.</p></details>"
    spacer = '<div style="height: 1500px"></div>'
    html = f'<a href="#main">Skip to content</a><main id="main">{spacer}{note}{spacer}{note}{spacer}{note}</main>'
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_content(html)
        found = _keyboard(page)
        browser.close()
    assert [criterion for criterion, _ in found if criterion == "2.1.2"] == []
