"""Part 2 of the template as a workbook: the plan's figures, with totals as live Excel formulas.

openpyxl writes the file (no hand-made XML). Every total is a formula over exactly its rows,
so a finance lead who changes a line in Excel sees the total follow; the values written are
the same figures every other output shows.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planpress.figures import Figures, compute
from planpress.load import PlanContent
from planpress.render import long_date
from planpress.targets import BuildContext, Target
from planpress.version import VersionStamp, version_stamp

GBP = '"£"#,##0;[Red]-"£"#,##0'
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TOTAL_FONT = Font(bold=True)
TOTAL_BORDER = Border(top=Side(style="thin"), bottom=Side(style="double"))
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_WIDTH = 60


def workbook_name(slug: str) -> str:
    return f"{slug}-bcf-part2.xlsx"


def build(context: BuildContext) -> list[str]:
    content = context.content
    figures = compute(content)
    book = make_workbook(content, figures, context.draft, context.open_problems)
    name = workbook_name(context.slug)
    book.save(context.stage.path(name))
    return [name]


def make_workbook(content: PlanContent, figures: Figures, draft: bool, open_problems: int) -> Workbook:
    sheets = content.pack.workbook
    book = Workbook()
    summary = book.active
    summary.title = sheets.summary
    funding_totals = _funding_sheet(book.create_sheet(sheets.funding), content, figures)
    expenditure_totals = _expenditure_sheet(book.create_sheet(sheets.expenditure), content, figures)
    _metrics_sheet(book.create_sheet(sheets.metrics), content)
    _risks_sheet(book.create_sheet(sheets.risks), content, figures)
    _summary_sheet(summary, content, figures, funding_totals, expenditure_totals, draft, open_problems)
    plan = content.plan
    book.properties.title = f"{plan.hwb}: {plan.title}, Part 2"
    book.properties.subject = "Better Care Fund plan: funding, expenditure, metrics and risks"
    book.properties.creator = plan.local_authority
    book.properties.language = "en-GB"
    return book


def stamp_rows(stamp: VersionStamp) -> list[tuple[str, str]]:
    """Which commit the workbook was built from, so two copies can be told apart."""
    if stamp.commit is None:
        return [("Built from", "content outside a git checkout: no commit"),
                ("Content date", long_date(stamp.date) if stamp.date else "unknown")]
    return [("Commit", stamp.commit), ("Commit date", long_date(stamp.date)),
            ("Uncommitted changes", "YES: built from changes not yet committed" if stamp.dirty else "none")]


# --- sheets ----------------------------------------------------------------------------


def _summary_sheet(sheet: Worksheet, content: PlanContent, figures: Figures, funding_totals: dict[str, str],
                   expenditure_totals: dict[str, str], draft: bool, open_problems: int) -> None:
    plan = content.plan
    rows: list[tuple[str, object]] = [
        ("Health and Wellbeing Board", plan.hwb),
        ("Local authority", plan.local_authority),
        ("Clinical Commissioning Groups", "; ".join(plan.ccgs)),
        ("Version", plan.version),
        *stamp_rows(version_stamp(content.root, plan.version)),
        ("Status", f"DRAFT ({open_problems} open problems)" if draft else plan.status.capitalize()),
        ("Date agreed", long_date(plan.date_agreed)),
        ("Date submitted", long_date(plan.date_submitted)),
    ]
    _header(sheet, ["Plan details", ""])
    for label, value in rows:
        sheet.append([label, value])
    sheet.append([])
    sheet.append(["Pooled budget and totals", *figures.years])
    for cell in sheet[sheet.max_row]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    money_rows = [
        ("Minimum required value of the pooled budget", [figures.minimum_by_year.get(y) for y in figures.years]),
        ("Total agreed value of the pooled budget", [figures.agreed_by_year.get(y) for y in figures.years]),
        ("Total funding", [f"={funding_totals[y]}" for y in figures.years]),
        ("Total expenditure", [f"={expenditure_totals[y]}" for y in figures.years]),
        ("Protecting social care", [figures.protection_by_year.get(y) for y in figures.years]),
        ("Carer-specific support", [figures.carers_by_year.get(y) for y in figures.years]),
    ]
    for label, values in money_rows:
        sheet.append([label, *[_number(v) for v in values]])
        _money_cells(sheet, sheet.max_row, 2, 1 + len(figures.years))
    p4p = figures.pay_for_performance
    if p4p is not None:
        sheet.append([])
        sheet.append(["Pay for performance"])
        sheet.cell(sheet.max_row, 1).font = TOTAL_FONT
        start = sheet.max_row + 1
        sheet.append([f"Baseline non-elective admissions ({p4p.baseline_period})", p4p.baseline_admissions])
        sheet.cell(sheet.max_row, 2).number_format = "#,##0"
        sheet.append(["Planned reduction in admissions", p4p.planned_reduction])
        sheet.cell(sheet.max_row, 2).number_format = "#,##0"
        sheet.append(["Planned reduction as a share of the baseline", f"=B{start + 1}/B{start}"])
        sheet.cell(sheet.max_row, 2).number_format = "0.00%"
        sheet.append(["Cost of one non-elective admission", _number(p4p.unit_cost)])
        _money_cells(sheet, sheet.max_row, 2, 2)
        sheet.append(["Performance-linked fund", f"=B{start + 1}*B{start + 3}"])
        _money_cells(sheet, sheet.max_row, 2, 2)
        sheet.cell(sheet.max_row, 2).font = TOTAL_FONT
    _finish(sheet)


def _funding_sheet(sheet: Worksheet, content: PlanContent, figures: Figures) -> dict[str, str]:
    """Returns each year's total cell (such as "'HWB Funding Sources'!C12") for the summary."""
    years = figures.years
    _header(sheet, ["Source", "Organisation", *years])
    for source in content.finance.funding:
        sheet.append([source.source, source.organisation, *[_number(source.amounts.get(y, 0)) for y in years]])
    first, last = 2, sheet.max_row
    totals = _total_row(sheet, "Total", 3, len(years), first, last)
    _finish(sheet)
    return {year: _ref(sheet, cell) for year, cell in zip(years, totals)}


