#!/usr/bin/env bash
# Measure how big and how slow each way of installing Forewarn is, in fresh environments under
# /tmp: a plain `pip install .`, `pip install .[torch]` (torch==2.13.0, the CPU build, pinned
# first), and the environment pre-commit builds for the hook (`pre-commit try-repo`, as a user's
# `language: python` hook would). Prints one line per install: size in MB, wall-clock and CPU
# seconds (user + system, children included: on a shared, loaded machine the CPU time is the better
# guide to the wall time on an idle one), and any torch, triton, nvidia or cuda package it resolved
# (the plain and hook installs must resolve none).
#
#   scripts/install_sizes.sh [--cold] [plain] [torch] [hook]
#
# --cold disables pip's cache (every wheel is read from the index again); the default uses it, as a
# developer's machine would. Installs whatever is committed or in the work tree at the time.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
WORK="${INSTALL_SIZES_DIR:-/tmp/kb-install-sizes}"
PIP_FLAGS=(--quiet --disable-pip-version-check)
WHICH=()
for arg in "$@"; do
  case "$arg" in
    --cold) export PIP_NO_CACHE_DIR=1 ;;
    plain | torch | hook) WHICH+=("$arg") ;;
    *) echo "usage: $0 [--cold] [plain] [torch] [hook]" >&2; exit 2 ;;
  esac
done
[ ${#WHICH[@]} -gt 0 ] || WHICH=(plain torch hook)
rm -rf "$WORK"
mkdir -p "$WORK"

mb() { du -sm "$1" | cut -f1; }
gpu_packages() {
  "$1/bin/python" -m pip list --format=freeze 2>/dev/null \
    | grep -iE '^(torch|triton|nvidia|cuda)[^=]*==' | tr '\n' ' ' || true
}
report() {  # name, env dir, wall seconds, cpu seconds
  local heavy
  heavy="$(gpu_packages "$2")"
  printf '%-6s %6s MB %5s s wall %5s s cpu  torch/triton/nvidia/cuda: %s\n' \
    "$1" "$(mb "$2")" "$3" "$4" "${heavy:-none}"
}
# `times` must run in this shell (not in a command substitution's subshell) to see its children.
cpu_seconds() {  # user + system seconds of this shell's finished children so far, into CPU
  times >"$WORK/.times"
  CPU="$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); c += t[1] * 60 + t[2] } }
              END { printf "%.1f", c }' "$WORK/.times")"
}
start_clock() { START="$(date +%s.%N)"; cpu_seconds; START_CPU="$CPU"; }
stop_clock() {  # WALL and CPU_USED since start_clock
  WALL="$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')"
  cpu_seconds
  CPU_USED="$(awk -v s="$START_CPU" -v e="$CPU" 'BEGIN { printf "%.0f", e - s }')"
}

# Install from a copy of the tracked and unignored files: no build/ or egg-info lands in the work
# tree, and no local file (caches, .venv) leaks into the measure.
SRC="$WORK/src"
mkdir -p "$SRC"
(cd "$REPO" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$SRC")

for kind in "${WHICH[@]}"; do
  case "$kind" in
    plain)
      start_clock
      "$PYTHON" -m venv "$WORK/plain"
      "$WORK/plain/bin/python" -m pip install "${PIP_FLAGS[@]}" "$SRC"
      stop_clock
      report plain "$WORK/plain" "$WALL" "$CPU_USED"
      ;;
    torch)
      start_clock
      "$PYTHON" -m venv "$WORK/torch"
      "$WORK/torch/bin/python" -m pip install "${PIP_FLAGS[@]}" "torch==2.13.0"
      "$WORK/torch/bin/python" -m pip install "${PIP_FLAGS[@]}" "$SRC[torch]"
      stop_clock
      report torch "$WORK/torch" "$WALL" "$CPU_USED"
      ;;
    hook)
      # pre-commit itself lives in its own venv (not measured); the hook environment it builds
      # under PRE_COMMIT_HOME is what a user's machine gets.
      "$PYTHON" -m venv "$WORK/pre-commit"
      "$WORK/pre-commit/bin/python" -m pip install "${PIP_FLAGS[@]}" pre-commit
      hook_repo="$WORK/hook-repo"
      cp -r "$SRC" "$hook_repo"
      git -C "$hook_repo" init -q
      git -C "$hook_repo" add -A
      git -C "$hook_repo" -c user.name=m -c user.email=m@example.com -c commit.gpgsign=false \
        commit -q -m snapshot
      user_repo="$WORK/user-repo"
      mkdir -p "$user_repo"
      git -C "$user_repo" init -q
      # A user's .pre-commit-config.yaml naming the snapshot (try-repo would build in a temporary
      # store and remove it); install-hooks builds the hook environment without running it.
      cat >"$user_repo/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $hook_repo
    rev: $(git -C "$hook_repo" rev-parse HEAD)
    hooks:
      - id: forewarn-check
EOF
      export PRE_COMMIT_HOME="$WORK/pre-commit-home"
      start_clock
      (cd "$user_repo" && "$WORK/pre-commit/bin/pre-commit" install-hooks >"$WORK/hook.log" 2>&1) || true
      stop_clock
      env_dir="$(find "$PRE_COMMIT_HOME" -maxdepth 2 -type d -name 'py_env-*' | head -n1)"
      if [ -z "$env_dir" ]; then
        echo "hook: pre-commit built no environment; see $WORK/hook.log" >&2
        tail -n 20 "$WORK/hook.log" >&2
        exit 1
      fi
      report hook "$env_dir" "$WALL" "$CPU_USED"
      ;;
  esac
done
