"""The current rounds: a pack that extends another, and the rules a 2025-26 plan is checked by.

The rules are tested on a writable copy of the example plan on the newest round, each with
the mistake an author or a finance lead would make and the exact words they would read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO
from plan_edits import edit, lines, set_field
from plan_edits import run_here as run

EXAMPLE = REPO / "examples" / "bcf-2026"


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


# --- the example plan on the newest round ------------------------------------------------------


def test_the_example_on_the_newest_round_checks_clean(capsys: pytest.CaptureFixture) -> None:
    code, text = run(capsys, EXAMPLE, "check")
    assert code == 0, text
    assert "0 errors, 0 warnings" in text, text


# --- the rules of the 2025-26 and 2026-27 rounds -------------------------------------------------

FINANCE = "content/data/finance.yaml"


def test_a_stream_pooled_below_its_allocation(plan: Path, capsys: pytest.CaptureFixture) -> None:
    line = edit(plan, FINANCE, '"2026/27": "£27,184,000"', '"2026/27": "£27,284,000"')
    code, out = run(capsys, plan, "check")
    assert code == 1
    assert (f"{FINANCE}:{line}: The funding lines pool £27,184,000 of the NHS minimum contribution in 2026/27, "
            "less than the allocation of £27,284,000 (short by £100,000). Every pound of the allocation must be "
            "pooled: raise the NHS minimum contribution lines in 'funding' to £27,284,000, or correct the "
            "allocation.") in lines(out), out


def test_a_stream_overspent_and_one_left_unallocated(plan: Path, capsys: pytest.CaptureFixture) -> None:
    edit(plan, FINANCE, '"2026/27": "£450,000"', '"2026/27": "£400,000"')
    code, out = run(capsys, plan, "check")
    assert code == 1
    assert any("Spend paid for by the Additional local authority contribution in 2026/27 (£450,000) is more than "
               "its income (£400,000) by £50,000" in l for l in lines(out)), out

    edit(plan, FINANCE, '"2026/27": "£400,000"', '"2026/27": "£500,000"')
    code, out = run(capsys, plan, "check")
    assert any("£50,000 of the Additional local authority contribution in 2026/27 is not allocated to any scheme "
               "(income £500,000, spend £450,000)" in l for l in lines(out)), out


def test_the_nhs_contribution_to_social_care_below_its_minimum(plan: Path, capsys: pytest.CaptureFixture) -> None:
    line = edit(plan, FINANCE, '  "2026/27": "£9,512,000"', '  "2026/27": "£10,512,000"')
    code, out = run(capsys, plan, "check")
    assert code == 1
    assert any(l.startswith(f"{FINANCE}:{line}: Spend on the NHS minimum contribution to adult social care in "
                            "2026/27 is £10,250,000, below the minimum of £10,512,000 by £262,000.")
               for l in lines(out)), out


def test_a_headline_metric_left_out(plan: Path, capsys: pytest.CaptureFixture) -> None:
    edit(plan, "content/data/metrics.yaml", "id: discharge-delays", "id: discharge-delay")
    code, out = run(capsys, plan, "check")
    assert code == 1
    assert any(l.endswith("The plan has no headline metric 'discharge-delays' (Discharge delays), which the "
                          "template requires. Add it to content/data/metrics.yaml with id: discharge-delays.")
               for l in lines(out)), out


def test_a_national_condition_not_met(plan: Path, capsys: pytest.CaptureFixture) -> None:
    text = (plan / "content/data/conditions.yaml").read_text(encoding="utf-8")
    line = edit(plan, "content/data/conditions.yaml", "met: true", "met: false")
    code, out = run(capsys, plan, "check")
    assert code == 1
    assert (f"content/data/conditions.yaml:{line}: NC1 is not met, and the plan does not say what will be done. "
            "Say in 'action' what will be done to meet it and by when, or set met: true once it is met."
            ) in lines(out), out
    assert text.count("met: true") == 4


def test_demand_above_capacity_with_no_response(plan: Path, capsys: pytest.CaptureFixture) -> None:
    import re

    path = plan / "content/data/capacity.yaml"
    text = path.read_text(encoding="utf-8")
    first_response = re.search(r"    response: >-\n(      .*\n)+", text)
    path.write_text(text[:first_response.start()] + text[first_response.end():], encoding="utf-8")
    code, out = run(capsys, plan, "check")
    assert code == 1
    assert any("discharge-reablement-home: expected demand is above capacity in 2 month(s) (2026-12, 2027-01; "
               "at most by 13 in January 2027), and the plan does not say how the gap will be met" in l
               for l in lines(out)), out


def test_a_month_outside_the_plan(plan: Path, capsys: pytest.CaptureFixture) -> None:
    line = edit(plan, "content/data/capacity.yaml", '{month: "2026-04"', '{month: "2025-04"')
    code, out = run(capsys, plan, "check")
    assert code == 1
    assert (f"content/data/capacity.yaml:{line}: discharge-reablement-home: the month 2025-04 is outside the plan's "
            "period. Give the months 2026-04 to 2027-03.") in lines(out), out


def test_a_chief_executive_who_delegated(plan: Path, capsys: pytest.CaptureFixture) -> None:
    line = edit(plan, "content/plan.yaml", "    position: Chief Executive\n", "    position: Deputy Chief Executive\n")
    code, out = run(capsys, plan, "check")
    assert code == 1
    assert (f"content/plan.yaml:{line}: The council chief executive's sign-off cannot be delegated, but it is "
            "given by 'Deputy Chief Executive'. The council chief executive signs in person: correct the name and "
            "position.") in lines(out), out


def test_an_agreed_plan_without_the_icb_sign_off(plan: Path, capsys: pytest.CaptureFixture) -> None:
    edit(plan, "content/plan.yaml", "  - role: ICB chief executive\n", "  - role: board chair\n")
    code, out = run(capsys, plan, "check")
    assert code == 1
    assert any("The plan's status is agreed, but the ICB chief executive of NHS Mid Wessex Integrated Care Board "
               "has not signed it off" in l for l in lines(out)), out


def test_a_signature_for_an_organisation_not_in_the_plan(plan: Path, capsys: pytest.CaptureFixture) -> None:
    line = edit(plan, "content/plan.yaml", "    organisation: NHS Mid Wessex Integrated Care Board\n",
                "    organisation: NHS Mid Wessex Integrated Care Bord\n")
    code, out = run(capsys, plan, "check")
    assert code == 1
    assert (f"content/plan.yaml:{line}: The ICB chief executive signs for 'NHS Mid Wessex Integrated Care Bord', "
            "which is not named in the plan's 'icbs'. Did you mean 'NHS Mid Wessex Integrated Care Board'?"
            ) in lines(out), out


# --- every field of the example, given a wrong value ---------------------------------------------

WRONG = {
    "text": {"not": "text"}, "whole number": "many", "number": "lots", "money": "£12x", "date": "31/02/2026",
    "financial year": "next year", "choice": "Nonsense", "yes or no": "perhaps", "reference": "ZZ99",
    "list": "not a list", "record": "not a group", "map": "not a map",
    "money by year": {"2026/27": "£1x"}, "whole numbers by year": {"2026/27": "many"},
    "rating": "Sometimes", "date or month": "Q3 2026/27",
}


def _field_cases() -> list[tuple[str, tuple]]:
    """(file, path) for every field the newest round declares, as it sits in the example plan."""
    from planpress.load.fields import walk
    from planpress.load.pack_loader import read_pack_by_id

    pack, _ = read_pack_by_id(REPO, "bcf-2026")
    data = pack.data
    groups = [("content/plan.yaml", data.plan.fields), ("content/schemes/S1.md", data.schemes.fields),
              ("content/progress/2026-q2.yaml", data.progress.fields),
              *((spec.file, spec.fields) for spec in data.files.values())]
    # An optional file the example does not have (the accessibility audit record) has no field to set.
    return [(file, path) for file, fields in groups if (EXAMPLE / file).exists() for path, _ in walk(fields)]


def _spec_at(fields, path):
    spec = None
    for name in path:
        spec = fields[name]
        fields = spec.fields
    return spec


@pytest.fixture(scope="module")
def example_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the example for the field cases, each restoring the file it changes."""
    project = tmp_path_factory.mktemp("fields") / "plan"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("output", ".output-*"))
    return project


