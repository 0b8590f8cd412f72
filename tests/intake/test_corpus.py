"""The bad-input corpus: generated here, run through one real `perfeval intake -j 2` batch.

Each case asserts its specific coded finding (SEC… from the pre-flight, STR/VAL
from the checker); the batch as a whole must complete with zero crashes and leave
every original byte-identical.
"""

from __future__ import annotations

import functools
import re
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

import hostile_corpus as H
import intake_corpus as C
from perfeval_xl.cli import main

GOOD = "dept-good@example.gov.cn"


def _eml(msg) -> bytes:
    return bytes(msg)


def _xlsx_mail(name: str, data: bytes, **kw) -> bytes:
    return _eml(C.mail(attachments=[(name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")], **kw))


def build_cases(base: bytes) -> dict[str, tuple[str, bytes, dict]]:
    """case id → (file name in the inbox, bytes, expectation)."""
    gbk_name = "2023年度部门整体支出绩效评价表.xlsx"
    dup = C.with_dept(base, "重复报送测试局", 2023)
    first = C.with_dept(base, "替代测试局", 2023)
    second = C.variant(first, 2)
    nested_zip = C.zip_archive([("inner.zip", C.zip_archive([("深层/预算表.xlsx", C.with_dept(base, "嵌套压缩测试局"))]))])
    inner_mail = C.mail(sender="unit@example.gov.cn", subject="原始报送",
                        attachments=[("转发的报表.xlsx", C.with_dept(base, "转发测试局"), "application/octet-stream")])
    winmail = C.mail(sender="outlook@example.gov.cn", subject="winmail",
                     attachments=[("winmail.dat", C.tnef([("预算绩效表.xlsx".encode("gbk"), C.with_dept(base, "TNEF测试局"))]),
                                   "application/ms-tnef")])
    cases = {
        # --- SEC: the pre-flight ---------------------------------------------------------------
        "oversize": ("oversize.xlsx", None, {"sec": "SEC001"}),
        "zip_bomb_ratio": ("bomb_ratio.xlsx", C.zip_bomb_ratio(base), {"sec": "SEC003"}),
        "zip_bomb_declared": ("bomb_declared.xlsx", C.zip_bomb_declared(base), {"sec": "SEC004"}),
        "zip_size_lie": ("size_lie.xlsx", C.zip_size_lie(base), {"sec": "SEC005"}),
        "too_many_members": ("members.xlsx", C.too_many_members(base), {"sec": "SEC002"}),
        "billion_laughs": ("laughs.xlsx", C.billion_laughs(base), {"sec": "SEC006"}),
        "external_entity": ("xxe.xlsx", C.external_entity(base), {"sec": "SEC007"}),
        "vba_xlsm": ("macro.xlsm", C.vba_macro(base), {"sec": "SEC010"}),
        "vba_in_xlsx": ("macro_hidden.xlsx", C.vba_macro(base, xlsm=False), {"sec": "SEC010"}),
        "xlm_macro": ("xlm.xlsx", C.xlm_macro(base), {"sec": "SEC011"}),
        "encrypted": ("encrypted.xlsx", C.encrypted(base), {"sec": "SEC012"}),
        "legacy_xls": ("legacy.xls", C.legacy_xls(), {"sec": "SEC013"}),
        "not_a_workbook_pdf": ("report.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", {"sec": "SEC014"}),
        "not_a_workbook_text": ("notes.xlsx", "这不是表格".encode("utf-8"), {"sec": "SEC014"}),
        "external_link": ("linked.xlsx", C.external_link(base), {"sec": "SEC020"}),
        "xlsb": ("binary.xlsb", C.xlsb(base), {"sec": "SEC017"}),
        "huge_sheet": ("huge.xlsx", C.huge_sheet(base), {"sec": "SEC008"}),
        "stray_cell": ("stray.xlsx", C.stray_cell(base), {"sec": "SEC008"}),
        "long_cell_text": ("long_text.xlsx", H.long_rich_text_runs(base), {"sec": "SEC009"}),
        "corrupt_zip": ("corrupt.xlsx", C.corrupt_zip(base), {"sec": "SEC015"}),
        "truncated": ("truncated.xlsx", C.truncated(base), {"sec": "SEC015"}),
        "damaged_member": ("damaged.xlsx", C.damaged_member(base), {"sec": "SEC015"}),
        "empty_attachment": ("empty.eml", _xlsx_mail("空表.xlsx", b""), {"sec": "SEC016"}),
        "no_attachment": ("plain.eml", _eml(C.mail(subject="只有正文")), {"sec": "SEC030"}),
        "outlook_msg": ("outlook.msg", C.outlook_msg_with([("绩效评价表.xlsx", C.with_dept(base, "MSG测试局"))]),
                        {"file_name": "绩效评价表.xlsx", "department": "MSG测试局"}),
        "outlook_msg_damaged": ("damaged.msg", C.outlook_msg(), {"sec": "SEC033"}),
        "corrupt_archive": ("broken.zip", C.truncated(C.zip_archive([("a.xlsx", base)])), {"sec": "SEC033"}),
        "embedded_object": ("embedded.xlsx", C.with_dept(C.embedded_object(base), "嵌入对象测试局"),
                            {"warning": "SEC021", "department": "嵌入对象测试局"}),
        # --- the checker (template recognition, structure, values) -----------------------------
        "wrong_template": ("plain_openpyxl.xlsx", C.wrong_template(), {"rule": "STR003"}),
        "old_template_version": ("old_version.xlsx", C.with_dept(C.old_version(base), "旧模板测试局"),
                                 {"rule_any": ("STR004", "STR005"), "template_version": "0.9", "receipt": "请使用新版模板"}),
        "deleted_sheet": ("deleted_sheet.xlsx", C.with_dept(C.deleted_sheet(base), "删表测试局"), {"rule": "STR006"}),
        "renamed_sheet": ("renamed_sheet.xlsx", C.with_dept(C.renamed_sheet(base), "改名测试局"), {"rule": "STR006"}),
        "text_in_money": ("text_money.xlsx", C.with_dept(C.text_in_money(base), "文字金额测试局"), {"rule": "VAL002"}),
        "hidden_sheet": ("hidden_sheet.xlsx", C.with_dept(C.hidden_sheet_added(base), "隐藏表测试局"), {"rule": "STR013", "fails": False}),
        "protection_removed": ("unprotected.xlsx", C.with_dept(C.protection_removed(base), "撤销保护测试局"),
                               {"department": "撤销保护测试局", "rule": "STR015", "fails": False}),
        # --- mail and containers --------------------------------------------------------------
        "gbk_rfc2047": ("gbk2047.eml", C.raw_mail_gbk(gbk_name, C.with_dept(base, "编码测试局甲"), "2047",
                                                       message_id="<gbk2047@example.gov.cn>"),
                        {"file_name": gbk_name, "department": "编码测试局甲"}),
        "gbk_rfc2231": ("gbk2231.eml", C.raw_mail_gbk(gbk_name, C.with_dept(base, "编码测试局乙"), "2231",
                                                       message_id="<gbk2231@example.gov.cn>"),
                        {"file_name": gbk_name, "department": "编码测试局乙"}),
        "zip_gbk_names": ("材料.zip", C.zip_archive([("财务/绩效评价表.xlsx", C.with_dept(base, "压缩包测试局"))], gbk_names=True),
                          {"file_name": "绩效评价表.xlsx", "department": "压缩包测试局"}),
        "zip_nested": ("nested.zip", nested_zip, {"file_name": "预算表.xlsx", "department": "嵌套压缩测试局"}),
        "forwarded": ("forwarded.eml", _eml(C.forwarded(inner_mail)), {"file_name": "转发的报表.xlsx", "department": "转发测试局"}),
        "winmail_dat": ("winmail.eml", _eml(winmail), {"file_name": "预算绩效表.xlsx", "department": "TNEF测试局"}),
        "path_traversal_name": ("traversal.eml", _xlsx_mail("../../../etc/evil.xlsx", C.with_dept(base, "路径测试局")),
                                {"file_name": "../../../etc/evil.xlsx", "stored": "evil.xlsx"}),
        "formula_department": ("formula_dept.xlsx", C.with_dept(base, '=HYPERLINK("http://x","点我")'),
                               {"department": '=HYPERLINK("http://x","点我")'}),
        "duplicate_a": ("dup_a.eml", _xlsx_mail("重复.xlsx", dup, message_id="<dup-a@example.gov.cn>"), {"department": "重复报送测试局"}),
        "duplicate_b": ("dup_b.eml", _xlsx_mail("重复.xlsx", dup, message_id="<dup-b@example.gov.cn>"), {"status": "duplicate"}),
        "supersede_first": ("sup_1.eml", _xlsx_mail("替代.xlsx", first, message_id="<sup-1@example.gov.cn>"),
                            {"department": "替代测试局"}),
        "supersede_second": ("sup_2.eml", _xlsx_mail("替代v2.xlsx", second, message_id="<sup-2@example.gov.cn>",
                                                      date=__import__("datetime").datetime(2024, 3, 5, 9, 0, tzinfo=__import__("datetime").timezone.utc)),
                             {"supersedes": "supersede_first"}),
        "good": ("good.eml", _xlsx_mail("示例区农业农村局.xlsx", base, sender=GOOD, message_id="<good@example.gov.cn>"),
                 {"status": "passed"}),
    }
    return cases


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    inbox = root / "inbox"
    inbox.mkdir()
    cases_ = cases()
    paths = {}
    for i, (case, (name, data, _exp)) in enumerate(cases_.items()):
        folder = inbox / f"{i:02d}_{case}"
        folder.mkdir()
        path = folder / name
        if data is None:  # oversize: a sparse 26 MB file, written without holding it in memory
            with open(path, "wb") as fh:
                fh.truncate(26 << 20)
        else:
            path.write_bytes(data)
        paths[case] = path
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.rglob("*") if p.is_file()}
    out = root / "out"
    rc = main(["intake", str(inbox), "--out", str(out), "-j", "2", "-q"])
    stored_before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*") if p.is_file()}
    db = sqlite3.connect(out / "ledger.sqlite3")
    db.row_factory = sqlite3.Row
    yield {"cases": cases_, "paths": paths, "before": before, "out": out, "rc": rc, "db": db, "inbox": inbox,
           "stored_before": stored_before}
    db.close()


def rows(corpus, case) -> list[dict]:
    path = str(corpus["paths"][case])
    return [dict(r) for r in corpus["db"].execute(
        "SELECT s.* FROM submissions s JOIN messages m ON m.key = s.message_key WHERE m.source = ? ORDER BY s.id", (path,))]


def codes(row) -> list[str]:
    return [f["rule_id"] for f in json.loads(row["report_json"])["findings"]]


def test_corpus_is_large_enough(corpus):
    assert len(corpus["cases"]) >= 30


def test_batch_completes_without_crashes(corpus):
    assert corpus["rc"] == 1  # some submissions need attention; not 2 (usage) and no exception
    n_messages = corpus["db"].execute("SELECT COUNT(*) FROM messages").fetchone()[0]
    assert n_messages == len(corpus["cases"])
    failed = corpus["db"].execute("SELECT source, error FROM messages WHERE error IS NOT NULL").fetchall()
    assert not failed, [tuple(r) for r in failed]
    for row in corpus["db"].execute("SELECT report_json FROM submissions"):
        assert "SEC090" not in row[0], row[0][:500]
    assert (corpus["out"] / "summary.xlsx").is_file() and (corpus["out"] / "summary.json").is_file()


def test_originals_byte_identical(corpus):
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus["inbox"].rglob("*") if p.is_file()}
    assert after == corpus["before"]
    # the stored originals equal the received bytes
    for row in corpus["db"].execute("SELECT stored_path, sha256 FROM submissions WHERE stored_path IS NOT NULL"):
        assert hashlib.sha256((corpus["out"] / row[0]).read_bytes()).hexdigest() == row[1]


def assert_passed_exactly(corpus, row) -> None:
    """Warnings only: 合格 — the ledger status, the receipt's verdict line and both summaries agree.

    Compared whole, never with ``in``: "合格" is a substring of "不合格".
    """
    assert (row["status"], row["passed"], row["errors"]) == ("passed", 1, 0) and row["warnings"] >= 1, dict(row)
    lines = (corpus["out"] / row["receipt_txt"]).read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if line.startswith("校验结论：")] == ["校验结论：合格"]
    doc = json.loads((corpus["out"] / "summary.json").read_text(encoding="utf-8"))
    entry = next(e for e in doc["departments"] + doc["unattributed"] if e["id"] == row["id"])
    assert (entry["status"], entry["verdict"], entry["errors"]) == ("passed", "合格", 0)
    from openpyxl import load_workbook

    wb = load_workbook(corpus["out"] / "summary.xlsx", read_only=True)
    column = {r[0]: r[3] for r in wb["汇总"].iter_rows(min_row=2, values_only=True)}
    wb.close()
    assert column[row["id"]] == "合格"


@functools.lru_cache(maxsize=1)
def cases() -> dict:
    return build_cases(C.example())


@pytest.mark.parametrize("case", list(cases()))
def test_case(corpus, case):
    _name, _data, exp = corpus["cases"][case]
    found = rows(corpus, case)
    assert found, f"no ledger row for {case}"
    row = found[0]
    all_codes = [c for r in found for c in codes(r)]
    if "sec" in exp:
        assert exp["sec"] in all_codes, all_codes
        assert row["status"] == "rejected"
        if row["stored_path"]:
            assert row["stored_path"].startswith("rejected/"), row["stored_path"]
        assert row["passed"] == 0
    if "warning" in exp:
        assert exp["warning"] in all_codes
        assert_passed_exactly(corpus, row)
    if "rule" in exp:
        assert exp["rule"] in all_codes, all_codes
        if exp.get("fails", True):
            assert row["passed"] == 0
        else:
            assert_passed_exactly(corpus, row)
    if "rule_any" in exp:
        assert set(exp["rule_any"]) & set(all_codes), all_codes
        assert row["passed"] == 0
    for key in ("department", "file_name", "template_version", "status"):
        if key in exp:
            assert row[key] == exp[key], (key, row[key])
    if "stored" in exp:
        stored = Path(row["stored_path"])
        assert stored.name == exp["stored"] and ".." not in stored.parts
        assert (corpus["out"] / stored).resolve().is_relative_to(corpus["out"].resolve())
    if "receipt" in exp:
        assert exp["receipt"] in (corpus["out"] / row["receipt_txt"]).read_text(encoding="utf-8")
    if "supersedes" in exp:
        earlier = rows(corpus, exp["supersedes"])[0]
        assert row["supersedes"] == earlier["id"]
        again = corpus["db"].execute("SELECT superseded_by FROM submissions WHERE id = ?", (earlier["id"],)).fetchone()[0]
        assert again == row["id"]
    if exp.get("status") == "duplicate":
        first = rows(corpus, "duplicate_a")[0]
        assert row["duplicate_of"] == first["id"] and row["sha256"] == first["sha256"]
    # every submission has its receipt and reply draft
    assert row["receipt_txt"] and (corpus["out"] / row["receipt_txt"]).is_file()
    assert row["reply_eml"] and (corpus["out"] / row["reply_eml"]).is_file()


def test_good_submission_outputs(corpus):
    row = rows(corpus, "good")[0]
    assert row["status"] == "passed" and row["department"] == "示例区农业农村局（虚构示例）" and row["year"] == "2023"
    assert row["sender"] == GOOD and row["message_id"] == "<good@example.gov.cn>"
    assert row["annotated_path"] and (corpus["out"] / row["annotated_path"]).is_file()
    text = (corpus["out"] / row["receipt_txt"]).read_text(encoding="utf-8")
    assert "校验结论：合格" in text and row["sha256"] in text
    from email import message_from_bytes, policy

    reply = message_from_bytes((corpus["out"] / row["reply_eml"]).read_bytes(), policy=policy.default)
    assert reply["To"].addresses[0].addr_spec == GOOD
    assert reply["In-Reply-To"] == "<good@example.gov.cn>"
    names = [p.get_filename() for p in reply.iter_attachments()]
    assert any(n.endswith("_批注.xlsx") for n in names), names


def test_rerun_adds_nothing(corpus, tmp_path):
    n = corpus["db"].execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    rc = main(["intake", str(corpus["inbox"]), "--out", str(corpus["out"]), "-q"])
    assert rc == 0  # nothing new needs attention
    assert corpus["db"].execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == n


def test_summary_is_formula_safe(corpus):
    from openpyxl import load_workbook

    wb = load_workbook(corpus["out"] / "summary.xlsx")
    ws = wb["汇总"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("'") for c in cells)
    assert {"汇总", "全部问题", "图表"} <= set(wb.sheetnames)
    assert wb["图表"]._charts, "charts missing"
    doc = json.loads((corpus["out"] / "summary.json").read_text(encoding="utf-8"))
    assert doc["totals"]["duplicates"] >= 1 and doc["totals"]["superseded"] >= 1
    assert any(e["department"] == "示例区农业农村局（虚构示例）" for e in doc["departments"])


def test_every_security_rule_has_a_corpus_case(corpus):
    """Each SEC rule of the registry is raised by some generated bad input of this batch, as recorded in its
    ledger (submission reports and message notes) — not merely named somewhere in a test file; the few that
    need their own fixture (a mail without its .msg extra, limits of a message) are raised by UNIT_CASES."""
    from perfeval_xl.rules.registry import REGISTRY

    raised = set()
    for (report_json,) in corpus["db"].execute("SELECT report_json FROM submissions"):
        raised |= {f["rule_id"] for f in json.loads(report_json or "{}").get("findings") or []}
    for (notes,) in corpus["db"].execute("SELECT notes FROM messages"):
        raised |= set(re.findall(r"SEC\d{3}", notes or ""))
    raised_elsewhere = {rule: UNIT_CASES[rule]() for rule in UNIT_CASES}
    assert all(rule in codes_ for rule, codes_ in raised_elsewhere.items()), raised_elsewhere
    missing = {r for r in REGISTRY if r.startswith("SEC") and r != "SEC090"} - raised - set(raised_elsewhere)
    assert not missing, f"SEC rules no intake case raises: {sorted(missing)}"


def _codes_of(mail) -> set[str]:
    return {f.rule_id for f in mail.notes} | {f.rule_id for item in mail.items for f in item.findings}


def _too_deep() -> set[str]:
    from perfeval_xl.intake.attachments import read_mail
    from perfeval_xl.preflight import Limits

    msg = C.mail(attachments=[("a.xlsx", C.example(), "application/octet-stream")])
    for _ in range(6):
        msg = C.forwarded(msg)
    return _codes_of(read_mail(bytes(msg), Limits(max_depth=3)))


def _ignored_attachment() -> set[str]:
    from perfeval_xl.intake.attachments import read_mail

    return _codes_of(read_mail(bytes(C.mail(attachments=[("说明.pdf", b"%PDF-1.4 x", "application/pdf")]))))


def _oversized_message() -> set[str]:
    from perfeval_xl.intake.attachments import read_mail
    from perfeval_xl.preflight import Limits

    raw = bytes(C.mail(attachments=[("表.xlsx", C.example(), "application/octet-stream")]))
    return _codes_of(read_mail(raw, Limits(max_message_bytes=10_000)))


def _msg_without_extra() -> set[str]:
    import sys
    from unittest import mock

    from perfeval_xl.intake.attachments import msg_items

    with mock.patch.dict(sys.modules, {"extract_msg": None}):  # import extract_msg → ImportError
        return _codes_of(msg_items("outlook.msg", C.outlook_msg_with([("表.xlsx", C.example())])))


# SEC rules about a message rather than a file, each raised by its own small fixture
def _ledger_codes(out: Path) -> set[str]:
    db = sqlite3.connect(out / "ledger.sqlite3")
    try:
        codes = set()
        for (report_json,) in db.execute("SELECT report_json FROM submissions"):
            codes |= {f["rule_id"] for f in json.loads(report_json or "{}").get("findings") or []}
        return codes
    finally:
        db.close()


def _unusable_sender() -> set[str]:
    from perfeval_xl.intake.attachments import read_mail

    raw = bytes(C.mail(attachments=[("表.xlsx", C.example(), "application/octet-stream")]))
    raw = re.sub(rb"^From: .*$", "From: 财务科 <not an address>".encode(), raw, count=1, flags=re.M)
    return _codes_of(read_mail(raw))


def _fifo_in_a_folder() -> set[str]:
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        inbox, out = Path(tmp, "inbox"), Path(tmp, "out")
        inbox.mkdir()
        os.mkfifo(inbox / "pipe.xlsx")
        main(["intake", str(inbox), "--out", str(out), "-q", "--no-annotate"])
        return _ledger_codes(out)


def _unregistered_sender() -> set[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        box, out, expected = Path(tmp, "in.eml"), Path(tmp, "out"), Path(tmp, "departments.csv")
        book = C.with_dept(C.example(), "冒名测试局", 2023)
        box.write_bytes(bytes(C.mail(sender="stranger@evil.example", attachments=[("表.xlsx", book, "application/octet-stream")])))
        expected.write_text("预算编码,部门名称,邮箱\n901,冒名测试局,caizheng@example.gov.cn\n", encoding="utf-8")
        main(["intake", str(box), "--out", str(out), "-q", "--no-annotate", "--expected", str(expected)])
        return _ledger_codes(out)


UNIT_CASES = {"SEC031": _msg_without_extra, "SEC032": _too_deep, "SEC034": _ignored_attachment, "SEC035": _oversized_message,
              "SEC036": _unusable_sender, "SEC037": _fifo_in_a_folder, "SEC040": _unregistered_sender}
