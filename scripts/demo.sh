#!/usr/bin/env bash
# The README's first command: a throwaway demo repository, the examples/ batches run against it with
# `batchctl run`, then the resulting commit (with its trailers), the tag and `batchctl status`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
batchctl() { node "$here/bin/batchctl.js" "$@"; }
demo=$(mktemp -d "${TMPDIR:-/tmp}/batchctl-demo.XXXXXX")
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.com GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.com

echo "== demo repository: $demo"
git -C "$demo" init -q -b main
mkdir -p "$demo/templates" "$demo/old" "$demo/tmp"
printf 'name = "x"\nversion = "1.0.0"\n' > "$demo/templates/x.toml"
printf 'name = "b"\nversion = "1.0.0"\n' > "$demo/old/b.toml"
printf 'log\n' > "$demo/tmp/a.log"
printf 'log\n' > "$demo/tmp/b.log"
batchctl init --repo "$demo"
git -C "$demo" add -A && git -C "$demo" commit -q -m "demo: initial files and batch-control.json"

for batch in "$here"/examples/*.json "$here"/examples/*.ndjson; do
  echo
  echo "== batchctl run examples/$(basename "$batch")"
  batchctl run "$batch" --repo "$demo"
done

echo
echo "== the last batch commit, with its trailers"
git -C "$demo" log -1 --format='commit %H%n%n%B'
echo "== tags"
git -C "$demo" tag --list 'batch/*'
echo
echo "== batchctl status"
batchctl status --repo "$demo"
echo
echo "== running examples/01 again: its idempotency_key returns the earlier batch"
batchctl run "$here/examples/01-add-recipes.json" --repo "$demo" --json | tail -n 1
echo
echo "== the control plane: budget charged and breakers fed by the batches above"
batchctl control --repo "$demo"
echo
echo "== an emergency stop refuses the next batch (exit 3), resume lifts it"
batchctl stop --reason "demo: stop everything" --by demo --repo "$demo"
batchctl run "$here/examples/02-bump-versions.json" --repo "$demo" || echo "(exit $?)"
batchctl resume --by demo --repo "$demo"
echo
echo "demo repository kept at $demo (SQLite: $demo/.git/batchctl/state.db)"
echo
echo "== the dashboard for it (docs/dashboard.md): run the server, then open the page (no token needed on loopback)"
echo "node $here/bin/batchctl.js serve --repo $demo --http 8022   # then open http://127.0.0.1:8022/"
