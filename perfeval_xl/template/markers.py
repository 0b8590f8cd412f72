"""Where a workbook says which template and version it is, outside any editable cell:
custom document properties, and hidden workbook-level names as a second copy."""

PROP_ID = "perfeval.template_id"
PROP_VERSION = "perfeval.template_version"
PROP_PROFILE = "perfeval.profile"
PROP_VARIANT = "perfeval.variant"
PROP_GENERATOR = "perfeval.generator"
NAME_VERSION = "PE_TEMPLATE_VERSION"
NAME_ID = "PE_TEMPLATE_ID"

# The 校验结果 sheet's switch for the one ribbon button: check, or take the marks off again.
ACTION_CELL = "B3"
ACTIONS = ("校验", "清除标记")
