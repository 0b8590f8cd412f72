"""The ``perfeval`` command.

Each sub-command is a small module in this package exposing
``register(subparsers)``; they are discovered, so adding a command is adding a file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from .. import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_FAILED = 0, 1, 2


from ..errors import UserError  # noqa: E402  (re-exported for command modules)
from ._zh import VERSION_HELP, ChineseArgumentParser  # noqa: E402


def build_parser() -> argparse.ArgumentParser:
    # Subparsers are built with type(parser), so every command speaks Chinese without asking.
    parser = ChineseArgumentParser(
        prog="perfeval",
        description="部门整体支出绩效评价工具：生成模板、填报、读取、校验、评分与收件。",
    )
    parser.add_argument("--version", action="version", version=f"perfeval-xl {__version__}", help=VERSION_HELP)
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_FAILED
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head/less that closed early
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
