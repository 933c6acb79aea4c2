import json
import math
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from hotline.staffing.erlang import StaffingTarget
from hotline.staffing.staffing_table import staffing_table


def _share(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Agents one interval needs (Erlang C; Erlang A with --patience-s), and how the queue "
        "does with a few agents fewer or more (docs/workforce.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--calls", type=float, required=True, help="calls in the interval")
        parser.add_argument("--interval-s", type=float, default=1800, help="interval length")
        parser.add_argument("--aht-s", type=float, required=True, help="average handle time")
        parser.add_argument("--target-sl", type=float, default=0.8, help="service level, 0–1")
        parser.add_argument("--threshold-s", type=float, default=20)
        parser.add_argument("--target-asa-s", type=float, default=None)
        parser.add_argument("--patience-s", type=float, default=None, help="mean patience")
        parser.add_argument("--shrinkage", type=_share, default=0.0)
        parser.add_argument("--max-occupancy", type=float, default=1.0)
        parser.add_argument("--rows", type=int, default=3, help="rows either side")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, **options):
        try:
            target = StaffingTarget(
                service_level=options["target_sl"],
                threshold_s=options["threshold_s"],
                asa_s=options["target_asa_s"],
                max_occupancy=options["max_occupancy"],
            )
            table = staffing_table(
                options["calls"],
                options["interval_s"],
                options["aht_s"],
                target,
                patience_s=options["patience_s"],
                shrinkage=options["shrinkage"],
                either_side=options["rows"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "load_erlangs": table.load,
                        "required_agents": table.required,
                        "fractional_agents": table.fractional,
                        "scheduled_agents": table.scheduled,
                        "rows": [_finite(asdict(row)) for row in table.rows],
                    },
                    indent=1,
                )
            )
            return
        self.stdout.write(
            f"Load {table.load:.2f} Erlangs: {table.required} agents on the phones "
            f"({table.fractional:.2f} continuous), {table.scheduled} to schedule."
        )
        self.stdout.write(
            f"{'agents':>7} {'schedule':>8} {'P(wait)':>8} {'SL':>8} {'ASA s':>8} "
            f"{'abandon':>8} {'occupancy':>9}"
        )
        for row in table.rows:
            abandon = "—" if row.p_abandon is None else f"{row.p_abandon:.4f}"
            mark = " *" if row.agents == table.required else ""
            self.stdout.write(
                f"{row.agents:>7} {row.scheduled:>8} {row.p_wait:>8.4f} {row.service_level:>8.4f} "
                f"{row.asa_s:>8.2f} {abandon:>8} {row.occupancy:>9.3f}{mark}"
            )


def _finite(row: dict) -> dict:
    """JSON has no infinity or NaN: they become null."""
    return {
        key: None if isinstance(value, float) and not math.isfinite(value) else value
        for key, value in row.items()
    }
