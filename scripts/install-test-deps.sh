#!/usr/bin/env bash
# Installs everything the test suite needs, on a fresh machine too. Safe to run again.
set -euo pipefail
VENV=${1:-.venv}
BIN="$VENV/bin"

"$BIN/pip" install --quiet -e '.[test]'

# --- Browser tests (tests/browser): Debian's Chromium driven by Playwright, and axe-core ---
# Playwright cannot download its own browsers here, so the tests drive /usr/bin/chromium.
if [ ! -x /usr/bin/chromium ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
# axe-core for the accessibility check, from the npm registry into a folder the tests know.
if [ ! -f build/axe/node_modules/axe-core/axe.min.js ]; then
    npm install --silent --no-audit --no-fund --prefix build/axe axe-core@4
fi
# --- end browser tests ---

# --- Operations tests (tests/ops, benchmarks/load.py) ---
# The fault tests start PostgreSQL clusters and Redis servers of their own (initdb/pg_ctl from
# /usr/lib/postgresql/*/bin, run as the postgres user through runuser; redis-server), so they can
# stop and kill them without touching the machine's shared servers. Debian's packages bring both.
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || ! command -v redis-server >/dev/null; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql redis-server
fi
# --- end operations tests ---
