#!/usr/bin/env bash
# Mutation testing of the core with mutmut (shared settings in pyproject.toml, [tool.mutmut]).
#
#   bash scripts/mutation.sh                  # every part, one after another (README § 开发 has the timings)
#   bash scripts/mutation.sh preflight engine # some parts
#   bash scripts/mutation.sh results          # the score and survivors of each part's last run, without running
#   FRESH=1 bash scripts/mutation.sh engine   # forget the part's cached verdicts first
#   MUTANTS="$(cat survivors.txt)" FRESH=1 bash scripts/mutation.sh preflight
#                                             # only these mutants (e.g. a complete run's survivors, after adding tests)
#
# Parts: intervals | engine (identity, interval and bound evaluation) | hints (which single input explains a gap) | declarations (what rules/base.py computes at
# run time; the declarations themselves are built at import time, out of mutmut's reach: tests/oracles and
# scripts/planted_bugs.sh cover them) | scoring | verdict (Report.passed, the receipt's 合格/不合格) |
# preflight (scan limits, streaming, package map).
#
# Each part runs in its own directory mutants/<part>/ with its own mutmut configuration: only the part's files
# are mutated and only the part's focused test files are run per mutant, so a run stays tractable on a shared
# 2-core machine (one mutant at a time, niced). A surviving mutant is either killed by a new test or listed with
# why it is equivalent in docs/mutation-survivors.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
python3 -m pip show mutmut >/dev/null 2>&1 || python3 -m pip install -q 'mutmut>=3.3'

# the fast tests that pin the core's behaviour (no LibreOffice, no IMAP, no intake batch): the selection the smaller
# parts were measured with; the two large parts (engine, preflight) have files of their own, fast enough per mutant
CORE_TESTS="tests/oracles/test_boundaries.py tests/oracles/test_identity_oracle.py tests/oracles/test_verdict.py
  tests/oracles/test_scoring_bands.py tests/test_engine.py tests/rules/test_rule_cases.py tests/test_indicators.py
  tests/intake/test_preflight_limits.py tests/intake/test_units.py"

# part → "mutant-name globs | files to mutate | focused tests"
declare -A PART=(
  [intervals]='perfeval_xl.check.intervals.*
    | perfeval_xl/check/intervals.py
    | $CORE_TESTS tests/test_checker_properties.py tests/test_mutation_examples.py'
  [engine]='perfeval_xl.check.engine.x__run_identities* perfeval_xl.check.engine.x__split* perfeval_xl.check.engine.x__total*
            perfeval_xl.check.engine.x__unverifiable* perfeval_xl.check.engine.x__stated_blank* perfeval_xl.check.engine.x__bound*
            perfeval_xl.check.engine.x__sum__* perfeval_xl.check.engine.x__ratio__* perfeval_xl.check.engine.x__ratio_consistent*
            perfeval_xl.check.engine.x__count*
    | perfeval_xl/check/engine.py
    | tests/test_engine_identities.py tests/test_engine_hints.py tests/oracles/test_boundaries.py'
  [hints]='perfeval_xl.check.engine.x__sum_candidates* perfeval_xl.check.engine.x__ratio_candidates*
           perfeval_xl.check.engine.x__alternatives* perfeval_xl.check.engine.x__hint* perfeval_xl.check.engine.x__likely*
           perfeval_xl.check.engine.x__blank_note*
    | perfeval_xl/check/engine.py
    | tests/test_engine_hints.py tests/test_engine_identities.py'
  [declarations]='perfeval_xl.rules.base.xǁSeverityǁ* perfeval_xl.rules.base.xǁRuleǁfamily*
                  perfeval_xl.rules.base.xǁArithmeticRuleǁinputs* perfeval_xl.rules.base.xǁCountRuleǁinputs*
                  perfeval_xl.rules.base.xǁCheckRuleǁinputs*
    | perfeval_xl/rules/base.py
    | $CORE_TESTS'
  [scoring]='perfeval_xl.indicators.scoring_rules.*ǁscore__mutmut* perfeval_xl.indicators.scoring_rules.*ǁ_gap__mutmut*
             perfeval_xl.indicators.scoring_rules.*ǁcontains__mutmut* perfeval_xl.indicators.scoring_rules.*ǁparse__mutmut*
             perfeval_xl.indicators.scoring_rules.*ǁoverlaps__mutmut* perfeval_xl.indicators.scoring_rules.*ǁband__mutmut*
             perfeval_xl.indicators.scoring_rules.*ǁcheck__mutmut* perfeval_xl.indicators.scoring_rules.x_dec__mutmut*
             perfeval_xl.indicators.scoring_rules.x_rule_from_data__mutmut* perfeval_xl.indicators.scoring_rules.x__need_percent__mutmut*
    | perfeval_xl/indicators/scoring_rules.py
    | $CORE_TESTS'
  [verdict]='perfeval_xl.check.findings.xǁReportǁpassed* perfeval_xl.check.findings.xǁReportǁhas_errors*
             perfeval_xl.check.findings.xǁReportǁcounts* perfeval_xl.intake.receipt.x_verdict*
    | perfeval_xl/check/findings.py perfeval_xl/intake/receipt.py
    | $CORE_TESTS'
  [preflight]='perfeval_xl.preflight.scan.x_scan_zip* perfeval_xl.preflight.scan.x__preflight*
               perfeval_xl.preflight.scan.x_preflight__* perfeval_xl.preflight.scan.xǁPreflightǁblocked*
               perfeval_xl.preflight.scan.xǁPreflightǁunsafe* perfeval_xl.preflight.scan.x__stream_member*
               perfeval_xl.preflight.scan.x__too_large* perfeval_xl.preflight.scan.x__raw_member*
               perfeval_xl.preflight.scan.x_sniff* perfeval_xl.preflight.scan.x_is_workbook_package*
    | perfeval_xl/preflight/scan.py
    | tests/preflight'
)
ORDER=(intervals engine hints declarations scoring verdict preflight)

