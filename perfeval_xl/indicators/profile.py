"""Scoring profiles: which indicators a template uses, grouped 一级/二级, with
weights and rules. Profiles are data (``profiles/*.yml``); they name indicator
codes and never restate a formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any, Iterator, Mapping

import yaml

from .catalog import INDICATORS
from .indicator import Indicator
from .scoring_rules import ScoringRule, dec, rule_from_data

# 53号 names the fourth level 效果, the local sheets 效益: the same level.
_LEVEL_ALIASES = {"效果": "效益"}


@dataclass(frozen=True)
class ProfileItem:
    indicator: Indicator
    points: Decimal | None
    rule: ScoringRule | None

    @property
    def code(self) -> str:
        return self.indicator.code


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
    full_marks: Decimal | None = None  # the source sheet's total (100), of which the profile may cover part
    notes: str = ""

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
        return tuple(i.code for i in self.items)

    @property
    def max_total(self) -> Decimal | None:
        """Sum of the weights of the indicators the profile scores."""
        if not self.scored:
            return None
        return sum((i.points for i in self.items), Decimal(0))


def _points(data: Mapping[str, Any], key: str = "points") -> Decimal | None:
    return None if data.get(key) is None else dec(data[key])


def profile_from_data(data: Mapping[str, Any]) -> Profile:
    """Build and validate a profile from its YAML mapping (errors name the profile and indicator)."""
    pid = data["id"]
    scored = bool(data.get("scored", True))
    levels = []
    seen: set[str] = set()
    for ld in data["levels"]:
        groups = []
        for gd in ld["groups"]:
            items = []
            for idata in gd["indicators"]:
                code = idata["code"]
                if code not in INDICATORS:
                    raise ValueError(f"{pid}: unknown indicator {code}")
                if code in seen:
                    raise ValueError(f"{pid}: {code} listed twice")
                seen.add(code)
                ind = INDICATORS[code]
                if _LEVEL_ALIASES.get(ld["name"], ld["name"]) != ind.level:
                    raise ValueError(f"{pid}: {code} is a {ind.level} indicator, listed under {ld['name']}")
                if scored:
                    if "points" not in idata or "rule" not in idata:
                        raise ValueError(f"{pid}: {code} needs points and rule")
                    rule = rule_from_data(idata["rule"])
                    try:
                        rule.check(ind)
                    except ValueError as e:
                        raise ValueError(f"{pid}: {code}: {e}") from None
                    items.append(ProfileItem(ind, dec(idata["points"]), rule))
                else:
                    if "rule" in idata or "points" in idata:
                        raise ValueError(f"{pid}: values-only profile, {code} must not carry points or a rule")
                    items.append(ProfileItem(ind, None, None))
            group = Group(gd["name"], _points(gd), tuple(items))
            if scored and group.points is not None:
                used = sum((i.points for i in group.items), Decimal(0))
                if used > group.points:
                    raise ValueError(f"{pid}: {group.name} indicators weigh {used} > {group.points}")
            groups.append(group)
        level = Level(ld["name"], _points(ld), tuple(groups))
        if scored and level.points is not None:
            used = sum((g.points if g.points is not None else sum(i.points for i in g.items)) for g in level.groups)
            if used > level.points:
                raise ValueError(f"{pid}: {level.name} groups weigh {used} > {level.points}")
        levels.append(level)
    return Profile(
        id=pid,
        name=data["name"],
        source=data.get("source", ""),
        scored=scored,
        levels=tuple(levels),
        full_marks=_points(data, "full_marks"),
        notes=(data.get("notes") or "").strip(),
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
