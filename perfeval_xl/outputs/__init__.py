"""Writers at the edge: annotated copies, summaries, terminal output, JSON, LibreOffice conversion."""
