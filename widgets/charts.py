"""The site's one Altair theme, its one palette, and the door every chart passes through.

* The theme (registered with ``alt.theme.register``) holds every default: fonts, axis and
  legend styles, sizes; the palette below names every colour a chart uses, and a country keeps
  its colour in every chart (China is always the same red). Other modules import the names
  (``charts.HIGHLIGHT``, ``charts.colour_of("Japan")``), never a hex value.
* ``finish`` gives a chart its title, a source line underneath and a description for screen
  readers, and refuses a chart without them; ``controls_below`` lays a chart's menus and sliders
  out under it; ``time_series`` draws lines over years with readable points.

The charts themselves live in :mod:`widgets.figures`, one module per topic.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

THEME_NAME = "terres_rares"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
PLOT_WIDTH = 560  # the theme's continuousWidth, in pixels
NARROW = 520  # px: under this column width, a chart takes its phone layout (on_a_phone)
# The plot of a full-width chart on a 375 px phone, between its y axis and the column's edge
# (measured: 260-270 px); labels laid out in Python for a phone are laid out for this width.
PHONE_PLOT_WIDTH = 260
UTC = alt.Scale(type="utc")  # dates in data/ are calendar days: the same in every time zone

# ------------------------------------------------------------------------------ the palette
# Every colour a chart of the book uses has a name here, and only here. Names say what the colour
# means on the site; a country's colour is one of them (China is always the same red).
TEXT_COLOUR = "#1f2933"  # text, and marks that read as "solid": in force, done
MUTED_COLOUR = "#52606d"  # secondary text (source lines, notes); contrast 6.6:1 on white
GREY = "#7b8794"  # axis lines, neutral marks: "no lever", a material going in
SILVER = "#9aa5b1"  # countries without a colour of their own, "not yet", a superseded edition
PALE_GREY = "#c5ccd3"  # a phase that is over
LAND = "#e4e7eb"  # grid lines, land on the map, tiles not highlighted
BACKDROP = "#eef0f3"  # the full-length bar behind a share
FAINT = "#f5f7fa"  # the empty end of a sequential scale
WHITE = "#ffffff"
HIGHLIGHT = "#2b6777"  # "this is the selected group" (not a country colour)
CAVEAT = "#8c4a00"  # claims, second-hand figures, single plants: a dark orange
AMBER = "#a87d00"  # announced, not yet applied (as text)
GOLD = "#e0b84c"  # announced, not yet applied (as a bar)
APRICOT = "#f2c38b"  # what a price floor tops up
PALE_BLUE = "#c9d3e6"  # a target not yet reached
RED = "#b03a2e"  # a ban, an export control (darker than China's red)
CHINA_RED = "#c0392b"
BLUE = "#1f5fa8"  # licences, diplomacy, new supply
NAVY = "#2f4b9c"
SKY = "#3b7dd8"
GREEN = "#0f8a5f"  # recycling, money flowing in, planned dates
PURPLE = "#7b3fa0"  # quotas, stockpiles
OCHRE = "#8e6c00"
ROSE = "#b0417f"  # meetings
ORANGE = "#d9731a"
LEAF = "#5b8c2a"
TEAL = "#3f9a9a"  # figures reported second-hand by the press
STEEL = "#6d6d6d"
SIENNA = "#a0522d"
MUSTARD = "#c2a200"  # substitutes
BROWN = "#8c564b"  # a de facto halt
MOSS = "#4d7c0f"
LAVENDER = "#9467bd"
CYAN = "#17becf"
PINK = "#e377c2"
STONE = "#7f7f7f"
LIME = "#bcbd22"
CLOUD = "#a3acb9"
SLATE = "#323f4b"  # the world total, USGS tonnages

PALETTE: dict[str, str] = {
    name: value
    for name, value in dict(globals()).items()
    if name.isupper() and isinstance(value, str) and value.startswith("#")
}

# The same colours when the page is dark (the theme's dark mode): book/_static/charts.js swaps
# each colour of a compiled chart for its counterpart here, as the reader switches, so a chart is
# compiled once. Text and data colours are lighter and reach 4.5:1 on DARK_GROUND (a value label
# may take a mark's colour); pale colours (grid, land, backdrops, phases that are over, the empty
# end of a scale, a top-up under a label) stay faint, as on white, with text on them readable
# at 4.5:1; white (separators between tiles, the labels
# inside bars) becomes the colour behind the chart, so a label inside a bar still reads 4.5:1.
DARK_GROUND = "#121212"  # the dark page's background, as the themes paint it
DARK_COUNTERPARTS: dict[str, str] = {
    "TEXT_COLOUR": "#e4e7eb",
    "MUTED_COLOUR": "#aab4bf",
    "GREY": "#8a96a3",
    "SILVER": "#5d6774",
    "PALE_GREY": "#4f5966",
    "LAND": "#2e3641",
    "BACKDROP": "#262d37",
    "FAINT": "#1c2129",
    "WHITE": DARK_GROUND,
    "HIGHLIGHT": "#5fb0c4",
    "CAVEAT": "#e08a2e",
    "AMBER": "#d4a72c",
    "GOLD": "#b8923a",
    "APRICOT": "#8a5a2b",
    "PALE_BLUE": "#3c4d6b",
    "RED": "#e0685c",
    "CHINA_RED": "#f07060",
    "BLUE": "#5b9bf0",
    "NAVY": "#8096e0",
    "SKY": "#62a8f5",
    "GREEN": "#2fb585",
    "PURPLE": "#b587e0",
    "OCHRE": "#c49a2a",
    "ROSE": "#e07ab4",
    "ORANGE": "#e8893a",
    "LEAF": "#7fb04a",
    "TEAL": "#4fb8b8",
    "STEEL": "#9a9a9a",
    "SIENNA": "#d9835a",
    "MUSTARD": "#d4b520",
    "BROWN": "#c08a7e",
    "MOSS": "#76a832",
    "LAVENDER": "#b08fd8",
    "CYAN": "#3fd0df",
    "PINK": "#ec92cf",
    "STONE": "#a0a0a0",
    "LIME": "#c8c938",
    "CLOUD": "#8791a0",
    "SLATE": "#c5ced8",
}
# Pale colours in both modes (grounds, not data to compare): text on them reads in either mode.
FAINT_IN_BOTH_MODES = (
    "SILVER",
    "PALE_GREY",
    "LAND",
    "BACKDROP",
    "FAINT",
    "WHITE",
    "PALE_BLUE",
    "APRICOT",
)
# Colours Vega-Lite writes by name (a mark's stroke="white"; a default ink), and its default mark
# colour, which the points of a line (point=...) take when the line's colour is a mark property,
# not an encoding: drawn as BLUE's counterpart in dark mode until those points get their line's.
NAMED_COLOURS = {"white": WHITE, "black": TEXT_COLOUR, "#4c78a8": BLUE}


def dark_palette(colours=None) -> dict[str, str]:
    """{colour: its dark counterpart} for ``colours`` (lower-case hex or "white"/"black", e.g.
    every colour a page's charts use; all of the palette when None). A colour outside the palette
    is an error: every colour a chart draws needs a counterpart."""
    by_value = {PALETTE[name].lower(): dark for name, dark in DARK_COUNTERPARTS.items()}
    by_value |= {name: by_value[value] for name, value in NAMED_COLOURS.items()}
    wanted = by_value if colours is None else {c.lower() for c in colours}
    unknown = sorted(c for c in wanted if c not in by_value)
    if unknown:
        raise ValueError(f"colours without a dark counterpart in widgets/charts.py: {unknown}")
    return {c: by_value[c] for c in sorted(wanted)}


# Fixed colours per country or actor (colour-blind-safe where neighbours meet; China never changes).
COUNTRY_COLOURS: dict[str, str] = {
    "China": CHINA_RED,
    "United States": BLUE,
    "Burma (Myanmar)": OCHRE,
    "Australia": GREEN,
    "Japan": PURPLE,
    "European Union": NAVY,
    "France": SKY,
    "South Korea": ROSE,
    "India": ORANGE,
    "Vietnam": LEAF,
    "Brazil": TEAL,
    "Russia": STEEL,
    "Thailand": SIENNA,
    "Malaysia": MUSTARD,
    "Madagascar": BROWN,
    "Nigeria": MOSS,
    "Laos": LAVENDER,
    "Greenland": CYAN,
    "Canada": PINK,
    "Tanzania": STONE,
    "South Africa": LIME,
    "Other countries": CLOUD,
    "World": SLATE,
}
FALLBACK_COLOUR = SILVER


def colour_of(country: str) -> str:
    """The site's fixed colour for ``country`` (a neutral grey for countries without one)."""
    return COUNTRY_COLOURS.get(country, FALLBACK_COLOUR)


def country_scale(countries) -> alt.Scale:
    """A colour scale that gives each country in ``countries`` its fixed colour."""
    domain = list(dict.fromkeys(countries))
    return alt.Scale(domain=domain, range=[colour_of(c) for c in domain])


@alt.theme.register(THEME_NAME, enable=True)
def _theme() -> alt.theme.ThemeConfig:
    """Every default of the site's charts, in one dict (Altair's registered-theme idiom)."""
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"continuousWidth": PLOT_WIDTH, "continuousHeight": 300, "stroke": None},
            "title": {
                "fontSize": 16,
                "fontWeight": 600,
                "anchor": "start",
                "color": TEXT_COLOUR,
                "subtitleColor": MUTED_COLOUR,
                "subtitleFontSize": 12,
                "offset": 10,
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "titleFontWeight": 500,
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "gridColor": LAND,
                "domainColor": GREY,
                "tickColor": GREY,
            },
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "orient": "bottom",
                "direction": "horizontal",
                "columns": {"expr": f"containerSize()[0] < {NARROW} ? 1 : 4"},
                # legends under the chart are stacked, each starting at the left edge: side by
                # side they run off a phone's column
                "layout": {"expr": "{bottom: {direction: 'vertical', anchor: 'start'}}"},
                "symbolType": "square",
                # a gap between the axis title above and a legend under the chart (the default
                # 18 px let the two lines of text touch), and names whole up to most of a
                # phone's column (Vega's default limit, 160 px, cut "recycling and refining pl…")
                "offset": 24,
                "labelLimit": 260,
            },
            "header": {"labelFontSize": 12, "titleFontSize": 13},
            "line": {"strokeWidth": 2.5},
            "text": {"fontSize": 12, "color": TEXT_COLOUR},
            "range": {"category": list(COUNTRY_COLOURS.values())},
        }
    }


