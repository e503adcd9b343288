#!/usr/bin/env bash
# batch.yml's run step: `batchctl run <file> --json` (GitOps push with lease and retry, as built),
# then the step outputs from the result, which is the last JSON line of its output (batchctl's own
# ::error annotations and job summary come before it and are passed through).
#   env: BATCH_FILE (path in the repository), DRY_RUN, PR (true|false)
# outputs: batch_id, status, commit
# exit: 0 completed, planned, or refused by the control plane (a stop is not a failure: the summary
# says why); 2 invalid batch, with one `::error file=<batch file>,line=<n>` per issue; else batchctl's.
set -euo pipefail
# shellcheck source=scripts/github/lib.sh
source "${0%/*}/lib.sh"

: "${BATCH_FILE:?BATCH_FILE: the batch file, a path in the repository}"
file="$repo_path/$BATCH_FILE"
if [ ! -f "$file" ]; then
  printf '::error title=batch file not found::%s is not a file in the repository\n' "$BATCH_FILE"
  summary "### batchctl: no batch file \`$BATCH_FILE\`"
  exit 2
fi

args=(run "$file" --json)
if is_true "${DRY_RUN:-}"; then args+=(--dry-run); fi
if is_true "${PR:-}"; then args+=(--pr); fi

out=$(mktemp)
result_file=$(mktemp)
trap 'rm -f "$out" "$result_file"' EXIT
code=0
batchctl "${args[@]}" | tee "$out" || code=$?
result=$(last_json_line "$out" || true)
if [ -z "$result" ]; then
  printf '::error title=batchctl run::no result (exit %s)\n' "$code"
  exit "$(( code == 0 ? 1 : code ))"
fi
printf '%s\n' "$result" >"$result_file"

batch_id=$(field "$result" batch_id)
status=$(field "$result" status)
commit=$(field "$result" commit)
# shellcheck disable=SC2016 # the single quotes hold JavaScript, not shell
reason=$(node -e 'const r = JSON.parse(process.argv[1]).reason; process.stdout.write(r ? `${r.code}: ${r.message}` : "")' "$result")
set_output batch_id "$batch_id"
set_output status "$status"
set_output commit "$commit"

case "$code" in
  0) ;;
  3)
    summary "Refused by the control plane ($reason). Nothing ran; this is not a failure: \`batchctl control\` shows the state."
    exit 0
    ;;
  2)
    node "$github_dir/result.mjs" annotations "$result_file" "$file" "$BATCH_FILE"
    summary "Batch file \`$BATCH_FILE\` was refused ($reason); each issue is annotated on its line."
    exit 2
    ;;
  *) exit "$code" ;;
esac
