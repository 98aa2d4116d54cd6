"""The Part 2 workbook: every scheme and figure is there, every total formula covers exactly its rows,
and LibreOffice's recalculation gives the plan's totals."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from conftest import run_cli
from libreoffice_profile import recalculating_profile
from planpress.build import check_plan
from planpress.errors import BuildError, ContentErrors
from planpress.figures import compute
from planpress.targets.workbook import make_workbook
from planpress.targets.workbook_spec import load_workbook_spec


@pytest.fixture(scope="module")
def workbook_file(built_project: Path) -> Path:
    return built_project / "output/harrowdale-bcf-part2.xlsx"


@pytest.fixture(scope="module")
def figures(built_project: Path):
    checked = check_plan(built_project)
    return checked.content, compute(checked.content)


def test_sheets_are_named_as_the_template_names_them(workbook_file: Path) -> None:
    book = openpyxl.load_workbook(workbook_file)
    assert book.sheetnames == ["Summary", "HWB Funding Sources", "HWB Expenditure Plan", "HWB Benefits Plan",
                               "Risk Log"]
    for sheet in book:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.bold


def test_every_scheme_line_and_year_is_a_row(workbook_file: Path, figures) -> None:
    content, numbers = figures
    sheet = openpyxl.load_workbook(workbook_file)["HWB Expenditure Plan"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1]]
    expected = {(line.scheme, year, int(line.amounts.get(year, 0)))
                for year in numbers.years for line in content.finance.expenditure}
    assert {(r[1], r[6], r[7]) for r in rows} == expected
    assert len(rows) == len(content.finance.expenditure) * len(numbers.years)
    for row in sheet.iter_rows(min_row=2):
        if isinstance(row[7].value, int):
            assert row[7].number_format.startswith('"£"#,##0')


def test_total_formulas_cover_exactly_their_rows(workbook_file: Path, figures) -> None:
    content, numbers = figures
    book = openpyxl.load_workbook(workbook_file)
    funding = book["HWB Funding Sources"]
    last_line = 1 + len(content.finance.funding)
    total_row = [r for r in funding.iter_rows() if r[0].value == "Total"][0]
    assert total_row[2].value == f"=SUM(C2:C{last_line})"
    assert total_row[3].value == f"=SUM(D2:D{last_line})"
    expenditure = book["HWB Expenditure Plan"]
    last_line = 1 + len(content.finance.expenditure) * len(numbers.years)
    totals = {r[0].value: r[7].value for r in expenditure.iter_rows() if str(r[0].value).startswith("Total")}
    for year in numbers.years:
        assert totals[f"Total {year}"] == f'=SUMIF(G2:G{last_line},"{year}",H2:H{last_line})'
    assert totals["Total, all years"] == f"=SUM(H2:H{last_line})"
    risks = book["Risk Log"]
    for row in risks.iter_rows(min_row=2):
        n = row[0].row
        assert row[4].value == f'=IF(AND(ISNUMBER(C{n}),ISNUMBER(D{n})),C{n}*D{n},"")'


def test_libreoffice_recalculates_the_plans_totals(workbook_file: Path, figures, tmp_path: Path) -> None:
    content, numbers = figures
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: run `make test` as root, or install libreoffice-calc"
    result = subprocess.run(
        [soffice, recalculating_profile(tmp_path), "--headless", "--convert-to", "xlsx",
         "--outdir", str(tmp_path / "out"), str(workbook_file)],
        capture_output=True, text=True, timeout=180)
    recalculated = tmp_path / "out" / workbook_file.name
    assert recalculated.is_file(), result.stdout + result.stderr
    book = openpyxl.load_workbook(recalculated, data_only=True)
    summary = {r[0]: r[1:] for r in book["Summary"].iter_rows(values_only=True)}
    for index, year in enumerate(numbers.years):
        assert Decimal(summary["Total funding"][index]) == numbers.funding_by_year[year]
        assert Decimal(summary["Total expenditure"][index]) == numbers.expenditure_by_year[year]
    assert Decimal(summary["Performance-linked fund"][0]) == numbers.extra["p4p"].fund
    factors = {r[0]: r[4] for r in book["Risk Log"].iter_rows(min_row=2, values_only=True)}
    assert factors == numbers.risk_factors


def test_every_metric_and_risk_is_there(workbook_file: Path, figures) -> None:
    content, _ = figures
    book = openpyxl.load_workbook(workbook_file)
    metric_names = [r[0] for r in book["HWB Benefits Plan"].iter_rows(min_row=2, values_only=True)]
    assert metric_names == [m.name for m in content.metrics.metrics]
    risk_ids = [r[0] for r in book["Risk Log"].iter_rows(min_row=2, values_only=True)]
    assert risk_ids == [r.id for r in content.risks.risks]


# --- the workbook as the pack's data -------------------------------------------------------

TINY = """\
file: "{slug}-tiny.xlsx"
title: "{{ area.name }} figures"
formats: {whole: "0"}
sheets:
  - name: Front
    kind: details
    blocks:
      - title: About
        rows:
          - {label: Area, value: area.name}
          - {label: "Towns ({{ area.towns | length }})", value: "area.towns | join(', ')"}
          - stamp: true
      - title: By year
        by_year: true
        rows:
          - {label: Budget, value: area.budget, format: money}
          - {label: Spent, total_of: Costs, format: money}
          - {label: Left, formula: "={Budget}-{Spent}", format: money, bold: true}
      - title: Never shown
        when: area.hidden
        rows:
          - {label: Hidden, value: area.name}
      - title: Ratio
        title_style: bold
        let: {b: area.beds}
        rows:
          - {id: beds, label: "Beds ({{ b.when }})", value: b.count, format: count}
          - {label: Staffed, value: b.staffed, format: whole}
          - {label: Share staffed, formula: "={Staffed}/{beds}", format: percent}
  - name: Costs
    kind: table
    rows: area.lines
    columns:
      - {header: Item, value: row.item}
      - {header: Units, value: row.units}
      - {header: Double, formula: "={Units}*2"}
      - repeat: row.notes
        columns:
          - {header: "Note {{ n }}", value: item}
    amounts: {value: row.cost, layout: columns}
  - name: Long
    kind: table
    rows: area.lines
    columns:
      - {header: Item, value: row.item}
      - {header: Kind, value: "row.kind if row.kind else none"}
    amounts: {value: row.cost, layout: rows, header: Cost, all_years_label: Everything}
