"""The plan the scaling benchmarks grow from the example is a valid plan, and the checks made cheaper
for large plans still find what they found: a prompt left in, a placeholder written as <date> in a
paragraph with links (which the website leaves alone), a figure quoted two ways in two sections.

Speed itself is measured by benchmarks/scaling.py, never here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

from bigger_plan import write_bigger_plan  # noqa: E402
from planpress.build import check_plan  # noqa: E402
from planpress.checks.unfinished import template_prompts  # noqa: E402

SCHEMES = 130


@pytest.fixture(scope="module")
def bigger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_bigger_plan(tmp_path_factory.mktemp("bigger") / "plan", SCHEMES)


@pytest.fixture(scope="module")
def example_rules() -> set[str]:
    return {f.rule for f in check_plan(REPO).findings}


def _money(text: str) -> int:
    return int(text.lstrip("£").replace(",", ""))


def test_the_bigger_plan_checks_with_no_new_kind_of_finding(bigger: Path, example_rules: set[str]) -> None:
    checked = check_plan(bigger)
    assert len(checked.content.schemes) == SCHEMES
    assert {f.rule for f in checked.findings} <= example_rules, [str(f) for f in checked.findings][:10]
    assert checked.errors == []


def test_every_scheme_is_listed_once_and_has_its_own_reference(bigger: Path) -> None:
    themes = yaml.safe_load((bigger / "content/data/themes.yaml").read_text(encoding="utf-8"))["themes"]
    listed = [ref for theme in themes for ref in theme["schemes"]]
    files = sorted(p.stem for p in (bigger / "content/schemes").glob("*.md"))
    assert sorted(listed) == files and len(set(listed)) == SCHEMES
    assert all(re.fullmatch(r"[A-Z]{1,5}\d{1,3}[a-z]?", ref) for ref in listed)
    assert "PE1" in listed and "PEAA101" in listed  # the original keeps its reference; its first copy


def test_the_money_is_shared_so_each_scheme_and_the_whole_plan_add_up(bigger: Path) -> None:
    finance = yaml.safe_load((bigger / "content/data/finance.yaml").read_text(encoding="utf-8"))
    original = yaml.safe_load((REPO / "content/data/finance.yaml").read_text(encoding="utf-8"))
    for year, stated in finance["stated_totals"]["expenditure"].items():
        assert sum(_money(line["amounts"][year]) for line in finance["expenditure"]) == _money(stated)
    pe1 = [line for line in finance["expenditure"] if re.fullmatch(r"PE(?:1|[A-Z]{2}1\d\d)", line["scheme"])]
    was = [line for line in original["expenditure"] if line["scheme"] == "PE1"]
    assert len(pe1) == len(was) * (SCHEMES // 13)
    assert sum(_money(line["amounts"]["2015/16"]) for line in pe1) == \
        sum(_money(line["amounts"]["2015/16"]) for line in was)


def _plant(project: Path, file: str, after_heading: str, text: str) -> int:
    """Put a paragraph of `text` straight under a heading of `file`; return its line."""
    path = project / file
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index(after_heading) + 2
    lines[at:at] = [text, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def test_what_the_cheaper_checks_find_in_a_bigger_plan(tmp_path: Path) -> None:
    project = write_bigger_plan(tmp_path / "plan", 26)
    copy = "content/schemes/CHAA101.md"
    prompt = template_prompts(check_plan(REPO).content.pack)[0].text
    prompt_line = _plant(project, copy, "## The evidence base", prompt)
    date_line = _plant(project, copy, "## Feedback loop",
                       "The first review, on <date>, looks at the [reablement metric](metric:reablement-91-days).")
    vision = project / "content/sections/02-vision.md"
    vision.write_text(vision.read_text(encoding="utf-8") + "\nIn 2015/16 the navigators (PEAA101) cost £1.2m.\n",
                      encoding="utf-8")
    spend_line = len(vision.read_text(encoding="utf-8").split("\n")) - 1
    findings = check_plan(project).findings
    found = {(f.location.file, f.location.line, f.rule) for f in findings}
    assert (copy, prompt_line, "template-prompt") in found
    assert (copy, date_line, "placeholder") in found
    assert not [f for f in findings if f.rule == "unsafe-html"]  # <date> is a prompt, not HTML to remove
    # PE1's £600,000 for 2015/16 shared between PE1 and its one copy
    assert [f.message for f in findings if f.rule == "quoted-figure-mismatch"] == \
        ["£1.2m here, but scheme PEAA101's spend in 2015/16 is £300,000, which is £0.3m"]
    assert ("content/sections/02-vision.md", spend_line, "quoted-figure-mismatch") in found


def test_a_figure_quoted_two_ways_is_still_found_once_sentences_are_kept(project: Path) -> None:
    vision = "content/sections/02-vision.md"
    case = "content/sections/03-case-for-change.md"
    for file, figure in ((vision, "1,250"), (case, "1,400")):
        path = project / file
        path.write_text(path.read_text(encoding="utf-8") +
                        f"\nBy March 2016 the teams will see {figure} frail older residents each year.\n",
                        encoding="utf-8")
    differs = [f for f in check_plan(project).findings if f.rule == "figure-differs"]
    assert [f.location.file for f in differs] == [case], [str(f) for f in differs]
    assert "1,250" in differs[0].message and "1,400" in differs[0].message


SIDE_BY_SIDE_SCRIPT = """
import json, os, sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from planpress.build import check_plan
from planpress.load import content as loading
from planpress.side_by_side import forking_is_safe

