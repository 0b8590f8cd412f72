"""The documentation generated from the declarations (never hand-edited): one generator.

* ``fields`` – docs/fields.md and ``perfeval schema`` (the schema);
* ``rules``  – docs/rules/ and ``perfeval rules`` (the rule registry).

``python -m perfeval_xl.docs [ROOT]`` writes both below ROOT/docs.
"""

from __future__ import annotations

from pathlib import Path

from .banner import BANNER


def write_all(root) -> list[Path]:
    from .fields import fields_markdown
    from .rules import write_rule_docs

    root = Path(root)
    out = root / "docs" / "fields.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(fields_markdown() + "\n", encoding="utf-8")
    return [out, *write_rule_docs(root / "docs")]


__all__ = ["BANNER", "write_all"]