# mutmut puts mutants/ first on sys.path itself; a PYTHONPATH pointing at a checkout would shadow it
unset PYTHONPATH
export XLWINGS_LICENSE_KEY=noncommercial

field() { # field <part> <n>: the n-th "|"-separated field of a part, whitespace-normalised
  local spec="${PART[$1]}"; IFS='|' read -r -a fs <<<"$(echo $spec)"; echo ${fs[$2]}
}

# the part's own directory: the checkout's files linked in, mutmut's settings narrowed to the part
prepare() {
  local part=$1 dir="mutants/$1"
  [[ -n "${FRESH:-}" ]] && rm -rf "$dir"
  mkdir -p "$dir"
  for f in perfeval_xl tests workbook_templates macros setup.py; do ln -sfn "$ROOT/$f" "$dir/$f"; done
  local tests; tests="$(field "$part" 2)"; tests="${tests//\$CORE_TESTS/$CORE_TESTS}"
  python3 - "$dir/pyproject.toml" "$(field "$part" 1)" "$tests" <<'PY'
import json, sys, tomllib
out, files, tests = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
data = tomllib.loads(open("pyproject.toml", "rb").read().decode())
# a mutant that loops (say, a chunk offset that stops advancing) is stopped at 5× its tests' CPU time, not mutmut's 15×
conf = dict(data["tool"]["mutmut"], only_mutate=files, pytest_add_cli_args_test_selection=tests, timeout_multiplier=5.0)
lines = ["[tool.pytest.ini_options]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in data["tool"]["pytest"]["ini_options"].items()]
lines += ["", "[tool.mutmut]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in conf.items()]
open(out, "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
}

# the score of a part: killed (a test failed, or the mutant hung) ÷ every mutant checked
score() {
  local part=$1
  ( cd "mutants/$part" && python3 - "$part" "$(field "$part" 0)" <<'PY'
import fnmatch, json, pathlib, sys
part, globs = sys.argv[1], sys.argv[2].split()
codes = {}
for meta in pathlib.Path("mutants").rglob("*.meta"):
    codes.update(json.loads(meta.read_text())["exit_code_by_key"])
KILLED, SURVIVED = {1, 3, 36, -24, 24, 152, 255, 37}, {0}
mine = {k: v for k, v in codes.items() if any(fnmatch.fnmatchcase(k, g) for g in globs)}
killed = sorted(k for k, v in mine.items() if v in KILLED)
survived = sorted(k for k, v in mine.items() if v in SURVIVED)
other = sorted(k for k, v in mine.items() if v not in KILLED | SURVIVED)  # not checked, no tests, suspicious
checked = len(mine)
score = 100 * len(killed) / checked if checked else 0
print(f"{part}: {len(killed)}/{checked} killed = {score:.1f}%  ({len(survived)} survived, {len(other)} without a verdict)")
for k in survived + other:
    print(f"    {k}: exit {mine[k]}")
PY
  )
}

names=("$@")
results=""
if [[ "${names[0]:-}" == "results" ]]; then results=1; names=("${names[@]:1}"); fi
((${#names[@]})) || names=("${ORDER[@]}")
set -f  # the globs are mutmut's, not the shell's
for part in "${names[@]}"; do
  [[ -n "${PART[$part]:-}" ]] || { echo "unknown part: $part (one of: ${ORDER[*]})" >&2; exit 2; }
  if [[ -z "$results" ]]; then
    prepare "$part"
    read -r -a globs <<<"${MUTANTS:-$(field "$part" 0)}"
    start=$(date +%s)
    ( cd "mutants/$part" && nice -n 10 python3 -m mutmut run --max-children 1 "${globs[@]}" >run.log 2>&1 ) \
      || { tail -30 "mutants/$part/run.log"; exit 1; }
    echo "$part: mutmut run $(( $(date +%s) - start )) s (log: mutants/$part/run.log)"
  fi
  score "$part"
done
