#!/usr/bin/env bash
# Mutation testing of the core with mutmut (configured in pyproject.toml, [tool.mutmut]).
#
#   bash scripts/mutation.sh                 # every core module (long: see README § 开发 for timings)
#   bash scripts/mutation.sh intervals       # one part: intervals | engine (identity evaluation) |
#                                            #   declarations (what rules/base.py computes at run time; the declarations themselves are
#   built at import time, out of mutmut's reach: tests/oracles and scripts/planted_bugs.sh) | scoring |
#                                            #   verdict (Report.passed, the receipt's 合格/不合格) | preflight (zip limits)
#   bash scripts/mutation.sh results         # list the surviving mutants of the last run
#
# Not part of CI: the whole core takes hours on 2 cores. mutmut copies the package into
# mutants/ (git-ignored) and runs, per mutant, only the selected tests that reach it; a
# mutant that no test kills "survives" and is either killed by a new test or listed in the
# README with why it is equivalent. Run niced: the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip show mutmut >/dev/null 2>&1 || python3 -m pip install -q 'mutmut>=3.3'

# name → mutant-name globs: the core behaviour of each module (UI text builders such as Excel formulas
# and explanations are covered by the LibreOffice and three-engine tests, too slow to run per mutant)
declare -A MODULE=(
  [intervals]='perfeval_xl.check.intervals.*'
  [engine]='perfeval_xl.check.engine.x__run_identities* perfeval_xl.check.engine.x__split* perfeval_xl.check.engine.x__total*
            perfeval_xl.check.engine.x__unverifiable* perfeval_xl.check.engine.x__sum* perfeval_xl.check.engine.x__ratio*
            perfeval_xl.check.engine.x__count* perfeval_xl.check.engine.x__alternatives* perfeval_xl.check.engine.x__hint*
            perfeval_xl.check.engine.x__likely* perfeval_xl.check.engine.x__blank_note*'
  [declarations]='perfeval_xl.rules.base.xǁSeverityǁ* perfeval_xl.rules.base.xǁRuleǁfamily*
                  perfeval_xl.rules.base.xǁArithmeticRuleǁinputs* perfeval_xl.rules.base.xǁCountRuleǁinputs*
                  perfeval_xl.rules.base.xǁCheckRuleǁinputs*'
  [scoring]='perfeval_xl.indicators.scoring_rules.*ǁscore__mutmut* perfeval_xl.indicators.scoring_rules.*ǁ_gap__mutmut*
             perfeval_xl.indicators.scoring_rules.*ǁcontains__mutmut* perfeval_xl.indicators.scoring_rules.*ǁparse__mutmut*
             perfeval_xl.indicators.scoring_rules.*ǁoverlaps__mutmut* perfeval_xl.indicators.scoring_rules.*ǁband__mutmut*
             perfeval_xl.indicators.scoring_rules.*ǁcheck__mutmut* perfeval_xl.indicators.scoring_rules.x_dec__mutmut*
             perfeval_xl.indicators.scoring_rules.x_rule_from_data__mutmut* perfeval_xl.indicators.scoring_rules.x__need_percent__mutmut*'
  [verdict]='perfeval_xl.check.findings.xǁReportǁpassed* perfeval_xl.check.findings.xǁReportǁhas_errors*
             perfeval_xl.check.findings.xǁReportǁcounts* perfeval_xl.intake.receipt.x_verdict*'
  [preflight]='perfeval_xl.preflight.scan.x_scan_zip* perfeval_xl.preflight.scan.x__preflight*
               perfeval_xl.preflight.scan.x_preflight__* perfeval_xl.preflight.scan.xǁPreflightǁblocked*
               perfeval_xl.preflight.scan.x__stream_member*'
)

# mutmut puts mutants/ first on sys.path itself; a PYTHONPATH pointing at a checkout would shadow it
unset PYTHONPATH
export XLWINGS_LICENSE_KEY=noncommercial

if [[ "${1:-}" == "results" ]]; then
  exec python3 -m mutmut results
fi

names=("$@")
((${#names[@]})) || names=(intervals engine declarations scoring verdict preflight)
set -f  # the globs are mutmut's, not the shell's
args=()
for name in "${names[@]}"; do
  [[ -n "${MODULE[$name]:-}" ]] || { echo "unknown part: $name (one of: ${!MODULE[*]})" >&2; exit 2; }
  read -r -a globs <<<"$(echo ${MODULE[$name]})"
  args+=("${globs[@]}")
done
start=$(date +%s)
mkdir -p mutants
nice -n 10 python3 -m mutmut run --max-children 1 "${args[@]}" >mutants/run.log 2>&1 || { tail -30 mutants/run.log; exit 1; }
echo "mutmut run: $(( $(date +%s) - start )) s (log: mutants/run.log)"

# the score of each part: killed (a test failed, or the mutant hung) ÷ every mutant checked
specs=()
for name in "${names[@]}"; do specs+=("$name=$(echo ${MODULE[$name]})"); done
python3 - "${specs[@]}" <<'PY'
import fnmatch, json, pathlib, sys
codes = {}
for meta in pathlib.Path("mutants").rglob("*.meta"):
    codes.update(json.loads(meta.read_text())["exit_code_by_key"])
KILLED, SURVIVED = {1, 3, 36, -24, 24, 152, 255, 37}, {0}
for spec in sys.argv[1:]:
    name, globs = spec.split("=", 1)
    mine = {k: v for k, v in codes.items() if any(fnmatch.fnmatchcase(k, g) for g in globs.split())}
    killed = sorted(k for k, v in mine.items() if v in KILLED)
    survived = sorted(k for k, v in mine.items() if v in SURVIVED)
    other = sorted(k for k, v in mine.items() if v not in KILLED | SURVIVED)  # not checked, no tests, suspicious
    checked = len(killed) + len(survived) + len(other)
    score = 100 * len(killed) / checked if checked else 0
    print(f"{name}: {len(killed)}/{checked} killed = {score:.1f}%  ({len(survived)} survived, {len(other)} without a verdict)")
    for k in survived + other:
        print(f"    {k}: exit {mine[k]}")
PY
