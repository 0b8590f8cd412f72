"""Scoring profiles: which indicators a template uses, grouped 一级/二级, with
weights and rules. Profiles are data (``profiles/*.yml``); they name indicator
codes and never restate a formula.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from importlib import resources
from typing import Any, Iterator, Mapping

import yaml

from .catalog import INDICATORS
from .indicator import LEVELS, Indicator, fmt_number
from .scoring_rules import ScoringRule, dec, rule_from_data

# 53号 names the fourth level 效果, the local sheets 效益: the same level.
_LEVEL_ALIASES = {"效果": "效益"}


DEFAULT_GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"))
DEFAULT_LOWEST = "差"
FULL_MARKS = Decimal(100)


@dataclass(frozen=True)
class ProfileItem:
    """三级指标: computed (``indicator`` set, scored by ``rule``) or scored by the evaluator."""

    indicator: Indicator | None  # under the profile's own name for it (V2: 财政供养人员控制率)
    points: Decimal | None
    rule: ScoringRule | None
    key: str = ""  # stable id: the indicator code, or E01, E02 … for evaluator rows
    criteria: str = ""  # 评价标准 as the source table words it
    explanation: str = ""  # 指标说明 as the source table words it
    key_name: str = ""  # the 三级 name of an evaluator row

    @property
    def code(self) -> str:
        return self.key

    @property
    def computed(self) -> bool:
        return self.indicator is not None

    @property
    def title(self) -> str:
        return self.indicator.title if self.indicator else self.key_name


@dataclass(frozen=True)
class Group:
    """二级指标."""

    name: str
    points: Decimal | None
    items: tuple[ProfileItem, ...]


@dataclass(frozen=True)
class Level:
    """一级指标."""

    name: str
    points: Decimal | None
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    source: str
    scored: bool  # False: values only (no weights, no score, no grade)
    levels: tuple[Level, ...]
    full_marks: Decimal | None = None  # 100 for a scored profile: its rows cover every point
    notes: str = ""
    grades: tuple[tuple[Decimal, str], ...] = DEFAULT_GRADES  # (lower bound, grade), highest first
    lowest_grade: str = DEFAULT_LOWEST
    data: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)  # the mapping it was built from

    def rows(self) -> Iterator[tuple[Level, Group, ProfileItem]]:
        for level in self.levels:
            for group in level.groups:
                for item in group.items:
                    yield level, group, item

    @property
    def items(self) -> tuple[ProfileItem, ...]:
        return tuple(item for _, _, item in self.rows())

    @property
    def codes(self) -> tuple[str, ...]:
        """Codes of the computed indicators (evaluator rows have no inputs)."""
        return tuple(i.code for i in self.items if i.computed)

    @property
    def evaluator_items(self) -> tuple[ProfileItem, ...]:
        return tuple(i for i in self.items if not i.computed)

    @property
    def max_total(self) -> Decimal | None:
        """Sum of the weights of every row (100 in a scored profile)."""
        if not self.scored:
            return None
        return sum((i.points for i in self.items), Decimal(0))

    def grade(self, total: Decimal) -> str:
        """The grade of a 100-point total: lower bounds included (domain.md §2.4)."""
        return next((g for bound, g in self.grades if total >= bound), self.lowest_grade)

    def grade_text(self) -> str:
        bands = "；".join(f"{g} ≥ {fmt_number(b)}" for b, g in self.grades)
        return f"{bands}；{self.lowest_grade} < {fmt_number(self.grades[-1][0])}"


def _points(data: Mapping[str, Any], key: str = "points") -> Decimal | None:
    return None if data.get(key) is None else dec(data[key])


def _grades(pid: str, data: Any) -> tuple[tuple[tuple[Decimal, str], ...], str]:
    """``{优: 90, 良: 80, 中: 60, 差: 0}`` → bands highest first and the lowest grade."""
    if data is None:
        return DEFAULT_GRADES, DEFAULT_LOWEST
    pairs = sorted(((dec(v), str(k)) for k, v in dict(data).items()), reverse=True)
    if len(pairs) < 2 or pairs[-1][0] != 0:
        raise ValueError(f"{pid}: 评价等级须从高到低给出下限，最低一档为 0（如 优: 90, 良: 80, 中: 60, 差: 0）")
    return tuple(pairs[:-1]), pairs[-1][1]


def _computed_item(pid: str, level: str, idata: Mapping[str, Any], scored: bool) -> ProfileItem:
    code = idata["code"]
    if code not in INDICATORS:
        raise ValueError(f"{pid}: unknown indicator {code}")
    ind = INDICATORS[code]
    lv = _LEVEL_ALIASES.get(level, level)
    if lv in LEVELS and lv != ind.level:  # tables with their own 一级 (部门决策 …) are not checked
        raise ValueError(f"{pid}: {code} is a {ind.level} indicator, listed under {level}")
    if idata.get("name"):  # the table's own name replaces the catalog's everywhere it prints
        ind = replace(ind, name=str(idata["name"]), basis="")
    extra = dict(criteria=str(idata.get("criteria") or ""), explanation=str(idata.get("explanation") or ""))
    if not scored:
        if "rule" in idata or "points" in idata:
            raise ValueError(f"{pid}: values-only profile, {code} must not carry points or a rule")
        return ProfileItem(ind, None, None, key=code, **extra)
    if "points" not in idata or "rule" not in idata:
        raise ValueError(f"{pid}: {code} needs points and rule")
    rule = rule_from_data(idata["rule"])
    try:
        rule.check(ind)
    except ValueError as e:
        raise ValueError(f"{pid}: {code}: {e}") from None
    return ProfileItem(ind, dec(idata["points"]), rule, key=code, **extra)


def _evaluator_item(pid: str, idata: Mapping[str, Any], n_before: int) -> ProfileItem:
    name = str(idata.get("name") or "").strip()
    if not name or idata.get("points") is None:
        raise ValueError(f"{pid}: 评价组评分的指标须有 name 和 points：{dict(idata)}")
    key = str(idata.get("key") or f"E{n_before + 1:02d}")
    if not re.fullmatch(r"E\d{2,3}", key):
        raise ValueError(f"{pid}: {name}: key {key!r} 应为 E01、E02 …")
    return ProfileItem(
        None, dec(idata["points"]), None, key=key, key_name=name,
        criteria=str(idata.get("criteria") or ""), explanation=str(idata.get("explanation") or ""),
    )


def profile_from_data(data: Mapping[str, Any]) -> Profile:
    """Build and validate a profile from its YAML mapping (errors name the profile and the row).

    A scored profile covers every point: each 二级 weighs the sum of its rows,
    each 一级 the sum of its 二级, and the 一级 add up to 100. Rows with no
    computed indicator are scored by the evaluator.
    """
    pid = data["id"]
    scored = bool(data.get("scored", True))
    levels = []
    seen: set[str] = set()
    n_eval = 0
    for ld in data["levels"]:
        groups = []
        for gd in ld["groups"]:
            items = []
            for idata in gd["indicators"]:
                if idata.get("code"):
                    item = _computed_item(pid, ld["name"], idata, scored)
                elif scored:
                    item = _evaluator_item(pid, idata, n_eval)
                    n_eval += 1
                else:
                    raise ValueError(f"{pid}: values-only profile lists only computed indicators")
                if item.key in seen:
                    raise ValueError(f"{pid}: {item.key} listed twice")
                seen.add(item.key)
                items.append(item)
            group = Group(gd["name"], _points(gd), tuple(items))
            if scored:
                used = sum((i.points for i in group.items), Decimal(0))
                if group.points is None:
                    group = replace(group, points=used)
                elif used != group.points:
                    raise ValueError(f"{pid}: 二级指标“{group.name}”分值 {fmt_number(group.points)}，其三级指标合计 {fmt_number(used)}")
            groups.append(group)
        level = Level(ld["name"], _points(ld), tuple(groups))
        if scored:
            used = sum((g.points for g in level.groups), Decimal(0))
            if level.points is None:
                level = replace(level, points=used)
            elif used != level.points:
                raise ValueError(f"{pid}: 一级指标“{level.name}”分值 {fmt_number(level.points)}，其二级指标合计 {fmt_number(used)}")
        levels.append(level)
    full = _points(data, "full_marks")
    if scored:
        full = full if full is not None else FULL_MARKS
        used = sum((lv.points for lv in levels), Decimal(0))
        if used != full:
            raise ValueError(f"{pid}: 一级指标合计 {fmt_number(used)} 分，应为 {fmt_number(full)} 分")
    grades, lowest = _grades(pid, data.get("grades"))
    return Profile(
        id=pid,
        name=data["name"],
        source=data.get("source", ""),
        scored=scored,
        levels=tuple(levels),
        full_marks=full,
        notes=(data.get("notes") or "").strip(),
        grades=grades,
        lowest_grade=lowest,
        data=data,
    )


def load_profiles() -> dict[str, Profile]:
    out: dict[str, Profile] = {}
    folder = resources.files(__package__) / "profiles"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith((".yml", ".yaml")):
            continue
        data = yaml.safe_load(entry.read_text(encoding="utf-8"))
        profile = profile_from_data(data)
        if profile.id in out:
            raise ValueError(f"duplicate profile id {profile.id}")
        out[profile.id] = profile
    return out


PROFILES: dict[str, Profile] = load_profiles()


def profile_from_text(text: str) -> Profile:
    """A profile from its YAML text (an imported 方案.yml)."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or "levels" not in data:
        raise ValueError("不是评分方案文件：缺少 levels")
    return profile_from_data(data)
