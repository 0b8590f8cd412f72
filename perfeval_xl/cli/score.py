"""perfeval score: the 评分 table of a filled workbook over the full 100 points."""

from __future__ import annotations

import json
from pathlib import Path

from . import EXIT_FAILED, EXIT_OK, UserError


def register(sub) -> None:
    p = sub.add_parser(
        "score", help="按评分方案给已填报工作簿评分",
        description="逐项列出 指标、分值、值、得分、说明或扣分理由；全部指标评分且合计 100 分时给出总分和评价等级，"
        "否则给出“已评 X / 100 分，尚有 N 项待评”。",
    )
    p.add_argument("workbook", type=Path, help="已填报的工作簿")
    p.add_argument("--profile", help="评分方案编号或评分方案 .yml 文件（默认：工作簿生成时所用的方案）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（未评完时 grade 为 null）")
    p.set_defaults(func=run)


def score_workbook(path: Path, profile_arg: str | None = None):
    """The ``ScoreTable`` of a workbook, plus the evaluator 得分 that are not numbers."""
    from ..indicators import score
    from ..indicators.table import score_table
    from ..readers.evaluator import read_given
    from ..readers.workbook import read_workbook
    from ..schema.values import typed_values
    from .profile_arg import load_profile

    data = read_workbook(path, with_formulas=False)
    if not data.readable or not data.is_template:
        reason = "；".join(p.detail or p.code for p in data.problems) or "缺少模板标识（不是本工具生成的模板）"
        raise UserError(f"无法读取 {path}：{reason}")
    profile = load_profile(profile_arg) if profile_arg else workbook_profile(data)
    given, bad = read_given(data, profile)
    return score_table(score(typed_values(data.raw), profile, given)), bad


def workbook_profile(data):
    """The profile a workbook was made with: bundled by id, or imported and embedded in the 评分 sheet."""
    from ..indicators import PROFILES
    from ..indicators.profile import profile_from_text
    from ..readers.workbook import cell_values, parse_ref
    from ..indicators.scoring_sheet_names import PROFILE_NAME

    if data.profile in PROFILES:
        return PROFILES[data.profile]
    at = parse_ref(data.defined_names.get(PROFILE_NAME) or "")
    if at:
        text = cell_values(data.path, at[0], [at[1]]).get(at[1])
        try:
            return profile_from_text(str(text))
        except (ValueError, KeyError, TypeError) as e:
            raise UserError(f"{data.path} 中嵌入的评分方案有误：{e}") from None
    if data.profile:
        raise UserError(f"{data.path} 使用评分方案 {data.profile}，请用 --profile 指定其 .yml 文件")
    return PROFILES["V1"]


def _num(x) -> str:
    from ..indicators.indicator import fmt_number

    return "" if x is None else fmt_number(x)


def run(args) -> int:
    table, bad = score_workbook(args.workbook, args.profile)
    if args.json:
        out = table.to_json()
        out["not_numbers"] = bad
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"评分方案：{table.profile_id}　{table.profile_name}")
    print("指标\t分值\t值\t得分\t说明或扣分理由")
    for r in table.rows:
        print(f"{r.level}/{r.group}/{r.name}\t{_num(r.points)}\t{r.value}\t{_num(r.score)}\t{r.explanation}")
    for key, text in bad.items():
        print(f"注意：{key} 的评价组得分“{text}”不是数字，按未评处理")
    print(table.summary)
    return EXIT_OK if not bad else EXIT_FAILED
