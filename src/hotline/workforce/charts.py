"""Week charts of the workforce pages (see hotline.svg_charts)."""

from collections.abc import Sequence

from matplotlib.figure import Figure

from hotline.svg_charts import as_svg, chart_style

DAY_LABELS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def week_chart(
    series: Sequence[tuple[str, Sequence[float | None], str]], interval_minutes: int
) -> str:
    """Lines over a week of intervals, one per (label, values, colour), ticked by day; values
    None are gaps. Returns the SVG element."""
    per_day = 24 * 60 // interval_minutes
    with chart_style():
        figure = Figure(figsize=(10, 2.8))
        axes = figure.add_subplot()
        for label, values, colour in series:
            axes.step(
                range(len(values)),
                [float("nan") if value is None else value for value in values],
                where="post",
                color=colour,
                linewidth=1.2,
                label=label,
            )
        length = max((len(values) for _label, values, _colour in series), default=0)
        ticks = list(range(0, length, per_day))
        axes.set_xticks(ticks, [DAY_LABELS[n % 7] for n in range(len(ticks))])
        axes.set_xlim(0, max(length, 1))
        axes.set_ylim(bottom=0)
        axes.grid(color="#dde3ea", linewidth=0.6)
        axes.legend(loc="upper right", ncols=len(series), frameon=False, fontsize=8)
        return as_svg(figure)
