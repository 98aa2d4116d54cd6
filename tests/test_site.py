"""The public website, built from the example plan: every page there, totals that add up, links
that work, nothing loaded from another host, and author mistakes that stop the build."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
import yaml

from conftest import run_cli
from planpress.build import check_plan
from planpress.render.charts import make_charts
from planpress.figures import compute
from planpress.collaborate.version import version_stamp

# --- reading the built site ------------------------------------------------------------


def site_of(project: Path) -> Path:
    return project / "output" / "site"


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def parse(path: Path):
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


def article(path: Path):
    """The page's own content, without the navigation around it."""
    return parse(path).cssselect("article")[0]


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def words(markdown: str) -> str:
    """Plain words of a piece of Markdown, for comparing with a page's text."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[*_`#>|]", " ", text)
    return " ".join(text.split())


def first_sentence(markdown: str) -> str:
    for paragraph in markdown.strip().split("\n\n"):
        plain = words(paragraph)
        if plain and not paragraph.lstrip().startswith(("-", "|", "1.", "#")):
            return plain.split(". ")[0][:80]
    return ""


def money(text: str) -> Decimal:
    cleaned = text.replace("£", "").replace(",", "").strip()
    return Decimal(0) if cleaned in ("–", "") else Decimal(cleaned)


@pytest.fixture(scope="module")
def plan(built_project: Path):
    return check_plan(built_project).content


@pytest.fixture(scope="module")
def site(built_project: Path) -> Path:
    return site_of(built_project)


# --- every page, with its content ------------------------------------------------------


def test_the_site_has_a_home_page_and_every_page_the_issue_lists(site: Path) -> None:
    for name in ("index.html", "schemes/index.html", "finance.html", "metrics.html", "risks.html",
                 "plan-of-action.html", "governance.html", "documents.html", "glossary.html",
                 "accessibility.html"):
        assert (site / name).is_file(), name


def test_the_home_page_shows_the_plan_at_a_glance(site: Path, plan) -> None:
    home = text_of(article(site / "index.html"))
    p = plan.plan
    for expected in (p.area, p.hwb, "1 April 2014 to 31 March 2016", "Agreed", "11 September 2014",
                     "19 September 2014", p.version, "£5,120,000", "£18,640,000", "£4,872,000"):
        assert expected in home, expected
    for theme in plan.themes.themes:
        assert theme.name in home
    for scheme in plan.schemes:
        assert f"{scheme.meta.reference}: {scheme.meta.name}" in home
    links = {a.get("href") for a in article(site / "index.html").cssselect("a")}
    assert {"downloads/harrowdale-bcf-plan.json", "downloads/harrowdale-bcf-plan.pdf",
            "downloads/harrowdale-bcf-plan.docx"} <= links
    assert (site / "downloads" / "harrowdale-bcf-plan.pdf").is_file()


def test_every_section_has_its_page_with_each_question_and_answer(site: Path, plan) -> None:
    for section in plan.sections:
        page = site / "sections" / f"{section.meta.id}.html"
        shown = text_of(article(page))
        assert section.pack_section.numbered_title in shown
        for part in section.pack_section.parts:
            assert part.numbered_title in shown, (page, part.id)
            assert words(part.question) in shown, (page, part.id)
            answer = section.answer(part.id)
            if answer and first_sentence(answer.markdown):
                assert first_sentence(answer.markdown) in shown, (page, part.id)


def test_every_scheme_has_its_page_with_description_figures_milestones_and_risks(site: Path, plan) -> None:
    index = text_of(article(site / "schemes" / "index.html"))
    for scheme in plan.schemes:
        ref = scheme.meta.reference
        assert ref in index and scheme.meta.name in index and scheme.meta.lead in index
        page = article(site / "schemes" / f"{ref.lower()}.html")
        shown = text_of(page)
        assert f"{ref}: {scheme.meta.name}" in shown
        for part in plan.pack.scheme_parts:
            assert part.title in shown
            answer = scheme.answer(part.id)
            if answer and first_sentence(answer.markdown):
                assert first_sentence(answer.markdown) in shown, (ref, part.id)
        for task in plan.milestones.milestones:
            if task.scheme == ref:
                assert page.cssselect(f"#milestone-{task.id.lower()}"), (ref, task.id)
        for risk in plan.risks.risks:
            if ref in risk.schemes:
                assert page.cssselect(f"#risk-{risk.id.lower()}"), (ref, risk.id)


def test_every_risk_is_in_the_register_with_its_factor(site: Path, plan) -> None:
    page = article(site / "risks.html")
    for risk in plan.risks.risks:
        row = page.cssselect(f"#risk-{risk.id.lower()}")[0].getparent().getparent()
        cells = [text_of(td) for td in row.cssselect("td")]
        assert cells[0] == risk.id
        assert cells[2:5] == [str(risk.likelihood), str(risk.impact), str(risk.likelihood * risk.impact)]
        assert " ".join(risk.lead.split()) in cells


def test_every_milestone_is_in_the_plan_of_action_with_the_gantt_chart(site: Path, plan) -> None:
    page = article(site / "plan-of-action.html")
    for task in plan.milestones.milestones:
        assert page.cssselect(f"#milestone-{task.id.lower()}"), task.id
    gantt = page.cssselect("img[src$='charts/gantt.svg']")[0]
    assert gantt.get("alt", "").startswith("Gantt chart of the plan's")


def test_metrics_show_baseline_and_plan_with_a_chart_each(site: Path, plan) -> None:
    page = article(site / "metrics.html")
    shown = text_of(page)
    for metric in plan.metrics.metrics:
        assert page.cssselect(f"#metric-{metric.id}")
        assert metric.baseline.period in shown
        assert page.cssselect(f"img[src$='charts/metric-{metric.id}.svg']")


def test_governance_documents_and_glossary(site: Path, plan) -> None:
    governance = text_of(article(site / "governance.html"))
    for board in plan.governance.boards:
        assert board.name in governance and board.chair in governance
    documents = text_of(article(site / "documents.html"))
    for doc in plan.documents.documents:
        assert doc.title in documents
    glossary = text_of(article(site / "glossary.html"))
    assert "Health and Wellbeing Board" in glossary and "JSNA" in glossary


def test_abbreviations_are_explained_where_they_appear(site: Path) -> None:
    titles = {abbr.text: abbr.get("title") for abbr in article(site / "index.html").cssselect("abbr")}
    assert titles.get("NHS") == "National Health Service"
    scheme_abbrs = article(site / "schemes" / "pe1.html").cssselect("abbr")
    assert any(a.text == "GP" and a.get("title") == "general practitioner" for a in scheme_abbrs)


def test_the_accessibility_statement_is_filled_from_the_content(site: Path, plan) -> None:
    shown = text_of(article(site / "accessibility.html"))
    website = plan.website
    assert website.publisher.name in shown
    assert website.publisher.email in shown
    # What the statement claims comes from the audit record (tests/test_accessibility_statement.py).
    last_test = plan.accessibility_audit.tests[-1]
    assert "WCAG 2.2 AA" in shown and "partially compliant" in shown and "fully compliant" not in shown
    assert f"last tested on {last_test.date.day} {last_test.date:%B %Y}" in shown
    assert f"in {website.accessibility.response_days} working days" in shown


# --- the figures -----------------------------------------------------------------------


def table_after(page, heading_id: str):
    heading = page.cssselect(f"#{heading_id}")[0]
    return next(el for el in heading.itersiblings() if el.cssselect("table")).cssselect("table")[0]


def column_sums_equal_total(table, money_columns: list[int]) -> None:
    rows = [[text_of(td) for td in tr.cssselect("td")] for tr in table.cssselect("tbody tr")]
    lines, total = rows[:-1], rows[-1]
    assert total[0] == "Total"
    for column in money_columns:
        assert sum((money(r[column]) for r in lines), Decimal(0)) == money(total[column]), column


def test_totals_shown_equal_the_sum_of_their_lines(site: Path, plan) -> None:
    finance = article(site / "finance.html")
    years = len(compute(plan).years)
    funding = table_after(finance, "funding")
    column_sums_equal_total(funding, list(range(2, 2 + years)))
    expenditure = table_after(finance, "expenditure")
    column_sums_equal_total(expenditure, list(range(4, 4 + years)))
    schemes = article(site / "schemes" / "index.html").cssselect("table")[0]
    column_sums_equal_total(schemes, list(range(4, 4 + years)))
    # And the totals are the plan's: the agreed pooled budget.
    total_row = [text_of(td) for td in funding.cssselect("tbody tr")[-1].cssselect("td")]
    assert total_row[2:] == ["£5,120,000", "£18,640,000"]


# --- links and hosts -------------------------------------------------------------------

LOADING_ATTRIBUTES = {"script": "src", "img": "src", "link": "href", "iframe": "src", "source": "src",
                      "audio": "src", "video": "src", "object": "data", "embed": "src"}


def test_no_internal_link_is_broken(site: Path) -> None:
    ids: dict[Path, set[str]] = {}
    broken = []
    for page in html_pages(site):
        tree = parse(page)
        for element in tree.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if not value or urlsplit(value).scheme or value.startswith("//"):
                    continue
                parts = urlsplit(value)
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file():
                    broken.append(f"{page.relative_to(site)}: {value}")
                elif parts.fragment and target.suffix == ".html":
                    if target not in ids:
                        ids[target] = {e.get("id") for e in parse(target).iter() if e.get("id")}
                    if parts.fragment not in ids[target]:
                        broken.append(f"{page.relative_to(site)}: {value} (no such anchor)")
    assert not broken, "\n".join(broken)


def test_author_links_become_real_links(site: Path) -> None:
    # content/schemes/PE1.md links to [integrated neighbourhood teams](scheme:CH1).
    links = {a.text_content().strip(): a.get("href") for a in article(site / "schemes" / "pe1.html").cssselect("a")}
    assert links["integrated neighbourhood teams"] == "ch1.html"
    # content/sections/04-plan-of-action.md links to [milestone M14](milestone:M14).
    section = article(site / "sections" / "plan-of-action.html")
    hrefs = [a.get("href") for a in section.cssselect("a")]
    assert "../plan-of-action.html#milestone-m14" in hrefs


def outside_links_in_content(project: Path) -> set[str]:
    """The addresses the plan's authors link to: the only outside links a page may carry."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (project / "content").rglob("*") if p.is_file())
    return set(re.findall(r"https?://[^\s)>\]\"']+", text))


