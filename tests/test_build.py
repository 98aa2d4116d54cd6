"""`python build.py`: outputs appear whole, and a failed build leaves the previous output/ untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from planpress.errors import BuildError
from planpress.write import Stage, staged_output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_the_plan_data(project: Path) -> None:
    run = run_cli(project)
    assert run.code == 0, run.out + run.err
    data = json.loads((project / "output/harrowdale-bcf-plan.json").read_text(encoding="utf-8"))
    assert data["plan"]["area"] == "Harrowdale"
    assert len(data["sections"]) == 8
    assert "Wrote output/harrowdale-bcf-plan.json" in run.out
    assert not list(project.glob(".output-*")), "the staging folder is cleaned up"


def test_failed_build_leaves_previous_output_whole(project: Path) -> None:
    assert run_cli(project).code == 0
    before = snapshot(project / "output")
    assert before
    plan = project / "content/plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("area:", "aera:"), encoding="utf-8")
    run = run_cli(project)
    assert run.code == 1
    assert "Unknown field 'aera'. Did you mean 'area'?" in run.err
    assert "Nothing was written: output/ is as it was." in run.err
    assert "Traceback" not in run.out + run.err
    assert snapshot(project / "output") == before
    assert not list(project.glob(".output-*"))


def test_a_target_failing_half_way_changes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    (output / "site").mkdir()
    (output / "site" / "index.html").write_text("old page")
    (output / "plan.docx").write_text("old document")
    before = snapshot(output)
    with pytest.raises(BuildError):
        with staged_output(tmp_path, ["site"]) as stage:
            stage.path("site/index.html").write_text("half a new page")
            raise BuildError("pandoc failed")
    assert snapshot(output) == before
    assert not list(tmp_path.glob(".output-*"))


def test_a_partial_build_keeps_the_other_outputs(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    (output / "plan.docx").write_text("document")
    (output / "site").mkdir()
    (output / "site" / "stale.html").write_text("stale")
    with staged_output(tmp_path, ["site"]) as stage:
        stage.path("site/index.html").write_text("new page")
    assert (output / "plan.docx").read_text() == "document"
    assert (output / "site" / "index.html").read_text() == "new page"
    assert not (output / "site" / "stale.html").exists()


def test_stage_refuses_paths_outside_output_and_writing_twice(tmp_path: Path) -> None:
    stage = Stage(tmp_path)
    with pytest.raises(BuildError, match="outside output/"):
        stage.path("../escape.txt")
    stage.path("a.txt")
    with pytest.raises(BuildError, match="would write 'a.txt'"):
        stage.path("a.txt")


def test_a_project_folder_that_does_not_exist_is_named(tmp_path: Path) -> None:
    run = run_cli(tmp_path / "no-such-plan", "check")
    assert run.code == 1
    assert run.err.strip() == (f"Error: there is no folder {tmp_path / 'no-such-plan'}. Give --project the folder "
                               "that holds the plan's content/ (or run the command inside it).")
    assert not (tmp_path / "no-such-plan").exists()
