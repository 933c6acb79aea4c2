"""Charts drawn as SVG on the server by matplotlib (no script, no CDN), shared by the report
and workforce pages.

Text stays text in the SVG (svg.fonttype "none"), so the browser draws the Chinese labels with
its own fonts and the server needs no CJK font: matplotlib only measures the text for layout,
with a CJK font when one is installed and DejaVu's widths otherwise.
"""

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")  # no display on a server

from matplotlib.figure import Figure  # noqa: E402 (after choosing the backend)

_STYLE = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "DejaVu Sans"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@contextmanager
def chart_style() -> Iterator[None]:
    """Hotline's chart style; a missing glyph is no fault, the browser draws the text."""
    with matplotlib.rc_context(_STYLE), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        yield


def as_svg(figure: Figure) -> str:
    """The figure as an <svg> element, without the XML prologue, to sit inside a page."""
    figure.tight_layout()
    out = io.StringIO()
    figure.savefig(out, format="svg", transparent=True)
    svg = out.getvalue()
    return svg[svg.index("<svg") :]
