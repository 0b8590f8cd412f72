"""perfeval profile import on 指标表 workbooks in the layouts bureaus publish."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from perfeval_xl.cli import main
from perfeval_xl.indicators import score
from perfeval_xl.indicators.profile import profile_from_data, profile_from_text
from perfeval_xl.indicators.table_import import TableError, import_table, parse_rule
from perfeval_xl.readers.score_table import read_table

from scoring_scenarios import EXAMPLE_2018
from tables.score_tables import DAZHOU, DECISION, HUNAN, PERSONAL, TABLES, YUEYANG, Table


def imported(tmp_path: Path, table: Table, **kw):
    grid, merges, _ = read_table(table.write(tmp_path / "t.xlsx", **kw))
    return import_table(grid, merges, profile_id="T")


def by_name(result):
    return {r.name: r for r in result.rows}


@pytest.mark.parametrize("key", sorted(TABLES))
def test_every_layout_imports_to_a_100_point_profile(tmp_path, key):
    result = imported(tmp_path, TABLES[key])
    profile = profile_from_data(result.data)
    assert profile.max_total == 100 and profile.full_marks == 100
    assert len(profile.items) == len(TABLES[key].rows) - (1 if key == "hunan" else 0)  # Hunan has a 合计 row


def test_hunan_annex_1(tmp_path):
    result = imported(tmp_path, HUNAN)
    rows = by_name(result)
    assert [lv["name"] for lv in result.data["levels"]] == ["投入", "过程", "产出", "效果"]
    assert [lv["points"] for lv in result.data["levels"]] == [13, 61, 16, 10]
    assert rows["在职人员控制率"].rule == {"type": "linear_over", "threshold": D(100), "deduct": D("0.5")}
    assert (rows["“三公经费”变动率"].code, rows["“三公经费”变动率"].rule["deduct"]) == ("SANGGONG_CHANGE_BUDGET", D("0.8"))
    assert rows["预算完成率"].code == "BUDGET_COMPLETION"  # 说明 has 上年结转 … 年末结余
    assert rows["预算完成率"].rule == {"type": "steps_under", "threshold": D(100), "step": D(5), "deduct": D(2)}
    assert rows["预算控制率"].rule["bands"] == {"=0": 5, "(0,10]": 4, "(10,20]": 3, "(20,30]": 2, ">30": 0}
    assert rows["新建楼堂馆所面积控制率"].rule["type"] == "steps_over"  # "没有…按满分计算" is the indicator's 不适用
    assert rows["固定资产利用率"].rule == {"type": "proportional", "target": D(100)}
    # ①1分 ②2分 ③2分 is not the template's one-point-per-item checklist: the evaluator scores it
    assert rows["管理制度健全性"].code is None and "未能识别" in rows["管理制度健全性"].status
    assert rows["资金使用合规性"].rule == {"type": "checklist", "per_item": D(1), "mode": "deduct"}
    assert rows["社会效益"].code is None and rows["社会效益"].status.startswith("评价组评分")
    profile = profile_from_data(result.data)
    card = score(EXAMPLE_2018, profile)
    assert card["STAFF_CONTROL"].score == 5 and card["SANGGONG_CHANGE_BUDGET"].score == 0
    assert card.grade is None and card.explanation.startswith("已评 ")


def test_yueyang_reference_sample(tmp_path):
    result = imported(tmp_path, YUEYANG)
    rows = by_name(result)
    assert [lv["points"] for lv in result.data["levels"]] == [15, 40, 25, 20]
    assert result.data["levels"][0]["name"] == "投入"  # "投入（15分）" split into name and weight
    assert rows["财政供养人员控制率"].code == "STAFF_CONTROL"
    assert rows["重点支出安排率"].rule["bands"] == {">=90": 5, "[80,90)": 4, "[70,80)": 3, "[60,70)": 2, "<60": 0}
    assert rows["预算调整率"].rule["bands"]["(20,30]"] == D("0.5")
    assert rows["资金结余"].rule["bands"] == {"=0": 3, "=1": 2, "=2": 0}
    assert rows["“三公经费”控制率"].rule == {"type": "linear_over", "threshold": D(100), "deduct": D(1)}
    assert rows["管理制度健全性"].rule == {"type": "checklist", "per_item": D(1), "mode": "award"}
    assert rows["支付进度"].code is None
    profile = profile_from_data(result.data)
    card = score(EXAMPLE_2018, profile)
    assert card["STAFF_CONTROL"].title == "财政供养人员控制率"  # the bureau's own name is printed


def test_dazhou_scores_table_is_all_evaluator_rows(tmp_path):
    result = imported(tmp_path, DAZHOU)
    assert [lv["points"] for lv in result.data["levels"]] == [25, 30, 45]
    assert all(r.code is None for r in result.rows)
    profile = profile_from_data(result.data)
    given = {i.key: (i.points, None) for i in profile.evaluator_items}
    card = score({}, profile, given)
    assert (card.total, card.grade) == (D(100), "优")


def test_decision_process_output_benefit_layout_with_sums_as_weights(tmp_path):
    result = imported(tmp_path, DECISION)
    rows = by_name(result)
    assert [(lv["name"], lv["points"]) for lv in result.data["levels"]] == [("决策", 20), ("过程", 35), ("产出", 25), ("效益", 20)]
    assert rows["预算执行率"].code == "BUDGET_EXECUTION"
    assert rows["结转结余率"].rule == {"type": "linear_over", "threshold": D(5), "deduct": D(1)}
    assert rows["在职人员控制率"].rule["threshold"] == D(100)
    assert rows["预算调整率"].rule["bands"][">20"] == 0
    assert rows["实际完成率"].code == "OUTPUT_COMPLETION"


def test_personal_indicators_added_by_the_department(tmp_path):
    result = imported(tmp_path, PERSONAL)
    rows = by_name(result)
    assert rows["个性指标：建议提案办结率"].code is None
    assert "未能识别" in rows["实际完成率"].status  # matched, but the 得分表 carries no 评价标准
    group = next(g for lv in result.data["levels"] for g in lv["groups"] if g["name"] == "履职成效")
    assert group["points"] == 20 and len(group["indicators"]) == 3


# -- bad tables ----------------------------------------------------------------------------------


def _with_row(table: Table, i: int, row: tuple) -> Table:
    rows = list(table.rows)
    rows[i] = row
    return Table(table.title_rows, table.header, tuple(rows), table.merge_cols)


def test_points_written_with_the_unit_name_the_row(tmp_path):
    bad = _with_row(YUEYANG, 2, YUEYANG.rows[2][:4] + ("5分",) + YUEYANG.rows[2][5:])
    with pytest.raises(TableError, match=r"第 6 行三级指标“重点支出安排率”：分值写作“5分”，请只填数字"):
        imported(tmp_path, bad)


def test_weights_that_do_not_add_up_name_the_rows(tmp_path):
    bad = _with_row(YUEYANG, 2, YUEYANG.rows[2][:4] + (4,) + YUEYANG.rows[2][5:])
    with pytest.raises(TableError) as e:
        imported(tmp_path, bad)
    assert "二级指标“预算配置”（第 4–6 行）分值 15，其三级指标合计 14" in str(e.value)
    assert "一级指标合计" not in str(e.value)  # 一级 weights are stated, so the 100 still holds


def test_levels_not_adding_to_100(tmp_path):
    bad = _with_row(DECISION, 13, DECISION.rows[13][:5] + (9,))
    with pytest.raises(TableError, match=r"一级指标合计 99 分（决策、过程、产出、效益），应为 100 分"):
        imported(tmp_path, bad)


def test_missing_points_column(tmp_path):
    t = Table(DAZHOU.title_rows, ("一级指标", "二级指标", "三级指标", "得分"), tuple(r[:3] + (None,) for r in DAZHOU.rows), (0, 1))
    with pytest.raises(TableError, match="第 2 行表头缺少三级指标的“分值”列"):
        imported(tmp_path, t)


def test_no_header_at_all(tmp_path):
    t = Table((), ("项目", "金额"), (("a", 1),), ())
    with pytest.raises(TableError, match="找不到表头"):
        imported(tmp_path, t)


def test_merged_cells_in_odd_places(tmp_path):
    with pytest.raises(TableError, match=r"第 5–6 行：“三级指标”列有跨行的合并单元格"):
        imported(tmp_path, YUEYANG, extra_merges=("C5:C6",))
    with pytest.raises(TableError, match=r"第 4 行：合并单元格跨越了“三级指标、评价标准”几列"):
        imported(tmp_path, YUEYANG, extra_merges=("C4:D4",))


@pytest.mark.parametrize("text,rule", [
    ("每超过一个百分点扣0.5分", None),  # no threshold stated
    ("满意度≥90%计满分，酌情扣分", None),
    ("变动率≤0，计8分；>0，每超过一个百分点扣0.8分", {"type": "linear_over", "threshold": D(0), "deduct": D("0.8")}),
    ("以100%为标准。每低于一个百分点扣1分", {"type": "linear_under", "threshold": D(100), "deduct": D(1)}),
])
def test_wording(text, rule):
    assert parse_rule("STAFF_CONTROL", text, D(8)) == rule


# -- the command -----------------------------------------------------------------------------------


def test_cli_writes_the_profile_and_prints_what_was_matched(tmp_path, capsys):
    src = YUEYANG.write(tmp_path / "岳阳评分表.xlsx")
    out = tmp_path / "岳阳.yml"
    assert main(["profile", "import", str(src), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "财政供养人员控制率\t5\t计算：STAFF_CONTROL" in text
    assert "支付进度\t3\t评价组评分" in text
    assert "由评价组评分" in text.splitlines()[-2]
    profile = profile_from_text(out.read_text(encoding="utf-8"))
    assert profile.id == "岳阳" and profile.max_total == 100
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["levels"][0]["groups"][0]["indicators"][0]["name"] == "财政供养人员控制率"


def test_cli_refuses_a_table_that_does_not_add_up_and_writes_nothing(tmp_path, capsys):
    bad = _with_row(YUEYANG, 2, YUEYANG.rows[2][:4] + (4,) + YUEYANG.rows[2][5:]).write(tmp_path / "bad.xlsx")
    out = tmp_path / "bad.yml"
    assert main(["profile", "import", str(bad), "--out", str(out)]) == 2
    assert "分值不平，未写出评分方案" in capsys.readouterr().err
    assert not out.exists()


def test_original_table_is_not_modified(tmp_path):
    src = HUNAN.write(tmp_path / "h.xlsx")
    before = src.read_bytes()
    assert main(["profile", "import", str(src), "--out", str(tmp_path / "h.yml")]) == 0
    assert src.read_bytes() == before


# -- the bundled profiles are 指标表 workbooks ---------------------------------------------------


def test_bundled_profiles_are_generated_from_their_workbooks():
    from perfeval_xl.cli.profile import bundled_tables, bundled_text

    pairs = bundled_tables()
    assert {t.stem for t, _ in pairs} == {"V1", "V2", "V3"}
    for table, yml in pairs:
        assert yml.read_text(encoding="utf-8") == bundled_text(table), f"{yml.name} 过期：运行 perfeval profile bundle"


def test_bundled_files_say_what_the_sources_do_not_cover():
    from perfeval_xl.indicators import PROFILES

    for pid, open_points in (("V1", 67), ("V2", 67), ("V3", 68)):
        p = PROFILES[pid]
        assert p.max_total == 100 and "不虚构" in p.notes
        assert sum(i.points for i in p.evaluator_items) == open_points
        assert all("资料未载明" in i.title or i.title == "支付进度" for i in p.evaluator_items)


def test_grade_bands_written_under_the_table_belong_to_the_profile(tmp_path):
    t = Table(DECISION.title_rows, DECISION.header, DECISION.rows + (
        ("评价等级：85分（含）以上为优，70（含）–85分为良，60（含）–70分为中，60分以下为差",),), DECISION.merge_cols)
    result = imported(tmp_path, t)
    assert result.data["grades"] == {"优": 85, "良": 70, "中": 60, "差": 0}
    profile = profile_from_data(result.data)
    assert profile.grade(D(84)) == "良" and profile.grade(D(85)) == "优" and profile.grade(D("59.99")) == "差"


def test_grade_bands_that_cannot_be_read_are_refused(tmp_path):
    t = Table(DECISION.title_rows, DECISION.header, DECISION.rows + (("评价等级：由财政局另行确定",),), DECISION.merge_cols)
    with pytest.raises(TableError, match="评价等级写法未能识别"):
        imported(tmp_path, t)


def test_not_a_workbook_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "指标表.xlsx"
    bad.write_text("一级指标,二级指标\n", encoding="utf-8")
    assert main(["profile", "import", str(bad), "--out", str(tmp_path / "x.yml")]) == 2
    assert "无法读取" in capsys.readouterr().err


def test_imported_profile_travels_with_the_template(tmp_path, capsys):
    import json

    src = YUEYANG.write(tmp_path / "岳阳.xlsx")
    yml, book = tmp_path / "yy.yml", tmp_path / "模板.xlsx"
    assert main(["profile", "import", str(src), "--out", str(yml)]) == 0
    assert main(["template", "--profile", str(yml), "--out", str(book)]) == 0
    capsys.readouterr()
    yml.unlink()  # scoring needs no extra file: the profile is inside the workbook
    assert main(["score", str(book), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["profile_id"] == "yy" and len(out["rows"]) == len(YUEYANG.rows)
    assert out["grade"] is None and out["summary"] == f"已评 0 / 100 分，尚有 {len(YUEYANG.rows)} 项待评"
    assert main(["template", "--profile", str(tmp_path / "nope.yml"), "--out", str(book)]) == 2
    assert "找不到评分方案文件" in capsys.readouterr().err
