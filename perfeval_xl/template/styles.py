"""The template's look, shared by every sheet the generator writes."""

from openpyxl.styles import Border, PatternFill, Side

THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FILL_INPUT = PatternFill("solid", fgColor="FFF2CC")  # the only cells an accountant types into
FILL_DERIVED = PatternFill("solid", fgColor="EDEDED")
FILL_HEADER = PatternFill("solid", fgColor="D9E1F2")
FILL_BLOCK = PatternFill("solid", fgColor="B4C6E7")
