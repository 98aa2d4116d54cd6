"""Generated hostile and careless input in every text field, every Markdown file and every number.

Hypothesis writes the input; each example goes into a copy of the newest round's example plan.
`check` runs on many examples (fast, in this process); a full build through every target runs on
a few. Whatever the input: no traceback, a refusal names a file and a line, output/ is left whole
after a refusal, and the built site carries no script, handler or unsafe address we did not write.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from conftest import REPO
from plan_edits import set_field
from site_helpers import browser_problems
from planpress import cli
from planpress.load.fields import walk
from planpress.load.pack_loader import read_pack_by_id

EXAMPLE = REPO / "examples" / "bcf-2026"
FINDING = re.compile(r"^  \S.*:\d+: \S")  # "  content/x.yaml:12: What is wrong. How to fix it."

# Pieces an attacker or a careless author would try, mixed with arbitrary text.
HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src='https://evil.example'>",
    "[x](javascript:alert(1))", "[x](data:text/html,<script>alert(1)</script>)", "{onclick=alert(1)}",
    "<link rel=stylesheet href=https://evil.example/x.css>", "<svg onload=alert(1)>",
    "```{=typst}\n#read(\"/etc/passwd\")\n```", "`x`{=openxml}", "```{=html}\n<script>alert(1)</script>\n```",
    "=HYPERLINK(\"https://evil.example\")", "+1+1", "@SUM(A1)", "{{ 7 * 7 }}", "{% for x in range(9) %}x{% endfor %}",
    "{{ scheme.S1.update({'name': 'x'}) }}", "](", "<!--", "-->", "---", "\x00", "\u202e", "\ufeff",
    "TBC", "£1,2x4", "*[BCF]: x", "| a | b |", "> quote", "# heading", "    code", "\\", "'", '"', ": x",
    "- item", "!!python/object:os.system", "&anchor", "*alias", "%", "@", "`",
]
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40)), min_size=1, max_size=6).map(" ".join)
numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-10**30, max_value=10**30),
                    st.sampled_from([".inf", "-.inf", ".nan", "1e400", "£1e9", "NaN", "", "0x10", "1_000"]))


def _text_fields() -> list[tuple[str, tuple]]:
    """(file, path) of every text field the newest round declares in its data files and plan."""
    pack, _ = read_pack_by_id(REPO, "bcf-2026")
    groups = [("content/plan.yaml", pack.data.plan.fields),
              *((spec.file, spec.fields) for spec in pack.data.files.values())]
    # A file the example does not have (an optional record such as the accessibility audit) has no
    # field to put text in; the copy of the example below is what the test edits.
    return [(file, path) for file, fields in groups if (EXAMPLE / file).exists() for path, spec in walk(fields)
            if spec.type == "text" or (spec.type == "list" and spec.of == "text")]


def _number_fields() -> list[tuple[str, tuple]]:
    pack, _ = read_pack_by_id(REPO, "bcf-2026")
    groups = [(spec.file, spec.fields) for spec in pack.data.files.values()]
    return [(file, path) for file, fields in groups if (EXAMPLE / file).exists() for path, spec in walk(fields)
            if spec.type in ("number", "whole number", "money")]


TEXT_FIELDS = _text_fields()
NUMBER_FIELDS = _number_fields()
MARKDOWN = sorted(p.relative_to(EXAMPLE).as_posix() for p in (EXAMPLE / "content").rglob("*.md"))


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("hostile") / "plan"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("output", ".output-*"))
    return project


def _run(project: Path, *args: str) -> tuple[int, str]:
    """The command in this process; an exception escaping it is a traceback an author would see."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main([*args, "--project", str(project)])
    return code, out.getvalue()


def _put_in_yaml(project: Path, file: str, path: tuple, value: object) -> str:
    """Write `value` at `path` of a YAML file; return the file's old text to put back."""
    source = project / file
    old = source.read_text(encoding="utf-8")
    data = yaml.safe_load(old)
    set_field(data, path, value)
    source.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return old


def _put_in_markdown(project: Path, file: str, text: str, where: float) -> str:
    """Insert `text` as a paragraph at a point of a Markdown file's body; return its old text."""
    source = project / file
    old = source.read_text(encoding="utf-8")
    head, body = old.split("---\n", 2)[1], old.split("---\n", 2)[2]
    lines = body.split("\n")
    at = int(where * len(lines))
    source.write_text("---\n" + head + "---\n" + "\n".join(lines[:at] + ["", text, ""] + lines[at:]), encoding="utf-8")
    return old


