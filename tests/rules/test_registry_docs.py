"""The registry describes itself: metadata contract, generated docs, ``perfeval rules``."""

from __future__ import annotations

import json
import re
from pathlib import Path

from perfeval_xl.cli import main
from perfeval_xl.rules.base import FAMILIES, ArithmeticRule, CountRule
from perfeval_xl.docs import BANNER
from perfeval_xl.docs.rules import write_rule_docs
from perfeval_xl.rules.registry import FAMILY_ORDER, REGISTRY, RULESET_VERSION, message_params


def test_every_rule_is_documented_in_chinese():
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for r in REGISTRY.values():
        assert re.fullmatch(r"[A-Z]+\d{3}", r.id) and r.family in FAMILIES and r.family in FAMILY_ORDER
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", r.slug), r.id
        assert cjk.search(r.title) and cjk.search(r.rationale) and cjk.search(r.message), r.id
        assert message_params(r) or r.family in ("STR", "SEC"), f"{r.id}: a message without parameters says nothing specific"  # whole-file verdicts


def test_rule_count_by_family():
    by_family = {f: sum(1 for r in REGISTRY.values() if r.family == f) for f in FAMILY_ORDER}
    assert sum(by_family.values()) == len(REGISTRY) > 40
    assert all(by_family.values()), by_family
    assert sum(1 for r in REGISTRY.values() if isinstance(r, (ArithmeticRule, CountRule))) >= 30


def test_docs_are_generated_deterministically(tmp_path):
    first = {p.name: p.read_text(encoding="utf-8") for p in write_rule_docs(tmp_path / "a")}
    second = {p.name: p.read_text(encoding="utf-8") for p in write_rule_docs(tmp_path / "b")}
    assert first == second
    assert set(first) == {"index.md"} | {f"{r}.md" for r in REGISTRY}
    for name, text in first.items():
        assert text.startswith(BANNER), name
    index = first["index.md"]
    assert f"v{RULESET_VERSION}" in index and all(f"[{r}]({r}.md)" in index for r in REGISTRY)
    page = first["SUM009.md"]
    assert "本年支出合计 = 基本支出 + 项目支出" in page and "## 示例" in page and "rounding_seed_one_cent" in page


def test_docs_drop_pages_of_retired_rules(tmp_path):
    stale = tmp_path / "rules" / "SUM999.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("old", encoding="utf-8")
    write_rule_docs(tmp_path)
    assert not stale.exists()


def test_cli_rules_json(capsys):
    assert main(["rules", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ruleset_version"] == RULESET_VERSION
    assert [r["id"] for r in doc["rules"]] == list(REGISTRY)
    sum009 = next(r for r in doc["rules"] if r["id"] == "SUM009")
    assert sum009["severity"] == "error" and "exp.total_year" in sum009["inputs"] and sum009["source"].endswith("arithmetic.py")


def test_cli_rules_markdown(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert f"共 {len(REGISTRY)} 条" in out
    assert all(f"[{r}]" in out for r in REGISTRY)


def test_each_rule_page_names_the_module_that_declares_it():
    """Derived from the registry and the rules package, so a new module (security) needs no list update."""
    from perfeval_xl.docs.rules import source_of

    for r in REGISTRY.values():
        src = source_of(r)
        assert f'"{r.id}"' in (Path(__file__).resolve().parents[2] / src).read_text(encoding="utf-8"), r.id
    assert {source_of(r) for r in REGISTRY.values() if r.family == "SEC"} == {"perfeval_xl/rules/security.py"}
    assert source_of(REGISTRY["RATE012"]) == "perfeval_xl/rules/registry.py"
    assert source_of(REGISTRY["SUM009"]) == "perfeval_xl/rules/arithmetic.py"
