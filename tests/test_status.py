"""`python build.py status` and `codeowners`: who owns what, where it stands, and who reviews it."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from git_helpers import git, make_repo, replace


def entry(out: str, title: str) -> list[str]:
    """The lines status prints for one item: its title line and the lines under it."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"  {title}  ["))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("      ")), len(lines))
    return [line.strip() for line in lines[start:end]]


def test_status_lists_owner_status_last_change_and_problems(project: Path) -> None:
    make_repo(project)
    day = git(project, "log", "-1", "--format=%cs")
    replace(project, "content/schemes/PE2.md", "status: agreed", "status: review")
    replace(project, "content/schemes/PE2.md", "## Overview of the scheme\n",
            "## Overview of the scheme\n\nFalls cost the borough £1xxk a year.\n")
    run = run_cli(project, "status")
    assert run.code == 0, run.out + run.err
    assert entry(run.out, "Section 2: Vision for health and care services") == [
        "Section 2: Vision for health and care services  [content/sections/02-vision.md]",
        f"Gillian Hartley, Director of Adult Social Care; agreed, last change: {day} by Priya Natarajan; "
        "no open problems",
    ]
    pe2 = entry(run.out, "PE2 Falls prevention service")
    assert pe2[1].startswith("Joanne Whitley, Senior Commissioning Manager (Community Services), NHS Harrowdale CCG; "
                             "review, last change: uncommitted changes; 1 open problem")
    assert pe2[2].startswith("- warning: content/schemes/PE2.md:")
    assert "£1xxk" in pe2[2]
    assert "  Accessibility audit (accessibility-audit.yaml)  [" in run.out
    assert run.out.rstrip().splitlines()[-1].startswith("32 parts of the plan (1 review, 20 agreed); 1 open problem.")


def test_owner_filter(project: Path) -> None:
    run = run_cli(project, "status", "--owner", "natarajan")
    assert run.code == 0, run.out + run.err
    titles = [line.strip().split("  [")[0] for line in run.out.splitlines() if line.startswith("  ")
              and not line.startswith("      ")]
    assert titles == ["Section 1: Plan details", "Plan details (plan.yaml)", "Governance (governance.yaml)",
                      "Documents (documents.yaml)"]
    assert "last change: no commit" in run.out  # outside git, still works


def test_unknown_owner(project: Path) -> None:
    run = run_cli(project, "status", "--owner", "Nobody Known")
    assert run.code == 1
    assert run.err.startswith("Error: nobody whose name contains 'Nobody Known' owns a part of the plan. "
                              "Owners: Andrew Metcalfe, ")
    assert "Traceback" not in run.err


def test_codeowners_from_the_owners_in_content(project: Path) -> None:
    make_repo(project)
    replace(project, "content/plan.yaml", '  Gillian Hartley: "@ghartley"\n', "")
    run = run_cli(project, "codeowners")
    assert run.code == 0, run.out + run.err
    assert run.err.strip() == ("No account for Gillian Hartley: add them under accounts: in content/plan.yaml "
                               "so their files get a reviewer.")
    lines = (project / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
    rules = [line for line in lines if line and not line.startswith("# Who") and not line.startswith("# ")
             or line.startswith("# /")]
    assert rules[:3] == ["/content/ @pnatarajan", "/content/plan.yaml @pnatarajan", "/content/data/themes.yaml @mbrennan"]
    assert "# /content/sections/02-vision.md: no account for Gillian Hartley " \
           "(add it under accounts: in content/plan.yaml)" in lines
    assert "/content/schemes/PE2.md @jwhitley" in lines
    assert run_cli(project, "codeowners", "--check").code == 0
    replace(project, "content/schemes/PE2.md", "lead: Joanne Whitley", "lead: Mark Brennan")
    check = run_cli(project, "codeowners", "--check")
    assert check.code == 1
    assert check.out.strip() == "CODEOWNERS is out of date with the owners in content/: run `python build.py codeowners`."


def test_codeowners_in_a_sub_folder_of_a_repository(tmp_path: Path, project: Path) -> None:
    # A council keeps the plan in a folder of a larger repository: paths are from its root.
    outer = tmp_path / "council"
    outer.mkdir()
    project.rename(outer / "bcf")
    make_repo(outer, tag=None)
    assert run_cli(outer / "bcf", "codeowners").code == 0
    assert "/bcf/content/schemes/PE2.md @jwhitley" in (outer / "CODEOWNERS").read_text(encoding="utf-8")
