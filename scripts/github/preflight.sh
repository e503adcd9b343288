#!/usr/bin/env bash
# batch.yml's preflight step: ask the control plane (`batchctl control --json`) whether a batch of
# this ecosystem may run now. A stop, an open breaker or a paused budget is not a failure: the step
# ends green with `admitted=false` and a summary saying why, and the run step is skipped.
#   env: BATCH_FILE (path in the repository), ECOSYSTEM (optional: default the batch file's own)
# outputs: admitted (true|false), status (refused when not admitted), reason
set -euo pipefail
# shellcheck source=scripts/github/lib.sh
source "${0%/*}/lib.sh"

: "${BATCH_FILE:?BATCH_FILE: the batch file, a path in the repository}"
if [ ! -f "$repo_path/$BATCH_FILE" ]; then
  if [ "${GITHUB_EVENT_NAME:-}" = schedule ]; then
    # a scheduled run takes .github/batches/scheduled.json when there is one: none is nothing to do
    set_output admitted false
    set_output status skipped
    set_output reason "no batch file"
    summary "batchctl: no \`$BATCH_FILE\` in the repository; the scheduled run has nothing to do."
    exit 0
  fi
  printf '::error title=batch file not found::%s is not a file in the repository\n' "$BATCH_FILE"
  summary "### batchctl: no batch file \`$BATCH_FILE\`"
  exit 2
fi
ecosystem="${ECOSYSTEM:-}"
if [ -z "$ecosystem" ]; then
  # JSON or NDJSON: the document's (or the header line's) "ecosystem", else "default"
  ecosystem=$(node -e '
    const text = require("fs").readFileSync(process.argv[1], "utf8");
    let doc;
    try { doc = JSON.parse(text); } catch { try { doc = JSON.parse(text.split("\n").find((l) => l.trim()) ?? "{}"); } catch { doc = {}; } }
    process.stdout.write(typeof doc.ecosystem === "string" && doc.ecosystem ? doc.ecosystem : "default");
  ' "$repo_path/$BATCH_FILE")
fi
ecosystem="${ecosystem:-default}"

out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
code=0
batchctl control --json >"$out" 2>"$err" || code=$?
cat "$err" >&2
status_json=$(last_json_line "$out" || true)

if [ "$code" -eq 3 ] || [ -z "$status_json" ] || [ "$code" -ne 0 ]; then
  # The control file itself is missing or invalid (exit 3: fail closed), or control could not answer.
  reason=$(grep -E '^batchctl: ' "$err" | head -n 1 || true)
  [ -n "$reason" ] || reason="batchctl control exited $code"
  if [ "$code" -ne 3 ]; then
    printf '::error title=batchctl control failed::%s\n' "$reason"
    exit "$code"
  fi
  set_output admitted false
  set_output status refused
  set_output reason "$reason"
  summary "### batchctl: refused by the control plane" "" "$reason" "" "Nothing ran. This is not a failure: fix \`batch-control.json\` and run again."
  exit 0
fi

# Why the control plane would refuse this ecosystem now ('' when it would not), as `run` decides it.
# shellcheck disable=SC2016 # the single quotes hold JavaScript, not shell
reason=$(node -e '
  const s = JSON.parse(process.argv[1]); const eco = process.argv[2];
  const why = [];
  if (!s.stop.enabled) why.push(`emergency stop: ${s.stop.reason || "no reason given"} (by ${s.stop.disabled_by || "?"} at ${s.stop.disabled_at || "?"})${s.stop.incident_url ? `, incident ${s.stop.incident_url}` : ""}`);
  if (s.stop.disabled_ecosystems.includes(eco)) why.push(`ecosystem ${eco} is stopped`);
  const breaker = s.breakers.find((b) => b.ecosystem === eco);
  if (breaker && breaker.effective_state === "open") why.push(`the circuit breaker of ${eco} is open (${breaker.failures} failures${breaker.opens_at ? `; half-open at ${breaker.opens_at}` : ""})`);
  if (s.unreadable_breakers.some((u) => u.ecosystem === eco)) why.push(`the breaker state of ${eco} is unreadable`);
  if (s.budget.mode === "paused") why.push(`the weekly budget is paused (resets ${s.budget.resets_at})`);
  process.stdout.write(why.join("; "));
' "$status_json" "$ecosystem")

if [ -n "$reason" ]; then
  set_output admitted false
  set_output status refused
  set_output reason "$reason"
  summary "### batchctl: refused by the control plane ($ecosystem)" "" "$reason" "" \
    "Nothing ran. A stop, an open breaker or a paused budget is not a failure; \`batchctl control\` shows the state."
  exit 0
fi
set_output admitted true
set_output reason ""
summary "batchctl preflight: ecosystem \`$ecosystem\` admitted (stop off, breaker not open, budget not paused)."
