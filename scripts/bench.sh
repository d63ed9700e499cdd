#!/usr/bin/env bash
# The street benchmark (issue 9): installs the app and wrk (Debian) if missing, builds the
# generated street once, and prints every route's req/s, p50, p99 and ratio to a hello-world
# ceiling next to the targets. Arguments go to bench/street.py:
#   scripts/bench.sh                       SQLite, 100k needs / 5k projects / 1M answers, menu at 10k and 1M
#   scripts/bench.sh --postgres            the same on a PostgreSQL server started on 127.0.0.1
#   scripts/bench.sh --database-url URL    on that database
#   scripts/bench.sh --help                sizes, durations and what can be skipped
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x .venv/bin/gunicorn ]] || scripts/install.sh  # the app (the test install also has it)
if ! command -v wrk >/dev/null; then
  echo "==> Installing wrk (Debian package)"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null \
    || { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null; }
fi
if [[ " $* " == *" --postgres "* ]] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  scripts/install.sh --test >/dev/null  # Debian's postgresql server binaries
fi
exec .venv/bin/python bench/street.py "$@"
