"""The call report as a file: CSV, or XLSX with one sheet and the KPIs' Chinese names."""

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from hotline.core.contact_kpis import KpiRow, definition_of
from hotline.reports.call_reports import CallReportQuery, column_label

_PERCENT = "0.0%"
_NUMBER_FORMATS = {"ratio": _PERCENT, "seconds": "0.0", "currency": "0.00", "count": "0"}


def _columns(rows: Sequence[KpiRow]) -> list[str]:
    return list(rows[0].values) if rows else []


def to_csv(rows: Sequence[KpiRow], query: CallReportQuery) -> str:
    """Registered KPI names as the header, as `hotline kpi --format csv` writes it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = _columns(rows)
    writer.writerow(["period", query.group.value, *columns])
    for row in rows:
        writer.writerow(
            [
                row.period,
                row.group_key,
                *("" if row.values[c] is None else row.values[c] for c in columns),
            ]
        )
    return out.getvalue()


def to_xlsx(rows: Sequence[KpiRow], query: CallReportQuery) -> bytes:
    """A sheet with a row of Chinese names over a row of registered names, then the data;
    rates as percentages, empty where a KPI has no figure."""
    book = Workbook()
    sheet = book.active
    sheet.title = "话务报表"
    columns = _columns(rows)
    units = [definition_of(column).unit for column in columns]
    sheet.append(["统计周期", "分组", *(column_label(column) for column in columns)])
    sheet.append(["period", query.group.value, *columns])
    for cell in sheet[1] + sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.period, row.group_key, *(row.values[column] for column in columns)])
        for cell, unit in zip(sheet[sheet.max_row][2:], units, strict=True):
            cell.number_format = _NUMBER_FORMATS.get(unit, "0.00")
    sheet.freeze_panes = "C3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
