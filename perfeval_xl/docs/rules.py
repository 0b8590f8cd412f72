"""docs/rules/ and ``perfeval rules``: the rule documentation, from the registry.

``write_rule_docs(docs_dir)`` writes ``docs_dir/rules/index.md`` and one page per
rule. Each page carries the rule's metadata, what it checks (derived from the
declaration), its message template and, in a source checkout, the pass/fail
examples of its YAML fixture (``tests/rules/cases/<ID>.yml``) — docs and tests
share one source (style.md §8.5–8.6).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from ..rules.base import FAMILIES, ArithmeticRule, CountRule, IdentityKind, Rule, Severity
from ..rules.native import SHOWN_UNDER, is_native, native_ids, python_only_reason, zero_base_rule
from ..rules.registry import FAMILY_ORDER, REGISTRY, RULESET_VERSION, message_params
from ..schema import SCHEMA
from .banner import BANNER
_CASES_SHOWN = 6
_TERMS_SHOWN = 8


_RULES_DIR = Path(__file__).resolve().parents[1] / "rules"


@lru_cache(maxsize=1)
def _declaring_modules() -> dict[str, str]:
    """Rule id → the module of the rules package that declares it.

    Derived from the registry and the package itself, not from a list kept here: a
    declaration is the only place an id stands quoted on its own (``id="SUM009"``,
    ``"SEC020": CheckRule(…)``), so a new rule module is found without telling anyone.
    """
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(_RULES_DIR.glob("*.py"))}
    out = {}
    for rule_id in REGISTRY:
        quoted = re.compile(rf'(?<![\w])"{rule_id}"')
        found = [name for name, text in texts.items() if quoted.search(text)]
        if len(found) != 1:
            raise LookupError(f"{rule_id}: declared in {found or 'no module'} of perfeval_xl/rules/")
        out[rule_id] = f"perfeval_xl/rules/{found[0]}"
    return out


def source_of(rule: Rule) -> str:
    return _declaring_modules()[rule.id]


def severity_text(rule: Rule) -> str:
    text = rule.severity.label_zh
    if isinstance(rule, ArithmeticRule) and rule.severity is not Severity.WARNING:
        text += "（舍入范围内的差异为 警告·舍入差异）"
    return text


def where_text(rule: Rule) -> str:
    """Native (the workbook computes it itself) or Python-only, with the reason."""
    if rule.id in SHOWN_UNDER:
        return (f"表内公式（无需 Python），在“校验结果”的 {SHOWN_UNDER[rule.id]} 一行合并计数：公式能判断单元格里是不是数值、"
                "给单元格着色，但分不出是哪一种文字；具体属于哪条规则由 perfeval check 给出")
    if rule is zero_base_rule():
        return ("表内公式（无需 Python），显示在各比率自己的“校验结果”行：分母为 0 时该行的状态就是本规则的结论；"
                "比率本身只由 Python 核对时（见各比率规则），本规则也只由 perfeval check 给出")
    if is_native(rule):
        return "表内公式（无需 Python：Excel、WPS、LibreOffice 打开即算，结果与 perfeval check 相同）"
    return f"仅 Python（{python_only_reason(rule)}）"


def native_summary() -> str:
    n = len(native_ids())
    return (f"其中 {n} 条为表内公式规则（native：工作簿打开即在“校验结果”表逐项显示，与 perfeval check 结果相同），"
            f"{len(REGISTRY) - n} 条仅由 Python 校验（按钮或 perfeval check）。")


def rule_dict(rule: Rule) -> dict:
    """The registry entry as data (``perfeval rules --format json``)."""
    return {
        "id": rule.id,
        "slug": rule.slug,
        "family": rule.family,
        "family_zh": FAMILIES.get(rule.family, ""),
        "severity": rule.severity.value,
        "severity_zh": rule.severity.label_zh,
        "title": rule.title,
        "rationale": rule.rationale,
        "message": rule.message,
        "message_params": list(message_params(rule)),
        "inputs": list(rule.inputs()),
        "params": dict(getattr(rule, "params", {}) or {}),
        "since": rule.since,
        "native": is_native(rule),
        "python_only_reason": python_only_reason(rule),
        "source": source_of(rule),
    }


def rules_json() -> str:
    return json.dumps({"ruleset_version": RULESET_VERSION, "rules": [rule_dict(r) for r in REGISTRY.values()]},
                      ensure_ascii=False, indent=1)


def rules_table() -> list[str]:
    lines = ["| 编号 | 名称 | 类别 | 严重程度 | 表内公式 | 说明 |", "|---|---|---|---|---|---|"]
    for r in REGISTRY.values():
        where = "是" if is_native(r) else "否"
        lines.append(f"| [{r.id}]({r.id}.md) | `{r.slug}` | {FAMILIES.get(r.family, r.family)} | {r.severity.label_zh} | {where} | {_cell(r.title)} |")
    return lines


def index_markdown() -> str:
    counts = {f: sum(1 for r in REGISTRY.values() if r.family == f) for f in FAMILY_ORDER}
    summary = "，".join(f"{FAMILIES[f]}（{f}）{n} 条" for f, n in counts.items() if n)
    lines = [
        BANNER, "",
        f"# 校验规则（规则集 v{RULESET_VERSION}）", "",
        f"共 {len(REGISTRY)} 条规则：{summary}。" + native_summary(),
        "", "运行顺序：结构（STR）→ 取值（VAL）→ 合计/滚存/交叉核对/比率 → 合理性（PLAUS）→ 数据缺失（MISS）。"
        "文件不是可读取的本模板时只报告一条结构问题；某个单元格取值有误时，读取它的核对跳过，只报告根本原因。",
        "", "金额按声明精度视为区间（两位小数即 ±0.005），合计按区间相加、比率按区间相除，区间重叠即一致；"
        "点值不等而区间重叠时报“舍入差异”（警告），超出区间按规则的严重程度报告。比率按所填位数，四舍五入或截尾任一相符即可。",
        "",
    ]
    lines += rules_table()
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return str(text).replace("|", "｜").replace("\n", " ")


def _label(fid: str) -> str:
    return SCHEMA[fid].label if fid in SCHEMA else fid


def _terms(terms) -> str:
    shown = list(terms) if len(terms) <= _TERMS_SHOWN else [*terms[: _TERMS_SHOWN - 2], None, terms[-1]]
    parts = []
    for t in shown:
        if t is None:
            parts.append("+ …")
        elif not parts:
            parts.append(("−" if t.sign < 0 else "") + _label(t.field))
        else:
            parts.append(("− " if t.sign < 0 else "+ ") + _label(t.field))
    return " ".join(parts) + (f"（共 {len(terms)} 项）" if len(terms) > _TERMS_SHOWN else "")


def what_it_checks(rule: Rule) -> list[str]:
    if isinstance(rule, CountRule):
        return [f"- {_label(rule.stated)} = 所列名称的个数（{len(rule.listed)} 个名称栏中已填写的格数）",
                "- 所述个数为空，或名称一个也没有列出时不核对（后者报 MISS002）。"]
    if isinstance(rule, ArithmeticRule):
        out = []
        for i, c in enumerate(rule.cases):
            if i == _CASES_SHOWN:
                out.append(f"- …（共 {len(rule.cases)} 组，逐组核对）")
                break
            if rule.kind is IdentityKind.RATIO:
                out.append(f"- {_label(c.stated)} = ({_terms(c.terms)}) ÷ ({_terms(c.denominator)}) × 100%")
            elif rule.kind is IdentityKind.AT_LEAST:
                out.append(f"- {_label(c.stated)} ≥ {_terms(c.terms)}")
            else:
                out.append(f"- {_label(c.stated)} = {_terms(c.terms)}")
        if rule.kind is IdentityKind.RATIO:
            out.append("- 容差：分子、分母按声明精度取区间相除；所填比率按其实际位数，四舍五入或截尾后与计算值相符即通过；"
                       "区间重叠而点值不符为舍入差异；分母为 0 见 RATE012。")
        elif rule.kind is IdentityKind.AT_LEAST:
            out.append("- “其中”各项不是穷举：只有合计小于各项之和（超出舍入范围）才报告。")
        else:
            out.append("- 容差：每个已填数按声明精度取 ±半个末位单位（人数精确），差额不超过这些半宽之和为舍入差异。")
        if any(rule.requires_all(c) for c in rule.cases):
            out.append("- 填报数为空不核对；所依据的数字有任何一项为空时不核对（报 MISS002），空格不按 0 计算。")
        else:
            out.append("- 空白是未知数，不按 0 计算（报告写明为 0 的请填 0）：填报数为空时报 MISS003 提示；分项全填时精确核对；"
                       "有分项为空时，只核对填报数不小于（空分项为减项时不大于）已填各项之和；分项全空报 MISS002。")
        return out
    fields = rule.inputs()
    if fields:
        shown = "、".join(_label(f) for f in fields[:_TERMS_SHOWN]) + (f" 等 {len(fields)} 项" if len(fields) > _TERMS_SHOWN else "")
        return [f"- 读取：{shown}"]
    return []


def _fixture_examples(rule: Rule, cases_dir: Path | None) -> list[str]:
    if cases_dir is None:
        return []
    path = cases_dir / f"{rule.id}.yml"
    if not path.is_file():
        return []
    import yaml

    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = ["", "## 示例", "", f"来自测试用例 `tests/rules/cases/{rule.id}.yml`：在一致的基准数据上只改动所列单元格，或对工作簿做所列改动。", ""]
    for name, case in fixture_cases(doc).items():
        expect = [e for e in (case.get("expect") or []) if e.get("rule", rule.id) == rule.id]
        verdict = "通过" if not expect else "舍入差异" if all(e.get("rounding") for e in expect) else "不通过"
        desc = case.get("description", "")
        out.append(f"- **{verdict}** `{name}`{'：' + desc if desc else ''}")
        changes = case.get("fields") or {}
        if changes:
            out.append("  " + "；".join(f"`{k}` = {_show(v)}" for k, v in changes.items()))
        if case.get("mutation"):
            out.append(f"  工作簿改动：`{case['mutation']}`")
        for e in expect:
            extra = "，舍入差异" if e.get("rounding") else ""
            out.append(f"  → {Severity(e['severity']).label_zh}{extra}")
    return out


RESERVED_KEYS = ("rule", "description")


def fixture_cases(doc: dict) -> dict:
    """The named cases of a fixture file: every top-level key but ``rule``/``description`` (sqlfluff layout)."""
    return {k: v for k, v in doc.items() if k not in RESERVED_KEYS and isinstance(v, dict)}


def _show(value) -> str:
    if value is None:
        return "（空）"
    return f"“{value}”" if isinstance(value, str) else str(value)


def rule_markdown(rule: Rule, cases_dir: Path | None = None) -> str:
    params = message_params(rule)
    lines = [
        BANNER, "",
        f"# {rule.id} {rule.title}", "",
        "| 项目 | 内容 |", "|---|---|",
        f"| 编号 | {rule.id} |",
        f"| 名称 | `{rule.slug}` |",
        f"| 类别 | {FAMILIES.get(rule.family, rule.family)}（{rule.family}） |",
        f"| 严重程度 | {severity_text(rule)} |",
        f"| 在哪里核对 | {where_text(rule)} |",
        f"| 起始版本 | {rule.since} |",
        f"| 源代码 | `{source_of(rule)}` |",
        "", "## 为什么", "", rule.rationale,
    ]
    checks = what_it_checks(rule)
    if checks:
        lines += ["", "## 核对内容", "", *checks]
    lines += ["", "## 提示信息", "", f"`{rule.message}`"]
    if params:
        lines += ["", "参数：" + "、".join(f"`{p}`" for p in params)]
    rparams = getattr(rule, "params", None)
    if rparams:
        lines += ["", "可配置参数（默认值）：" + "、".join(f"`{k}` = {v}" for k, v in rparams.items())]
    lines += _fixture_examples(rule, cases_dir)
    lines += ["", "[返回规则列表](index.md)"]
    return "\n".join(lines) + "\n"


def default_cases_dir(docs_dir: Path) -> Path | None:
    for root in (Path(docs_dir).resolve().parent, Path(__file__).resolve().parents[2]):  # the repo, from perfeval_xl/docs/
        d = root / "tests" / "rules" / "cases"
        if d.is_dir():
            return d
    return None


def write_rule_docs(docs_dir, cases_dir: Path | None = None) -> list[Path]:
    """Write ``docs_dir/rules/index.md`` and ``docs_dir/rules/<ID>.md``; returns the paths written."""
    out_dir = Path(docs_dir) / "rules"
    out_dir.mkdir(parents=True, exist_ok=True)
    cases_dir = cases_dir if cases_dir is not None else default_cases_dir(Path(docs_dir))
    written = []
    index = out_dir / "index.md"
    index.write_text(index_markdown(), encoding="utf-8")
    written.append(index)
    for rule in REGISTRY.values():
        page = out_dir / f"{rule.id}.md"
        page.write_text(rule_markdown(rule, cases_dir), encoding="utf-8")
        written.append(page)
    stale = {p.name for p in out_dir.glob("*.md")} - {p.name for p in written}
    for name in sorted(stale):  # a page of a retired rule must not linger
        (out_dir / name).unlink()
    return written