@pytest.mark.parametrize("file,path", _field_cases(), ids=lambda v: v if isinstance(v, str) else ".".join(v))
def test_every_field_of_the_example_given_a_wrong_value(example_copy: Path, file: str, path: tuple) -> None:
    """Each field, set to a value of the wrong kind, is reported at its own file and line."""
    import yaml

    from planpress.checks import references
    from planpress.load.content import load_content
    from planpress.load.pack_loader import read_pack_by_id
    from planpress.load.yamlsource import parse_yaml

    project = example_copy
    pack, _ = read_pack_by_id(REPO, "bcf-2026")
    group = {"content/plan.yaml": pack.data.plan, "content/schemes/S1.md": pack.data.schemes,
             "content/progress/2026-q2.yaml": pack.data.progress}.get(file) or next(
        s for s in pack.data.files.values() if s.file == file)
    spec = _spec_at(group.fields, path)
    wrong = "not valid!" if spec.type == "text" and spec.pattern else WRONG[spec.type]

    source = project / file
    text = source.read_text(encoding="utf-8")
    front, body = (text.split("---\n", 2)[1], text.split("---\n", 2)[2]) if file.endswith(".md") else (text, None)
    data = yaml.safe_load(front)
    located = set_field(data, path, wrong)
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    source.write_text(f"---\n{dumped}---\n{body}" if body is not None else dumped, encoding="utf-8")
    try:
        content, findings = load_content(project)
        findings += list(references.check(content))
    finally:
        source.write_text(text, encoding="utf-8")

    doc = parse_yaml(dumped, file, line_offset=1 if body is not None else 0)
    line = doc.line_of(located)
    here = [f for f in findings if f.location.file == file and f.severity == "error"]
    assert any(f.location.line == line or (isinstance(wrong, dict) and f.location.line == line + 1) for f in here), (
        line, [str(f) for f in findings])
