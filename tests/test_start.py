"""Starting a plan: `templates` lists the packs; `new` writes every question and every field to fill in.

A new plan is checked as an author would run it: `check` lists each unanswered part and each
empty figure at its line, by owner, and a final build refuses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planpress import cli
from planpress.load.pack_loader import read_pack_by_id
from conftest import REPO, run_cli


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    code = cli.main(list(args), root=REPO)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text
    return code, text


def test_templates_lists_every_pack_with_what_it_is_for(capsys: pytest.CaptureFixture) -> None:
    code, text = run(capsys, "templates")
    assert code == 0
    for pack_id in ("bcf-2014", "bcf-2025", "bcf-2026", "system-strategy"):
        assert re.search(rf"^{pack_id}: \S", text, re.MULTILINE), text
    assert "Builds on bcf-2025." in text
    assert "python build.py new FOLDER --template ID" in text


@pytest.mark.parametrize("pack_id", ["bcf-2026", "system-strategy"])
def test_a_new_plan_lists_every_question_and_figure_left(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                         pack_id: str) -> None:
    plan = tmp_path / "plan"
    code, text = run(capsys, "new", str(plan), "--template", pack_id)
    assert code == 0, text
    pack, _ = read_pack_by_id(REPO, pack_id)

    code, text = run(capsys, "check", "--project", str(plan))
    assert code == 1
    reported = text.splitlines()

    # Every part the template asks in words is listed as unanswered, at its heading.
    unanswered = {m.group(1) for line in reported if (m := re.search(r"'(.+)' has a heading but no answer", line))}
    expected = {part.title for section in pack.sections for part in section.parts if part.data is None}
    assert unanswered == expected
    assert len(unanswered) == sum(1 for s in pack.sections for p in s.parts if p.data is None)

    # Every figure, date and choice a required field needs is listed at the line where it goes.
    empty_lines = _empty_value_lines(plan)
    assert empty_lines, "the new plan has no figures to fill in"
    for file, line in empty_lines:
        assert any(r.strip().startswith(f"{file}:{line}: ") and "is empty" in r for r in reported), (file, line, text)

    # Everything left is counted by owner, and a final build refuses.
    assert "Left to do before a final build, by owner:" in text
    assert re.search(r"^  Plan lead: \d+$", text, re.MULTILINE), text
    code, text = run(capsys, "--final", "--project", str(plan))
    assert code == 1
    assert not (plan / "output").exists()


@pytest.mark.parametrize("pack_id", ["bcf-2014", "bcf-2025", "bcf-2026", "system-strategy"])
def test_every_rule_of_a_pack_runs_on_its_new_plan(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                  pack_id: str) -> None:
    """A rule that met a figure not yet filled in failed (AttributeError) instead of leaving it to
    the 'is empty' message: found on a new bcf-2014 plan."""
    plan = tmp_path / "plan"
    code, text = run(capsys, "new", str(plan), "--template", pack_id)
    assert code == 0, text
    code, text = run(capsys, "check", "--project", str(plan))
    assert code == 1
    assert "rule-family-failed" not in text and "failed on this plan" not in text, text


def _empty_value_lines(plan: Path) -> list[tuple[str, int]]:
    """(file, line) of each value a new plan leaves empty: 'name:' or 'name:   # one of: ...', not commented out."""
    found = []
    for path in sorted((plan / "content" / "data").glob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0].rstrip()
            is_parent = _next_is_deeper(path, number)
            if code.strip() and code.endswith(":") and not code.strip().startswith("-") and not is_parent:
                found.append((f"content/data/{path.name}", number))
    return found


def _next_is_deeper(path: Path, number: int) -> bool:
    lines = [l for l in path.read_text(encoding="utf-8").splitlines()[number:] if l.strip() and not l.strip().startswith("#")]
    current = path.read_text(encoding="utf-8").splitlines()[number - 1]
    indent = len(current) - len(current.lstrip())
    return bool(lines) and (len(lines[0]) - len(lines[0].lstrip()) > indent or lines[0].lstrip().startswith("-"))


def test_new_never_writes_over_a_plan(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    plan = tmp_path / "plan"
    (plan / "content").mkdir(parents=True)
    (plan / "content" / "plan.yaml").write_text("area: Mine\n", encoding="utf-8")
    code, text = run(capsys, "new", str(plan), "--template", "bcf-2026")
    assert code == 1
    assert "already exists" in text and "Nothing was written" in text
    assert (plan / "content" / "plan.yaml").read_text(encoding="utf-8") == "area: Mine\n"


def test_new_with_an_unknown_template_names_the_known_ones(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, text = run(capsys, "new", str(tmp_path / "plan"), "--template", "bcf-2027")
    assert code == 1
    assert "no usable template pack 'bcf-2027'" in text and "bcf-2026" in text
    assert not (tmp_path / "plan").exists()


def test_new_without_a_template_says_how(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, text = run(capsys, "new", str(tmp_path / "plan"))
    assert code == 1
    assert "--template" in text


@pytest.mark.parametrize("command", ["new", "next-round"])
def test_a_folder_that_cannot_be_made_is_named(command: str, tmp_path: Path) -> None:
    """`next-round /dev/null` ended in a traceback (NotADirectoryError)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    run = run_cli(REPO, command, str(blocker / "plan"), "--template", "bcf-2026")
    assert run.code == 1
    assert "Traceback" not in run.err
    assert run.err.strip() == (f"Error: the folder {blocker / 'plan'} cannot be made (Not a directory). Give a folder "
                               "you can write to, such as ../plan-2026. Nothing was written.")
