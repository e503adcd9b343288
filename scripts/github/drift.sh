#!/usr/bin/env bash
# drift.yml's check: `batchctl verify --all --json` into a report file (VerifyReportSchema, the
# input of `batchctl github drift-issue --report`), and a summary table. Drift (exit 6) is a finding
# for the issue step, not a failure of this one.
#   env: REPORT (the report file to write; default report.json)
# outputs: drift_count, report
set -euo pipefail
# shellcheck source=scripts/github/lib.sh
source "${0%/*}/lib.sh"

report="${REPORT:-report.json}"
code=0
batchctl verify --all --json >"$report.out" || code=$?
if [ "$code" -ne 0 ] && [ "$code" -ne 6 ]; then
  cat "$report.out"
  rm -f "$report.out"
  printf '::error title=batchctl verify::exited %s\n' "$code"
  exit "$code"
fi
# The report is the last JSON line; github drift-issue reads the file as that one line.
last_json_line "$report.out" >"$report"
rm -f "$report.out"
count=$(node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).drift.length))' "$report")
set_output drift_count "$count"
set_output report "$report"
# shellcheck disable=SC2016 # the single quotes hold JavaScript, not shell
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const cell = (s) => String(s ?? "-").replace(/\|/g, "\\|");
  const rows = [`### batchctl verify: ${r.drift.length} drifted of ${r.checked_files} files (${r.checked_batches} batches) at \`${r.head.slice(0, 12)}\``, ""];
  if (r.note) rows.push(`> ${r.note}`, "");
  if (r.drift.length > 0) {
    rows.push("| path | batch | expected | actual | changed by |", "|---|---|---|---|---|");
    for (const d of r.drift.slice(0, 100)) {
      const by = d.changed_by ? `\`${d.changed_by.commit.slice(0, 12)}\` ${cell(d.changed_by.subject)} (${cell(d.changed_by.author)})` : "the work tree";
      rows.push(`| ${cell(d.path)} | ${d.batch_id} | ${(d.expected_blob ?? "absent").slice(0, 12)} | ${(d.actual_blob ?? "absent").slice(0, 12)} | ${by} |`);
    }
  }
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) require("fs").appendFileSync(file, rows.join("\n") + "\n");
' "$report"
