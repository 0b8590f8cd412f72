#!/usr/bin/env bash
# Plants, one at a time, the bugs that issue 16 found surviving the suite, each in a scratch copy of this
# checkout; regenerates the committed examples and docs there as a developer would after a change
# (`perfeval examples`, `python -m perfeval_xl.docs`); runs the suite with -x; reports CAUGHT or SURVIVED.
#
#   bash scripts/planted_bugs.sh              # every bug
#   bash scripts/planted_bugs.sh sum006 zip   # some of them
#
# The checkout itself is never modified. Exit status 1 when any bug survives (or cannot be planted).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

# name | file | python regex | replacement | what it does
BUGS=(
  'half|perfeval_xl/check/intervals.py|return unit\(d\) / 2|return unit(d)|rounding half-width doubled (93.34 vs 42/45 becomes a 舍入差异)'
  'trunc|perfeval_xl/check/intervals.py|return Interval\(stated - h, stated \+ u\)|return Interval(stated - h, stated + h)|truncation width dropped from a printed rate'
  'strict|perfeval_xl/check/intervals.py|self\.lo <= other\.hi and other\.lo <= self\.hi|self.lo < other.hi and other.lo < self.hi|interval overlap made strict'
  'sum006|perfeval_xl/rules/arithmetic.py|"inc\.general_budget", "inc\.gov_fund", "inc\.state_capital"|"inc.general_budget", "inc.state_capital"|SUM006 loses 政府性基金'
  'zip|perfeval_xl/preflight/scan.py|max_ratio: float = 200\.0|max_ratio: float = 1000.0|zip-ratio limit raised from 200 to 1000'
  'verdict|perfeval_xl/check/findings.py|return self\.checked and not self\.has_errors|return self.checked and not any(f.severity is not Severity.INFO for f in self.findings)|warnings fail a submission (不合格)'
  'control|perfeval_xl/indicators/scoring_rules.py|to_integral_value\(rounding=ROUND_FLOOR\)|to_integral_value(rounding=ROUND_HALF_UP)|half-up instead of floor in 每低于5%扣2分 (the control)'
)

want=("$@")
status=0
for bug in "${BUGS[@]}"; do
  IFS='|' read -r name file pattern replacement what <<<"$bug"
  if ((${#want[@]})) && [[ ! " ${want[*]} " == *" $name "* ]]; then continue; fi
  scratch="$(mktemp -d /tmp/planted_${name}_XXXX)"
  tar -C "$ROOT" --exclude=.git --exclude=mutants --exclude=__pycache__ -cf - . | tar -C "$scratch" -xf -
  if ! python3 - "$scratch/$file" "$pattern" "$replacement" <<'PY'
import re, sys
path, pattern, replacement = sys.argv[1:]
text = open(path, encoding="utf-8").read()
new, n = re.subn(pattern, lambda m: replacement, text)
if n != 1:
    sys.exit(f"pattern found {n} times in {path}")
open(path, "w", encoding="utf-8").write(new)
PY
  then
    echo "NOT PLANTED  $name: $what"; status=1; rm -rf "$scratch"; continue
  fi
  start=$(date +%s)
  (
    cd "$scratch" && export PYTHONPATH="$scratch" XLWINGS_LICENSE_KEY=noncommercial &&
    nice python3 -m perfeval_xl.cli examples >/dev/null 2>&1 && nice python3 -m perfeval_xl.docs >/dev/null 2>&1 &&
    nice python3 -m pytest -q -x -p no:cacheprovider >"$scratch/pytest.log" 2>&1
  )
  rc=$?
  first=$(grep -m1 -E '^(FAILED|ERROR) ' "$scratch/pytest.log" 2>/dev/null | cut -c1-150)
  if ((rc != 0)); then
    echo "CAUGHT    $name ($(( $(date +%s) - start )) s): $what — ${first:-see $scratch/pytest.log}"
  else
    echo "SURVIVED  $name ($(( $(date +%s) - start )) s): $what — $(tail -1 "$scratch/pytest.log")"; status=1
  fi
  rm -rf "$scratch"
done
exit $status
