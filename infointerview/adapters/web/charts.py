"""The coach page's charts: pygal draws them on the server as SVG, inlined into the page.

pygal's SVG carries a ``<script>`` (its tooltips' configuration) that our Content-Security-Policy
would refuse and that the page does not need: every ``<script>`` element is removed, and the bars
print their values so the numbers can be read without hovering. Each chart has a title and an
accessible name, and the page puts a table with the same numbers beside it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

import pygal
from markupsafe import Markup
from pygal.style import Style

from infointerview.adapters.web.ports import FunnelStepLike, SectorCountLike, WeekLike

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
# dark enough on white for text printed inside and beside the bars (WCAG AA)
STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1f2933",
    foreground_strong="#111827", foreground_subtle="#4b5563",
    colors=("#1d4ed8", "#047857", "#b45309", "#7c3aed"),
    value_colors=("#ffffff", "#ffffff", "#ffffff", "#ffffff"), opacity="1", opacity_hover="1",
    font_family=FONT, label_font_family=FONT, major_label_font_family=FONT,
    value_font_family=FONT, value_label_font_family=FONT, title_font_family=FONT,
    legend_font_family=FONT, tooltip_font_family=FONT, no_data_font_family=FONT,
    label_font_size=13, major_label_font_size=13, value_font_size=14, title_font_size=18,
    legend_font_size=14, no_data_font_size=24,
)
OPTIONS = {"style": STYLE, "disable_xml_declaration": True, "js": [], "print_values": True,
           "print_zeroes": False, "width": 800, "show_y_guides": False, "margin": 12,
           "no_data_text": "Nothing yet"}


def inline_svg(chart: pygal.graph.graph.Graph, name: str) -> Markup:
    """The chart as SVG for inlining into an HTML page: no script, an accessible name."""
    root = chart.render_tree()
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == "script":
                parent.remove(child)
    root.set("role", "img")
    root.set("aria-label", name)
    root.set("class", f"{root.get('class', '')} chart".strip())
    # pygal's own text is escaped by ElementTree, person-typed labels included
    return Markup(ET.tostring(root, encoding="unicode"))


def funnel_chart(steps: Sequence[FunnelStepLike]) -> Markup:
    chart = pygal.HorizontalBar(show_legend=False, height=60 + 44 * max(len(steps), 1),
                                title="Contacts at each step", **OPTIONS)
    # a horizontal bar chart draws its first label at the bottom: reverse to read top-down
    chart.x_labels = [step.label for step in reversed(steps)]
    chart.add("Contacts", [step.count for step in reversed(steps)])
    return inline_svg(chart, "Funnel: contacts that reached each step, "
                      + ", ".join(f"{step.label} {step.count}" for step in steps))


def activity_chart(weeks: Sequence[WeekLike]) -> Markup:
    chart = pygal.Bar(height=420, legend_at_bottom=True, legend_at_bottom_columns=3,
                      x_label_rotation=-40, title="Activity by week", **OPTIONS)
    chart.x_labels = [f"{week.start:%d %b}" for week in weeks]
    chart.add("Interviews held", [week.interviews for week in weeks])
    chart.add("Thank-yous on time", [week.thanked_on_time for week in weeks])
    chart.add("Contacts shared", [week.shared for week in weeks])
    return inline_svg(chart, "Weekly activity over the last twelve weeks: interviews held, "
                      "thank-yous sent on time, contacts shared (numbers in the table below)")


def sector_chart(sectors: Sequence[SectorCountLike]) -> Markup:
    shown = list(sectors)[:10]
    chart = pygal.HorizontalBar(height=80 + 56 * max(len(shown), 1), legend_at_bottom=True,
                                title="Sectors explored", **OPTIONS)
    chart.x_labels = [sector.label for sector in reversed(shown)]
    chart.add("Contacts", [sector.contacts for sector in reversed(shown)])
    chart.add("Interviews", [sector.interviews for sector in reversed(shown)])
    return inline_svg(chart, "Sectors explored: contacts and interviews in each sector "
                      "(numbers in the table below)")
