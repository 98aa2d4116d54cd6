"""The current rounds: a pack that extends another, and the rules a 2025-26 plan is checked by.

The rules are tested on a writable copy of the example plan on the newest round, each with
the mistake an author or a finance lead would make and the exact words they would read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO
from planpress import cli

EXAMPLE = REPO / "examples" / "bcf-2026"


def run(capsys: pytest.CaptureFixture, project: Path, *args: str) -> tuple[int, str]:
    code = cli.main([*args, "--project", str(project)])
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text
    return code, text


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def edit(project: Path, file: str, old: str, new: str) -> int:
    """Replace `old` by `new` in a file of the project; return the line where it was."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """A writable copy of the example plan on the newest round, with its own copy of the packs."""
    project = tmp_path / "plan"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("output", ".output-*"))
    shutil.copytree(REPO / "templates", project / "templates")
    return project


# --- a pack that extends another --------------------------------------------------------------


def test_the_newest_round_shares_what_it_does_not_change(plan: Path) -> None:
    from planpress.load.content import load_content

    content, _ = load_content(plan)
    pack = content.pack
    assert pack.id == "bcf-2026" and pack.extends == "bcf-2025"
    overview = pack.section("overview")
    assert [p.id for p in overview.parts] == ["priorities", "key-changes", "joint-governance", "alignment"]
    assert overview.parts[0].title == "Our priorities for 2026-27"
    assert overview.parts[1].question.startswith("What has changed since the previous BCF plan")  # from 2025-26
    assert pack.section("hospital-to-home").parts[-1].id == "neighbourhood-health"
    assert "neighbourhood_health" in pack.data.schemes.fields and "scheme_type" in pack.data.schemes.fields
    assert "stream-minimums" in content.models.rule_params
    assert pack.layers[:2] == [plan / "templates" / "bcf-2026", plan / "templates" / "bcf-2025"]


def test_a_mistake_in_the_extending_pack_is_reported_in_its_own_file(plan: Path,
                                                                     capsys: pytest.CaptureFixture) -> None:
    line = edit(plan, "templates/bcf-2026/data.yaml", "type: yes or no", "type: yes or maybe")
    code, out = run(capsys, plan, "check")
    assert code == 1
    assert any(l.startswith(f"templates/bcf-2026/data.yaml:{line}: 'type' should be one of ") for l in lines(out)), out


def test_a_mistake_in_the_extended_pack_is_reported_in_its_file(plan: Path, capsys: pytest.CaptureFixture) -> None:
    line = edit(plan, "templates/bcf-2025/pack.yaml", "    scale: [1, 5]", "    scale: [1, five]")
    code, out = run(capsys, plan, "check")
    assert code == 1
    assert any(l.startswith(f"templates/bcf-2025/pack.yaml:{line}:") for l in lines(out)), out


def test_extending_a_pack_that_does_not_exist(plan: Path, capsys: pytest.CaptureFixture) -> None:
    line = edit(plan, "templates/bcf-2026/pack.yaml", "extends: bcf-2025", "extends: bcf-2052")
    code, out = run(capsys, plan, "check")
    assert code == 1
    assert (f"templates/bcf-2026/pack.yaml:{line}: There is no template pack called 'bcf-2052' to extend. "
            "Did you mean 'bcf-2025'? Name a pack in templates/ that does not extend this one.") in lines(out), out


def test_packs_that_extend_each_other(plan: Path, capsys: pytest.CaptureFixture) -> None:
    edit(plan, "templates/bcf-2025/pack.yaml", "id: bcf-2025\n", "id: bcf-2025\nextends: bcf-2026\n")
    code, out = run(capsys, plan, "check")
    assert code == 1
    assert "which extends it in turn" in out
