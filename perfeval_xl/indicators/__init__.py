"""Performance indicators: declarations, scoring profiles and the scoring engine.

* ``INDICATORS`` – code → ``Indicator`` (``.name``, ``.inputs``, ``.evaluate(values)``,
  and the Excel formula of the same computation)
* ``PROFILES``   – profile id (N53, V1, V2, V3) → ``Profile`` (weights and rules, from YAML)
* ``score(values, profile_id)`` → ``ScoreCard`` (value, score and Chinese explanation per
  indicator; total; grade)

Pure Python over typed values (``perfeval_xl.schema.values``); no I/O library is imported.
"""

from .catalog import INDICATORS
from .engine import IndicatorScore, ScoreCard, grade, score
from .indicator import Indicator, Outcome
from .profile import PROFILES, Profile, profile_from_data

__all__ = [
    "INDICATORS",
    "Indicator",
    "IndicatorScore",
    "Outcome",
    "PROFILES",
    "Profile",
    "ScoreCard",
    "grade",
    "profile_from_data",
    "score",
]
