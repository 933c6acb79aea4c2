import csv
import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from hotline.core.contact_kpis import kpi_names
from hotline.core.contact_tables import Grouping
from hotline.core.kpi_periods import Period
from hotline.reports.call_reports import CallReportQuery, call_report

# A table on a terminal shows these unless --kpis names others; csv and json carry all.
HEADLINE = ("offered", "answered", "abandoned", "service_level", "answer_rate", "asa", "aht")


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Call KPIs by period and group (docs/kpis.md): one row per period and group key, "
        "one field per KPI under its registered name."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, inclusive")
        parser.add_argument("--by", choices=[p.value for p in Period], default="day")
        parser.add_argument("--group", choices=[g.value for g in Grouping], default="queue")
        parser.add_argument("--kpis", default="", help="comma-separated KPI names")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args, **options):
        start, end = _day(options["start"]), _day(options["end"])
        if end < start:
            raise CommandError("--to is before --from")
        kpis = tuple(name for name in options["kpis"].split(",") if name)
        unknown = [name for name in kpis if name not in kpi_names()]
        if unknown:
            raise CommandError(f"no KPI {', '.join(unknown)}; see docs/kpis.md")
        query = CallReportQuery(
            start, end, Period(options["by"]), Grouping(options["group"]), kpis or None
        )
        rows = [
            {"period": row.period, "group": row.group_key, **row.values}
            for row in call_report(query)
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
        elif options["format"] == "csv":
            self._csv(rows)
        else:
            self._table(rows, kpis or HEADLINE)

    def _csv(self, rows: list[dict]) -> None:
        if not rows:
            return
        writer = csv.DictWriter(self.stdout, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(
            {name: "" if value is None else value for name, value in row.items()} for row in rows
        )

    def _table(self, rows: list[dict], kpis: tuple[str, ...]) -> None:
        columns = ["period", "group", *kpis]
        lines = [columns] + [[_shown(row.get(name)) for name in columns] for row in rows]
        widths = [max(len(line[index]) for line in lines) for index in range(len(columns))]
        for line in lines:
            self.stdout.write(
                "  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True))
            )
        if not rows:
            self.stderr.write("no calls in the range")


def _shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.4g}"
    return str(value)
