"""`python build.py check`: each mistake an author can make ends in file, line, what and how to fix."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_cli
from plan_edits import edit, expect, line_of


def first_risk_field(project: Path, field: str) -> tuple[str, int]:
    """The text of the first risk's line for `field`, and its line number."""
    text = (project / "content/data/risks.yaml").read_text(encoding="utf-8")
    match = re.search(rf"^(\s*{field}:.*)$", text, re.MULTILINE)
    assert match
    return match.group(1), text[: match.start()].count("\n") + 1


def test_example_plan_is_clean(project: Path) -> None:
    run = run_cli(project, "check")
    assert run.code == 0, run.out + run.err
    assert "Errors" not in run.out
    assert "The plan is ready to build: 0 errors" in run.out


def test_yaml_that_does_not_parse_gives_line_and_column(project: Path) -> None:
    line = edit(project, "content/data/risks.yaml", "likelihood:", "likelihood: [3\n    impactt:")
    run = run_cli(project, "check")
    assert run.code == 1
    reported = [x.strip() for x in run.out.splitlines() if x.strip().startswith("content/data/risks.yaml:")]
    assert len(reported) == 1, run.out
    assert re.match(rf"content/data/risks.yaml:{line + 1}: This is not valid YAML at column \d+: ", reported[0])
    assert "Check the indentation and the colons" in reported[0]
    assert "Traceback" not in run.out + run.err


def test_wrong_type_names_the_field_and_the_value(project: Path) -> None:
    text, line = first_risk_field(project, "likelihood")
    edit(project, "content/data/risks.yaml", text, text.split(":")[0] + ": hihg")
    run = run_cli(project, "check")
    expect(run, f"content/data/risks.yaml:{line}: 'likelihood' should be a whole number or one of Low, Medium, High, "
                "not 'hihg'. How likely it is, from 1 (rare) to 5 (almost certain); in a log with scale words, Low, "
                "Medium or High.")


def test_unknown_field_suggests_the_known_one(project: Path) -> None:
    text, line = first_risk_field(project, "mitigation")
    edit(project, "content/data/risks.yaml", text, text.replace("mitigation:", "mitigaton:"))
    run = run_cli(project, "check")
    assert run.code == 1
    expected = f"content/data/risks.yaml:{line}: Unknown field 'mitigaton'. Did you mean 'mitigation'?"
    assert any(x.strip().startswith(expected) for x in run.out.splitlines()), run.out


def test_missing_required_field(project: Path) -> None:
    line = edit(project, "content/plan.yaml", "\nhwb:", "\nhwb_name:")
    run = run_cli(project, "check")
    assert run.code == 1
    assert "content/plan.yaml:1: The required field 'hwb' is missing. Add 'hwb: ...' " \
           "(The name of the Health and Wellbeing Board)." in [x.strip() for x in run.out.splitlines()]
    assert f"content/plan.yaml:{line + 1}: Unknown field 'hwb_name'. Did you mean 'hwb'?" in run.out


def test_missing_field_in_a_list_item_points_at_the_item(project: Path) -> None:
    text, line = first_risk_field(project, "lead")
    edit(project, "content/data/risks.yaml", text + "\n", "")
    run = run_cli(project, "check")
    risk_line = line_of(project, "content/data/risks.yaml", "- id: R1")
    expect(run, f"content/data/risks.yaml:{risk_line}: The required field 'lead' is missing in item 1 "
                         "of 'risks'. Add 'lead: ...' (The person who owns the risk).")


def test_missing_file(project: Path) -> None:
    (project / "content/data/risks.yaml").unlink()
    run = run_cli(project, "check")
    expect(run, "content/data/risks.yaml: This required file is missing. "
                         "Create content/data/risks.yaml (the README shows what goes in it).")


def test_missing_section_file(project: Path) -> None:
    section = next((project / "content/sections").glob("05-*.md"))
    section.unlink()
    run = run_cli(project, "check")
    expect(run, "content/sections: Section 5) Risks and contingency has no file. "
                         "Create content/sections/05-risks.md with 'id: risks' in its front matter.")


def test_duplicate_scheme_reference(project: Path) -> None:
    copy = project / "content/schemes/PE9.md"
    copy.write_text((project / "content/schemes/PE2.md").read_text(encoding="utf-8"), encoding="utf-8")
    line = line_of(project, "content/schemes/PE9.md", "reference:")
    run = run_cli(project, "check")
    expect(run, f"content/schemes/PE9.md:{line}: The scheme reference 'PE2' is already used by "
                         "content/schemes/PE2.md. Give each scheme its own reference.")