# No vega-embed action menu: it is unlabelled (a serious accessibility finding) and it offers
# "Open in Vega Editor", a link that needs the network.
alt.renderers.set_embed_options(actions=False)


def finish(
    chart: alt.TopLevelMixin,
    *,
    title: str | alt.ExprRef,
    subtitle: str | None = None,
    source: str,
    description: str,
    width: int | str | None = None,
) -> alt.VConcatChart:
    """Give a chart its title, a source line underneath and a text description.

    ``description`` is what a screen reader announces for the chart (Vega puts it in the SVG's
    aria-label); it should say what the chart shows and its main message, in one or two sentences.

    The chart is drawn for the width it gets: each single or layered view whose width is not in
    steps takes the width of the page's column (:func:`fit_to_column`) and the axes and
    legends fit inside it (Vega's ``fit-x``); the title, subtitle, source line and long axis
    titles are cut into lines that fit a phone's column instead of running off its edge.
    """
    if not title or not source or not description:
        raise ValueError("every chart needs a title, a source line and a description")
    heading = alt.Title(
        # a title that follows a control is an expression, short enough for a phone
        title if isinstance(title, alt.ExprRef) else one_or_more_lines(title, TITLE_CHARACTERS),
        # a subtitle cannot be an expression: its lines are short enough for a phone everywhere
        **({"subtitle": wrap_lines(subtitle, SUBTITLE_CHARACTERS)} if subtitle else {}),
    )
    inner = chart.properties(title=heading)
    if width is not None:
        inner = inner.properties(width=width)
    inner, fits = fit_to_column(inner)
    finished = alt.vconcat(inner, description=description).properties(
        title=alt.Title(
            # one paragraph: lines cut for a wider column would leave a word alone on a line
            one_or_more_lines(
                source if isinstance(source, str) else " ".join(source), SOURCE_CHARACTERS
            ),
            orient="bottom",
            anchor="start",
            fontSize=11,
            fontWeight="normal",
            color=MUTED_COLOUR,
            offset=12,
        )
    )
    if fits:
        finished = finished.properties(
            autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
        )
    return finished