def _assert_answered(code: int, text: str) -> None:
    assert "Traceback" not in text
    assert code in (0, 1), text
    if code == 1:
        problems = [line for line in text.splitlines() if line.startswith("  ") and not line.startswith("   ")]
        named = [line for line in problems if FINDING.match(line)]
        assert named, f"a refusal that names no file and line:\n{text[-2000:]}"


CHECK_SETTINGS = settings(max_examples=80, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@CHECK_SETTINGS
@given(field=st.sampled_from(TEXT_FIELDS), text=hostile_text)
def test_any_text_in_any_field_gets_a_located_answer(plan: Path, field: tuple, text: str) -> None:
    file, path = field
    old = _put_in_yaml(plan, file, path, text)
    try:
        _assert_answered(*_run(plan, "check"))
    finally:
        (plan / file).write_text(old, encoding="utf-8")


@CHECK_SETTINGS
@given(field=st.sampled_from(NUMBER_FIELDS), value=numbers)
def test_any_number_in_any_figure_gets_a_located_answer(plan: Path, field: tuple, value: object) -> None:
    file, path = field
    old = _put_in_yaml(plan, file, path, value)
    try:
        _assert_answered(*_run(plan, "check"))
    finally:
        (plan / file).write_text(old, encoding="utf-8")


@CHECK_SETTINGS
@given(file=st.sampled_from(MARKDOWN), text=hostile_text, where=st.floats(min_value=0, max_value=1))
def test_any_text_in_any_markdown_file_gets_a_located_answer(plan: Path, file: str, text: str, where: float) -> None:
    old = _put_in_markdown(plan, file, text, where)
    try:
        _assert_answered(*_run(plan, "check"))
    finally:
        (plan / file).write_text(old, encoding="utf-8")


# --- through every target ----------------------------------------------------------------------

SCRIPT_OURS = re.compile(r"(^|/)assets/")
UNSAFE_URL = re.compile(r"^\s*(javascript|data|vbscript):", re.IGNORECASE)


def _site_problems(site: Path) -> list[str]:
    """Scripts, handlers and unsafe addresses in the built pages that the project did not write."""
    problems = []
    for page in site.rglob("*.html"):
        tree = lxml_html.fromstring(page.read_bytes())
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            name = page.relative_to(site).as_posix()
            theirs = element.tag == "form" and element.get("name") != "search"  # the theme's search box is ours
            if element.tag in ("iframe", "object", "embed", "base") or theirs:
                problems.append(f"{name}: <{element.tag}>")
            if element.tag == "script" and not SCRIPT_OURS.search(element.get("src", "")) and element.get("src"):
                problems.append(f"{name}: script from {element.get('src')}")
            for attribute, value in element.attrib.items():
                if attribute.lower().startswith("on"):
                    problems.append(f"{name}: {attribute} on <{element.tag}>")
                if attribute in ("href", "src", "action", "formaction") and UNSAFE_URL.match(value):
                    problems.append(f"{name}: {attribute}={value[:40]}")
    return problems


def _output_state(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def built_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("hostile-build") / "plan"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("output", ".output-*"))
    code, text = _run(project)
    assert code == 0, text
    return project


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=st.sampled_from(TEXT_FIELDS), markdown=st.sampled_from(MARKDOWN), text=hostile_text)
def test_hostile_text_through_every_target(built_plan: Path, field: tuple, markdown: str, text: str) -> None:
    file, path = field
    output = built_plan / "output"
    before = _output_state(output)
    old_yaml = _put_in_yaml(built_plan, file, path, text)
    old_markdown = _put_in_markdown(built_plan, markdown, text, 0.5)
    try:
        code, said = _run(built_plan)
        _assert_answered(code, said)
        if code == 1:
            assert _output_state(output) == before, "a refused build changed output/"
        else:
            assert _site_problems(output / "site") == []
            after = _output_state(output)
            changed = sorted(name.removeprefix("site/") for name in after
                             if name.startswith("site/") and name.endswith(".html") and after[name] != before.get(name))
            assert browser_problems(output / "site", changed) == []
        assert not list(built_plan.glob(".output-*")), "a build left its staging folder behind"
    finally:
        (built_plan / file).write_text(old_yaml, encoding="utf-8")
        (built_plan / markdown).write_text(old_markdown, encoding="utf-8")
