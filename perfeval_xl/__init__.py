"""perfeval-xl: 部门整体支出绩效评价 toolkit (template, checker, indicators, intake)."""

__version__ = "0.1.0"


def main() -> None:
    """Entry point of the Excel add-in's 校验 button (``RunPython "import perfeval_xl; perfeval_xl.main()"``)."""
    from .xl.button import main as _main  # imported lazily: xlwings is only needed in Excel

    _main()