# What fits on one line of a phone's column (about 340 px) at the title's and source's sizes.
TITLE_CHARACTERS = 34
SUBTITLE_CHARACTERS = 48
SOURCE_CHARACTERS = 52


def wrap_lines(text: str | list[str], characters: int) -> list[str]:
    """``text`` cut at spaces into lines of at most ``characters`` (a longer word keeps its line);
    a list of lines is wrapped line by line."""
    if not isinstance(text, str):
        return [line for part in text for line in wrap_lines(part, characters)]
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= characters:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def one_or_more_lines(text: str | list[str], characters: int) -> str | list[str]:
    """``text`` as it is if it fits on a phone's line, else its lines (Vega draws a list of
    strings as lines); the words are the same."""
    lines = wrap_lines(text, characters)
    if len(lines) <= 1 or (not isinstance(text, str) and len(lines) == len(text)):
        return text
    return lines


def in_lines(text: str, characters: int) -> str:
    """``text`` cut at spaces into lines of at most ``characters``, joined by newlines: a text
    mark with ``lineBreak="\\n"`` draws them as lines (a text too long for a phone's column)."""
    return "\n".join(wrap_lines(text, characters))


def label_limit(wide: int, narrow: int = 130) -> alt.ExprRef:
    """An axis or legend ``labelLimit`` of ``wide`` px on a wide column and ``narrow`` px on a
    phone's, so that long category names leave room for the plot (the tooltip has them whole)."""
    return alt.ExprRef(f"containerSize()[0] < {NARROW} ? {min(narrow, wide)} : {wide}")


