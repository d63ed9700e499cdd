#!/usr/bin/env bash
# Installs Golden Ribbon and starts it on SQLite with the demo street loaded, with the
# background worker (e-mail, large exports) beside the web server.
#   scripts/run.sh            → http://127.0.0.1:5000  (PORT=8000 scripts/run.sh for another port)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh

export APP_ENV="${APP_ENV:-development}"
export FLASK_APP=coordination
PORT="${PORT:-5000}"

echo "==> Preparing the database"
.venv/bin/flask --app coordination db upgrade
.venv/bin/flask --app coordination seed demo

echo "==> Starting the background worker"
.venv/bin/flask --app coordination worker &
worker_pid=$!
# The worker stops (gracefully) when the web server stops, however it stops.
trap 'kill -TERM "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true' EXIT
echo "    worker started (pid $worker_pid)"

cat <<MSG

  Golden Ribbon (金色纽带) is running at:  http://127.0.0.1:${PORT}
  Log in with any demo account above (password for all: Ribbon-2026).
  Press Ctrl+C to stop.

MSG
.venv/bin/flask --app coordination run --host 127.0.0.1 --port "$PORT"
