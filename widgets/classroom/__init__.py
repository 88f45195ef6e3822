"""The classroom pages: missions to predict, run and explain (``missions``, ``page``) and the
licence room, a role-play of the 2025-2026 crisis for an instructor (``room``).

Everything a student sees is computed from ``data/missions*.csv`` and the scenario model of
:mod:`widgets.scenario`; nothing here computes the model a second time.
"""

from widgets.classroom.missions import Mission, all_missions, answer, explanation, load_missions
from widgets.classroom.page import missions_view

__all__ = ["Mission", "answer", "explanation", "all_missions", "load_missions", "missions_view"]
