"""Charts for the print documents: SVG drawn by pygal, a charting library that renders SVG
without a browser. Each chart is returned as a ``data:`` URL for an ``<img>``, which
``common.pdf`` accepts without any request; pygal's interactive script is switched off.

pygal is imported inside the functions (it is only needed while a document renders).
"""

from __future__ import annotations

import base64
import re
from typing import Any

PALETTE = ("#1f4e79", "#2e86ab", "#f18f01", "#c73e1d", "#3b7d3b", "#6c4f9e", "#8d6e63")


def _style():
    from pygal.style import Style

    return Style(
        background="white",
        plot_background="white",
        foreground="#222",
        foreground_strong="#111",
        foreground_subtle="#888",
        colors=PALETTE,
        font_family="'Source Sans 3', sans-serif",
        label_font_size=13,
        major_label_font_size=13,
        value_font_size=13,
        value_label_font_size=13,
        title_font_size=18,
        legend_font_size=13,
    )


def _config(chart_class, *, title: str, height: int):
    return chart_class(
        title=title,
        style=_style(),
        width=800,
        height=height,
        js=[],  # no script and no request: the SVG is a picture in a PDF
        disable_xml_declaration=False,
        show_legend=False,
        print_values=True,
        print_values_position="top",
        explicit_size=True,
        margin=20,
        # Guide lines are hundreds of SVG nodes each WeasyPrint draws: the values are
        # printed on the bars instead.
        show_x_guides=False,
        show_y_guides=False,
        show_minor_x_labels=False,
    )


def _data_url(chart) -> str:
    # pygal still embeds its configuration as a script; a printed picture needs none.
    svg = re.sub(rb"<script.*?</script>", b"", chart.render(), flags=re.DOTALL)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def bar_chart(title: str, rows: list[list[Any]], *, limit: int = 15) -> str | None:
    """Horizontal bars of ``[[label, count], …]`` (the first ``limit``), or None if empty."""
    import pygal

    rows = [row for row in rows if row[1]][:limit]
    if not rows:
        return None
    chart = _config(pygal.HorizontalBar, title=title, height=120 + 34 * len(rows))
    # pygal draws the first bar at the bottom: reverse, so the largest reads first.
    rows = list(reversed(rows))
    chart.x_labels = [str(label) for label, _count in rows]
    chart.add(title, [count for _label, count in rows])
    chart.value_formatter = lambda value: f"{value:g}"
    return _data_url(chart)


def column_chart(title: str, rows: list[list[Any]]) -> str | None:
    """Vertical columns of ``[[label, value], …]``, or None when every value is zero."""
    import pygal

    if not any(row[1] for row in rows):
        return None
    chart = _config(pygal.Bar, title=title, height=380)
    top = max(int(row[1]) for row in rows)
    chart.y_labels = list(range(0, top + 1, max(1, top // 8)))  # whole numbers: counts
    chart.x_labels = [str(label) for label, _value in rows]
    chart.add(title, [value for _label, value in rows])
    chart.value_formatter = lambda value: f"{value:g}"
    return _data_url(chart)
