"""Caremag, the recycling and refining plant planned at Lacq: materials, money, and what it
could cover of an importer's needs (chapter 7)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from widgets import charts
from widgets import scenario as sc
from widgets.data import load_table
from widgets.sources import credit, notes, short

# the money diagram's x: the payers at 0, the plant at 1, Japan at 2 and room for its name
X_FLOWS = alt.Scale(domain=[-0.05, 3.3])
# the notes under the coverage bars start this far left of the bars, under the labels
COVERAGE_GUTTER = charts.on_a_phone(-138, -190)
# on a phone's column, the longest item names are written with the elements' symbols
SHORT_ITEMS = (
    "replace(replace(replace(datum.label, 'Neodymium and praseodymium', 'Nd and Pr'), "
    "'Dysprosium and terbium', 'Dy and Tb'), '(mining concentrates)', '(concentrates)')"
)


# --------------------------------------------------------------------------- chapter 7: Caremag
def caremag_frame() -> pd.DataFrame:
    """data/caremag_plant.csv with chart labels (its share of world output marked as the company's
    claim)."""
    plant = load_table("caremag_plant").copy()
    plant["side_label"] = plant["side"].map(
        {"input": "Goes in (t/yr)", "output": "Comes out (t/yr)"}
    )
    plant["claim_label"] = [
        f"company's claim: about {c:g} % of world production" if pd.notna(c) else ""
        for c in plant["claim_pct"]
    ]
    plant["claim_lines"] = [charts.in_lines(c, 24) for c in plant["claim_label"]]
    plant["note"] = notes(plant["note"])
    return plant


def caremag_money_frame() -> pd.DataFrame:
    """The Caremag rows of data/financing.csv."""
    table = load_table("financing")
    table = table[(table["currency"] == "EUR")].copy()
    table["note"] = notes(table["note"])
    table["source_short"] = table["source"].map(short)
    return table.reset_index(drop=True)


def caremag_flows() -> alt.VConcatChart:
    """Caremag at a glance: what goes in and comes out each year (company figures), and who
    pays: Japan through JOGMEC and the French state, as two flows into the plant."""
    plant = caremag_frame()
    money = caremag_money_frame()
    side_order = ["Goes in (t/yr)", "Comes out (t/yr)"]
    materials = alt.Chart(plant).encode(
        y=alt.Y(
            "item:N",
            sort=list(plant["item"]),
            title=None,
            axis=alt.Axis(
                # whole on a laptop ("Neodymium and praseodymium oxides"); shortened on a phone
                labelLimit=charts.label_limit(260, 150),
                labelExpr=f"containerSize()[0] < {charts.NARROW} ? {SHORT_ITEMS} : datum.label",
            ),
        ),
        x=alt.X(
            "tonnes_per_year:Q",
            title="Tonnes per year (company figures)",
            scale=alt.Scale(domain=[0, float(plant["tonnes_per_year"].max()) * 1.35]),
        ),
        tooltip=[
            alt.Tooltip("item:N", title="Item"),
            alt.Tooltip("tonnes_per_year:Q", title="t/yr", format=","),
            alt.Tooltip("basis:N", title="Basis"),
            alt.Tooltip("claim_label:N", title="Claim"),
            alt.Tooltip("note:N", title="Note"),
        ],
    )
    bars = materials.mark_bar(size=20).encode(
        color=alt.Color(
            "side_label:N",
            title=None,
            sort=side_order,
            scale=alt.Scale(domain=side_order, range=[charts.GREY, charts.colour_of("France")]),
        )
    )
    values = materials.mark_text(align="left", dx=4, fontSize=11).encode(
        text=alt.Text("tonnes_per_year:Q", format=",")
    )
    claim = (
        materials.transform_filter("isValid(datum.claim_pct)")
        .mark_text(
            align="left",
            baseline="top",
            dy=11,
            fontSize=11,
            fontStyle="italic",
            lineBreak="\n",
            color=charts.CAVEAT,
        )
        .encode(x=alt.value(2), text="claim_lines:N")
    )
    left = alt.layer(bars, values, claim).properties(
        width=360,
        height=180,
        title=alt.Title(
            "Materials (t/yr)", fontSize=13, subtitle="in: magnets and ore; out: separated oxides"
        ),
    )
    paid = money[money["source"] == "caremag2025"].copy()
    afp = money[money["id"] == "jp_partners_caremag"].iloc[0]
    paid["y"] = range(len(paid))
    paid["x0"], paid["x1"] = 0.0, 1.0
    node = pd.DataFrame(
        [
            {"name": "Caremag\n(Lacq)", "x": 1.0, "y": (len(paid) - 1) / 2},
            {"name": "Japan", "x": 2.0, "y": (len(paid) - 1) / 2},
        ]
    )
    max_amount = float(paid["amount_million"].max())
    paid["width"] = paid["amount_million"] / max_amount * 14
    paid["text"] = [
        f"{lab.split(': ')[-1]}: about {a:g} M€ ({kind})"
        for lab, a, kind in zip(paid["label"], paid["amount_million"], paid["kind"], strict=True)
    ]
    paid["lines"] = [charts.in_lines(t, 22) for t in paid["text"]]
    # Labels above the upper flow and below the lower one, away from the lines.
    paid["label_y"] = [y + (0.32 if y > (len(paid) - 1) / 2 else -0.32) for y in paid["y"]]
    x = alt.X("x0:Q", axis=None, scale=X_FLOWS)
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.8, len(paid) - 0.2]))
    flows = (
        alt.Chart(paid)
        .mark_rule(color=charts.GREEN, opacity=0.8)
        .encode(
            x=x,
            x2="x1:Q",
            y=y,
            y2="y_mid:Q",
            strokeWidth=alt.StrokeWidth("width:Q", scale=None),
            tooltip=[
                alt.Tooltip("label:N", title="Who"),
                alt.Tooltip("amount_text:N", title="Amount"),
                alt.Tooltip("what:N", title="What"),
                alt.Tooltip("source_short:N", title="Source"),
                alt.Tooltip("note:N", title="Caveat"),
            ],
        )
        .transform_calculate(y_mid=f"{(len(paid) - 1) / 2}")
    )
    flow_text = (
        alt.Chart(paid)
        .mark_text(align="left", baseline="middle", fontSize=11, lineBreak="\n")
        .encode(
            x=alt.X("x0:Q", scale=X_FLOWS),
            y=alt.Y("label_y:Q", axis=None, scale=alt.Scale(domain=[-0.8, len(paid) - 0.2])),
            text="lines:N",
        )
    )
    offtake = (
        alt.Chart(
            pd.DataFrame(
                [
                    {
                        "x0": 1.0,
                        "x1": 2.0,
                        "y": (len(paid) - 1) / 2,
                        "t": "heavy rare-earth oxides (no volume given)",
                    }
                ]
            )
        )
        .mark_rule(strokeDash=[5, 3], strokeWidth=3, color=charts.colour_of("Japan"))
        .encode(x=alt.X("x0:Q", scale=X_FLOWS), x2="x1:Q", y=y)
    )
    # the names right of their dots, clear of the flows coming in from the left: the plant's
    # under the offtake line, Japan's above it (what the line is: in the panel's subtitle)
    nodes = alt.layer(
        *(
            alt.Chart(node[node["x"] == at])
            .mark_text(
                fontWeight="bold",
                fontSize=12,
                align="left",
                baseline=baseline,
                lineBreak="\n",
                dx=4,
                # a name of several lines is drawn downwards from its first line
                dy=8 if baseline == "top" else -6,
            )
            .encode(x=alt.X("x:Q", scale=X_FLOWS), y=y, text="name:N")
            for at, baseline in ((1.0, "top"), (2.0, "bottom"))
        )
    )
    node_dots = (
        alt.Chart(node)
        .mark_point(size=160, filled=True, color=charts.TEXT_COLOUR)
        .encode(x=alt.X("x:Q", scale=X_FLOWS), y=y)
    )
    # AFP's other figure for Japan's share, under the panel's title rather than in the plot
    # (where it ran into the legend under the chart)
    right = alt.layer(flows, flow_text, offtake, node_dots, nodes).properties(
        width=400,
        height=180,
        title=alt.Title(
            "Money in, oxides out",
            fontSize=13,
            subtitle=[
                "line width: amount in millions of euros",
                "dashed: Japan's long-term offtake of the oxides (no volume given)",
                f"AFP: {afp['amount_text']} from Japanese partners (JOGMEC and Iwatani)",
            ],
        ),
    )
    chart = alt.vconcat(left, right, spacing=24)
    dy = plant[plant["id"] == "dy_tb_oxides"].iloc[0]
    totals = plant.groupby("side")["tonnes_per_year"].sum()
    return charts.finish(
        chart,
        title="Caremag: from magnets and ore to separated rare-earth oxides (heavy and light)",
        subtitle=[
            "Company figures for the plant planned at Lacq (per year: AFP's unit; the article gives none)",
            f"The {dy['claim_pct']:g} % is the company's own claim",
        ],
        source=credit(
            list(plant["source"]) + list(money["source"]),
            "Inputs and outputs are different materials: the tonnes do not add up.",
        ),
        description=(
            f"Bar chart and flow diagram of the Caremag plant. Each year (AFP's time unit; the Caremag article gives none) it would take in "
            f"{totals['input']:,.0f} t ({', '.join(f'{r.tonnes_per_year:,.0f} t of {r.item.lower()}' for r in plant[plant.side == 'input'].itertuples())}) "
            f"and put out {totals['output']:,.0f} t of separated oxides, including {dy['tonnes_per_year']:,.0f} t of "
            f"dysprosium and terbium oxides, which the company says is about {dy['claim_pct']:g} % of world "
            f"production. Money in: "
            f"{'; '.join(f'{r.label.split(chr(58))[-1].strip()}, about {r.amount_million:g} million euros' for r in paid.itertuples())}; "
            f"The investment comes with a long-term purchase agreement for supplying Japan with heavy rare-earth oxides (the article gives no volume)."
        ),
    )


def caremag_coverage_frame() -> pd.DataFrame:
    """For each importer of the scenario model: its default yearly Dy/Tb need and China's share
    (with their basis), Caremag's Dy/Tb output, and the share of the need it would cover if
    all of it went to that importer."""
    plant = load_table("caremag_plant").set_index("id")
    output = float(plant.loc["dy_tb_oxides", "tonnes_per_year"])
    records = []
    for importer in sc.IMPORTERS:
        scenario = sc.default_scenario(importer, "heavy_dytb")
        params = sc.parameter_table(importer, "heavy_dytb").set_index("parameter")
        records.append(
            {
                "importer": importer,
                "demand_t": scenario.annual_demand_t,
                "demand_basis": params.loc["annual_demand_t", "basis"],
                "china_share": scenario.china_share,
                "china_basis": params.loc["china_share", "basis"],
                "caremag_t": output,
                "cover_all": output / scenario.annual_demand_t,
                "cover_china_all": output / (scenario.annual_demand_t * scenario.china_share),
            }
        )
    return pd.DataFrame(records)


def caremag_coverage() -> charts.ControlsBelow:
    """How much of an importer's dysprosium and terbium need could Caremag cover? Pick the
    importer, the share of Caremag's output it gets and how hard the plant runs."""
    frame = caremag_coverage_frame()
    importer = alt.param(
        name="importer",
        value="Japan",
        bind=alt.binding_radio(options=list(sc.IMPORTERS), name="Importer: "),
    )
    sent = alt.param(
        name="sent_pct",
        value=100,
        bind=alt.binding_range(
            min=0, max=100, step=5, name="Share of Caremag's Dy/Tb oxides it gets (%): "
        ),
    )
    running = alt.param(
        name="running_pct",
        value=100,
        bind=alt.binding_range(min=0, max=100, step=5, name="Plant running at (% of capacity): "),
    )
    long = frame.melt(
        id_vars=["importer", "demand_t", "demand_basis", "china_share", "china_basis", "caremag_t"],
        value_vars=["cover_all", "cover_china_all"],
        var_name="measure",
        value_name="unused",
    )
    long["measure_label"] = long["measure"].map(
        {
            "cover_all": "of its whole Dy/Tb need",
            "cover_china_all": "of what it now gets from China",
        }
    )
    long["denominator"] = [
        d if m == "cover_all" else d * c
        for d, c, m in zip(long["demand_t"], long["china_share"], long["measure"], strict=True)
    ]
    base = (
        alt.Chart(long)
        .transform_filter("datum.importer == importer")
        .transform_calculate(
            supplied="datum.caremag_t * sent_pct / 100 * running_pct / 100",
            cover="datum.supplied / datum.denominator",
            shown="min(datum.cover, 1)",
            text="datum.cover > 1 ? format(datum.cover, '.1f') + ' times as much' : format(datum.cover, '.0%')",
        )
        .encode(
            y=alt.Y(
                "measure_label:N",
                title=None,
                sort=["of its whole Dy/Tb need", "of what it now gets from China"],
                # on a phone's column, in fewer words
                axis=alt.Axis(
                    labelLimit=charts.label_limit(220),
                    labelFontSize=12,
                    labelExpr=f"containerSize()[0] < {charts.NARROW} ? "
                    "(datum.label == 'of its whole Dy/Tb need' ? 'its whole need' "
                    ": 'its supply from China') : datum.label",
                ),
            )
        )
    )
    back = (
        alt.Chart(long)
        .transform_filter("datum.importer == importer")
        .mark_bar(size=24, color=charts.BACKDROP)
        .encode(
            y=alt.Y(
                "measure_label:N",
                sort=["of its whole Dy/Tb need", "of what it now gets from China"],
            ),
            x=alt.datum(1),
        )
    )
    bars = base.mark_bar(size=24, color=charts.colour_of("France")).encode(
        x=alt.X(
            "shown:Q",
            title="Share covered by Caremag (%)",
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%"),
        ),
        tooltip=[
            alt.Tooltip("importer:N", title="Importer"),
            alt.Tooltip("supplied:Q", title="Caremag oxides sent (t/yr)", format=",.0f"),
            alt.Tooltip("denominator:Q", title="Need counted (t/yr)", format=",.0f"),
            alt.Tooltip("cover:Q", title="Covered", format=".0%"),
        ],
    )
    # beside the bar's end, or inside it when the bar fills most of the width (a full bar's
    # "12.0 times as much" would run past the chart)
    text = base.transform_filter("datum.shown < 0.6").mark_text(
        align="left", dx=6, fontSize=12, fontWeight="bold"
    ).encode(
        x=alt.X("shown:Q", scale=alt.Scale(domain=[0, 1])), text="text:N"
    ) + base.transform_filter("datum.shown >= 0.6").mark_text(
        align="right", dx=-6, fontSize=12, fontWeight="bold", color=charts.WHITE
    ).encode(x=alt.X("shown:Q", scale=alt.Scale(domain=[0, 1])), text="text:N")
    facts = (
        alt.Chart(frame)
        .transform_filter("datum.importer == importer")
        .transform_calculate(
            line1="'Need assumed: ' + format(datum.demand_t, ',.0f') + ' t/yr of Dy and Tb'",
            line2="'(' + datum.demand_basis + ', scenario model default)'",
            line3="'China\\'s share of its supply: ' + format(datum.china_share, '.0%') + ' (' + datum.china_basis + ')'",
            line4="'Caremag output: ' + format(datum.caremag_t, ',.0f') + ' t/yr of Dy and Tb oxides'",
            line5="'(company figure); the two sliders are your assumptions'",
        )
    )
    fact_lines = [
        facts.mark_text(
            align="left", fontSize=11, color=charts.MUTED_COLOUR, x=COVERAGE_GUTTER
        ).encode(y=alt.value(12 + 15 * i), text=f"line{i + 1}:N")
        for i in range(5)
    ]
    chart = alt.vconcat(
        alt.layer(back, bars, text)
        .add_params(importer, sent, running)
        .properties(width=300, height=90),
        alt.layer(*fact_lines).properties(width=300, height=80),
        spacing=4,
    )
    japan = frame[frame["importer"] == "Japan"].iloc[0]
    return charts.controls_below(
        charts.finish(
            chart,
            title="Could Caremag cover an importer's heavy rare-earth needs?",
            subtitle=[
                "Pick an importer and move the sliders under the chart",
                "The need is the scenario model's default: an assumption where no source gives it",
            ],
            source=credit(
                ["caremag2025", "usgs_mcs2026_heavy", "lepesant2025", "japan2026"],
                "Needs and shares: the scenario model's assumptions (basis in brackets).",
            ),
            description=(
                f"Bar chart of the share of an importer's yearly dysprosium and terbium need that Caremag's "
                f"{japan['caremag_t']:,.0f} t of oxides would cover. With all of it going to Japan at full capacity, "
                f"against an assumed need of {japan['demand_t']:,.0f} t, it would cover "
                f"{japan['cover_all']:.1f} times the need; a radio button picks the United States or the EU and two "
                f"sliders set the share sent and the running rate."
            ),
        )
    )
