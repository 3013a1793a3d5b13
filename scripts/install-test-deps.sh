#!/usr/bin/env bash
# Installs everything the test suite needs, on a fresh machine too. Safe to run again.
set -euo pipefail
VENV=${1:-.venv}
BIN="$VENV/bin"

"$BIN/pip" install --quiet -e '.[test]'
