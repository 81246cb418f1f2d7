#!/usr/bin/env bash
# Runs every check CI runs: lint, types, the layer contract and the whole test suite against the real
# device stacks. Starts the test services first and stops them at the end, however the run ends.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/unit -x`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/pytest ] || { echo "test: run 'bash scripts/setup.sh --dev' first" >&2; exit 2; }

bash scripts/services.sh start
trap 'bash scripts/services.sh stop' EXIT
set -a
# shellcheck disable=SC1091
. "${KIOSK_RUN_DIR:-.run}/env"
set +a

echo "== ruff";        .venv/bin/ruff check .
echo "== mypy";        .venv/bin/mypy
echo "== lint-imports"; .venv/bin/lint-imports
echo "== pytest";      .venv/bin/python -m pytest "$@"