"""

YEARS = ["2020/21", "2021/22"]


def tiny_context() -> dict[str, object]:
    line = SimpleNamespace
    return {"area": SimpleNamespace(
        name="Northwick", towns=["Ash", "Elm"], hidden=None,
        budget={"2020/21": Decimal(1000), "2021/22": Decimal("1500.50")},
        beds=SimpleNamespace(when="2020", count=1200, staffed=900),
        lines=[line(item="Nurses", units=3, notes=["day", "night"], kind="staff",
                    cost={"2020/21": Decimal(300), "2021/22": Decimal(400)}),
               line(item="Vans", units=2, notes=[], kind=None, cost={"2020/21": Decimal(50)})])}


def write_pack(tmp_path: Path, text: str) -> Path:
    pack = tmp_path / "templates" / "tiny"
    pack.mkdir(parents=True)
    (pack / "workbook.yaml").write_text(text, encoding="utf-8")
    return pack


def test_a_pack_declares_its_workbook(tmp_path: Path) -> None:
    spec = load_workbook_spec(write_pack(tmp_path, TINY))
    assert spec is not None and spec.file == "{slug}-tiny.xlsx"
    book = make_workbook(spec, tiny_context(), YEARS, [("Commit", "abc123")], draft=True, open_problems=0)
    assert book.sheetnames == ["Front", "Costs", "Long"]
    assert book.properties.title == "Northwick figures"
    front = book["Front"]
    rows = [[c.value for c in row] for row in front.iter_rows()]
    assert rows[:4] == [["About", "", None], ["Area", "Northwick", None], ["Towns (2)", "Ash, Elm", None],
                        ["Commit", "abc123", None]]
    assert rows[5] == ["By year", *YEARS]
    assert rows[6] == ["Budget", 1000, 1500.5]
    assert rows[7] == ["Spent", "='Costs'!F4", "='Costs'!G4"]
    assert rows[8] == ["Left", "=B7-B8", "=C7-C8"]
    assert front["B9"].font.bold and front["B7"].number_format == '"£"#,##0;[Red]-"£"#,##0'
    assert "Hidden" not in [r[0] for r in rows]  # `when` was none: the block is left out
    assert rows[10][0] == "Ratio" and front["A11"].font.bold and front["A11"].fill.fill_type is None
    assert rows[11:14] == [["Beds (2020)", 1200, None], ["Staffed", 900, None], ["Share staffed", "=B13/B12", None]]
    assert (front["B12"].number_format, front["B13"].number_format, front["B14"].number_format) == \
        ("#,##0", "0", "0.00%")
    assert front["A1"].fill.fgColor.rgb.endswith("1F4E79") and front["A6"].fill.fgColor.rgb.endswith("1F4E79")

    costs = [[c.value for c in row] for row in book["Costs"].iter_rows()]
    assert costs[0] == ["Item", "Units", "Double", "Note 1", "Note 2", *YEARS]
    assert costs[1] == ["Nurses", 3, "=B2*2", "day", "night", 300, 400]
    assert costs[2] == ["Vans", 2, "=B3*2", None, None, 50, 0]
    assert costs[3] == ["Total", None, None, None, None, "=SUM(F2:F3)", "=SUM(G2:G3)"]
    assert book["Costs"]["F4"].font.bold and book["Costs"]["G2"].number_format.startswith('"£"')

    long = [[c.value for c in row] for row in book["Long"].iter_rows()]
    assert long[0] == ["Item", "Kind", "Financial year", "Cost"]
    assert long[1:5] == [["Nurses", "staff", "2020/21", 300], ["Vans", None, "2020/21", 50],
                         ["Nurses", "staff", "2021/22", 400], ["Vans", None, "2021/22", 0]]
    assert long[5] == ["Total 2020/21", "", "2020/21", '=SUMIF(C2:C5,"2020/21",D2:D5)']
    assert long[6] == ["Total 2021/22", "", "2021/22", '=SUMIF(C2:C5,"2021/22",D2:D5)']
    assert long[7] == ["Everything", "", "", "=SUM(D2:D5)"]
    for sheet in book:
        assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"
        # Narrow sheets print portrait at full size, under the workbook's title, numbered.
        assert sheet.page_setup.orientation == "portrait" and sheet.page_setup.scale == 100
        assert sheet.oddHeader.center.text == "Northwick figures" and "&P" in sheet.oddFooter.right.text
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value not in (None, ""):
                    assert (cell.font.name, cell.font.sz) == ("Arial", 10), cell.coordinate


def test_each_formulas_value_is_stored_beside_it(tmp_path: Path) -> None:
    """A reader that does not recalculate (openpyxl's data_only, pandas, a preview pane) sees numbers."""
    spec = load_workbook_spec(write_pack(tmp_path, TINY))
    assert spec is not None
    make_workbook(spec, tiny_context(), YEARS, [("Commit", "abc123")], draft=True,
                  open_problems=0).save(tmp_path / "tiny.xlsx")
    formulas = openpyxl.load_workbook(tmp_path / "tiny.xlsx")
    values = openpyxl.load_workbook(tmp_path / "tiny.xlsx", data_only=True)
    assert formulas["Costs"]["F4"].value == "=SUM(F2:F3)"  # still a live formula
    assert [values["Costs"][c].value for c in ("C2", "C3", "F4", "G4")] == [6, 4, 350, 400]
    front = values["Front"]
    assert [front[c].value for c in ("B7", "C7", "B8", "C8", "B9", "C9", "B14")] == \
        [1000, 1500.5, 350, 400, 650, 1100.5, 0.75]
    assert [values["Long"][f"D{n}"].value for n in (6, 7, 8)] == [350, 400, 750]
    # Numbers the pack gave no format show thousands separators and their column's decimals.
    assert formulas["Front"]["C7"].number_format == '"£"#,##0;[Red]-"£"#,##0'
    assert formulas["Costs"]["B2"].number_format == "#,##0" and formulas["Costs"]["C2"].number_format == "#,##0"


def test_a_pack_without_a_workbook_declares_none(tmp_path: Path) -> None:
    (tmp_path / "templates" / "tiny").mkdir(parents=True)
    assert load_workbook_spec(tmp_path / "templates" / "tiny") is None


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ContentErrors) as raised:
        load_workbook_spec(write_pack(tmp_path, text))
    return [str(finding) for finding in raised.value.findings]