# Material's script can fetch from outside in three cases this site never meets: Mermaid
# diagrams (none: the mermaid extension is off), a ResizeObserver polyfill (every browser the
# regulations test with has ResizeObserver), and repository facts (no repo_url). The search
# worker's error message names a help page; it is text, never fetched.
MATERIAL_DORMANT = ("https://unpkg.com/mermaid@", "https://unpkg.com/resize-observer-polyfill",
                    "https://api.github.com/", "https://${", "https://bit.ly/")


def test_no_file_of_the_site_loads_anything_from_another_host(built_project: Path, site: Path) -> None:
    allowed_links = outside_links_in_content(built_project)
    problems = []
    for page in html_pages(site):
        tree = parse(page)
        for tag, attribute in LOADING_ATTRIBUTES.items():
            for element in tree.iter(tag):
                value = element.get(attribute) or ""
                if urlsplit(value).netloc or value.startswith("//"):
                    problems.append(f"{page.relative_to(site)}: <{tag} {attribute}={value}>")
        for element in tree.iter("a"):
            value = element.get("href") or ""
            if urlsplit(value).netloc and value not in allowed_links:
                problems.append(f"{page.relative_to(site)}: a link to {value} that no author wrote")
        for style in tree.iter("style"):
            problems += [f"{page.relative_to(site)}: {u}" for u in outside_urls_in_css(style.text or "")]
    for css in site.rglob("*.css"):
        problems += [f"{css.relative_to(site)}: {u}" for u in outside_urls_in_css(css.read_text(encoding="utf-8"))]
    for js in site.rglob("*.js"):
        code = strip_js_comments(js.read_text(encoding="utf-8"))
        for url in re.findall(r"(?:https?:)?//[a-z0-9$][^\s'\"`)]*", code, re.IGNORECASE):
            if url.startswith("//") or url.startswith(MATERIAL_DORMANT) or "www.w3.org/" in url:
                continue
            if js.name == "search_index.js" and url.rstrip("\\") in allowed_links:
                continue  # the search index (as a script, for search from a disk) holds the authors' links as text
            problems.append(f"{js.relative_to(site)}: {url}")
    assert not problems, "\n".join(problems)
    config = (built_project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "repo_url" not in config and "mermaid" not in config
    for page in html_pages(site):
        assert 'class="mermaid"' not in page.read_text(encoding="utf-8")


def outside_urls_in_css(css: str) -> list[str]:
    found = re.findall(r"url\(\s*['\"]?([^'\")]+)", css) + re.findall(r"@import\s+['\"]([^'\"]+)", css)
    return [u for u in found if not u.startswith("data:") and (urlsplit(u).netloc or u.startswith("//"))]


def strip_js_comments(code: str) -> str:
    """Drop /* licence */ blocks and // comment lines (minified code keeps URLs only in strings)."""
    code = re.sub(r"/\*.*?\*/", "", code, flags=re.DOTALL)
    return "\n".join(line for line in code.splitlines() if not line.lstrip().startswith("//"))


def test_no_web_fonts(site: Path) -> None:
    for page in html_pages(site):
        assert "fonts.googleapis" not in page.read_text(encoding="utf-8")
        assert "fonts.gstatic" not in page.read_text(encoding="utf-8")


# --- banner and footer -----------------------------------------------------------------


def test_every_page_shows_the_version_in_its_footer(site: Path, plan) -> None:
    for page in html_pages(site):
        footer = parse(page).cssselect("footer .pp-version")
        assert footer and plan.plan.version in text_of(footer[0]), page


def banners(site: Path) -> list[str]:
    return [text_of(b[0]) if (b := parse(p).cssselect(".md-banner")) else "" for p in html_pages(site)]


def test_a_plan_not_yet_agreed_has_a_draft_banner_on_every_page(project: Path) -> None:
    plan_file = project / "content" / "plan.yaml"
    plan_file.write_text(plan_file.read_text(encoding="utf-8").replace("status: agreed", "status: review"),
                         encoding="utf-8")
    result = run_cli(project, "site")
    assert result.code == 0, result.out + result.err
    shown = banners(site_of(project))
    assert len(shown) > 20
    assert all(b.startswith("Draft: this plan is in review and has not been agreed") for b in shown), shown


def test_the_final_site_of_an_agreed_plan_has_no_banner(project: Path) -> None:
    result = run_cli(project, "site", "--final")
    assert result.code == 0, result.out + result.err
    assert set(banners(site_of(project))) == {""}


def test_a_draft_build_of_an_agreed_plan_says_it_is_a_preview(site: Path) -> None:
    assert set(banners(site)) == {"Preview: the plan is agreed; this copy was built for checking and is not "
                                  "its published version."}


# --- author mistakes -------------------------------------------------------------------


def test_an_undefined_name_in_a_site_template_fails_with_file_and_line(project: Path) -> None:
    template = project / "templates" / "bcf-2014" / "site" / "risks.md.j2"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines.insert(4, "{{ plan.no_such_field }}")
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli(project, "site")
    assert result.code == 1
    assert "templates/bcf-2014/site/risks.md.j2:5" in result.err
    assert "no_such_field" in result.err
    assert not (project / "output").exists()


def test_a_broken_markdown_link_fails_with_file_and_line(project: Path) -> None:
    section = project / "content" / "sections" / "02-vision.md"
    text = section.read_text(encoding="utf-8")
    section.write_text(text + "\nSee [the old plan](old-plan.md).\n", encoding="utf-8")
    line = len((text + "\n").splitlines()) + 1
    result = run_cli(project, "site")
    assert result.code == 1, result.out
    assert f"content/sections/02-vision.md:{line}:" in result.err
    assert "old-plan.md" in result.err
    assert not (project / "output").exists()


def test_a_link_to_a_missing_scheme_fails_with_file_and_line(project: Path) -> None:
    section = project / "content" / "sections" / "02-vision.md"
    text = section.read_text(encoding="utf-8")
    section.write_text(text + "\nSee [the old scheme](scheme:ZZ9).\n", encoding="utf-8")
    line = len((text + "\n").splitlines()) + 1
    result = run_cli(project, "site")
    assert result.code == 1
    assert f"content/sections/02-vision.md:{line}: The link to scheme 'ZZ9' goes nowhere" in result.err


def test_a_failed_build_leaves_the_previous_site_whole(project: Path) -> None:
    assert run_cli(project, "site").code == 0
    before = sorted(p.relative_to(project) for p in site_of(project).rglob("*"))
    template = project / "templates" / "bcf-2014" / "site" / "finance.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n{{ missing_name }}\n", encoding="utf-8")
    assert run_cli(project, "site").code == 1
    assert sorted(p.relative_to(project) for p in site_of(project).rglob("*")) == before


