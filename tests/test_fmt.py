"""`python build.py fmt`: one sentence per line, YAML in one layout with its comments, idempotent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import run_cli
from planpress.collaborate.fmt import Edit, Meaning, format_markdown, format_yaml, keep_meaning, reflow, split_sentences
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


# --- fmt keeps what the Markdown means ---------------------------------------------------------------

MEANING = Meaning()

# Each construct the documents or the website read in Markdown, as written and as fmt lays it out.
LAYOUTS = {
    "definition lists": (
        "Better Care Fund\n:   The pooled budget. It pays for schemes\n    across health and care.\n\n"
        "Care Act\n: Duties for councils. From April 2015.\n: A second definition. Also two sentences.\n",
        "Better Care Fund\n:   The pooled budget.\n    It pays for schemes across health and care.\n\n"
        "Care Act\n: Duties for councils.\n    From April 2015.\n: A second definition.\n    Also two sentences.\n"),
    "abbreviations": (
        "The BCF pools money. The HWB agrees it.\n*[BCF]: Better Care Fund\n*[HWB]: Health and Wellbeing Board\n\n"
        "*[CCG]: Clinical Commissioning Group\n*[ICB]: Integrated Care Board\n",
        "The BCF pools money.\nThe HWB agrees it.\n*[BCF]: Better Care Fund\n*[HWB]: Health and Wellbeing Board\n\n"
        "*[CCG]: Clinical Commissioning Group\n*[ICB]: Integrated Care Board\n"),
    "tables": (
        "| Scheme. | Cost |\n|---|---|\n| PE1. Falls | £1m |\n\nScheme | Cost\n--|--\nPE1. Falls | £1m\n\n"
        "  Scheme   Cost. Total\n  -------  ----------\n  PE1. A   £1m\n", None),
    "block quotes": ("> A quote. With two sentences\nwrapped lazily. Here.\n\n> Another. Quote.\n> Two lines.\n", None),
    "lists with continuation paragraphs": (
        "- A list item. With text\n  over two lines.\n\n  A continuation paragraph. With two sentences\n"
        "  wrapped over lines.\n\n- Second item.\n\n1. Numbered. Item.\n\n   Its second paragraph. Also two\n"
        "   sentences.\n",
        "- A list item. With text\n  over two lines.\n\n  A continuation paragraph.\n"
        "  With two sentences wrapped over lines.\n\n- Second item.\n\n1. Numbered. Item.\n\n"
        "   Its second paragraph.\n   Also two sentences.\n"),
    "hard line breaks": ("An address line.  \nSecond line. Still.\n\nBackslash break.\\\nNext line. Here.\n", None),
    "HTML comments": (
        "<!-- A comment. Before\n\nthe text. Inside it. -->\n\nText with <!-- an inline. Comment --> inside. And more.\n",
        "<!-- A comment. Before\n\nthe text. Inside it. -->\n\nText with <!-- an inline. Comment --> inside.\n"
        "And more.\n"),
    "code blocks": (
        "```\ncode. Block.\n```\n\n````markdown\n```\nNot closed. Here.\n````\n\n~~~\nTilde. Code.\n~~~\n\n"
        "    indented code. Here.\n\nStill text. After code.\n",
        "```\ncode. Block.\n```\n\n````markdown\n```\nNot closed. Here.\n````\n\n~~~\nTilde. Code.\n~~~\n\n"
        "    indented code. Here.\n\nStill text.\nAfter code.\n"),
    "headings with attributes": (
        "## Heading. With attrs {#h .c}\n\nSetext heading. Two\n===================\n\nA paragraph. After.\n",
        "## Heading. With attrs {#h .c}\n\nSetext heading. Two\n===================\n\nA paragraph.\nAfter.\n"),
    "attribute lists": ("A paragraph with a class. Second sentence.\n{: .note }\n",
                        "A paragraph with a class.\nSecond sentence.\n{: .note }\n"),
    "fenced divs": ("::: note\nInside a div. Two sentences.\n:::\n", None),
}


@pytest.mark.parametrize("construct", LAYOUTS)
def test_each_construct_is_laid_out_keeping_its_meaning(construct: str) -> None:
    text, expected = LAYOUTS[construct]
    notes: list[str] = []
    formatted = format_markdown(text, "content/sections/x.md", None, notes, MEANING)
    assert formatted == (expected or text)
    assert notes == []
    assert MEANING(formatted) == MEANING(text)  # pandoc's tree and the website's HTML
    assert format_markdown(formatted, "content/sections/x.md", None, notes, MEANING) == formatted


@pytest.mark.parametrize("before, old_layout", [
    ("Care Act\n: Duties for councils. From April 2015.\n", "Care Act : Duties for councils.\nFrom April 2015.\n"),
    ("The BCF pools money.\n*[BCF]: Better Care Fund\n*[HWB]: Health and Wellbeing Board\n",
     "The BCF pools money.\n*[BCF]: Better Care Fund *[HWB]: Health and Wellbeing Board\n"),
    ("  A continuation paragraph. With two\n  sentences.\n", "A continuation paragraph.\nWith two sentences.\n"),
    ("A paragraph. Two.\n{: .note }\n", "A paragraph.\nTwo. {: .note }\n"),
])
def test_the_check_sees_what_the_old_layout_broke(before: str, old_layout: str) -> None:
    """How fmt used to lay these out changed what they mean; the check tells."""
    if before.startswith("  "):
        before, old_layout = "- An item.\n\n" + before, "- An item.\n\n" + old_layout
    assert MEANING(old_layout) != MEANING(before)


def test_line_breaks_read_as_the_spaces_they_stand_for() -> None:
    assert MEANING("One sentence. Mr. Smith and e.g. Careline.\n") == \
        MEANING("One sentence.\nMr.\nSmith and e.g.\nCareline.\n")
    assert MEANING("We agreed.\u00a0The board signs.\n") != MEANING("We agreed.\nThe board signs.\n")


STRAY = "Spending rose by 4%**\n**in 2015. The board agrees.\n"  # bold around a line break: pandoc reads it


def test_a_paragraph_that_would_read_differently_is_left_as_written_and_named() -> None:
    text = "---\nid: vision\n---\nFirst paragraph. Reformatted.\n\n" + STRAY + "\nLast paragraph. Reformatted.\n"
    notes: list[str] = []
    formatted = format_markdown(text, "content/sections/02-vision.md", None, notes, MEANING)
    assert formatted == ("---\nid: vision\n---\nFirst paragraph.\nReformatted.\n\n" + STRAY +
                         "\nLast paragraph.\nReformatted.\n")
    assert notes == ["content/sections/02-vision.md:6: left as written: one sentence per line here would change "
                     "what the Markdown means"]
    assert MEANING(formatted.split("---\n", 2)[2]) == MEANING(text.split("---\n", 2)[2])


def test_edits_are_kept_only_where_the_meaning_is() -> None:
    body = "One. Two.\n\nCare Act\n: Duties.\n"
    good = Edit(0, 1, ("One.", "Two."))
    bad = Edit(2, 4, ("Care Act : Duties.",))
    assert keep_meaning(body, [good, bad], MEANING) == ("One.\nTwo.\n\nCare Act\n: Duties.\n", [bad])
    assert keep_meaning(body, [], MEANING) == (body, [])


def test_fmt_says_what_it_left_as_written(project: Path) -> None:
    path = project / "content/sections/02-vision.md"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n" + STRAY + "\nAn added paragraph. Two sentences.\n", encoding="utf-8")
    line = original.count("\n") + 2
    run = run_cli(project, "fmt")
    assert run.code == 0, run.err
    assert f"content/sections/02-vision.md:{line}: left as written: one sentence per line here would change " \
           "what the Markdown means" in run.out.splitlines()
    assert "reformatted content/sections/02-vision.md" in run.out
    assert "1 paragraph left as written (above)" in run.out
    assert path.read_text(encoding="utf-8") == original + "\n" + STRAY + "\nAn added paragraph.\nTwo sentences.\n"
    check = run_cli(project, "fmt", "--check")
    assert check.code == 0 and "left as written" in check.out


WORDS = ["care", "The", "Board", "e.g.", "U.K.", "Mr.", "No.", "2.5", "£3.5m", "St.", "A.", "(1)", "(a)", "<!--",
         "-->", "`x.", "Y`", "[link.", "Next](x)", "*em.", "It*", "**B.", "C**", "<span>", "</span>", "{{ f }}",
         "\\", "&nbsp;", "1.", "#", "+", "-", ">", "|", ":", '"Yes."', "...", "!", "?", "Wait.", "Then", "(Agreed.)",
         "[^1]", "*[BCF]:", "{: .x }", "\u00a0", "H~2~O.", "--", "So", "Done."]


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", " ", " ", "\n", "\n\n", "  \n"])),
                min_size=3, max_size=16))
def test_any_text_keeps_its_meaning_and_formats_once(pieces: list[tuple[str, str]]) -> None:
    text = "Intro sentence. " + "".join(word + gap for word, gap in pieces) + "\n"
    formatted = format_markdown(text, "x.md", None, [], MEANING)
    assert MEANING(formatted) == MEANING(_one_newline_of(text))
    assert format_markdown(formatted, "x.md", None, [], MEANING) == formatted


def _one_newline_of(text: str) -> str:
    return text.rstrip("\n") + "\n"
