#!/usr/bin/env bash
# Sets up everything the tests need (see setup-test-env.sh), then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-test-env.sh
python3 -m pytest -q "$@"
