"""Readers at the edge: filled workbooks and prefill data files → field values."""
