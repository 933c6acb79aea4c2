"""The work-order report as tables with Chinese headers, and as CSV and XLSX files.

The page shows the same tables, so a figure reads the same on screen and in a file.
CSV holds every table one after another, each under its title and separated by an
empty line (a CSV file has no sheets); XLSX gives each table its own sheet.
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from hotline.core.order_kpis import OnTime
from hotline.workorders.reports import PERIOD_LABELS, OrderReport, PeriodRow, Ranked

TEXT, DAY, COUNT, RATE, PER_10K, VERDICT = "text", "day", "count", "rate", "per_10k", "verdict"
_XLSX_FORMATS = {DAY: "yyyy-mm-dd", RATE: "0.00%", PER_10K: "0.00"}
# Text that starts like a formula runs as one when a spreadsheet opens the file (CSV
# injection); names and root causes are typed by users, so such text is kept as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    label: str
    kind: str  # one of TEXT … VERDICT: how a value is written
    value: Callable[[Any], object]
    # Whether the row's value misses its target: the page shows it in red.
    missed: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: list[Any]

    def header(self) -> list[str]:
        return [column.label for column in self.columns]

    def values(self) -> Iterator[list[object]]:
        for row in self.rows:
            yield [column.value(row) for column in self.columns]


def as_text(value: object, kind: str) -> str:
    """A value as the CSV file and the page write it: 66.67%, 达标, "" for no value."""
    if value is None:
        return ""
    if kind == RATE:
        return f"{value:.2%}"
    if kind == PER_10K:
        return f"{value:.2f}"
    if kind == VERDICT:
        return _("达标") if value else _("未达标")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _first_line_missed(row: PeriodRow) -> bool:
    return row.figures.first_line_target_met is False


def _period_columns() -> tuple[Column, ...]:
    return (
        Column(_("统计周期"), TEXT, lambda row: row.label),
        Column(_("开始日期"), DAY, lambda row: row.start),
        Column(_("工单量"), COUNT, lambda row: row.counts.orders),
        Column(_("一线解决量"), COUNT, lambda row: row.counts.first_line_resolved),
        Column(_("一线已判定量"), COUNT, lambda row: row.counts.first_line_decided),
        Column(
            _("一线解决率"),
            RATE,
            lambda row: row.figures.first_line_rate,
            missed=_first_line_missed,
        ),
        Column(
            _("一线解决率达标"),
            VERDICT,
            lambda row: row.figures.first_line_target_met,
            missed=_first_line_missed,
        ),
        Column(_("回访量"), COUNT, lambda row: row.counts.called_back),
        Column(_("返单量"), COUNT, lambda row: row.counts.reopened),
        Column(_("返单率"), RATE, lambda row: row.figures.reopen_rate),
        Column(_("故障单量"), COUNT, lambda row: row.counts.faults),
        Column(_("重复障碍量"), COUNT, lambda row: row.counts.repeat_faults),
        Column(_("重复障碍率"), RATE, lambda row: row.figures.repeat_fault_rate),
        Column(_("投诉量"), COUNT, lambda row: row.counts.complaints),
        Column(_("万户投诉量"), PER_10K, lambda row: row.figures.complaints_per_10k),
        Column(_("催单次数"), COUNT, lambda row: row.counts.urges),
        Column(_("被催工单量"), COUNT, lambda row: row.counts.urged_orders),
        Column(_("按时环节数"), COUNT, lambda row: row.counts.clocks_on_time),
        Column(_("超时环节数"), COUNT, lambda row: row.counts.clocks_late),
        Column(_("环节按时率"), RATE, lambda row: row.figures.on_time_rate),
    )


def _on_time_columns(*labels: str) -> tuple[Column, ...]:
    """Columns of rows (key, …, OnTime): one text column per key, then the clocks."""
    return (
        *(Column(label, TEXT, itemgetter(index)) for index, label in enumerate(labels)),
        Column(_("按时"), COUNT, lambda row: row[-1].on_time),
        Column(_("超时"), COUNT, lambda row: row[-1].late),
        Column(_("按时率"), RATE, lambda row: row[-1].rate),
    )


def _department_rows(report: OrderReport) -> list[tuple[str, str, OnTime]]:
    """Each department's stages in stage order, then its clocks of every stage."""
    rows = []
    for item in report.on_time_by_department:
        rows += [
            (item.department, stage.label, item.stages[stage.stage])
            for stage in report.on_time_by_stage
            if stage.stage in item.stages
        ]
        rows.append((item.department, _("全部环节"), item.clocks))
    return rows


