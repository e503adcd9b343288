#!/usr/bin/env bash
# stop.yml's step: engage or lift the emergency stop (the incident path from the Actions UI on a
# phone). `batchctl stop|resume` commits batch-control.json and pushes it; batches running elsewhere
# see the stop on their next remote poll.
#   env: ACTION (stop|resume), REASON (required to stop), ECOSYSTEM, INCIDENT_URL, EXPECTED_RESUME
# outputs: commit
set -euo pipefail
# shellcheck source=scripts/github/lib.sh
source "${0%/*}/lib.sh"

args=()
case "${ACTION:-}" in
  stop)
    : "${REASON:?REASON: why batches are stopped (everyone refused sees it)}"
    args=(stop --reason "$REASON")
    if [ -n "${INCIDENT_URL:-}" ]; then args+=(--incident-url "$INCIDENT_URL"); fi
    if [ -n "${EXPECTED_RESUME:-}" ]; then args+=(--expected-resume "$EXPECTED_RESUME"); fi
    ;;
  resume) args=(resume) ;;
  *)
    printf '::error title=stop.yml::ACTION must be stop or resume, not "%s"\n' "${ACTION:-}"
    exit 2
    ;;
esac
if [ -n "${ECOSYSTEM:-}" ]; then args+=(--ecosystem "$ECOSYSTEM"); fi

batchctl "${args[@]}"
commit=$(git -C "$repo_path" rev-parse HEAD)
set_output commit "$commit"
scope="all batches"
if [ -n "${ECOSYSTEM:-}" ]; then scope="ecosystem \`$ECOSYSTEM\`"; fi
if [ "$ACTION" = stop ]; then
  summary "### batchctl: emergency stop engaged for $scope" "" "Reason: ${REASON}" "" "Commit \`${commit:0:12}\`; lift it with this workflow's \`resume\`."
else
  summary "### batchctl: emergency stop lifted for $scope" "" "Commit \`${commit:0:12}\`."
fi
