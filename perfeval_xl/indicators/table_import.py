"""A bureau's 指标表 (cell values and merged ranges) → a scoring profile.

Bureaus publish the table in a few layouts: 一级指标 | 分值 | 二级指标 | 分值 |
三级指标 | 分值 | 评价标准 | 指标说明 | 得分 (Hunan 附件1), or 一级 | 二级 | 三级 |
评分标准 | 分值 | 自评得分 (Yueyang 参考样表, the 一级/二级 weights written in
the name: 投入（15分）), with title rows and 附件 labels above the header and
merged 一级/二级 cells. Each 三级 row is matched to a catalog indicator by its
name (with aliases) and, where two indicators share a name, by the formula in
its 指标说明; its 评价标准 wording is parsed when it is one of the known forms.
Anything else becomes a row the evaluator scores. Weights must add up (三级 to
二级, 二级 to 一级, 一级 to 100) or the import is refused with the rows named.

Pure code over cell values: the openpyxl edge is ``perfeval_xl.readers.score_table``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Sequence

from .catalog import INDICATORS
from .indicator import fmt_number
from .scoring_rules import rule_from_data

FULL = Decimal(100)

# header words → column role (first match wins; checked on the text without spaces)
_HEADERS = (
    ("level", ("一级指标",)),
    ("group", ("二级指标",)),
    ("name", ("三级指标",)),
    ("points", ("分值", "权重", "标准分", "分数")),
    ("criteria", ("评价标准", "评分标准", "评分细则", "评分方法", "评分依据")),
    ("explanation", ("指标说明", "指标解释", "指标内涵", "计算公式", "指标定义")),
    ("ignored", ("得分", "扣分", "备注", "说明")),
)
_TOTAL_ROW = re.compile(r"^(合\s*计|总\s*计|总\s*分|合计得分)")


class TableError(ValueError):
    """The table cannot be imported; the message names the rows."""


@dataclass
class ImportedRow:
    row: int  # sheet row number
    level: str
    group: str
    name: str
    points: Decimal
    criteria: str
    explanation: str
    code: str | None = None  # matched catalog indicator
    rule: dict | None = None  # parsed rule, as profile data
    status: str = ""  # 计算 / 评价组评分 and why

    @property
    def computed(self) -> bool:
        return self.code is not None and self.rule is not None


@dataclass
class ImportResult:
    data: dict[str, Any]  # the profile mapping (what profile_from_data reads and the .yml holds)
    rows: list[ImportedRow] = field(default_factory=list)

    def report_lines(self) -> list[str]:
        lines = ["行号\t一级/二级/三级\t分值\t结果"]
        for r in self.rows:
            lines.append(f"{r.row}\t{r.level}/{r.group}/{r.name}\t{fmt_number(r.points)}\t{r.status}")
        n_calc = sum(1 for r in self.rows if r.computed)
        calc = sum((r.points for r in self.rows if r.computed), Decimal(0))
        lines.append(
            f"共 {len(self.rows)} 项三级指标：{n_calc} 项自动计算（{fmt_number(calc)} 分），"
            f"{len(self.rows) - n_calc} 项由评价组评分（{fmt_number(FULL - calc)} 分）"
        )
        return lines


# -- cells -----------------------------------------------------------------------------------


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return re.sub(r"\s+", " ", str(v)).strip()


def _compact(v: object) -> str:
    return re.sub(r"\s+", "", _text(v))


_EMBEDDED = re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?P<p>\d+(?:\.\d+)?)\s*分?\s*[)）]\s*$|^(?P<name2>.+?)\s*(?P<p2>\d+(?:\.\d+)?)\s*分$")


def split_points(text: str) -> tuple[str, Decimal | None]:
    """"投入（15分）" → ("投入", 15); "预算配置" → ("预算配置", None)."""
    m = _EMBEDDED.match(text)
    if not m:
        return text, None
    name = m.group("name") or m.group("name2")
    return name.strip(), Decimal(m.group("p") or m.group("p2"))


def _points(v: object, where: str) -> Decimal | None:
    if v is None or _text(v) == "":
        return None
    if isinstance(v, bool):
        raise TableError(f"{where}：分值应为数字")
    if isinstance(v, (int, float)):
        return Decimal(repr(v)).normalize() if isinstance(v, float) else Decimal(v)
    t = _text(v)
    try:
        return Decimal(t)
    except InvalidOperation:
        pass
    if re.fullmatch(r"\d+(\.\d+)?\s*分", t):
        raise TableError(f"{where}：分值写作“{t}”，请只填数字（如 {t.rstrip('分').strip()}），单位“分”不要写进单元格")
    raise TableError(f"{where}：分值“{t}”不是数字")


# -- layout ----------------------------------------------------------------------------------


def _roles(header: Sequence[object]) -> dict[str, int] | None:
    """Column index of each role; a 分值 column belongs to the indicator column before it."""
    roles: dict[str, int] = {}
    last_indicator: str | None = None
    for i, v in enumerate(header):
        t = _compact(v)
        if not t:
            continue
        role = next((r for r, words in _HEADERS if any(w in t for w in words)), None)
        if role in ("level", "group", "name"):
            roles.setdefault(role, i)
            last_indicator = role
        elif role == "points":
            owner = last_indicator if last_indicator and f"{last_indicator}_points" not in roles else "name"
            roles.setdefault(f"{owner}_points", i)
            last_indicator = None
        elif role in ("criteria", "explanation"):
            roles.setdefault(role, i)
            last_indicator = None
        else:
            last_indicator = None
    if "name" not in roles and "group" not in roles:
        return None
    return roles


def _find_header(grid: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]]:
    for r, row in enumerate(grid[:30]):
        texts = [_compact(v) for v in row]
        if sum(1 for t in texts if re.search(r"[一二三]级指标", t)) >= 2:
            roles = _roles(row)
            if roles:
                return r, roles
    raise TableError("找不到表头：应有一行同时写有“一级指标”“二级指标”“三级指标”（或至少其中两列）")


def _is_end(row: Sequence[object]) -> bool:
    """A 合计 row or a 说明/来源 note: the table ends above it."""
    first = next((_text(v) for v in row if _text(v)), "")
    return bool(_TOTAL_ROW.match(_compact(first)) or re.match(r"^(说明|注|备注|来源|依据|评价等级|等级划分|评分等级)[:：]", first))


def _fill_merges(grid: list[list[object]], merges, header_row: int, roles: dict[str, int]) -> None:
    """Copy each merged value into every cell of its range; refuse merges where rows must stand alone."""
    by_col = {i: role for role, i in roles.items()}
    end = next((r for r in range(header_row + 1, len(grid)) if _is_end(grid[r])), len(grid))
    for r1, c1, r2, c2 in merges:  # 0-based, inclusive
        if r2 <= header_row or r1 >= end:
            continue  # title rows, the header itself, and the 合计 and notes below the table
        covered = [by_col.get(c) for c in range(c1, c2 + 1)]
        rows = f"第 {r1 + 1}–{r2 + 1} 行" if r2 > r1 else f"第 {r1 + 1} 行"
        if c2 > c1 and any(covered) and len({x for x in covered if x}) > 1:
            names = "、".join(_role_name(x) for x in covered if x)
            raise TableError(f"{rows}：合并单元格跨越了“{names}”几列，请拆开，每列各填各的")
        if r2 > r1 and any(x in ("name", "name_points", "criteria", "explanation") for x in covered):
            raise TableError(f"{rows}：“{_role_name(next(x for x in covered if x))}”列有跨行的合并单元格；三级指标每行一项，请拆开")
        value = grid[r1][c1]
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if r < len(grid) and c < len(grid[r]):
                    grid[r][c] = value


_ROLE_NAMES = {
    "level": "一级指标", "group": "二级指标", "name": "三级指标", "level_points": "一级分值",
    "group_points": "二级分值", "name_points": "三级分值", "criteria": "评价标准", "explanation": "指标说明",
}


def _role_name(role: str) -> str:
    return _ROLE_NAMES.get(role, role)


# -- matching ---------------------------------------------------------------------------------


def _norm(name: str) -> str:
    return re.sub(r"[\s“”\"'‘’「」（）()]", "", name)


# 三级 name (normalised) → codes; a name two indicators share is settled by the formula text
_ALIASES: dict[str, tuple[str, ...]] = {
    "在职人员控制率": ("STAFF_CONTROL",),
    "财政供养人员控制率": ("STAFF_CONTROL",),
    "人员控制率": ("STAFF_CONTROL",),
    "三公经费变动率": ("SANGGONG_CHANGE_BUDGET", "SANGGONG_CHANGE_FINAL"),
    "重点支出安排率": ("KEY_SPEND",),
    "预算完成率": ("BUDGET_COMPLETION", "BUDGET_EXECUTION"),
    "预算执行率": ("BUDGET_EXECUTION",),
    "预算控制率": ("BUDGET_CONTROL",),
    "预算调整率": ("BUDGET_ADJUST",),
    "支出预算调整率": ("BUDGET_ADJUST",),
    "新建楼堂馆所面积控制率": ("BUILDING_AREA",),
    "楼堂馆所面积控制率": ("BUILDING_AREA",),
    "新建楼堂馆所投资概算控制率": ("BUILDING_INVEST",),
    "三公经费控制率": ("SANGGONG_CONTROL",),
    "公用经费控制率": ("PUBLIC_CONTROL",),
    "政府采购执行率": ("PROCUREMENT_EXEC",),
    "结转结余率": ("CARRYOVER_RATE",),
    "结转结余变动率": ("CARRYOVER_CHANGE",),
    "资金结余": ("FUND_BALANCE",),
    "管理制度健全性": ("BUDGET_RULES", "ASSET_RULES"),
    "资金使用合规性": ("FUND_COMPLIANCE",),
    "预决算信息公开性": ("DISCLOSURE",),
    "基础信息完善性": ("BASIC_INFO",),
    "资产管理安全性": ("ASSET_SAFETY",),
    "固定资产利用率": ("FIXED_ASSET_USE",),
    "实际完成率": ("OUTPUT_COMPLETION",),
}


def match(name: str, group: str, explanation: str) -> str | None:
    codes = _ALIASES.get(_norm(name))
    if not codes:
        return None
    if len(codes) == 1:
        return codes[0]
    text = _compact(explanation)
    if codes[0].startswith("SANGGONG_CHANGE"):
        return "SANGGONG_CHANGE_FINAL" if re.search(r"决算|总额", text) and "预算数" not in text else "SANGGONG_CHANGE_BUDGET"
    if codes[0] == "BUDGET_COMPLETION":
        if re.search(r"上年结转|年末结余", text):
            return "BUDGET_COMPLETION"
        return "BUDGET_EXECUTION"  # 53号: 预算完成数 / 本年度（变动后）预算数
    if codes[0] == "BUDGET_RULES":
        return "ASSET_RULES" if "资产" in group else "BUDGET_RULES"
    return codes[0]


# -- 评价标准 wording ---------------------------------------------------------------------------

_NUM = r"(-?\d+(?:\.\d+)?)"
_ONE = r"(?:一|1)"
_SCORE = re.compile(rf"(?:计|得|给)?\s*{_NUM}\s*分|不得分|不计分|得0分|需人工评分|资料未载明")
_MANUAL = ("需人工评分", "资料未载明")


def _d(x: str) -> Decimal:
    return Decimal(x)


def parse_rule(code: str, criteria: str, points: Decimal) -> dict | None:
    """The rule of a known 评价标准 wording, as profile data; None when not recognised."""
    t = _compact(criteria).replace("％", "%").replace("（", "(").replace("）", ")").replace("，", ",").replace("；", ";")
    t = t.replace("—", "-").replace("–", "-").replace("~", "-").replace("～", "-").replace("至", "-")
    t = t.replace("≦", "≤").replace("≧", "≥").replace("<=", "≤").replace(">=", "≥")
    if not t:
        return None
    ind = INDICATORS[code]
    if ind.not_applicable is None and re.search(r"没有.*?(项目|的).*?(按|计)满分", t):
        return None  # full marks for "no project" needs an indicator that knows when it does not apply
    t = re.sub(r"[。;,]?(没有|无)[^;。]*?(按|计)满分(计算)?", "", t)
    if ind.items is not None:
        return _checklist(t, ind.items)
    if code == "FUND_BALANCE":
        return _fund_balance(t)
    if ind.unit != "%":
        return None
    target = re.search(rf"以{_NUM}%为标准", t)
    if "按完成比例" in t or "按比例计分" in t:
        return {"type": "proportional", "target": _d(target.group(1)) if target else FULL}
    m = re.search(rf"每(超过|超出|高于|低于|少于|不足){_ONE}个百分点扣{_NUM}分", t)
    if m:
        threshold = _threshold(t, target)
        if threshold is None:
            return None
        over = m.group(1) in ("超过", "超出", "高于")
        return {"type": "linear_over" if over else "linear_under", "threshold": threshold, "deduct": _d(m.group(2))}
    m = re.search(rf"每(超过|超出|高于|低于|少于|不足){_NUM}%扣{_NUM}分", t)
    if m:
        threshold = _threshold(t, target)
        if threshold is None:
            return None
        over = m.group(1) in ("超过", "超出", "高于")
        return {"type": "steps_over" if over else "steps_under", "threshold": threshold, "step": _d(m.group(2)),
                "deduct": _d(m.group(3))}
    return _bands(t, points)


def _threshold(t: str, target) -> Decimal | None:
    if target:
        return _d(target.group(1))
    m = re.search(rf"(?:≤|<|小于等于|不超过){_NUM}%?", t) or re.search(rf"{_NUM}%?(?:以下\(含\)|以内|及以下)", t)
    if m:
        return _d(m.group(1))
    m = re.search(rf"(?:≥|大于等于|不低于){_NUM}%?", t) or re.search(rf"{_NUM}%?计满分", t)
    return _d(m.group(1)) if m else None


def _segment_score(seg: str) -> tuple[str, Decimal | None] | None:
    """(condition, score) of "0–10%(含)，计4分"; the score is None for a band the source leaves to the evaluator."""
    m = None
    for m in _SCORE.finditer(seg):
        pass
    if m is None:
        return None
    if m.group(0) in _MANUAL:
        score = None
    else:
        score = Decimal(0) if m.group(0) in ("不得分", "不计分", "得0分") else _d(m.group(1))
    return seg[: m.start()].rstrip(",:："), score


def _band_spec(cond: str) -> str | None:
    c = re.sub(r"^[^=<>≤≥\d大小低高超]*?(?=(=|<|>|≤|≥|为|大于|小于|低于|高于|超过|\d))", "", cond)
    c = c.replace("%", "")
    if m := re.fullmatch(rf"(?:=|为){_NUM}", c):
        return f"={m.group(1)}"
    if m := re.fullmatch(rf"{_NUM}(\(含\))?-{_NUM}(\(含\))?", c):
        lo, lo_in, hi, hi_in = m.groups()
        if lo_in and hi_in:
            return f"[{lo},{hi}]"
        if lo_in:
            return f"[{lo},{hi})"
        return f"({lo},{hi}]"  # "0–10%(含)" and the bare "0–10%" both close on the right (Hunan wording)
    for pattern, op in ((rf"(?:≥|大于等于|不低于){_NUM}", ">="), (rf"{_NUM}(?:以上\(含\)|\(含\)以上|及以上)", ">="),
                        (rf"(?:>|大于|高于|超过){_NUM}", ">"), (rf"{_NUM}以上", ">"),
                        (rf"(?:≤|小于等于|不超过){_NUM}", "<="), (rf"{_NUM}(?:以下\(含\)|\(含\)以下|及以下)", "<="),
                        (rf"(?:<|小于|低于|不足){_NUM}", "<"), (rf"{_NUM}以下", "<")):
        if m := re.fullmatch(pattern, c):
            return f"{op}{m.group(1)}"
    return None


def _bands(t: str, points: Decimal) -> dict | None:
    segments = [s for s in re.split(r"[;。]", t) if s]
    bands: dict[str, Decimal | None] = {}
    for seg in segments:
        parsed = _segment_score(seg)
        if parsed is None:
            return None
        spec = _band_spec(parsed[0])
        if spec is None:
            return None
        bands[spec] = parsed[1]
    stated = [p for p in bands.values() if p is not None]
    if len(bands) < 2 or not stated or max(stated) != points:
        return None
    return {"type": "bands", "bands": bands}


def _fund_balance(t: str) -> dict | None:
    bands = {}
    for seg in re.split(r"[;。]", t):
        parsed = _segment_score(seg)
        if parsed is None:
            continue
        cond, score = parsed
        if "无结余" in cond or "没有结余" in cond:
            bands["=0"] = score
        elif "不超过上年结转" in cond:
            bands["=1"] = score
        elif "超过上年结转" in cond:
            bands["=2"] = score
    return {"type": "bands", "bands": bands} if len(bands) == 3 else None


def _checklist(t: str, items: int) -> dict | None:
    if m := re.search(rf"每(?:出现)?一(?:例|项|处)不符合[^;。]*?扣{_NUM}分", t):
        return {"type": "checklist", "per_item": _d(m.group(1)), "mode": "deduct"}
    marks = re.findall(r"[①②③④⑤⑥⑦⑧⑨]", t)
    each = re.findall(rf"[,，]?{_NUM}分(?=[;。]|$|[②③④⑤⑥⑦⑧⑨])", t)
    if marks and len(marks) == items and len(each) == items and len(set(each)) == 1:
        return {"type": "checklist", "per_item": _d(each[0]), "mode": "award"}
    if m := re.search(rf"每项(?:符合)?(?:得|计)?{_NUM}分", t):
        return {"type": "checklist", "per_item": _d(m.group(1)), "mode": "award"}
    return None


# -- the import ---------------------------------------------------------------------------------


def import_table(grid: Sequence[Sequence[object]], merges: Sequence[tuple[int, int, int, int]] = (), *,
                 profile_id: str = "IMPORTED", name: str | None = None, source: str = "") -> ImportResult:
    """Read a 指标表 grid (0-based merges, inclusive) into profile data; raise ``TableError`` naming rows."""
    grid = [list(r) for r in grid]
    width = max((len(r) for r in grid), default=0)
    for r in grid:
        r.extend([None] * (width - len(r)))
    hr, roles = _find_header(grid)
    if "name" not in roles:
        raise TableError(f"第 {hr + 1} 行表头缺少“三级指标”列")
    if "name_points" not in roles:
        raise TableError(f"第 {hr + 1} 行表头缺少三级指标的“分值”列")
    _fill_merges(grid, merges, hr, roles)
    title = name or next((t for row in grid[:hr] for t in map(_text, row) if "指标" in t and "附件" not in t), "导入的评价指标表")

    def cell(r: int, role: str) -> str:
        return _text(grid[r][roles[role]]) if role in roles else ""

    source = _labelled(grid[:hr], ("来源", "依据", "资料来源")) or source
    rows: list[ImportedRow] = []
    level_pts: dict[str, tuple[int, Decimal | None]] = {}
    group_pts: dict[tuple[str, str], tuple[int, Decimal | None]] = {}
    cur_level = cur_group = ""
    for r in range(hr + 1, len(grid)):
        first = next((_text(v) for v in grid[r] if _text(v)), "")
        if not first:
            continue
        if _is_end(grid[r]):
            break
        level_text, group_text, name_text = cell(r, "level"), cell(r, "group"), cell(r, "name")
        if re.fullmatch(r"[一二三]级指标", _compact(name_text)):
            continue  # a repeated header (tables printed over several pages)
        lv, lv_p = split_points(level_text) if level_text else (cur_level, None)
        gr, gr_p = split_points(group_text) if group_text else (cur_group, None)
        where = f"第 {r + 1} 行"
        lv_p = _points(grid[r][roles["level_points"]], f"{where}一级指标“{lv}”") if "level_points" in roles else lv_p
        gr_p = _points(grid[r][roles["group_points"]], f"{where}二级指标“{gr}”") if "group_points" in roles else gr_p
        if not lv:
            raise TableError(f"{where}：没有一级指标")
        if not gr:
            gr = lv
        cur_level, cur_group = lv, gr
        for key, pts, store, label in ((lv, lv_p, level_pts, "一级"), ((lv, gr), gr_p, group_pts, "二级")):
            if key in store:
                if pts is not None and store[key][1] is not None and pts != store[key][1]:
                    raise TableError(f"{where}：{label}指标“{key if isinstance(key, str) else key[1]}”的分值 {fmt_number(pts)} 与第 {store[key][0] + 1} 行的 {fmt_number(store[key][1])} 不同")
                if store[key][1] is None:
                    store[key] = (store[key][0], pts)
            else:
                store[key] = (r, pts)
        if not name_text:
            raise TableError(f"{where}：二级指标“{gr}”下没有三级指标名称")
        nm, embedded = split_points(name_text)
        pts = _points(grid[r][roles["name_points"]], f"{where}三级指标“{nm}”")
        pts = pts if pts is not None else embedded
        if pts is None:
            raise TableError(f"{where}：三级指标“{nm}”没有分值")
        rows.append(ImportedRow(r + 1, lv, gr, nm, pts, cell(r, "criteria"), cell(r, "explanation")))
    if not rows:
        raise TableError(f"第 {hr + 1} 行表头之下没有指标行")

    _check_weights(rows, level_pts, group_pts)
    used: set[str] = set()
    for row in rows:
        _classify(row, used)
    data = _profile_data(rows, level_pts, group_pts, profile_id, title, source)
    notes = _labelled(grid[hr + 1:], ("说明", "注"))
    if notes:
        data["notes"] = notes
    grading = _labelled(grid, ("评价等级", "等级划分", "评分等级"))
    if grading:
        data["grades"] = parse_grades(grading)
    return ImportResult(data, rows)


_GRADE_WORDS = ("不合格", "较差", "优秀", "良好", "合格", "一般", "优", "良", "中", "差")


def parse_grades(text: str) -> dict[str, int | float]:
    """"90分（含）以上为优，80（含）–90分为良，60（含）–80分为中，60分以下为差" → {优: 90, 良: 80, 中: 60, 差: 0}."""
    out: dict[str, int | float] = {}
    for seg in re.split(r"[;；，,、。]", _compact(text)):
        word = next((w for w in _GRADE_WORDS if w in seg), None)
        if word is None:
            continue
        if re.search(r"以下|低于|不足|<|＜", seg):
            out[word] = 0
            continue
        m = re.search(rf"(?:≥|>=)?{_NUM}", seg)
        if not m:
            raise TableError(f"评价等级“{seg}”没有分数下限")
        out[word] = _yaml_number(_d(m.group(1)))
    if len(out) < 2 or 0 not in out.values():
        raise TableError(f"评价等级写法未能识别：“{text}”（应如“90分（含）以上为优，80（含）–90分为良，60（含）–80分为中，60分以下为差”）")
    return out


def _labelled(rows: Sequence[Sequence[object]], labels: tuple[str, ...]) -> str:
    """The text after "说明：" (or another label) in the first cell of a row that starts with one."""
    found = []
    for row in rows:
        first = next((_text(v) for v in row if _text(v)), "")
        m = re.match(rf"^({'|'.join(labels)})[:：]\s*(.*)$", first, re.S)
        if m:
            found.append(m.group(2).strip())
    return "\n".join(found)


def _check_weights(rows: list[ImportedRow], level_pts, group_pts) -> None:
    problems = []
    for (lv, gr), (r0, gp) in group_pts.items():
        mine = [x for x in rows if (x.level, x.group) == (lv, gr)]
        got = sum((x.points for x in mine), Decimal(0))
        if gp is not None and got != gp:
            problems.append(f"二级指标“{gr}”（第 {mine[0].row}–{mine[-1].row} 行）分值 {fmt_number(gp)}，其三级指标合计 {fmt_number(got)}")
    for lv, (r0, lp) in level_pts.items():
        mine = [x for x in rows if x.level == lv]
        got = sum(((gp if gp is not None else sum((x.points for x in mine if x.group == gr), Decimal(0)))
                   for (l2, gr), (_, gp) in group_pts.items() if l2 == lv), Decimal(0))
        if lp is not None and got != lp:
            problems.append(f"一级指标“{lv}”（第 {mine[0].row}–{mine[-1].row} 行）分值 {fmt_number(lp)}，其二级指标合计 {fmt_number(got)}")
    total = Decimal(0)
    for lv, (_, lp) in level_pts.items():
        total += lp if lp is not None else sum((x.points for x in rows if x.level == lv), Decimal(0))
    if total != FULL:
        problems.append(f"一级指标合计 {fmt_number(total)} 分（{'、'.join(level_pts)}），应为 100 分")
    if problems:
        raise TableError("分值不平，未写出评分方案：\n" + "\n".join(problems))


def _classify(row: ImportedRow, used: set[str]) -> None:
    code = match(row.name, row.group, row.explanation)
    if code is None:
        row.status = "评价组评分（非自动计算指标）"
        return
    if code in used:
        row.status = f"评价组评分（{code} 已用于前面一行）"
        return
    rule = parse_rule(code, row.criteria, row.points)
    if rule is None:
        row.status = f"评价组评分（匹配 {code}，但评价标准的写法未能识别）"
        return
    try:
        built = rule_from_data(rule)
        built.check(INDICATORS[code])
    except ValueError as e:
        row.status = f"评价组评分（匹配 {code}，评价标准不适用：{e}）"
        return
    used.add(code)
    row.code, row.rule = code, rule
    row.status = f"计算：{code}，{built.describe(row.points, INDICATORS[code])}"


def _yaml_number(x: Decimal):
    return int(x) if x == x.to_integral_value() else float(x)


def _profile_data(rows: list[ImportedRow], level_pts, group_pts, profile_id: str, title: str, source: str) -> dict:
    levels: list[dict] = []
    for row in rows:
        if not levels or levels[-1]["name"] != row.level:
            lp = level_pts[row.level][1]
            levels.append({"name": row.level, "points": _yaml_number(lp if lp is not None else
                                                                    sum((x.points for x in rows if x.level == row.level), Decimal(0))),
                           "groups": []})
        groups = levels[-1]["groups"]
        if not groups or groups[-1]["name"] != row.group:
            gp = group_pts[(row.level, row.group)][1]
            groups.append({"name": row.group, "points": _yaml_number(gp if gp is not None else
                                                                    sum((x.points for x in rows if (x.level, x.group) == (row.level, row.group)), Decimal(0))),
                           "indicators": []})
        entry: dict[str, Any] = {}
        if row.computed:
            entry["code"] = row.code
        entry["name"] = row.name
        entry["points"] = _yaml_number(row.points)
        if row.computed:
            entry["rule"] = {k: ({b: None if p is None else _yaml_number(p) for b, p in v.items()} if k == "bands" else
                                 _yaml_number(v) if isinstance(v, Decimal) else v) for k, v in row.rule.items()}
        if row.criteria:
            entry["criteria"] = row.criteria
        if row.explanation:
            entry["explanation"] = row.explanation
        groups[-1]["indicators"].append(entry)
    return {"id": profile_id, "name": title, "source": source, "scored": True, "full_marks": 100, "levels": levels}
