"""Words the 评分 sheet and the score table share."""

EVALUATOR_VALUE = "评价组评分"  # the 指标值 cell of an evaluator row
PROFILE_NAME = "score_profile_yaml"  # the defined name of the cell holding the scored profile (YAML)
