#!/usr/bin/env bash
# bandit over the application: any finding of medium severity or higher fails. A waiver is a
# `# nosec BXXX` on the flagged line with the reason beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/bandit --recursive coordination --severity-level medium --quiet "$@"