def test_the_site_builds_without_the_optional_website_file(project: Path) -> None:
    (project / "content" / "data" / "website.yaml").unlink()
    result = run_cli(project, "site")
    assert result.code == 0, result.out + result.err
    shown = text_of(article(site_of(project) / "accessibility.html"))
    assert "Harrowdale Borough Council" in shown and "contact details on the council's own website" in shown


def test_without_mkdocs_yml_the_build_says_what_to_do(project: Path) -> None:
    (project / "mkdocs.yml").unlink()
    result = run_cli(project, "site")
    assert result.code == 1
    assert "mkdocs.yml is missing" in result.err


# --- charts and version, the API the documents share -----------------------------------


def test_charts_are_svg_with_a_title_and_text_alternative(built_project: Path) -> None:
    content = check_plan(built_project).content
    charts = make_charts(content, compute(content))
    names = [c.filename for c in charts]
    assert names[:2] == ["charts/gantt.svg", "charts/spend-by-theme.svg"]
    assert len(names) == 2 + len(content.metrics.metrics) and len(set(names)) == len(names)
    for chart in charts:
        root = ET.fromstring(chart.svg)
        ns = "{http://www.w3.org/2000/svg}"
        assert root.get("role") == "img"
        assert root.find(f"{ns}title").text == chart.title
        assert root.find(f"{ns}desc").text == chart.alt
        assert "http" not in chart.svg.replace("http://www.w3.org/2000/svg", "")
        assert (site_of(built_project) / chart.filename).read_text(encoding="utf-8") == chart.svg


