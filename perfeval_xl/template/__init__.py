"""The template workbook: its positions (declarations, no I/O) and its openpyxl writer."""
