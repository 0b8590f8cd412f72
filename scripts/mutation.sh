#!/usr/bin/env bash
# Mutation testing of the core with mutmut (configured in pyproject.toml, [tool.mutmut]).
#
#   bash scripts/mutation.sh                 # every core module (long: see README § 开发 for timings)
#   bash scripts/mutation.sh intervals       # one module: intervals | engine | findings | arithmetic | base |
#                                            #             scoring | preflight | receipt
#   bash scripts/mutation.sh results         # list the surviving mutants of the last run
#
# Not part of CI: the whole core takes hours on 2 cores. mutmut copies the package into
# mutants/ (git-ignored) and runs, per mutant, only the selected tests that reach it; a
# mutant that no test kills "survives" and is either killed by a new test or listed in the
# README with why it is equivalent. Run niced: the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip show mutmut >/dev/null 2>&1 || python3 -m pip install -q 'mutmut>=3.3'

declare -A MODULE=(
  [intervals]=perfeval_xl.check.intervals [engine]=perfeval_xl.check.engine [findings]=perfeval_xl.check.findings
  [arithmetic]=perfeval_xl.rules.arithmetic [base]=perfeval_xl.rules.base
  [scoring]=perfeval_xl.indicators.scoring_rules [preflight]=perfeval_xl.intake.preflight
  [receipt]=perfeval_xl.intake.receipt
)

# mutmut puts mutants/ first on sys.path itself; a PYTHONPATH pointing at a checkout would shadow it
unset PYTHONPATH
export XLWINGS_LICENSE_KEY=noncommercial

if [[ "${1:-}" == "results" ]]; then
  exec python3 -m mutmut results
fi

args=()
for name in "$@"; do
  [[ -n "${MODULE[$name]:-}" ]] || { echo "unknown module: $name (one of: ${!MODULE[*]})" >&2; exit 2; }
  args+=("${MODULE[$name]}.*")
done
start=$(date +%s)
nice -n 10 python3 -m mutmut run --max-children 1 "${args[@]}"
echo "mutmut: $(( $(date +%s) - start )) s"
python3 -m mutmut results
