#!/usr/bin/env bash
# The steps of the lambdalint GitHub Action (action.yml), as plain commands so
# that they can be run and tested outside GitHub:
#
#   scripts/action.sh install   pip-install lambdalint (INPUT_VERSION, or the action's own checkout)
#   scripts/action.sh run       write SARIF, print annotations, write the job summary,
#                               exit like lambdalint
#
# Inputs arrive as INPUT_* environment variables (action.yml maps them);
# step outputs go to the file named by GITHUB_OUTPUT and the job summary to the
# file named by GITHUB_STEP_SUMMARY, as on a runner.
set -euo pipefail

PYTHON="${PYTHON:-python3}"
# A venv of its own: the runner's system Python may refuse pip installs
# (PEP 668), and the user's own environment stays untouched.
VENV="${LAMBDALINT_VENV:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/lambdalint-venv}"
LAMBDALINT="${LAMBDALINT:-$VENV/bin/lambdalint}"
LAMBDALINT_PYTHON="${LAMBDALINT_PYTHON:-$VENV/bin/python}"

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

# The action's own inputs decide these: in `args` they would make the SARIF pass
# write another format or elsewhere, or fail the step before the annotations.
# What follows a `--` in args is paths, and then the action adds no `--` of its own.
refuse_clashing_args() {
  local arg input
  for arg in ${extra[@]+"${extra[@]}"}; do
    case "$arg" in
      --) separator=() && return 0 ;;
      --format | --format=* | -f* | -qf*) input=format ;;
      --output | --output=* | -o* | -qo*) input=sarif-file ;;
      --fail-level | --fail-level=*) input=fail-level ;;
      *) continue ;;
    esac
    echo "::error title=lambdalint::args must not contain ${arg%%=*}: the action sets it; use the '$input' input instead"
    output exit-code 2
    exit 2
  done
}

run() {
  local -a paths extra
  # whitespace- or newline-separated lists; a path with spaces needs a config file's `paths`
  read -r -d '' -a paths <<<"${INPUT_PATHS:-}" || true
  read -r -d '' -a extra <<<"${INPUT_ARGS:-}" || true
  local fail_level="${INPUT_FAIL_LEVEL:-error}"
  local format="${INPUT_FORMAT:-github}"
  local sarif="${INPUT_SARIF_FILE:-}"
  local -a separator=(--)
  refuse_clashing_args

  # The job summary is made from the SARIF report: a temporary one when sarif-file is empty.
  local report="$sarif"
  local summary=""
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ "${INPUT_JOB_SUMMARY:-true}" = "true" ]; then
    summary="$GITHUB_STEP_SUMMARY"
    if [ -z "$report" ]; then
      report="$(mktemp "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/lambdalint-sarif.XXXXXX")"
    fi
  fi

  if [ -n "$report" ]; then
    # SARIF never decides the outcome (fail level none): the annotated run below does.
    # Only a usage or configuration error (exit 2) stops here.
    local sarif_status=0
    "$LAMBDALINT" check --format sarif --output "$report" --fail-level none \
      ${extra[@]+"${extra[@]}"} ${separator[@]+"${separator[@]}"} ${paths[@]+"${paths[@]}"} || sarif_status=$?
    if [ "$sarif_status" -ne 0 ]; then
      output exit-code "$sarif_status"
      exit "$sarif_status"
    fi
    if [ -n "$sarif" ]; then
      output sarif-file "$sarif"
    fi
  fi

  local status=0
  "$LAMBDALINT" check --format "$format" --fail-level "$fail_level" \
    ${extra[@]+"${extra[@]}"} ${separator[@]+"${separator[@]}"} ${paths[@]+"${paths[@]}"} || status=$?
  output exit-code "$status"

  if [ -n "$summary" ]; then
    # a summary that cannot be written is a warning: lambdalint's exit code decides the step
    "$LAMBDALINT_PYTHON" -m lambdalint.action_summary "$report" >>"$summary" ||
      echo "::warning title=lambdalint::no job summary written (the reason is above)"
  fi
  exit "$status"
}

case "${1:-}" in
  install) install ;;
  run) run ;;
  *) echo "usage: $0 install|run" >&2; exit 2 ;;
esac
