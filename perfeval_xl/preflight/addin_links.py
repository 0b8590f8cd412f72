"""External links that are only calls to our own add-in's functions, which Excel writes as links.

A workbook saved while ``perfeval_xl.xlam`` is loaded stores each ``=PE_RATIO(…)`` as a call into
the add-in: an ``externalLink`` part whose book is the add-in (relationship ``xlStartup`` or
``externalLinkPath`` to ``…\\XLSTART\\perfeval_xl.xlam``), with the functions as its defined
names, and formulas reading ``[1]!PE_RATIO(…)``. Such a link carries no figures from another
file, so it is not SEC020 — but only when the book is our add-in, it holds no sheets and no
cached values, and every name it declares is one of our functions.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from functools import lru_cache
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import unquote

ADDIN_FILENAME = "perfeval_xl.xlam"  # fixed by xlwings: the add-in runs <file stem>.main() (xl/addin.py)

_DEFINED = re.compile(rb"<(?:[\w.-]+:)?definedName\b[^>]*?\bname\s*=\s*[\"']([^\"']+)[\"']")
_CONTENT = re.compile(rb"<(?:[\w.-]+:)?(sheetName|sheetData|cell|ddeLink|oleLink)\b")


@lru_cache(maxsize=1)
def addin_functions() -> frozenset[str]:
    """The Excel names of the UDFs, read from ``xl/udfs.py`` (``@xw.func`` functions, upper-cased) without
    importing xlwings."""
    spec = importlib.util.find_spec("perfeval_xl.xl.udfs")
    if spec is None or not spec.origin:
        return frozenset()
    tree = ast.parse(open(spec.origin, encoding="utf-8").read())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for dec in node.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                if isinstance(target, ast.Attribute) and target.attr == "func":
                    names.add(node.name.upper())
    return frozenset(names)


def _basename(target: str) -> str:
    text = unquote(target)
    if text.lower().startswith("file:"):
        text = re.sub(r"^file:/*", "", text, flags=re.I)
    return PureWindowsPath(PurePosixPath(text).name).name


def is_our_addin(link_xml: bytes, targets: list[str]) -> bool:
    """True when the link part and its targets are exactly what Excel writes for calls into our add-in."""
    if not targets or any(_basename(t).lower() != ADDIN_FILENAME for t in targets):
        return False
    if _CONTENT.search(link_xml):  # sheets or cached values: figures from the other book
        return False
    names = {m.decode("utf-8", "replace").upper() for m in _DEFINED.findall(link_xml)}
    ours = addin_functions()
    return bool(ours) and names <= ours


__all__ = ["ADDIN_FILENAME", "addin_functions", "is_our_addin"]