def _ranked_columns(name: str) -> tuple[Column, ...]:
    return (
        Column(_("排名"), COUNT, itemgetter(0)),
        Column(name, TEXT, lambda row: row[1].label),
        Column(_("工单量"), COUNT, lambda row: row[1].orders),
        Column(_("占全部工单"), RATE, lambda row: row[1].share),
    )


def _ranks(ranked: list[Ranked]) -> list[tuple[int, Ranked]]:
    return list(enumerate(ranked, start=1))


def info_table(report: OrderReport) -> Table:
    """What the files were made of: the days, the periods, when, and the denominators."""
    generated = timezone.localtime(report.generated_at)
    return Table(
        _("报表信息"),
        (Column(_("项目"), TEXT, itemgetter(0)), Column(_("值"), TEXT, itemgetter(1))),
        [
            (_("建单日期"), f"{report.start.isoformat()} ~ {report.end.isoformat()}"),
            (_("统计周期"), str(PERIOD_LABELS[report.by])),
            (_("生成时间"), f"{generated:%Y-%m-%d %H:%M:%S}"),
            (_("客户数"), str(report.customers)),
            (_("一线解决率目标"), as_text(report.first_line_target, RATE)),
        ],
    )


def tables(report: OrderReport) -> list[Table]:
    """The report's figures as tables, in the order the page and the files show them."""
    return [
        Table(_("分周期指标"), _period_columns(), [*report.periods, report.total]),
        Table(
            _("环节按时率"),
            _on_time_columns(_("环节")),
            [(row.label, row.clocks) for row in report.on_time_by_stage]
            + [(_("全部环节"), report.on_time_all_stages)],
        ),
        Table(_("部门按时率"), _on_time_columns(_("部门"), _("环节")), _department_rows(report)),
        Table(_("业务分类Top10"), _ranked_columns(_("业务分类")), _ranks(report.top_categories)),
        Table(_("根因Top10"), _ranked_columns(_("根因")), _ranks(report.top_root_causes)),
    ]


def _csv_cell(value: object, kind: str) -> str:
    text = as_text(value, kind)
    # OWASP's remedy: a leading apostrophe, so that the cell is read as text.
    return f"'{text}" if kind == TEXT and text.startswith(_FORMULA_START) else text


def to_csv(report: OrderReport) -> bytes:
    """Every table under its title; UTF-8 with a byte-order mark, so Excel reads the Chinese."""
    out = io.StringIO()
    writer = csv.writer(out)
    for number, table in enumerate([info_table(report), *tables(report)]):
        if number:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.header())
        kinds = [column.kind for column in table.columns]
        for values in table.values():
            writer.writerow(
                [_csv_cell(value, kind) for value, kind in zip(values, kinds, strict=True)]
            )
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(report: OrderReport) -> bytes:
    """One sheet per table, numbers kept as numbers: rates formatted as percentages."""
    book = Workbook()
    book.remove(book.active)
    for table in [info_table(report), *tables(report)]:
        sheet = book.create_sheet(table.title)
        sheet.append(table.header())
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in table.values():
            sheet.append(
                [
                    as_text(value, column.kind) if column.kind == VERDICT else value
                    for value, column in zip(values, table.columns, strict=True)
                ]
            )
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":  # openpyxl takes any text starting "=" for a formula
                    cell.data_type = "s"
        for index, column in enumerate(table.columns, start=1):
            number_format = _XLSX_FORMATS.get(column.kind)
            letter = sheet.cell(row=1, column=index).column_letter
            # Wide enough for a Chinese header: each character is about two Latin ones.
            sheet.column_dimensions[letter].width = max(10, 2 * len(column.label) + 2)
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
