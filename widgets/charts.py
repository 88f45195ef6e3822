"""One Altair theme for the whole site, and builders for the common chart kinds.

Every chart the book shows is made here (through :mod:`widgets.figures`), so that all of them
share the same fonts, the same colour for each country (China is always the same red), axis
titles with units, a source line under the chart and a text description for screen readers.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

THEME_NAME = "terres_rares"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
TEXT_COLOUR = "#1f2933"
MUTED_COLOUR = "#52606d"  # contrast 6.6:1 on white

# Fixed colours per country or actor (colour-blind-safe where neighbours meet; China never changes).
COUNTRY_COLOURS: dict[str, str] = {
    "China": "#c0392b",
    "United States": "#1f5fa8",
    "Burma (Myanmar)": "#8e6c00",
    "Australia": "#0f8a5f",
    "Japan": "#7b3fa0",
    "European Union": "#2f4b9c",
    "France": "#3b7dd8",
    "South Korea": "#b0417f",
    "India": "#d9731a",
    "Vietnam": "#5b8c2a",
    "Brazil": "#3f9a9a",
    "Russia": "#6d6d6d",
    "Thailand": "#a0522d",
    "Malaysia": "#c2a200",
    "Madagascar": "#8c564b",
    "Nigeria": "#4d7c0f",
    "Laos": "#9467bd",
    "Greenland": "#17becf",
    "Canada": "#e377c2",
    "Tanzania": "#7f7f7f",
    "South Africa": "#bcbd22",
    "Other countries": "#a3acb9",
    "World": "#323f4b",
}
FALLBACK_COLOUR = "#9aa5b1"


def colour_of(country: str) -> str:
    """The site's fixed colour for ``country`` (a neutral grey for countries without one)."""
    return COUNTRY_COLOURS.get(country, FALLBACK_COLOUR)


def country_scale(countries) -> alt.Scale:
    """A colour scale that gives each country in ``countries`` its fixed colour."""
    domain = list(dict.fromkeys(countries))
    return alt.Scale(domain=domain, range=[colour_of(c) for c in domain])


def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"continuousWidth": 560, "continuousHeight": 300, "stroke": None},
            "title": {"fontSize": 16, "fontWeight": 600, "anchor": "start", "color": TEXT_COLOUR,
                      "subtitleColor": MUTED_COLOUR, "subtitleFontSize": 12, "offset": 10},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "titleFontWeight": 500,
                     "labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR, "gridColor": "#e4e7eb",
                     "domainColor": "#7b8794", "tickColor": "#7b8794"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": TEXT_COLOUR,
                       "titleColor": TEXT_COLOUR, "orient": "bottom", "direction": "horizontal",
                       "columns": 4, "symbolType": "square"},
            "header": {"labelFontSize": 12, "titleFontSize": 13},
            "line": {"strokeWidth": 2.5},
            "text": {"fontSize": 12, "color": TEXT_COLOUR},
            "range": {"category": list(COUNTRY_COLOURS.values())},
        }
    }


def enable_theme() -> None:
    """Register and enable the site theme and the offline-safe embed options."""
    alt.theme.register(THEME_NAME, enable=True)(_theme)
    # No vega-embed action menu: it is unlabelled (a serious accessibility finding) and it
    # offers "Open in Vega Editor", a link that needs the network.
    alt.renderers.set_embed_options(actions=False)


def finish(chart: alt.TopLevelMixin, *, title: str, subtitle: str | None = None,
           source: str, description: str, width: int | str | None = None) -> alt.VConcatChart:
    """Give a chart its title, a source line underneath and a text description.

    ``description`` is what a screen reader announces for the chart (Vega puts it in the SVG's
    aria-label); it should say what the chart shows and its main message, in one or two sentences.
    """
    if not title or not source or not description:
        raise ValueError("every chart needs a title, a source line and a description")
    heading = alt.Title(title, subtitle=subtitle) if subtitle else alt.Title(title)
    inner = chart.properties(title=heading)
    if width is not None:
        inner = inner.properties(width=width)
    return alt.vconcat(inner, description=description).properties(
        title=alt.Title(source, orient="bottom", anchor="start", fontSize=11, fontWeight="normal",
                        color=MUTED_COLOUR, offset=12)
    )