assert forking_is_safe()
plan = Path(sys.argv[2])


def loaded():
    content, findings = loading.load_content(plan)
    return {"findings": sorted(json.dumps(f.as_dict(), sort_keys=True) for f in findings),
            "broken": sorted(content.broken_files),
            "schemes": [(doc.file, doc.meta.model_dump(mode="json"), doc.intro, [p.markdown for p in doc.parts])
                        for doc in content.schemes],
            "sources": {file: repr(doc.data) for file, doc in content.sources.items()},
            "data": {name: repr(record) for name, record in content.data.items()},
            "progress": {quarter: repr(record) for quarter, record in content.progress.items()}}


def checked():
    return [json.dumps(f.as_dict(), sort_keys=True) for f in check_plan(plan).findings]


side_by_side = loaded(), checked()
loading.READ_SIDE_BY_SIDE = 10 ** 9  # read in this process, one file after another
os.environ["PLANPRESS_JOBS"] = "1"  # and every check in this process too
one_by_one = loaded(), checked()
assert side_by_side[0] == one_by_one[0], "the plan reads differently"
assert side_by_side[1] == one_by_one[1], "the checks find differently"
print(len(side_by_side[0]["schemes"]), len(side_by_side[1]))
"""


def test_a_long_plan_read_and_checked_side_by_side_gives_what_one_process_gives(tmp_path: Path) -> None:
    # Past READ_SIDE_BY_SIDE files, with mistakes in several files: a description that cannot be read, a
    # placeholder, a prompt left in; each must be found once, at the same place, either way.
    plan = write_bigger_plan(tmp_path / "plan", 250)
    schemes = sorted((plan / "content" / "schemes").glob("*.md"))
    schemes[3].write_text("no front matter here\n", encoding="utf-8")
    for index in (10, 120, 249):
        text = schemes[index].read_text(encoding="utf-8")
        schemes[index].write_text(text + "\nThe figures are TBC and the lead is to be confirmed.\n", encoding="utf-8")
    script = tmp_path / "side_by_side.py"
    script.write_text(SIDE_BY_SIDE_SCRIPT, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), str(REPO), str(plan)], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    read, found = map(int, result.stdout.split())
    assert read == 249  # the one without front matter is a finding, not a scheme
    assert found >= 4


def test_a_long_plans_files_are_shared_between_the_cores_by_what_they_cost(tmp_path: Path) -> None:
    from planpress.load.content import MARKDOWN_COST, _shares

    sizes = {"content/data/finance.yaml": 3000, "content/progress/q1.yaml": 1000, "content/progress/q2.yaml": 900}
    sizes |= {f"content/schemes/S{n}.md": 2000 for n in range(100)}  # 100 x 2000 x 1/20 = 10,000 in all
    for file, size in sizes.items():
        (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / file).write_text("x" * size, encoding="utf-8")
    shares = _shares(tmp_path, list(sizes), 2)
    assert sorted(file for share in shares for file in share) == sorted(sizes)
    cost = [sum(sizes[f] * (MARKDOWN_COST if f.endswith(".md") else 1) for f in share) for share in shares]
    assert abs(cost[0] - cost[1]) <= 2000 * MARKDOWN_COST  # within one file's cost
    assert "content/data/finance.yaml" not in shares[0] or "content/progress/q1.yaml" not in shares[0]