def test_the_spend_chart_says_the_figures_it_draws(built_project: Path) -> None:
    content = check_plan(built_project).content
    chart = next(c for c in make_charts(content, compute(content)) if c.filename == "charts/spend-by-theme.svg")
    for theme in content.themes.themes:
        assert theme.name in chart.alt


def test_version_stamp_outside_git(project: Path) -> None:
    stamp = version_stamp(project)
    assert stamp.commit is None and not stamp.dirty
    assert stamp.label == yaml.safe_load((project / "content" / "plan.yaml").read_text())["version"]
    assert stamp.date is not None
    assert str(stamp).startswith(f"{stamp.label}, content of ")


def test_version_stamp_in_a_git_checkout(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.fail("git is missing")
    import subprocess

    root = tmp_path / "repo"
    (root / "content").mkdir(parents=True)
    (root / "content" / "plan.yaml").write_text('version: "Version 3"\n', encoding="utf-8")
    env = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), *env, "add", "."], check=True)
    subprocess.run(["git", "-C", str(root), *env, "commit", "-q", "-m", "plan"], check=True)
    stamp = version_stamp(root)
    assert stamp.label == "Version 3" and stamp.commit and not stamp.dirty
    (root / "content" / "plan.yaml").write_text('version: "Version 3.1"\n', encoding="utf-8")
    changed = version_stamp(root)
    assert changed.dirty and changed.label == "Version 3.1"
    assert str(changed).endswith("(with uncommitted changes)")


