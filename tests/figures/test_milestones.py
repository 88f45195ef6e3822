"""The EU's 2030 targets and the calendar of the alternatives."""

from __future__ import annotations

from widgets.data import load_table
from widgets.figures import milestones

SOURCE_KEYS = set(load_table("sources")["source"])


def test_eu_targets_chart_sets_every_target_against_a_situation():
    frame = milestones.eu_targets_frame()
    targets = load_table("policy_targets")
    eu = targets[targets["actor"] == "European Union"].set_index("stage")["value"]
    assert dict(zip(frame["stage"], frame["value"], strict=True)) == eu.to_dict()
    assert frame["situation"].str.len().min() > 20
    assert frame.set_index("stage").loc["extraction", "share_pct"] == 0


def test_timeline_counts_what_is_due_by_bessents_deadline():
    frame = milestones.milestones_frame()
    claim = frame.set_index("id").loc["bessent_claim"]
    due = int((frame["start_year"] <= claim["end_year"]).sum())
    assert f"{due} of them are due" in milestones.bessent_timeline().to_dict()["description"]
    assert milestones._month_text(float(claim["end_year"])) == "October 2027"
