# shellcheck shell=bash
# Sourced by scripts/github/*.sh: what every workflow step shares. The outputs and the job summary go
# to the files GitHub names ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY); outside Actions they go nowhere.

# (bash builtins only, no dirname: rollback.sh runs with bash and git alone on PATH)
github_source="${BASH_SOURCE[0]}"
[[ "$github_source" == */* ]] || github_source="./$github_source"
github_dir="$(cd "${github_source%/*}" && pwd)"
# The batchctl checkout these scripts belong to (the composite action's own directory, or this repository).
batchctl_home="$(cd "$github_dir/../.." && pwd)"
# The repository batches run in: the action's `repo` input, else the workspace, else here.
repo_path="${BATCHCTL_REPO:-${GITHUB_WORKSPACE:-$PWD}}"

# batchctl itself: $BATCHCTL_BIN (a built CLI), else this checkout's bin/batchctl.js (needs `npm run build`).
batchctl() {
  node "${BATCHCTL_BIN:-$batchctl_home/bin/batchctl.js}" --repo "$repo_path" "$@"
}

# set_output NAME VALUE: a step output (single line values only).
set_output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi
  printf '%s=%s\n' "$1" "$2" >&2
}

# summary LINE...: Markdown lines for the job summary.
summary() {
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then printf '%s\n' "$@" >>"$GITHUB_STEP_SUMMARY"; fi
}

# last_json_line FILE: the last line of FILE that is a JSON object (batchctl --json prints its result
# last; ::error annotations and progress events may come before it).
last_json_line() {
  grep -E '^\{' "$1" | tail -n 1
}

# field JSON NAME: one top-level field of a JSON object as text (strings bare, null as empty).
field() {
  node -e '
    const value = JSON.parse(process.argv[1])[process.argv[2]];
    process.stdout.write(value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value));
  ' "$1" "$2"
}

# is_true VALUE: a workflow boolean input ("true", "1", "yes"), as text because env carries text.
is_true() {
  case "${1:-}" in true | 1 | yes) return 0 ;; *) return 1 ;; esac
}
