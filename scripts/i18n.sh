#!/usr/bin/env bash
# Extracts translatable strings, updates the zh_CN and en catalogues, compiles them.
set -euo pipefail
cd "$(dirname "$0")/.."
T=coordination/translations
.venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o "$T/messages.pot" . >/dev/null
.venv/bin/pybabel update -i "$T/messages.pot" -d "$T" --no-fuzzy-matching >/dev/null
.venv/bin/pybabel compile -d "$T" --statistics