def time_series(frame: pd.DataFrame, *, x: str, y: str, x_title: str, y_title: str,
                series: str | None = None, tooltip: list | None = None,
                height: int = 300) -> alt.Chart:
    """A line chart over years; one coloured line per ``series`` value (countries keep their colour)."""
    encoding = {
        "x": alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format="d")),
        "y": alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format="~s")),
        "tooltip": tooltip or [alt.Tooltip(f"{x}:Q", title=x_title, format="d"),
                               alt.Tooltip(f"{y}:Q", title=y_title, format=",")],
    }
    if series:
        encoding["color"] = alt.Color(f"{series}:N", title=None, scale=country_scale(frame[series]))
    # Invisible points on the line: one SVG item per datum, so that hovering anywhere near a
    # year shows its tooltip and a screen reader (and the browser tests) can read every value.
    points = alt.OverlayMarkDef(filled=True, size=50, opacity=0)
    return alt.Chart(frame).mark_line(point=points).encode(**encoding).properties(height=height)


def event_rules(events: pd.DataFrame, *, x: str = "year", label: str = "title",
                detail: list | None = None, y_label: float | None = None) -> alt.LayerChart:
    """Vertical rules with short labels marking events on a time axis; details on hover."""
    tooltip = detail or [alt.Tooltip(f"{label}:N", title="Event")]
    rules = alt.Chart(events).mark_rule(color=MUTED_COLOUR, strokeDash=[3, 3]).encode(
        x=f"{x}:Q", tooltip=tooltip)
    labels = alt.Chart(events).mark_text(align="left", dx=3, dy=-4, angle=0, fontSize=11,
                                         color=MUTED_COLOUR).encode(
        x=f"{x}:Q", y=alt.value(y_label if y_label is not None else 8),
        text=f"{label}:N", tooltip=tooltip)
    return rules + labels


def ranked_bars(frame: pd.DataFrame, *, category: str, value: str, value_title: str,
                category_title: str | None = None, colour_by_country: bool = True,
                tooltip: list | None = None, height: int | None = None) -> alt.Chart:
    """Horizontal bars sorted from largest to smallest, one per ``category``."""
    colour = (alt.Color(f"{category}:N", legend=None, scale=country_scale(frame[category]))
              if colour_by_country else alt.value(MUTED_COLOUR))
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y(f"{category}:N", sort="-x", title=category_title),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format="~s")),
        color=colour,
        tooltip=tooltip or [alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q", format=",")],
    )
    return chart.properties(height=height) if height else chart


enable_theme()


# --------------------------------------------------------------------------------------------
# Charts with menus or buttons (bound parameters)
# --------------------------------------------------------------------------------------------

ALTAIR_FLEX_RULE = "display: flex;"


class ControlsBelow:
    """An Altair chart whose bound inputs (menus, radio buttons) are laid out under the chart.

    Altair's HTML output makes its container a flex row, so Vega's form of inputs lands beside
    the chart and squeezes it to a fraction of its width. This wrapper displays the chart with
    its own container turned into a column (scoped to that chart's id, nothing else on the page
    changes). Everything else is delegated to the chart: ``to_dict()``, ``save()``...
    """

    def __init__(self, chart: alt.TopLevelMixin):
        self.chart = chart

    def __getattr__(self, name):
        return getattr(self.chart, name)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.chart._repr_mimebundle_(include=include, exclude=exclude)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, None)
        html = data.get("text/html") if isinstance(data, dict) else None
        if html and ALTAIR_FLEX_RULE in html:
            data = dict(data)
            data["text/html"] = html.replace(
                ALTAIR_FLEX_RULE,
                "display: flex; flex-direction: column; align-items: flex-start; gap: 0.4rem;", 1)
        return (data, metadata) if metadata is not None else data


def controls_below(chart: alt.TopLevelMixin) -> ControlsBelow:
    """Display ``chart`` with its menus and buttons under it (see :class:`ControlsBelow`)."""
    return ControlsBelow(chart)
