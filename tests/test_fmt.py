"""`python build.py fmt`: one sentence per line, YAML in one layout with its comments, idempotent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cli
from planpress.collaborate.fmt import format_markdown, format_yaml, reflow, split_sentences
from planpress.collaborate.fmt import model_for


def snapshot(project: Path) -> dict[str, str]:
    return {str(p.relative_to(project)): p.read_text(encoding="utf-8")
            for p in sorted((project / "content").rglob("*")) if p.is_file()}


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def test_fmt_is_idempotent_keeps_comments_and_the_plan_still_checks(project: Path) -> None:
    before = snapshot(project)
    first = run_cli(project, "fmt")
    assert first.code == 0, first.out + first.err
    after_first = snapshot(project)
    second = run_cli(project, "fmt")
    assert second.code == 0
    assert second.out.strip() == "Every content file is laid out the merge-friendly way."
    assert snapshot(project) == after_first
    assert run_cli(project, "fmt", "--check").code == 0
    for file, text in before.items():
        if file.endswith((".yaml", ".yml")):
            assert comments(after_first[file]) == comments(text), f"a comment moved or vanished in {file}"
    check = run_cli(project, "check")
    assert check.code == 0 and "0 errors" in check.out, check.out


def test_check_mode_lists_files_and_changes_nothing(project: Path) -> None:
    path = project / "content/sections/02-vision.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne sentence. And a second one\nwrapped here.\n",
                    encoding="utf-8")
    before = snapshot(project)
    run = run_cli(project, "fmt", "--check")
    assert run.code == 1
    assert "would reformat content/sections/02-vision.md" in run.out.splitlines()
    assert snapshot(project) == before


def test_broken_yaml_is_one_line_and_nothing_is_written(project: Path) -> None:
    path = project / "content/data/risks.yaml"
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("likelihood:")].count("\n") + 1
    path.write_text(text.replace("likelihood:", "likelihood: [3", 1), encoding="utf-8")
    vision = project / "content/sections/02-vision.md"
    vision.write_text(vision.read_text(encoding="utf-8") + "\nOne. Two.\n", encoding="utf-8")
    before = snapshot(project)
    run = run_cli(project, "fmt")
    assert run.code == 1
    assert re.fullmatch(rf"Error: content/data/risks.yaml:{line + 1}: this is not valid YAML \(.+\)\. fmt changed "
                        r"nothing: fix it \(`python build.py check` says how\) and run fmt again", run.err.strip())
    assert snapshot(project) == before


@pytest.mark.parametrize("text, sentences", [
    ("Plain one. Plain two.", ["Plain one.", "Plain two."]),
    ("Services, e.g. Careline, stay. Dr. Adeyemi agrees.", ["Services, e.g. Careline, stay.", "Dr. Adeyemi agrees."]),
    ("Growth of 1.5 per cent. No. 3 is late. Mr. J. Smith leads.", ["Growth of 1.5 per cent.", "No. 3 is late.",
                                                                   "Mr. J. Smith leads."]),
    ("See [the plan. Page 3](section:risks) now. Next.", ["See [the plan. Page 3](section:risks) now.", "Next."]),
    ("It costs £2.1m. £400,000 is recurrent.", ["It costs £2.1m.", "£400,000 is recurrent."]),
    ("Is it? \"Yes,\" they said. (Agreed.) Then *Living Well* starts.",
     ["Is it?", "\"Yes,\" they said.", "(Agreed.)", "Then *Living Well* starts."]),
    ("Ends at 8am. then lower case stays.", ["Ends at 8am. then lower case stays."]),
])
def test_sentences_are_split_conservatively(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_only_plain_paragraphs_are_reflowed() -> None:
    body = (
        "# Heading. With a stop\n\n"
        "First sentence of a\nparagraph. Second one.\n\n"
        "- A list item. With two sentences\n  and a continuation.\n\n"
        "| A. | B. |\n|---|---|\n| x. Y | z |\n\n"
        "```\ncode. Stays\n```\n\n"
        "A hard break.  \nStays. As written.\n\n"
        "> A quote. Stays.\n"
    )
    assert reflow(body) == body.replace("First sentence of a\nparagraph. Second one.",
                                        "First sentence of a paragraph.\nSecond one.")
    assert reflow(reflow(body)) == reflow(body)


def test_front_matter_keeps_comments_and_follows_model_order() -> None:
    root = Path(__file__).resolve().parent.parent
    RisksFile = model_for(root, "content/data/risks.yaml")  # as the bcf-2014 pack declares it
    Risk = RisksFile.model_fields["risks"].annotation.__args__[0]
    text = "---\nreference: PE9   # unique\nname: Test\n---\n\nOne. Two.\n"
    assert format_markdown(text, "content/schemes/PE9.md", None) == \
        "---\nreference: PE9   # unique\nname: Test\n---\n\nOne.\nTwo.\n"
    risks = "risks:\n- impact: 2\n  id: R1\n  likelihood: 3\n"
    assert format_yaml(risks, "content/data/risks.yaml", RisksFile) == \
        "risks:\n  - id: R1\n    likelihood: 3\n    impact: 2\n"
    # A comment belongs to its place: an entry with one keeps the author's order.
    commented = "impact: 2   # severe enough\nid: R1\n"
    assert format_yaml(commented, "x.yaml", Risk) == commented
