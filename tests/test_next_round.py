"""`next-round`: a plan of one round carried into the next; nothing of the old plan is lost.

The 2014 example is carried into the 2025-26 round and, through the pack it extends, into the
2026-27 round: the new plan loads, `check` asks only for what the new round needs, and every
scheme, risk and paragraph of narrative is either in the new plan or in NEXT-ROUND.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from planpress import cli

# What `check` may ask of a freshly carried plan: values to fill in, questions to answer, text to finish.
LEFT_TO_DO = {"empty-value", "missing-field", "unanswered", "placeholder"}


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    code = cli.main(list(args), root=REPO)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text
    return code, text


@pytest.mark.parametrize("template", ["bcf-2025", "bcf-2026"])
def test_the_2014_plan_carried_into_a_current_round(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                    template: str) -> None:
    target = tmp_path / "next"
    code, text = run(capsys, "next-round", str(target), "--template", template, "--project", str(REPO))
    assert code == 0, text
    assert (target / "NEXT-ROUND.md").is_file()

    code, text = run(capsys, "check", "--format", "json", "--project", str(target))
    import json

    findings = json.loads(text)["findings"]
    assert findings, "a carried plan has new questions and figures to fill in"
    assert {f["rule"] for f in findings} <= LEFT_TO_DO, [f for f in findings if f["rule"] not in LEFT_TO_DO]

    new_text = _all_text(target)
    # Every scheme moves, as an item of the new plan.
    for scheme in (REPO / "content" / "schemes").glob("*.md"):
        assert (target / "content" / "schemes" / scheme.name).is_file(), scheme.name
    # Every risk moves.
    old_risks = yaml.safe_load((REPO / "content/data/risks.yaml").read_text(encoding="utf-8"))["risks"]
    new_risks = yaml.safe_load((target / "content/data/risks.yaml").read_text(encoding="utf-8"))["risks"]
    assert [r["id"] for r in new_risks] == [r["id"] for r in old_risks]
    # Every paragraph of narrative is in the new plan or in the report.
    missing = [p for p in _paragraphs(REPO / "content") if p not in new_text]
    assert missing == [], missing[:3]


def test_what_has_no_home_is_kept_whole_in_the_report(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "next"
    run(capsys, "next-round", str(target), "--template", "bcf-2025", "--project", str(REPO))
    report = (target / "NEXT-ROUND.md").read_text(encoding="utf-8")
    themes = yaml.safe_load((REPO / "content/data/themes.yaml").read_text(encoding="utf-8"))["themes"]
    for theme in themes:
        assert theme["name"] in report
    assert "### 'ccgs' in content/plan.yaml" in report
    assert "## New in this round: to write" in report
    plan = yaml.safe_load((target / "content/plan.yaml").read_text(encoding="utf-8"))
    assert plan["template"] == "bcf-2025" and plan["status"] == "draft" and "signatories" not in plan
    assert plan["period"] == {"start": __import__("datetime").date(2025, 4, 1),
                              "end": __import__("datetime").date(2026, 3, 31)}
    finance = yaml.safe_load((target / "content/data/finance.yaml").read_text(encoding="utf-8"))
    assert all(set(line["amounts"]) == {"2025/26"} and line["amounts"]["2025/26"] is None
               for line in finance["expenditure"])
    assert "2014/15" in report  # the old years' figures are kept in the report


def test_next_round_refuses_to_write_over_a_plan(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "next" / "content").mkdir(parents=True)
    code, text = run(capsys, "next-round", str(tmp_path / "next"), "--template", "bcf-2025", "--project", str(REPO))
    assert code == 1 and "Nothing was written" in text


def _all_text(folder: Path) -> str:
    return _normal(" ".join(p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.suffix in (".md", ".yaml")))


def _paragraphs(content: Path) -> list[str]:
    """Each paragraph of the old plan's sections and schemes, without its front matter and headings."""
    found = []
    for path in [*sorted((content / "sections").glob("*.md")), *sorted((content / "schemes").glob("*.md"))]:
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        for block in re.split(r"\n\s*\n", body):
            if block.strip() and not block.lstrip().startswith("#"):
                found.append(_normal(block))
    return found


def _normal(text: str) -> str:
    """Text compared as a reader sees it: links as their words, spacing and line breaks ignored."""
    text = re.sub(r"\[([^\]\n]+)\]\([a-z][a-z-]*:[^)\s]+\)", r"\1", text)
    return " ".join(text.split())


def _a_2025_plan(folder: Path) -> Path:
    """The 2026-27 example moved back a year onto the 2025-26 pack: a plan of the round before the newest."""
    import shutil

    shutil.copytree(REPO / "examples" / "bcf-2026", folder, ignore=shutil.ignore_patterns("output", ".output-*"))
    for path in folder.rglob("*"):
        if path.suffix in (".md", ".yaml", ".yml"):
            text = path.read_text(encoding="utf-8")
            for new, old in (("2026/27", "2025/26"), ("2026-27", "2025-26"), ("2026", "2025"), ("2027", "2026")):
                text = text.replace(new, old)
            text = re.sub(r"^neighbourhood_health: .*\n", "", text, flags=re.MULTILINE)
            # The part the newest round added has no place in the one before.
            text = re.sub(r"^## Alignment with neighbourhood health\n(?:(?!^## ).*\n?)*", "", text, flags=re.MULTILINE)
            path.write_text(text, encoding="utf-8")
    plan = folder / "content" / "plan.yaml"
    plan.write_text(re.sub(r"^template: .*$", "template: bcf-2025", plan.read_text(encoding="utf-8"),
                           flags=re.MULTILINE), encoding="utf-8")
    for report in (folder / "content" / "progress").glob("2026-q*.yaml"):
        report.rename(report.with_name(report.name.replace("2026", "2025")))
    return folder


def test_a_2025_plan_carried_into_the_newest_round(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    old = _a_2025_plan(tmp_path / "old")
    code, text = run(capsys, "check", "--project", str(old))
    assert code == 0, text  # the plan of the earlier round is itself clean

    target = tmp_path / "next"
    code, text = run(capsys, "next-round", str(target), "--template", "bcf-2026", "--project", str(old))
    assert code == 0, text
    code, text = run(capsys, "check", "--format", "json", "--project", str(target))
    import json

    findings = json.loads(text)["findings"]
    assert {f["rule"] for f in findings} <= LEFT_TO_DO, [f for f in findings if f["rule"] not in LEFT_TO_DO]
    # The same sections and parts: every answer moves to its own place; only the new question is unanswered.
    unanswered = [f["message"] for f in findings if f["rule"] == "unanswered"]
    assert unanswered == ["'Alignment with neighbourhood health' has a heading but no answer"]
    # Figures for the new year are empty; the earlier year's are in the report.
    finance = yaml.safe_load((target / "content/data/finance.yaml").read_text(encoding="utf-8"))
    assert all(line["amounts"] == {"2026/27": None} for line in finance["funding"])
    report = (target / "NEXT-ROUND.md").read_text(encoding="utf-8")
    assert "£11,062,000" in report
    missing = [p for p in _paragraphs(old / "content") if p not in _all_text(target)]
    assert missing == [], missing[:3]