def _expenditure_sheet(sheet: Worksheet, content: PlanContent, figures: Figures) -> dict[str, str]:
    """One row per scheme line and year; a SUMIF total per year over exactly those rows."""
    themes = {ref: theme for theme in content.themes.themes for ref in theme.schemes}
    names = {s.meta.reference: s.meta.name for s in content.schemes}
    _header(sheet, ["Theme", "Reference", "Scheme", "Commissioner", "Provider", "Area of spend",
                    "Financial year", "Amount"])
    for year in figures.years:
        for line in content.finance.expenditure:
            theme = themes.get(line.scheme)
            sheet.append([theme.name if theme else "", line.scheme, names.get(line.scheme, ""), line.commissioner,
                          line.provider, line.area_of_spend, year, _number(line.amounts.get(year, 0))])
            _money_cells(sheet, sheet.max_row, 8, 8)
    first, last = 2, sheet.max_row
    totals: dict[str, str] = {}
    for year in figures.years:
        sheet.append([f"Total {year}", "", "", "", "", "", year,
                      f'=SUMIF(G{first}:G{last},"{year}",H{first}:H{last})'])
        _style_total(sheet, sheet.max_row, 8, 8)
        totals[year] = _ref(sheet, f"H{sheet.max_row}")
    sheet.append(["Total, all years", "", "", "", "", "", "", f"=SUM(H{first}:H{last})"])
    _style_total(sheet, sheet.max_row, 8, 8)
    _finish(sheet)
    return totals


