"""The --profile argument: a bundled profile id (V1 …) or an imported 方案.yml."""

from __future__ import annotations

from pathlib import Path

from . import UserError


def load_profile(arg: str):
    from ..indicators import PROFILES
    from ..indicators.profile import profile_from_text

    if arg in PROFILES:
        return PROFILES[arg]
    path = Path(arg)
    if path.suffix.lower() in (".yml", ".yaml") or path.exists():
        try:
            return profile_from_text(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(f"找不到评分方案文件 {path}") from None
        except OSError as e:
            raise UserError(f"无法读取评分方案 {path}：{e.strerror or e}") from None
        except (ValueError, KeyError, TypeError) as e:
            raise UserError(f"评分方案 {path} 有误：{e}") from None
    raise UserError(f"未知评分方案 {arg}，可选：{'、'.join(PROFILES)}，或一个评分方案 .yml 文件")
