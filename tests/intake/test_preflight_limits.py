"""The pre-flight's zip limits on both sides of each edge, on a member large enough to be judged.

A compression ratio is only judged for parts inflating beyond the 2 MiB floor (small XML
parts legitimately compress 100:1); above it the limit is 200:1. Each fixture's real ratio
is measured from the zip itself before the pre-flight sees it, so the case cannot drift
to the wrong side of the edge unnoticed.
"""

from __future__ import annotations

import io
import random
import zipfile

import intake_corpus as C
import pytest

from perfeval_xl.intake.preflight import Limits, preflight

MiB = 1 << 20
MEMBER = "xl/media/padding.bin"


def _body(size: int, noise: int) -> bytes:
    """``size`` bytes: ``noise`` incompressible ones, then zeros (compresses to about ``noise`` bytes)."""
    rnd = random.Random(16)
    return bytes(rnd.getrandbits(8) for _ in range(noise)) + b"\0" * (size - noise)


def _ratio(data: bytes) -> float:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(MEMBER)
        return info.file_size / info.compress_size


def _with_member(size: int, target_ratio: float) -> bytes:
    """The example workbook plus one ``size``-byte part whose measured ratio is within 1 of ``target_ratio``."""
    base = C.example()
    lo, hi = 0, size
    while lo < hi:  # more noise → lower ratio
        mid = (lo + hi) // 2
        if _ratio(C.rezip(base, add={MEMBER: _body(size, mid)})) > target_ratio:
            lo = mid + 1
        else:
            hi = mid
    data = C.rezip(base, add={MEMBER: _body(size, lo)})
    assert abs(_ratio(data) - target_ratio) < 1, _ratio(data)
    return data


def _codes(data: bytes) -> list[str]:
    return [f.rule_id for f in preflight(data, "x.xlsx").findings]


def test_the_limits_these_cases_are_built_around():
    assert (Limits().max_ratio, Limits().ratio_min_bytes) == (200.0, 2 * MiB)


@pytest.mark.parametrize(("size", "ratio", "bomb"), [
    (3 * MiB, 190, False),  # above the floor, under 200:1
    (3 * MiB, 210, True),  # above the floor, over 200:1
    (2 * MiB + 64 * 1024, 210, True),  # just above the floor
    (2 * MiB - 64 * 1024, 900, False),  # just under the floor: never judged by its ratio
])
def test_compression_ratio_edge(size, ratio, bomb):
    data = _with_member(size, ratio)
    report = preflight(data, "x.xlsx")
    sec003 = [f for f in report.findings if f.rule_id == "SEC003"]
    if bomb:
        assert [f.params["member"] for f in sec003] == [MEMBER] and report.blocked
        assert sec003[0].params["ratio"] == int(_ratio(data)) and sec003[0].params["limit"] == 200
    else:
        assert not sec003 and not report.blocked, _codes(data)