def phone_or_wide(narrow_field: str, wide_field: str) -> str:
    """A Vega expression (for ``transform_calculate``) that reads ``narrow_field`` of a datum
    on a phone's column and ``wide_field`` elsewhere: label positions laid out in Python for
    both widths (:data:`PHONE_PLOT_WIDTH` and :data:`PLOT_WIDTH`)."""
    return f"containerSize()[0] < {NARROW} ? datum.{narrow_field} : datum.{wide_field}"


def lines_on_a_phone(labels, characters: int) -> str:
    """An axis ``labelExpr`` that draws each of ``labels`` (the axis's categories) in lines of
    at most ``characters`` on a phone's column and on one line elsewhere: a long category name
    keeps its words instead of being cut to the few letters of a phone's label limit."""
    lines = {label: wrap_lines(label, characters) for label in labels}
    return (
        f"containerSize()[0] < {NARROW} ? ({json.dumps(lines)})[datum.label] || datum.label "
        ": datum.label"
    )


def on_a_phone(narrow, wide) -> alt.ExprRef:
    """A mark, axis or legend property that is ``narrow`` on a phone's column (under
    :data:`NARROW` px) and ``wide`` elsewhere: one chart, laid out for the width it gets."""
    return alt.ExprRef(f"containerSize()[0] < {NARROW} ? {json.dumps(narrow)} : {json.dumps(wide)}")


AXIS_TITLE_CHARACTERS = 30  # an axis title longer than this is drawn on several lines


def wrap_axis_titles(chart) -> None:
    """Cut the long axis titles of ``chart`` (and of its layers) into lines, in place: a phone's
    column is about 340 px wide, a 60-character title about 400 px at 13 px."""
    for view in [chart, *getattr(chart, "layer", [])]:
        if view is not chart and isinstance(view, alt.LayerChart):
            wrap_axis_titles(view)  # a layer of layers: Vega-Lite would join unequal titles
            continue
        encoding = getattr(view, "encoding", alt.Undefined)
        if encoding is alt.Undefined:
            continue
        for name in ("x", "y"):
            channel = encoding[name] if name in encoding._kwds else alt.Undefined
            if channel is alt.Undefined or not hasattr(channel, "_kwds"):
                continue
            title = channel._kwds.get("title", alt.Undefined)  # .title is Altair's setter
            if isinstance(title, str) and len(title) > AXIS_TITLE_CHARACTERS:
                channel["title"] = wrap_lines(title, AXIS_TITLE_CHARACTERS)


PANEL_CHARACTERS = 26  # a panel's title starts at its plot: about 160-240 px of a phone's column


def wrap_panel_title(view) -> None:
    """Cut the title and subtitle of a panel of a concatenation into lines, in place."""
    title = getattr(view, "title", alt.Undefined)
    if isinstance(title, str):
        view.title = one_or_more_lines(title, PANEL_CHARACTERS)
    elif isinstance(title, alt.Title):
        for part in ("text", "subtitle"):
            text = title._kwds.get(part, alt.Undefined)
            if isinstance(text, (str, list)):
                title[part] = one_or_more_lines(text, PANEL_CHARACTERS)


