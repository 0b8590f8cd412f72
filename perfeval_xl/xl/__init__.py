"""The Excel edge: the 校验 button (desktop add-in) and the Office.js/Lite script.

Both read the open book into the same ``WorkbookData`` the file reader
produces and hand it to the same engine as ``perfeval check``.
"""