def _metrics_sheet(sheet: Worksheet, content: PlanContent) -> None:
    width = max(len(m.plans) for m in content.metrics.metrics)
    plan_headers = [h for i in range(1, width + 1) for h in (f"Plan {i} period", f"Plan {i} value")]
    _header(sheet, ["Metric", "Unit", "Better", "Source", "Baseline period", "Baseline value", *plan_headers])
    for metric in content.metrics.metrics:
        plans = [v for plan in metric.plans for v in (plan.period, plan.value)]
        sheet.append([metric.name, metric.unit, metric.better, metric.source, metric.baseline.period,
                      metric.baseline.value, *plans])
    _finish(sheet)


def _risks_sheet(sheet: Worksheet, content: PlanContent, figures: Figures) -> None:
    _header(sheet, ["Ref", "Risk", "Likelihood (1-5)", "Impact (1-5)", "Overall risk factor", "Band",
                    "Financial impact", "Falls on", "Lead", "Mitigating actions"])
    for risk in content.risks.risks:
        row = sheet.max_row + 1
        impact = risk.financial_impact
        sheet.append([risk.id, risk.risk, risk.likelihood, risk.impact, f"=C{row}*D{row}", figures.risk_bands[risk.id],
                      _number(impact.amount) if impact else None, impact.falls_on if impact else "", risk.lead,
                      risk.mitigation])
        _money_cells(sheet, row, 7, 7)
    _finish(sheet)


# --- formatting ------------------------------------------------------------------------


def _header(sheet: Worksheet, titles: list[str]) -> None:
    sheet.append(titles)
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = "A2"


def _total_row(sheet: Worksheet, label: str, first_column: int, count: int, first: int, last: int) -> list[str]:
    sheet.append([label])
    row = sheet.max_row
    cells = []
    for column in range(first_column, first_column + count):
        letter = get_column_letter(column)
        sheet.cell(row, column, f"=SUM({letter}{first}:{letter}{last})")
        cells.append(f"{letter}{row}")
    _money_cells(sheet, first, first_column, first_column + count - 1, last)
    _style_total(sheet, row, first_column, first_column + count - 1)
    return cells


def _style_total(sheet: Worksheet, row: int, first_column: int, last_column: int) -> None:
    sheet.cell(row, 1).font = TOTAL_FONT
    for column in range(first_column, last_column + 1):
        cell = sheet.cell(row, column)
        cell.font, cell.border, cell.number_format = TOTAL_FONT, TOTAL_BORDER, GBP


def _money_cells(sheet: Worksheet, row: int, first_column: int, last_column: int, last_row: int | None = None) -> None:
    for r in range(row, (last_row or row) + 1):
        for column in range(first_column, last_column + 1):
            sheet.cell(r, column).number_format = GBP


def _finish(sheet: Worksheet) -> None:
    """Size each column to its longest entry (long text wraps), so nothing hides behind ####;
    print landscape, one page wide, with the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"
    for column_cells in sheet.columns:
        longest = max((len(_shown(c.value)) for c in column_cells), default=8)
        letter = get_column_letter(column_cells[0].column)
        sheet.column_dimensions[letter].width = min(max(longest + 2, 10), MAX_WIDTH)
        if longest > MAX_WIDTH:
            for cell in column_cells[1:]:
                cell.alignment = WRAP


def _shown(value: object) -> str:
    if isinstance(value, (int, float, Decimal)):
        return f"£{value:,.0f}"
    if isinstance(value, str) and value.startswith("="):
        return "£00,000,000"
    return "" if value is None else str(value)


def _number(value: Decimal | int | float | None) -> int | float | None:
    """openpyxl writes numbers, not Decimals: whole pounds as int, anything else as float."""
    if value is None or isinstance(value, str):
        return value
    return int(value) if value == int(value) else float(value)


def _ref(sheet: Worksheet, cell: str) -> str:
    return f"'{sheet.title}'!{cell}"


TARGET = Target(
    name="workbook",
    summary="the Part 2 workbook of figures (xlsx)",
    outputs=lambda slug: [workbook_name(slug)],
    build=build,
)
