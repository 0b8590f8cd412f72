"""The security pre-flight shared by ``perfeval check`` and ``perfeval intake``.

``scan`` checks a file's bytes before any spreadsheet parser sees them (SEC rules);
``package`` maps an OOXML package's parts by relationships and content types;
``guard`` runs the parsing of untrusted files in a worker process with time and memory limits.
"""

from .scan import Limits, Preflight, SEC_RULES, is_workbook_package, preflight, scan_zip, sec, sniff

__all__ = ["Limits", "Preflight", "SEC_RULES", "is_workbook_package", "preflight", "scan_zip", "sec", "sniff"]