def _in_steps(view) -> bool:
    width = getattr(view, "width", alt.Undefined)
    return isinstance(width, (dict, alt.Step)) or (
        isinstance(view, alt.VConcatChart) and any(_in_steps(v) for v in view.vconcat)
    )


def fit_to_column(chart):
    """``chart`` with every single or layered view (also inside a vertical concatenation) as
    wide as the page's column; returns it and whether any view was changed. A width in steps
    (one band per category) stays, and so do side-by-side panels (they would not fit)."""
    if isinstance(chart, (alt.Chart, alt.LayerChart)):
        wrap_axis_titles(chart)
        width = getattr(chart, "width", alt.Undefined)
        if width is alt.Undefined or width == "container" or isinstance(width, int):
            return chart.properties(width="container"), True
        return chart, False
    if isinstance(chart, alt.VConcatChart):
        if any(_in_steps(view) for view in chart.vconcat):
            return chart, False  # a view in steps beside one in "container" draws nothing
        for view in chart.vconcat:
            wrap_panel_title(view)
        fitted = [fit_to_column(view) for view in chart.vconcat]
        if any(changed for _, changed in fitted):
            chart = chart.copy()
            chart.vconcat = [view for view, _ in fitted]
            return chart, True
    return chart, False


def time_series(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    series: str | None = None,
    tooltip: list | None = None,
    height: int = 300,
) -> alt.Chart:
    """A line chart over years; one coloured line per ``series`` value (countries keep their colour)."""
    encoding = {
        "x": alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format="d")),
        "y": alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format="~s")),
        "tooltip": tooltip
        or [
            alt.Tooltip(f"{x}:Q", title=x_title, format="d"),
            alt.Tooltip(f"{y}:Q", title=y_title, format=","),
        ],
    }
    if series:
        encoding["color"] = alt.Color(f"{series}:N", title=None, scale=country_scale(frame[series]))
    # Invisible points on the line: one SVG item per datum, so that hovering anywhere near a
    # year shows its tooltip and a screen reader (and the browser tests) can read every value.
    points = alt.OverlayMarkDef(filled=True, size=50, opacity=0)
    return alt.Chart(frame).mark_line(point=points).encode(**encoding).properties(height=height)


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
                "display: flex; flex-direction: column; align-items: flex-start; gap: 0.4rem;",
                1,
            )
        return (data, metadata) if metadata is not None else data


def controls_below(chart: alt.TopLevelMixin) -> ControlsBelow:
    """Display ``chart`` with its menus and buttons under it (see :class:`ControlsBelow`)."""
    return ControlsBelow(chart)


def bar_end_labels(
    base: alt.Chart,
    *,
    x: str,
    text: str,
    inside_from: float = 0.55,
    inside_colour: str | dict = WHITE,
    dx: int = 4,
    **mark,
) -> alt.LayerChart:
    """The value labels of horizontal bars (``x`` the bar's end, ``text`` its label): beside the
    bar's end, except on the longest bars (at least ``inside_from`` of the longest), where the
    label sits inside the bar's end, so that it never runs past the plot on a phone's column.
    ``inside_colour`` is a colour, or an encoding of the colour (for bars of several colours)."""
    scaled = base.transform_joinaggregate(longest_bar=f"max({x})").transform_calculate(
        inside_bar=f"datum.longest_bar > 0 && datum['{x}'] >= {inside_from} * datum.longest_bar"
    )
    style = {"fontSize": 11, **mark}
    outside = (
        scaled.transform_filter("!datum.inside_bar")
        .mark_text(align="left", dx=dx, color=style.pop("color", TEXT_COLOUR), **style)
        .encode(x=alt.X(f"{x}:Q"), text=f"{text}:N")
    )
    fixed = isinstance(inside_colour, str)
    inside = (
        scaled.transform_filter("datum.inside_bar")
        .mark_text(align="right", dx=-dx, **({"color": inside_colour} if fixed else {}), **style)
        .encode(x=alt.X(f"{x}:Q"), text=f"{text}:N", **({} if fixed else {"color": inside_colour}))
    )
    return alt.layer(outside, inside)
