#!/usr/bin/env bash
# Installs what Golden Ribbon needs into ./.venv.
#   scripts/install.sh          the application (Python packages)
#   scripts/install.sh --test   also the test tools: Debian's postgresql and chromium
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

PYTHON="${PYTHON:-python3}"
if [[ ! -x .venv/bin/python ]]; then
  echo "==> Creating the virtual environment (.venv)"
  "$PYTHON" -m venv .venv
fi

extras="."
[[ $want_test == 1 ]] && extras=".[test]"
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-$want_test"
if [[ ! -f "$stamp" ]]; then
  echo "==> Installing Python packages"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e "$extras"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

if [[ $want_test == 1 ]]; then
  missing=()
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  command -v chromium >/dev/null || missing+=(chromium)
  command -v npm >/dev/null || missing+=(npm)
  fc-list 2>/dev/null | grep -i "noto sans cjk" >/dev/null || missing+=(fonts-noto-cjk)
  if (( ${#missing[@]} )); then
    echo "==> Installing Debian packages: ${missing[*]}"
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

if [[ $want_test == 1 ]]; then
  # axe-core, injected into pages by the accessibility tests (pinned in tests/e2e/package-lock.json).
  lock_stamp="tests/e2e/node_modules/.installed-$(sha256sum tests/e2e/package-lock.json | cut -c1-16)"
  if [[ ! -f "$lock_stamp" ]]; then
    echo "==> Installing the browser-test helpers (npm)"
    npm ci --prefix tests/e2e --no-audit --no-fund --silent
    touch "$lock_stamp"
  fi
fi
