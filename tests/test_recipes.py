"""The publishing recipes we ship (.github/workflows/publish.yml, .gitlab-ci.yml) run the README's commands.

They are documentation: this test parses them, checks every command they run is one the
README gives, and runs the plan's commands (check, fmt --check, changes) on a copy of the
example plan. `make build` itself is what test_build.py and `make build` in CI prove.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from conftest import REPO, run_cli
from git_helpers import make_repo

RECIPES = (".github/workflows/publish.yml", ".gitlab-ci.yml")
PLAN_COMMAND = re.compile(r"\.venv/bin/python build\.py([^;\n]*?)(?:;|$)")


def load(recipe: str) -> dict:
    return yaml.safe_load((REPO / recipe).read_text(encoding="utf-8"))


def commands(recipe: str) -> list[str]:
    """Every shell line the recipe runs, in order."""
    data = load(recipe)
    if recipe.startswith(".github"):
        steps = [step for job in data["jobs"].values() for step in job["steps"]]
        return [line.strip() for step in steps if "run" in step for line in step["run"].splitlines() if line.strip()]
    jobs = [job for name, job in data.items() if isinstance(job, dict) and "script" in job]
    return [line for job in jobs for line in job["script"]]


def plan_commands(recipe: str) -> list[list[str]]:
    """The build.py commands a recipe runs, as argument lists, its CI variables standing for the base version."""
    found = []
    for line in commands(recipe):
        for match in PLAN_COMMAND.finditer(line):
            text = re.sub(r"\$\{\{[^}]*\}\}|\$\w+", "BASE", match.group(1)).replace("origin/BASE", "BASE")
            found.append(shlex.split(text.replace('"', "").strip()))
    return found


def test_recipes_run_only_the_readmes_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for recipe in RECIPES:
        lines = commands(recipe)
        assert "make build" in lines, recipe
        for line in lines:
            if line.startswith("make "):
                target = line.split()[1]
                assert f"make {target}" in readme and re.search(rf"^{target}:", makefile, re.MULTILINE), line
        run = plan_commands(recipe)
        assert ["check"] in run and ["fmt", "--check"] in run, recipe
        for arguments in run:
            assert f"python build.py {' '.join(a for a in arguments if a != 'BASE')}" in readme, arguments


def test_github_workflow_checks_requests_and_publishes_main_to_pages() -> None:
    data = load(".github/workflows/publish.yml")
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    publish = data["jobs"]["publish"]
    assert publish["needs"] == "check" and "refs/heads/main" in publish["if"]
    uses = {step.get("uses", "").split("@")[0]: step for step in publish["steps"]}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "output/site"
    assert "actions/deploy-pages" in uses
    checkout = [s for s in data["jobs"]["check"]["steps"] if s.get("uses", "").startswith("actions/checkout")][0]
    assert checkout["with"]["fetch-depth"] == 0  # tags and history, for the version stamp and changes


def test_gitlab_job_publishes_the_site_from_the_default_branch() -> None:
    data = load(".gitlab-ci.yml")
    assert data["variables"]["GIT_DEPTH"] == "0"
    pages = data["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert "rm -rf public && cp -r output/site public" in pages["script"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]


def test_the_recipes_plan_commands_pass_on_the_example_plan(project: Path) -> None:
    make_repo(project, "BASE")
    for recipe in RECIPES:
        for arguments in plan_commands(recipe):
            run = run_cli(project, *arguments)
            assert run.code == 0, f"{recipe}: build.py {' '.join(arguments)}\n{run.out}{run.err}"
