#!/usr/bin/env bash
# The history database kept across runs (actions/cache, keyed by branch; docs/github.md#history):
# `batchctl reindex` adds what git has and the restored database lacks — everything when the cache
# was cold, a rollback by the script or a batch pushed another way when it was warm.
#   env: CACHE_HIT (actions/cache's output; "true" only for an exact key)
# outputs: cold (true|false), rebuilt (rows added)
set -euo pipefail
# shellcheck source=scripts/github/lib.sh
source "${0%/*}/lib.sh"

db="$(git -C "$repo_path" rev-parse --absolute-git-dir)/batchctl/state.db"
cold=false
[ -s "$db" ] || cold=true
if is_true "${CACHE_HIT:-}" && [ "$cold" = false ]; then
  set_output cold false
  set_output rebuilt 0
  exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
batchctl reindex --json >"$out"
report=$(last_json_line "$out")
rebuilt=$(field "$report" inserted)
set_output cold "$cold"
set_output rebuilt "$rebuilt"
if [ "$cold" = true ]; then
  summary "batchctl history: the cache was cold; rebuilt $rebuilt batches from git (failed and refused batches were never committed, so their metrics start afresh)."
else
  summary "batchctl history: restored from the cache; $rebuilt batches added from git."
fi