def test_reference_to_a_scheme_that_does_not_exist(project: Path) -> None:
    line = edit(project, "content/data/finance.yaml", "scheme: PE2", "scheme: PE22")
    run = run_cli(project, "check")
    expect(run, f"content/data/finance.yaml:{line}: There is no scheme 'PE22'. Did you mean 'PE2'?")


def test_reference_to_a_task_that_does_not_exist(project: Path) -> None:
    text = (project / "content/data/milestones.yaml").read_text(encoding="utf-8")
    match = re.search(r"^(\s*depends_on: \[)M(\d+)", text, re.MULTILINE)
    assert match, "the example plan has a dependency written in flow style"
    line = text[: match.start()].count("\n") + 1
    edit(project, "content/data/milestones.yaml", match.group(0), match.group(1) + "M99")
    run = run_cli(project, "check")
    assert run.code == 1
    assert re.search(rf"^  content/data/milestones.yaml:{line}: Task M\d+ depends on 'M99', which does not exist\. ",
                     run.out, re.MULTILINE), run.out


def test_reference_to_a_section_that_does_not_exist(project: Path) -> None:
    line = edit(project, "content/sections/02-vision.md", "\n## ", "\nSee [our risks](section:risk).\n\n## ")
    run = run_cli(project, "check")
    expect(run, f"content/sections/02-vision.md:{line + 1}: The link to section 'risk' goes nowhere: "
                         "there is no such section. Did you mean 'risks'?")


def test_section_id_not_in_the_template(project: Path) -> None:
    line = edit(project, "content/sections/06-alignment.md", "id: alignment", "id: alinement")
    run = run_cli(project, "check")
    expect(run, f"content/sections/06-alignment.md:{line}: The template bcf-2014 has no section "
                         "'alinement'. Did you mean 'alignment'?")


def test_malformed_money_is_an_error_not_a_guess(project: Path) -> None:
    text = (project / "content/data/finance.yaml").read_text(encoding="utf-8")
    match = re.search(r'(?<=: )"£[\d,]+"', text)
    assert match
    line = text[: match.start()].count("\n") + 1
    edit(project, "content/data/finance.yaml", match.group(0), '"£214,00"')
    run = run_cli(project, "check")
    assert run.code == 1
    assert re.search(rf"^  content/data/finance.yaml:{line}: '[\d/]+' should be a well-formed sum of money, "
                     r"such as 1250000 or \"£1,250,000\", not '£214,00'\.", run.out, re.MULTILINE), run.out


def test_every_problem_is_reported_in_one_run(project: Path) -> None:
    edit(project, "content/plan.yaml", "\nhwb:", "\nhwb_name:")
    edit(project, "content/data/finance.yaml", "scheme: PE2", "scheme: PE22")
    (project / "content/data/metrics.yaml").write_text("metrics: [\n", encoding="utf-8")
    run = run_cli(project, "check")
    assert run.code == 1
    assert "content/plan.yaml" in run.out
    assert "content/data/finance.yaml" in run.out
    assert "content/data/metrics.yaml:2: This is not valid YAML" in run.out
    assert re.search(r"The plan has \d+ errors", run.out)


def test_warnings_are_listed_apart_and_do_not_fail(project: Path) -> None:
    line = edit(project, "content/sections/06-alignment.md", "\n## ", "\n## Our Partners\n\nText.\n\n## ")
    run = run_cli(project, "check")
    assert run.code == 0, run.out
    assert "Warnings (1):" in run.out
    assert "Errors" not in run.out
    assert f"content/sections/06-alignment.md:{line + 1}: The heading 'Our Partners' is not a part of section 6." \
           in run.out


def test_unanswered_question_is_a_warning(project: Path) -> None:
    path = project / "content/sections/06-alignment.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("## Alignment with operating and strategic plans")
    path.write_text(text[:start], encoding="utf-8")
    run = run_cli(project, "check")
    assert run.code == 0, run.out
    assert "The question 'b) Alignment with operating and strategic plans' of section 6 has no answer." in run.out


def test_broken_front_matter(project: Path) -> None:
    path = project / "content/schemes/PE1.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "", 1), encoding="utf-8")
    run = run_cli(project, "check")
    expect(run, "content/schemes/PE1.md:1: The file does not start with front matter. "
                         "Begin the file with a line '---', the fields (such as 'title: ...'), "
                         "and another line '---', then the text.")
