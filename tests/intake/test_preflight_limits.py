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

from perfeval_xl.preflight import Limits, preflight

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


# -- every other limit, exactly at it and one past it (small Limits keep the fixtures small) ------------


def _zip(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


def _pf(data: bytes, **limits):
    report = preflight(data, "x.xlsx", Limits(**limits))
    return [f.rule_id for f in report.findings], report


def test_file_size_limit():
    data = C.example()
    assert _pf(data, max_file_bytes=len(data))[0] == []
    codes, report = _pf(data, max_file_bytes=len(data) - 1)
    assert codes == ["SEC001"] and report.blocked and report.kind == "unknown"
    assert report.findings[0].params["limit_mb"] == f"{(len(data) - 1) / MiB:.1f}"


def test_member_count_limit():
    data = C.example()
    n = len(zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert _pf(data, max_members=n)[0] == [] and _pf(data, max_members=n)[1].members == n
    codes, report = _pf(data, max_members=n - 1)
    assert codes == ["SEC002"] and report.blocked and report.findings[0].params == {"count": n, "limit": n - 1}


def test_member_size_limit_declared():
    data = C.example()
    biggest = max(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert _pf(data, max_member_bytes=biggest)[0] == []
    codes, report = _pf(data, max_member_bytes=biggest - 1)
    assert codes == ["SEC004"] and report.blocked


def test_total_size_limit_declared():
    data = C.example()
    total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    ok_codes, ok = _pf(data, max_total_bytes=total)
    assert ok_codes == [] and ok.inflated == total
    codes, report = _pf(data, max_total_bytes=total - 1)
    assert codes == ["SEC004"] and report.blocked and report.findings[0].params["what"] == "全部部件合计"


def test_sheet_extent_limits():
    data = C.example()
    codes, report = _pf(data, max_sheet_rows=5)
    assert "SEC008" in codes and report.blocked
    f = next(f for f in report.findings if f.rule_id == "SEC008")
    assert f.params["rows"] > 5 and f.params["limit_rows"] == 5
    codes, report = _pf(data, max_sheet_cells=20)
    assert "SEC008" in codes and report.blocked
    assert _pf(data, max_sheet_rows=100_000, max_sheet_cells=2_000_000)[0] == []


def test_a_member_inflating_beyond_its_declared_size_is_a_lie():
    codes, report = _pf(C.zip_size_lie(C.example()))
    assert codes == ["SEC005"] and report.blocked


def test_declared_size_bomb_is_blocked_before_inflating():
    codes, report = _pf(C.zip_bomb_declared(C.example()))
    assert codes[0] == "SEC004" and report.blocked and report.inflated == 0


@pytest.mark.parametrize(("make", "code"), [
    (lambda b: C.corrupt_zip(b), "SEC015"),
    (lambda b: C.truncated(b), "SEC015"),
    (lambda b: C.damaged_member(b), "SEC015"),
    (lambda b: C.xlsb(b), "SEC017"),
    (lambda b: C.billion_laughs(b), "SEC006"),
    (lambda b: C.external_entity(b), "SEC007"),
    (lambda b: b"", "SEC016"),
    (lambda b: "这不是表格".encode(), "SEC014"),
    (lambda b: b"%PDF-1.4\n1 0 obj<<>>endobj\n", "SEC014"),
    (lambda b: _zip({"word/document.xml": b"<w/>"}), "SEC014"),
])
def test_each_bad_package_has_its_code(make, code):
    codes, report = _pf(make(C.example()))
    assert codes[0] == code and report.blocked, codes


def test_stored_members_are_streamed_and_checked_too():
    data = C.example()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    stored = _zip(members, zipfile.ZIP_STORED)
    codes, report = _pf(stored)
    assert codes == [] and not report.blocked and report.inflated == sum(len(b) for b in members.values())
    assert "SEC008" in _pf(stored, max_sheet_rows=5)[0]


def test_a_clean_workbook_passes_with_its_size_counted():
    data = C.example()
    codes, report = _pf(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
    assert codes == [] and not report.blocked and report.kind == "xlsx"
    assert (report.members, report.inflated) == (len(infos), sum(i.file_size for i in infos))


def test_a_member_streamed_in_many_chunks_is_counted_exactly():
    """An incompressible 300 KB part inflates over several 64 KiB input steps and 256 KiB output chunks."""
    body = bytes(random.Random(7).getrandbits(8) for _ in range(300_000))
    data = C.rezip(C.example(), add={MEMBER: body})
    codes, report = _pf(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        total = sum(i.file_size for i in z.infolist())
    assert codes == [] and report.inflated == total


def test_a_compression_method_excel_never_writes_is_refused():
    data = C.example()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr(MEMBER, b"x" * 1000, compress_type=zipfile.ZIP_BZIP2)
    codes, report = _pf(out.getvalue())
    assert codes == ["SEC015"] and report.blocked and MEMBER in report.findings[0].params["detail"]


def test_a_broken_local_header_is_refused_naming_the_part():
    data = bytearray(C.example())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.infolist()[1]
    data[info.header_offset:info.header_offset + 4] = b"XXXX"  # the central directory still points here
    codes, report = _pf(bytes(data))
    assert codes == ["SEC015"] and report.blocked and info.filename in report.findings[0].params["detail"]