def line_in(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_misspelt_key_is_a_finding_with_its_line(tmp_path: Path) -> None:
    text = TINY.replace("    columns:\n      - {header: Item, value: row.item}\n      - {header: Units",
                        "    colums:\n      - {header: Item, value: row.item}\n      - {header: Units")
    found = problems(tmp_path, text)
    line = line_in(text, "colums:")
    assert any(f.startswith(f"templates/tiny/workbook.yaml:{line}: Unknown field 'colums'. "
                            "Did you mean 'columns'?") for f in found), found


def test_mistakes_pydantic_cannot_see_are_findings_too(tmp_path: Path) -> None:
    text = (TINY.replace("={Budget}-{Spent}", "={Budget}-{Spend}")
            .replace("total_of: Costs", "total_of: Cost")
            .replace("format: whole", "format: hole")
            .replace("{label: Area, value: area.name}", "{label: Area, value: area.name)}"))
    found = problems(tmp_path, text)
    file = "templates/tiny/workbook.yaml"
    assert any(f.startswith(f"{file}:{line_in(text, '={Budget}')}: The formula names '{{Spend}}'")
               and "Did you mean '{Spent}'?" in f for f in found), found
    assert any(f.startswith(f"{file}:{line_in(text, 'total_of: Cost')}: There is no table sheet")
               and "Did you mean 'Costs'?" in f for f in found), found
    assert any(f.startswith(f"{file}:{line_in(text, 'format: hole')}: There is no number format called 'hole'")
               for f in found), found
    assert any(f.startswith(f"{file}:{line_in(text, 'area.name)}')}: 'value' is not a valid Jinja expression")
               for f in found), found


def test_a_row_is_as_tall_as_its_longest_wrapped_cell(tmp_path: Path) -> None:
    """So that LibreOffice and Excel print each row whole, not over the next; never past Excel's 409 pt."""
    spec = load_workbook_spec(write_pack(tmp_path, TINY))
    assert spec is not None
    context = tiny_context()
    context["area"].lines[0].notes = ["word " * 40, "word " * 10_000]  # about 3 lines wide; far too long
    context["area"].lines[1].notes = ["short"]
    book = make_workbook(spec, context, YEARS, [], draft=True, open_problems=0)
    costs = book["Costs"]
    assert 18 <= costs.column_dimensions["D"].width <= 60 and costs["D2"].alignment.wrap_text
    assert not costs["D3"].alignment.wrap_text and costs["D3"].alignment.vertical == "top"
    heights = [costs.row_dimensions[n].height for n in (2, 3)]
    assert heights[0] == 409 and 12 < heights[1] < 17
    context["area"].lines[0].notes = ["word " * 40]
    book = make_workbook(spec, context, YEARS, [], draft=True, open_problems=0)
    assert 3 * 13 <= book["Costs"].row_dimensions[2].height <= 5 * 13 + 2


def test_a_formula_planpress_cannot_work_out_is_a_finding(tmp_path: Path) -> None:
    """Its value could not be stored beside it, so a reader that does not recalculate would see a blank."""
    text = TINY.replace("={Units}*2", "=VLOOKUP({Units},A1:B2,2)").replace("={Staffed}/{beds}", "={Staffed}/")
    found = problems(tmp_path, text)
    file = "templates/tiny/workbook.yaml"
    assert any(f.startswith(f"{file}:{line_in(text, 'VLOOKUP')}: planpress cannot work out the value of "
                            "'=VLOOKUP({Units},A1:B2,2)' to store beside it: the function VLOOKUP is not one")
               and "Write it with + - * / ^ &" in f for f in found), found
    assert any(f.startswith(f"{file}:{line_in(text, '={Staffed}/')}: planpress cannot work out the value of "
                            "'={Staffed}/'") and "the formula ends too soon" in f for f in found), found


def test_an_expression_that_fails_names_the_sheet_and_column(tmp_path: Path) -> None:
    text = TINY.replace("value: row.units}", "value: row.unit}")
    spec = load_workbook_spec(write_pack(tmp_path, text))
    with pytest.raises(BuildError) as raised:
        make_workbook(spec, tiny_context(), YEARS, [], draft=True, open_problems=0)
    message = str(raised.value)
    assert message.startswith(f"templates/tiny/workbook.yaml:{line_in(text, 'row.unit}')}: Sheet 'Costs', "
                              "column 'Units', row 2 (Nurses): 'row.unit' failed:"), message
    assert "unit" in message


def test_the_writer_names_nothing_of_any_template() -> None:
    """Sheets, labels and vocabulary are the pack's data: the code that writes the workbook names none."""
    root = Path(__file__).resolve().parent.parent
    code = "".join((root / "planpress/targets" / name).read_text(encoding="utf-8").lower()
                   for name in ("workbook.py", "workbook_spec.py"))
    for word in ("ccg", "pay_for_performance", "p4p", "2014", "annex", "ibcf", "clinical commissioning",
                 "hwb funding", "risk log", "benefits plan"):
        assert word not in code, word


def test_without_a_workbook_yaml_the_target_writes_nothing(project: Path) -> None:
    (project / "templates/bcf-2014/workbook.yaml").unlink()
    run = run_cli(project, "workbook")
    assert run.code == 0, run.out + run.err
    assert not list((project / "output").glob("*.xlsx"))


def test_a_broken_workbook_yaml_stops_the_build_with_a_finding(project: Path) -> None:
    path = project / "templates/bcf-2014/workbook.yaml"
    text = path.read_text(encoding="utf-8").replace("  - name: Risk Log\n    kind: table",
                                                    "  - name: Risk Log\n    knd: table")
    path.write_text(text, encoding="utf-8")
    run = run_cli(project, "workbook")
    assert run.code != 0
    assert f"templates/bcf-2014/workbook.yaml:{line_in(text, 'knd: table')}: Unknown field 'knd'" \
        in run.out + run.err
    assert "Traceback" not in run.out + run.err


# --- sums of matching lines, and a row per item of each record's list ---------------------

MATCHING = """\
file: "{slug}-more.xlsx"
sheets:
  - name: Front
    kind: details
    blocks:
      - title: By kind
        by_year: true
        rows:
          - {label: Staff, total_of: Costs, matching: {Kind: staff}, format: money}
          - label: "Staff paid by {{ area.payer }}"
            total_of: Costs
            matching: {Kind: staff, payer: "{{ area.payer }}"}
          - {label: Odd, total_of: Long, matching: {Kind: 'a*"b'}}
          - {label: All, total_of: Costs}
  - name: Costs
    kind: table
    rows: area.lines
    columns:
      - {header: Item, value: row.item}
      - {header: Kind, value: row.kind}
      - {id: payer, header: Paid by, value: row.payer}
    amounts: {value: row.cost, layout: columns}
  - name: Long
    kind: table
    rows: area.lines
    columns:
      - {header: Kind, value: row.kind}
    amounts: {value: row.cost, layout: rows}
  - name: Visits
    kind: table
    rows: area.lines
    each: row.visits
    columns:
      - {header: Item, value: row.item}
      - {header: Visit, value: "n"}
      - {header: Month, value: item.month}
      - {header: Planned, value: item.planned}
      - {header: Made, value: item.made}
      - {header: Missed, formula: "={Planned}-{Made}"}
      - repeat: row.notes
        columns:
          - {header: "Note {{ n }}", value: item}
"""


def matching_context() -> dict[str, object]:
    line, visit = SimpleNamespace, SimpleNamespace
    return {"area": SimpleNamespace(payer="Council", lines=[
        line(item="Nurses", kind="staff", payer="Council", notes=["day"],
             cost={"2020/21": Decimal(300), "2021/22": Decimal(400)},
             visits=[visit(month="2020-04", planned=10, made=8), visit(month="2020-05", planned=12, made=12)]),
        line(item="Vans", kind='a*"b', payer="ICB", notes=[], cost={"2020/21": Decimal(50)}, visits=[]),
        line(item="Agency", kind="staff", payer="ICB", notes=[], cost={"2020/21": Decimal(70)},
             visits=[visit(month="2020-04", planned=5, made=6)])])}


def test_a_row_adds_up_the_lines_of_a_table_that_match(tmp_path: Path) -> None:
    spec = load_workbook_spec(write_pack(tmp_path, MATCHING))
    book = make_workbook(spec, matching_context(), YEARS, [], draft=False, open_problems=0)
    front = [[c.value for c in row] for row in book["Front"].iter_rows()]
    costs, sums = "'Costs'!$B$2:$B$4", ("'Costs'!$D$2:$D$4", "'Costs'!$E$2:$E$4")
    assert front[1] == ["Staff", *(f'=SUMIFS({s},{costs},"staff")' for s in sums)]
    assert front[2] == ["Staff paid by Council",
                        *(f"=SUMIFS({s},{costs},\"staff\",'Costs'!$C$2:$C$4,\"Council\")" for s in sums)]
    # Amounts in rows: the year is one more criterion; wildcards and quotes match as written.
    assert front[3] == ["Odd", *(f"=SUMIFS('Long'!$C$2:$C$7,'Long'!$B$2:$B$7,\"{year}\","
                                 f"'Long'!$A$2:$A$7,\"a~*\"\"b\")" for year in YEARS)]
    assert front[4] == ["All", "='Costs'!D5", "='Costs'!E5"]
    assert book["Front"]["B2"].number_format.startswith('"£"')


def test_a_table_can_have_a_row_per_item_of_each_records_list(tmp_path: Path) -> None:
    spec = load_workbook_spec(write_pack(tmp_path, MATCHING))
    book = make_workbook(spec, matching_context(), YEARS, [], draft=False, open_problems=0)
    visits = [[c.value for c in row] for row in book["Visits"].iter_rows()]
    # Vans has no visits, so no row; a repeated group's `item` and `n` are the group's own.
    assert visits == [["Item", "Visit", "Month", "Planned", "Made", "Missed", "Note 1"],
                      ["Nurses", 1, "2020-04", 10, 8, "=D2-E2", "day"],
                      ["Nurses", 2, "2020-05", 12, 12, "=D3-E3", "day"],
                      ["Agency", 1, "2020-04", 5, 6, "=D4-E4", None]]


def test_libreoffice_adds_up_the_matching_lines(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: run `make test` as root, or install libreoffice-calc"
    spec = load_workbook_spec(write_pack(tmp_path, MATCHING))
    make_workbook(spec, matching_context(), YEARS, [], draft=False, open_problems=0).save(tmp_path / "more.xlsx")
    result = subprocess.run(
        [soffice, recalculating_profile(tmp_path), "--headless", "--convert-to", "xlsx",
         "--outdir", str(tmp_path / "out"), str(tmp_path / "more.xlsx")],
        capture_output=True, text=True, timeout=180)
    recalculated = tmp_path / "out" / "more.xlsx"
    assert recalculated.is_file(), result.stdout + result.stderr
    book = openpyxl.load_workbook(recalculated, data_only=True)
    front = {r[0]: r[1:] for r in book["Front"].iter_rows(values_only=True)}
    assert front["Staff"] == (370, 400)
    assert front["Staff paid by Council"] == (300, 400)
    assert front["Odd"] == (50, 0)
    assert front["All"] == (420, 400)
    assert [r[5] for r in book["Visits"].iter_rows(min_row=2, values_only=True)] == [2, 0, -1]


def test_mistakes_in_matching_and_each_are_findings(tmp_path: Path) -> None:
    text = (MATCHING.replace("matching: {Kind: staff}, format: money}", "matching: {Kin: staff}, format: money}")
            .replace("{label: All, total_of: Costs}", "{label: All, value: area.payer, matching: {Kind: staff}}")
            .replace("    kind: details\n", "    kind: details\n    each: row.visits\n"))
    found = problems(tmp_path, text)
    file = "templates/tiny/workbook.yaml"
    assert any(f.startswith(f"{file}:{line_in(text, 'Kin: staff')}: 'matching' names 'Kin', which is not a column "
                            "of 'Costs'") and "Did you mean 'Kind'?" in f for f in found), found
    assert any(f.startswith(f"{file}:{line_in(text, 'label: All')}: 'matching' goes with total_of")
               for f in found), found
    assert any(f.startswith(f"{file}:{line_in(text, 'each: row.visits')}: A details sheet has no 'each'")
               for f in found), found
