"""The export-licence scenario model: what happens to an importer when China restricts exports.

One month at a time, an importer (Japan, the United States or the European Union) needs an
element group (for example the magnet metals neodymium and praseodymium). Part of the need
is met by recycling, part by Chinese supply, part by other countries. When China restricts
exports, licensed Chinese supply falls; other countries make up what they can; the stockpile
covers the rest until it is empty; what is left is *unmet demand*.

This package is read from the bottom up; nothing imports upward:

==================  ===========================================================================
``formula``         the mini-language of the model's formulas, evaluated by numpy, printed to Vega
``parameters``      each field's meaning, range and display facts; :class:`Scenario`
``equations``       the model written once (:data:`MODEL`), its summary, their numpy and Vega faces
``inputs``          defaults and presets from ``data/``; :func:`preset_slug`
``runs``            :func:`simulate`, :func:`summarize`, sweeps, sensitivity, questions a reader asks
``words``           the result sentence, written once, rendered to Python and to Vega
==================  ===========================================================================

Every name chapters, figures and tests use is importable from here (``sc.preset(...)``,
``sc.simulate(...)``, ``sc.describe(...)``).
"""

from widgets.scenario.equations import (
    ALL_COLUMNS,
    COLUMN_UNITS,
    MODEL,
    MONTH_FLAGS,
    OUTPUT_COLUMNS,
    SHORTAGE_TOLERANCE,
    STEP_MEANINGS,
    SUMMARY,
    Aggregate,
    CumulativeSum,
    Formula,
    equations,
    evaluate_model,
    summary_of,
    vega_month_sequence,
    vega_params,
    vega_summary_transforms,
    vega_transforms,
)
from widgets.scenario.inputs import (
    PRESET_ONLY_ROWS,
    as_field_value,
    default_scenario,
    parameter_table,
    plausible_high,
    preset,
    preset_first_month,
    preset_names,
    preset_slug,
    preset_table,
)
from widgets.scenario.parameters import (
    CHOICE_PARAMETERS,
    ELEMENT_GROUPS,
    GROUP_LABELS,
    HORIZON_CLIPPED,
    IMPORTERS,
    MONTH_PARAMETERS,
    NUMERIC_PARAMETERS,
    PARAMETERS,
    PLAUSIBLE,
    SUBJECTS,
    ParameterSpec,
    Scenario,
    check_value,
)
from widgets.scenario.runs import (
    DEFAULT_SENSITIVITY_EXCLUDED,
    SENSITIVITY_PARAMETERS,
    approval_rate_needed,
    sensitivity,
    simulate,
    simulate_many,
    stockpile_needed_days,
    summarize,
    sweep,
)
from widgets.scenario.words import describe, percent_words

__all__ = [
    "ALL_COLUMNS",
    "CHOICE_PARAMETERS",
    "COLUMN_UNITS",
    "DEFAULT_SENSITIVITY_EXCLUDED",
    "ELEMENT_GROUPS",
    "GROUP_LABELS",
    "HORIZON_CLIPPED",
    "IMPORTERS",
    "MODEL",
    "MONTH_FLAGS",
    "MONTH_PARAMETERS",
    "NUMERIC_PARAMETERS",
    "OUTPUT_COLUMNS",
    "PARAMETERS",
    "PLAUSIBLE",
    "PRESET_ONLY_ROWS",
    "SENSITIVITY_PARAMETERS",
    "SHORTAGE_TOLERANCE",
    "STEP_MEANINGS",
    "SUBJECTS",
    "SUMMARY",
    "Aggregate",
    "CumulativeSum",
    "Formula",
    "ParameterSpec",
    "Scenario",
    "approval_rate_needed",
    "as_field_value",
    "check_value",
    "default_scenario",
    "describe",
    "equations",
    "evaluate_model",
    "parameter_table",
    "percent_words",
    "plausible_high",
    "preset",
    "preset_first_month",
    "preset_names",
    "preset_slug",
    "preset_table",
    "sensitivity",
    "simulate",
    "simulate_many",
    "stockpile_needed_days",
    "summarize",
    "summary_of",
    "sweep",
    "vega_month_sequence",
    "vega_params",
    "vega_summary_transforms",
    "vega_transforms",
]
