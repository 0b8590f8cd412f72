"""argparse speaking Chinese: every ``perfeval`` command's help and usage errors.

argparse builds its text from English templates (``_("usage: ")`` …). Rather than
install a process-wide gettext catalogue (which would also translate any other
library's parsers), the parser here sets its own titles and help line and
translates the few error templates argparse raises, matching each template as a
pattern so the wording survives small changes between Python versions.
Subparsers inherit the class (argparse's ``add_subparsers`` uses ``type(self)``),
so a command module gets all of this from ``sub.add_parser`` without knowing.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys

USAGE_PREFIX = "用法："
HELP_HELP = "显示本帮助并退出"
VERSION_HELP = "显示版本号并退出"

_TYPE_NAMES = {"int": "整数", "float": "数字", "Path": "路径", "str": "文字"}

# argparse's English template → the Chinese one; %(name)s / %s / %r are the slots.
_TEMPLATES = (
    ("argument %(argument_name)s: %(message)s", "参数 {argument_name}：{message}"),
    ("the following arguments are required: %s", "缺少必需的参数：{0}"),
    ("one of the arguments %s is required", "须指定以下参数之一：{0}"),
    ("unrecognized arguments: %s", "无法识别的参数：{0}"),
    ("invalid choice: %(value)r (choose from %(choices)s)", "无效的取值 {value}（可选：{choices}）"),
    ("invalid %(type)s value: %(value)r", "不是有效的{type}：{value}"),
    ("expected one argument", "需要一个值"),
    ("expected at most one argument", "最多只能有一个值"),
    ("expected at least one argument", "至少需要一个值"),
    ("expected %s arguments", "需要 {0} 个值"),
    ("expected %s argument", "需要 {0} 个值"),
    ("ambiguous option: %(option)s could match %(matches)s", "选项 {option} 不明确，可能是：{matches}"),
    ("not allowed with argument %s", "不能与参数 {0} 同时使用"),
    ("ignored explicit argument %r", "此选项不接受值：{0}"),
    ("can't open '%(filename)s': %(error)s", "无法打开“{filename}”：{error}"),
)

_SLOT = re.compile(r"%\((\w+)\)[sr]|%[sr]")


def _pattern(template: str) -> re.Pattern[str]:
    out, pos, n = [], 0, 0
    for m in _SLOT.finditer(template):
        out.append(re.escape(template[pos:m.start()]))
        name = m.group(1) or f"_{n}"
        n += 0 if m.group(1) else 1
        out.append(f"(?P<{name}>.+?)")
        pos = m.end()
    out.append(re.escape(template[pos:]))
    return re.compile("".join(out) + r"\Z", re.S)


_COMPILED = [(_pattern(en), zh) for en, zh in _TEMPLATES]


def translate(message: str) -> str:
    """argparse's English error message in Chinese; text it does not know passes through."""
    for pattern, zh in _COMPILED:
        m = pattern.match(message)
        if not m:
            continue
        slots = m.groupdict()
        if "message" in slots:
            slots["message"] = translate(slots["message"])
        if "type" in slots:
            slots["type"] = _TYPE_NAMES.get(slots["type"], slots["type"])
        if "choices" in slots:
            slots["choices"] = "、".join(c.strip().strip("'\"") for c in slots["choices"].split(","))
        if "value" in slots:
            slots["value"] = f"“{slots['value'].strip(chr(39) + chr(34))}”"
        positional = [slots.pop(k) for k in sorted(k for k in slots if k.startswith("_"))]
        return zh.format(*positional, **slots)
    return message


def did_you_mean(word: str, choices) -> str:
    """'。您是否想输入：check？' for a near miss, '' otherwise."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=3, cutoff=0.6)
    return f"。您是否想输入：{'、'.join(close)}？" if close else ""


class ChineseHelpFormatter(argparse.HelpFormatter):
    _HEADING = re.compile(r"^(\S[^\n]*?):$", re.M)  # argparse appends an ASCII colon to group titles

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)

    def format_help(self) -> str:
        return self._HEADING.sub(r"\1：", super().format_help())


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help, usage and errors are Chinese."""

    def __init__(self, *args, add_help: bool = True, formatter_class=ChineseHelpFormatter, **kwargs):
        super().__init__(*args, add_help=False, formatter_class=formatter_class, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP_HELP)

    def _check_value(self, action, value):
        # argparse's own message, plus a suggestion for a near miss (a mistyped command or format)
        if action.choices is not None and value not in action.choices:
            choices = "、".join(map(str, action.choices))
            raise argparse.ArgumentError(action, f"无效的取值“{value}”（可选：{choices}）{did_you_mean(value, action.choices)}")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{translate(message)}\n")
