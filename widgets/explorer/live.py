"""The scenario explorer for live notebooks (``make live``): ipywidgets over
:func:`widgets.scenario.simulate`, with the supply chart drawn by Altair from the simulated
table. ipywidgets is imported only when a live explorer is made."""

from __future__ import annotations

from pathlib import Path

import altair as alt
from IPython.display import FileLink, display

from widgets import charts
from widgets import scenario as sc
from widgets.explorer.controls import LABELS, SUPPLY_COMPONENTS, slider_range


def scenario_chart(frame, title: str):
    """Altair chart of one simulated scenario: supply by source per month (stacked bars)."""
    long = frame.melt(
        id_vars=["month"],
        value_vars=list(SUPPLY_COMPONENTS),
        var_name="component",
        value_name="tonnes",
    )
    long["source"] = long["component"].map({k: v[0] for k, v in SUPPLY_COMPONENTS.items()})
    long["stack_order"] = long["component"].map({k: i for i, k in enumerate(SUPPLY_COMPONENTS)})
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("month:O", title="Month"),
            y=alt.Y("tonnes:Q", stack="zero", title="Supply each month (t of oxide)"),
            color=alt.Color(
                "source:N",
                title=None,
                scale=alt.Scale(
                    domain=[v[0] for v in SUPPLY_COMPONENTS.values()],
                    range=[v[1] for v in SUPPLY_COMPONENTS.values()],
                ),
            ),
            order=alt.Order("stack_order:Q"),
            tooltip=["month:O", "source:N", alt.Tooltip("tonnes:Q", format=",.1f")],
        )
        .properties(width=420, height=220)
    )
    return charts.finish(
        chart,
        title=title,
        source="Model: widgets/scenario/; parameters: data/scenario_parameters.csv",
        description=f"Stacked bars of monthly supply by source for: {title}",
    )


class LiveExplorer:
    """The explorer for live notebooks (``make live``): ipywidgets over :func:`simulate`.

    Controls for every scenario field, presets, a comparison with a pinned scenario (B) shown
    side by side, and an export of the monthly table to CSV. Create it and display ``.ui``
    (or just leave the object as the cell's last line).
    """

    def __init__(self, scenario: sc.Scenario | None = None):
        import ipywidgets as w  # optional: only live notebooks need it

        self._w = w
        self.scenario = scenario or sc.default_scenario()
        self.pinned: sc.Scenario | None = None
        self.controls: dict = {
            "importer": w.Dropdown(
                options=list(sc.IMPORTERS), value=self.scenario.importer, description="Importer"
            ),
            "element_group": w.Dropdown(
                options=[(sc.GROUP_LABELS[g], g) for g in sc.ELEMENT_GROUPS],
                value=self.scenario.element_group,
                description="Elements",
            ),
        }
        for name, value in self.scenario.parameters().items():
            low, high, step = slider_range(name)
            kind = w.IntSlider if sc.PARAMETERS[name].kind == "months" else w.FloatSlider
            self.controls[name] = kind(
                value=value,
                min=low,
                max=high,
                step=step,
                description=LABELS[name],
                continuous_update=False,
                style={"description_width": "16rem"},
                layout=w.Layout(width="34rem"),
            )
        self.preset_menu = w.Dropdown(
            options=["(choose a preset)"] + sc.preset_names(), description="Preset"
        )
        self.pin_button = w.Button(
            description="Pin as scenario B", tooltip="Compare later changes with this one"
        )
        self.export_button = w.Button(description="Export table to CSV")
        self.message = w.HTML()
        self.output = w.Output()
        self._loading = False
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.controls["importer"].observe(self._on_defaults, names="value")
        self.controls["element_group"].observe(self._on_defaults, names="value")
        self.preset_menu.observe(self._on_preset, names="value")
        self.pin_button.on_click(lambda _: self.pin())
        self.export_button.on_click(lambda _: self.export_csv())
        self.ui = w.VBox(
            [
                self.preset_menu,
                w.VBox(list(self.controls.values())),
                w.HBox([self.pin_button, self.export_button]),
                self.message,
                self.output,
            ]
        )
        self.refresh()

    # -- state
    def set_scenario(self, scenario: sc.Scenario) -> None:
        self._loading = True
        try:
            for name in sc.PARAMETERS:
                self.controls[name].value = getattr(scenario, name)
        finally:
            self._loading = False
        self.refresh()

    def _read(self) -> sc.Scenario:
        return sc.Scenario(**{name: control.value for name, control in self.controls.items()})

    def _on_change(self, change) -> None:
        if not self._loading:
            self.refresh()

    def _on_defaults(self, change) -> None:
        if not self._loading:
            self.set_scenario(
                sc.default_scenario(
                    self.controls["importer"].value, self.controls["element_group"].value
                )
            )

    def _on_preset(self, change) -> None:
        if change["new"] in sc.preset_names():
            self.set_scenario(sc.preset(change["new"]))

    # -- results
    @property
    def frame(self):
        return sc.simulate(self.scenario)

    def summary(self) -> str:
        return sc.describe(sc.summarize(self.scenario), self.scenario)

    def refresh(self) -> None:
        try:
            self.scenario = self._read()
        except ValueError as error:  # e.g. a combination the model refuses: say so, keep the last
            self.message.value = f"<b>Not applied:</b> {error}"
            return
        self.message.value = f"<b>A:</b> {self.summary()}"
        if self.pinned is not None:
            self.message.value += (
                f"<br><b>B (pinned):</b> {sc.describe(sc.summarize(self.pinned), self.pinned)}"
            )
        self.output.clear_output(wait=True)
        with self.output:
            display(
                self.comparison_chart()
                if self.pinned is not None
                else scenario_chart(self.frame, "Scenario A")
            )

    def pin(self) -> sc.Scenario:
        """Keep the current scenario as B, to compare with later changes."""
        self.pinned = self.scenario
        self.refresh()
        return self.pinned

    def comparison_chart(self):
        if self.pinned is None:
            raise ValueError("pin a scenario first (the 'Pin as scenario B' button or .pin())")
        panels = [
            scenario_chart(self.frame, "Scenario A (current)"),
            scenario_chart(sc.simulate(self.pinned), "Scenario B (pinned)"),
        ]
        for (
            panel
        ) in panels:  # a chart sized to its column sizes itself; side by side, the pair does
            panel.autosize = alt.Undefined
        return alt.hconcat(*panels)

    def export_csv(self, path=None):
        """Write the monthly table of the current scenario to CSV; return the path."""
        path = Path(
            path
            or f"scenario-{self.scenario.importer.lower().replace(' ', '-')}-"
            f"{self.scenario.element_group}.csv"
        )
        frame = self.frame
        for name, value in self.scenario.parameters().items():
            frame[name] = value
        frame.to_csv(path, index=False)
        with self.output:
            display(FileLink(str(path)))
        return path

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.ui._repr_mimebundle_(include=include, exclude=exclude)


def live_explorer(scenario: sc.Scenario | None = None) -> LiveExplorer:
    """The ipywidgets explorer for instructors running the chapter live."""
    return LiveExplorer(scenario)
