"""Charts of the call report (see hotline.svg_charts)."""

from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from hotline.core.contact_kpis import KpiRow
from hotline.core.kpi_targets import Target
from hotline.svg_charts import as_svg, chart_style

# The groups with most calls get a line each; more would be a tangle.
_MOST_LINES = 6
_MOST_TICKS = 12


def service_level_chart(rows: Sequence[KpiRow], target: Target | None) -> str:
    """Service level per period, a line for each of the busiest groups and a dashed one for
    the target, as an SVG document; "" when there are fewer than two periods."""
    periods = sorted({row.period for row in rows})
    if len(periods) < 2:
        return ""
    offered: dict[str, float] = {}
    levels: dict[str, dict[str, float | None]] = {}
    for row in rows:
        offered[row.group_key] = offered.get(row.group_key, 0) + (row.values.get("offered") or 0)
        levels.setdefault(row.group_key, {})[row.period] = row.values.get("service_level")
    busiest = [key for key in sorted(offered, key=lambda key: -offered[key]) if offered[key]]
    with chart_style():
        figure = Figure(figsize=(9, 2.8))
        axes = figure.add_subplot()
        positions = range(len(periods))
        for key in busiest[:_MOST_LINES]:
            values = [levels[key].get(period) for period in periods]
            axes.plot(
                positions,
                [float("nan") if value is None else value for value in values],
                marker="o",
                markersize=2.5,
                linewidth=1.4,
                label=key or "—",
            )
        if target is not None:
            axes.axhline(
                target.value,
                color="#c0392b",
                linestyle="--",
                linewidth=1,
                label=f"目标 {target.symbol} {target.value:.0%}",
            )
        step = max(len(periods) // _MOST_TICKS, 1)
        axes.set_xticks(list(positions)[::step], periods[::step])
        axes.set_ylim(0, 1.02)
        axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axes.grid(axis="y", color="#dde3ea", linewidth=0.6)
        axes.legend(loc="lower left", ncols=_MOST_LINES + 1, frameon=False, fontsize=8)
        return as_svg(figure)
