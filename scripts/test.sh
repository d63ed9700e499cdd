#!/usr/bin/env bash
# Installs everything the tests need and runs the whole suite, on SQLite and PostgreSQL.
#   scripts/test.sh                 every test
#   scripts/test.sh --db sqlite     one database only; any other pytest arguments work too
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --test
exec .venv/bin/python -m pytest "$@"
