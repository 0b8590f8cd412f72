"""The template computes alike in Excel 2010+, WPS and LibreOffice: only whitelisted functions, nothing newer."""

from __future__ import annotations

import re
import zipfile

from perfeval_xl.examples import ROOT, TEMPLATE_NAME
from perfeval_xl.rules.excel_backend import FUNCTIONS, native_checks

_FORMULA = re.compile(rb"<(f|formula|formula1|formula2|definedName)\b[^>]*>([^<]*)</\1>")
_STRING = re.compile(r'"(?:[^"]|"")*"')
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")


def _formulas(path) -> list[str]:
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                out += [m.group(2).decode("utf-8") for m in _FORMULA.finditer(z.read(name))]
    return out


def test_every_formula_of_the_template_uses_only_whitelisted_functions():
    formulas = _formulas(ROOT / TEMPLATE_NAME)
    assert len(formulas) > 1000  # the scan reads cells, conditional formats, validations and names
    used = {fn.upper() for f in formulas for fn in _CALL.findall(_STRING.sub('""', f))}
    assert used <= FUNCTIONS, f"not on the whitelist: {sorted(used - FUNCTIONS)}"
    newer = [f for f in formulas if "_xlfn." in f or "_xlws." in f or "_xlpm." in f]
    assert newer == []
    assert max(len(f) for f in formulas) < 8192  # Excel's limit (measured on the XML text, which is longer)


def test_the_native_formulas_fit_excels_limits():
    """8192 characters per formula and 64 nested levels (Excel 2010); the longest row must still fit."""
    for chk in native_checks():
        for key, text in chk.formulas.items():
            assert len(text) < 8000, (chk.rule.id, key, len(text))
            depth = deepest = 0
            for ch in _STRING.sub('""', text):
                depth += ch == "("
                depth -= ch == ")"
                deepest = max(deepest, depth)
            assert deepest < 64, (chk.rule.id, key, deepest)