# --- plan readiness and progress -------------------------------------------------------


def test_readiness_page_lists_problems_by_part_and_owner_in_a_draft(project: Path) -> None:
    finance = project / "content/data/finance.yaml"
    finance.write_text(finance.read_text(encoding="utf-8").replace('stated_fund: "£1,333,550"',
                                                                   'stated_fund: "£1,335k"'), encoding="utf-8")
    vision = project / "content/sections/02-vision.md"
    vision.write_text(vision.read_text(encoding="utf-8").replace("\n## ", "\nFigures TBC.\n\n## ", 1),
                      encoding="utf-8")
    run = run_cli(project, "site")
    assert run.code == 0, run.out + run.err
    page = (project / "output/site/readiness.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "There are 2 open problems." in text
    assert "2) Vision for health and care services ( content/sections/02-vision.md ) Gillian Hartley" in text
    assert "Finance figures ( content/data/finance.yaml ) Rachel Ingham" in text
    assert "Unfinished text: 'TBC' (to be confirmed)" in text
    assert "The stated performance fund £1,335k is not the planned reduction x unit cost" in text
    index = (project / "output/site/index.html").read_text(encoding="utf-8")
    assert 'href="./readiness.html">2 open problems</a>' in index


def test_no_readiness_page_in_a_final_build(project: Path) -> None:
    run = run_cli(project, "site", "--final")
    assert run.code == 0, run.out + run.err
    assert not (project / "output/site/readiness.html").exists()
    assert "readiness.html" not in (project / "output/site/index.html").read_text(encoding="utf-8")


def test_a_progress_page_for_each_quarter(built_project: Path) -> None:
    for quarter, label in (("2014-q2", "Quarter 2 of 2014/15 (July to September 2014)"),
                           ("2014-q3", "Quarter 3 of 2014/15 (October to December 2014)")):
        page = (built_project / f"output/site/progress/{quarter}.html").read_text(encoding="utf-8")
        text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
        assert f"Progress: {label}" in text
        assert f"harrowdale-bcf-progress-{quarter}.docx" in page and f"harrowdale-bcf-progress-{quarter}.pdf" in page
        assert "Total £5,120,000" in text
