#!/usr/bin/env bash
# The steps of the lambdalint GitHub Action (action.yml), as plain commands so
# that they can be run and tested outside GitHub:
#
#   scripts/action.sh install   pip-install lambdalint (INPUT_VERSION, or the action's own checkout)
#   scripts/action.sh run       write SARIF, print annotations, exit like lambdalint
#
# Inputs arrive as INPUT_* environment variables (action.yml maps them);
# step outputs go to the file named by GITHUB_OUTPUT, as on a runner.
set -euo pipefail

PYTHON="${PYTHON:-python3}"
# A venv of its own: the runner's system Python may refuse pip installs
# (PEP 668), and the user's own environment stays untouched.
VENV="${LAMBDALINT_VENV:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/lambdalint-venv}"
LAMBDALINT="${LAMBDALINT:-$VENV/bin/lambdalint}"

install() {
  local spec
  if [ -n "${INPUT_VERSION:-}" ]; then
    spec="lambdalint==${INPUT_VERSION}"
  else
    # the action's own ref: the workflow pins one version of action and linter together
    spec="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
  fi
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --disable-pip-version-check --quiet "$spec"
}

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  fi
}

run() {
  local -a paths extra
  # whitespace- or newline-separated lists; a path with spaces needs a config file's `paths`
  read -r -d '' -a paths <<<"${INPUT_PATHS:-}" || true
  read -r -d '' -a extra <<<"${INPUT_ARGS:-}" || true
  local fail_level="${INPUT_FAIL_LEVEL:-error}"
  local format="${INPUT_FORMAT:-github}"
  local sarif="${INPUT_SARIF_FILE:-}"

  if [ -n "$sarif" ]; then
    # SARIF never decides the outcome (fail level none): the annotated run below does.
    # Only a usage or configuration error (exit 2) stops here.
    local sarif_status=0
    "$LAMBDALINT" check --format sarif --output "$sarif" --fail-level none \
      ${extra[@]+"${extra[@]}"} -- ${paths[@]+"${paths[@]}"} || sarif_status=$?
    if [ "$sarif_status" -ne 0 ]; then
      output exit-code "$sarif_status"
      exit "$sarif_status"
    fi
    output sarif-file "$sarif"
  fi

  local status=0
  "$LAMBDALINT" check --format "$format" --fail-level "$fail_level" \
    ${extra[@]+"${extra[@]}"} -- ${paths[@]+"${paths[@]}"} || status=$?
  output exit-code "$status"
  exit "$status"
}

case "${1:-}" in
  install) install ;;
  run) run ;;
  *) echo "usage: $0 install|run" >&2; exit 2 ;;
esac
