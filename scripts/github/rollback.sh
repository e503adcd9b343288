#!/usr/bin/env bash
# rollback.yml's step: scripts/rollback-batch.sh --push, with bash and git alone (no Node: it works
# when `npm ci` or the controller is broken), then a summary naming the revert commit.
#   env: BATCH_ID, REASON (the commit's Rollback-Reason trailer and the summary; its Batch-Requested-By is $GITHUB_ACTOR)
# outputs: batch_id (the rollback's own batch id), status (rolled_back | the failure), commit
# exit: the rollback script's (docs/outcomes.md#exit-codes)
set -euo pipefail
# shellcheck source=scripts/github/lib.sh
source "${0%/*}/lib.sh"

: "${BATCH_ID:?BATCH_ID: the batch to roll back}"
: "${REASON:?REASON: why it is rolled back}"

cd "$repo_path"
before=$(git rev-parse HEAD)
code=0
bash "$batchctl_home/scripts/rollback-batch.sh" "$BATCH_ID" --push --reason "$REASON" || code=$?
after=$(git rev-parse HEAD)

if [ "$code" -ne 0 ] || [ "$after" = "$before" ]; then
  set_output status failed
  set_output commit ""
  printf '::error title=rollback of %s failed::scripts/rollback-batch.sh exited %s (docs/outcomes.md#exit-codes)\n' "$BATCH_ID" "$code"
  summary "### batchctl rollback of \`$BATCH_ID\`: failed (exit $code)" "" "Reason given: $REASON" "" \
    "Nothing was pushed unless the log above says so; exit codes are those of \`batchctl rollback\` (docs/outcomes.md#exit-codes)."
  exit "$(( code == 0 ? 1 : code ))"
fi
new_id=$(git log -1 --format='%(trailers:key=Batch-Id,valueonly,separator=%x2C)' "$after")
new_id="${new_id%%,*}"
set_output batch_id "$new_id"
set_output status rolled_back
set_output commit "$after"
summary "### batchctl rollback of \`$BATCH_ID\`: done" "" \
  "| revert commit | rollback batch | tag | reason |" "|---|---|---|---|" \
  "| \`${after:0:12}\` | $new_id | rollback/$BATCH_ID | ${REASON//|/\\|} |"
