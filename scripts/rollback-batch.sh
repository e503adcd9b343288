#!/usr/bin/env bash
# rollback-batch.sh — revert a batchctl batch with bash and git alone, for incidents when Node or the
# controller itself is broken. Same lookup rules and trailers as `batchctl rollback`.
set -euo pipefail
# Exit codes: batchctl rollback's for the same refusal (the exit column of docs/outcomes.md, from codes.ts).
readonly EXIT_GIT=1 # GIT_FAILED PUSH_REJECTED
readonly EXIT_REFUSED=2 # USAGE BATCH_ID_INVALID NOT_A_REPOSITORY VALIDATION_FAILED BATCH_AMBIGUOUS SHALLOW_CLONE ROLLBACK_UNSAFE
readonly EXIT_ROLLED_BACK=3 # ALREADY_ROLLED_BACK
readonly EXIT_CONFLICT=4 # ROLLBACK_CONFLICT
readonly EXIT_NOT_FOUND=5 # BATCH_NOT_FOUND

usage() {
  # printf, not cat: the script needs nothing but bash and git
  local line
  while IFS= read -r line; do printf '%s\n' "$line"; done <<'HELP'
Usage: scripts/rollback-batch.sh <batch-id> [--dry-run] [--push] [--fetch] [--by NAME] [--reason TEXT] [--remote NAME] [--branch NAME]
       scripts/rollback-batch.sh <legacy-id> --legacy [--commit SHA] [the same options]

Reverts every commit of batch <batch-id> (newest first) into ONE commit carrying the trailers
  Reverts-Batch: <batch-id>
  Batch-Id: <a new batch id>  (and Batch-Ecosystem, Batch-Operations, Batch-Failed, Batch-Requested-By,
  and Rollback-Reason with --reason)
tagged rollback/<batch-id> and batch/<new id>. Run it from inside the repository, on the branch to fix.

Finding the batch (exact id only, never a prefix):
  1. the tag batch/<batch-id>
  2. commits whose trailer is exactly "Batch-Id: <batch-id>"
  3. commits of the older registry format with a line exactly "batch_id: <batch-id>"
--legacy: the commit of any ref (git log --all) with a line exactly "batch_id: <legacy-id>" (2025-03-14,
2025-03-14-002, 2025-03-14-npm). Ids repeat: several matches are listed and refused until --commit
picks one. The revert is tagged batch/<new id> only (no rollback/<id>: it may name several batches).

Options:
  --legacy        the id is a legacy one (above); --commit SHA (full or abbreviated) picks one of its commits
  --dry-run       show the commits and files that would be reverted; change nothing
  --push          push the branch and the new tags (batch/<new id>, and rollback/<id> unless --legacy) atomically
  --fetch         in a shallow clone, fetch the missing history (git fetch --deepen) instead of refusing
  --by NAME       who is rolling back, for Batch-Requested-By (default: $GITHUB_ACTOR, else git config user.name)
  --reason TEXT   why, for the Rollback-Reason trailer (on one line, as batchctl rollback --reason writes it)
  --remote NAME   remote for --push and --fetch (default: origin)
  --branch NAME   branch for --push (default: the current branch)
  -h, --help      this text

Exit codes (those of batchctl rollback for the same refusal, docs/outcomes.md; nothing changed unless 0):
  0 done, nothing to revert, or dry run;  1 git fetch or push failed;  3 already rolled back;
  2 usage error, invalid id, uncommitted changes, a legacy id naming several commits, a shallow clone missing
    the history (fix: git fetch --unshallow, fetch-depth: 0 in actions/checkout, or --fetch), an unsafe
    revert (paths the batch did not change, or more than its Batch-Operations);  4 conflict;  5 not found.
Commits as $BATCHCTL_AUTHOR_NAME <$BATCHCTL_AUTHOR_EMAIL> (default batchctl <batchctl@localhost>), as batchctl does.
Needs only bash and git (no Node).
HELP
}

die() { printf 'rollback-batch: %s\n' "$2" >&2; exit "$1"; }
g() { git -c core.hooksPath=/dev/null -c commit.gpgSign=false -c tag.gpgSign=false "$@"; }

id="" dry_run=0 push=0 fetch=0 by="" reason="" remote=origin branch="" legacy=0 pick=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --dry-run) dry_run=1 ;;
    --push) push=1 ;;
    --fetch) fetch=1 ;;
    --legacy) legacy=1 ;;
    --commit) [ $# -ge 2 ] || die "$EXIT_REFUSED" "--commit needs a sha"; pick=$2; shift ;;
    --by) [ -n "${2:-}" ] || die "$EXIT_REFUSED" "--by needs a name"; by=$2; shift ;;
    --reason) [ -n "${2:-}" ] || die "$EXIT_REFUSED" "--reason needs a text"; reason=$2; shift ;;
    --remote) [ $# -ge 2 ] || die "$EXIT_REFUSED" "--remote needs a name"; remote=$2; shift ;;
    --branch) [ $# -ge 2 ] || die "$EXIT_REFUSED" "--branch needs a name"; branch=$2; shift ;;
    -*) die "$EXIT_REFUSED" "unknown option $1 (see --help)" ;;
    *) [ -z "$id" ] || die "$EXIT_REFUSED" "one batch id only (see --help)"; id=$1 ;;
  esac
  shift
done
[ -n "$id" ] || { usage >&2; exit "$EXIT_REFUSED"; }
legacy_id='^[0-9]{4}-[0-9]{2}-[0-9]{2}(-[0-9a-z][0-9a-z._-]*)?$'
if [ "$legacy" = 1 ]; then
  [[ $id =~ $legacy_id ]] || die "$EXIT_REFUSED" "\"$id\" is not a legacy batch id (they look like 2025-03-14, 2025-03-14-002 or 2025-03-14-npm)"
else
  [ -z "$pick" ] || die "$EXIT_REFUSED" "--commit goes with --legacy (see --help)"
  [[ $id =~ $legacy_id ]] && die "$EXIT_REFUSED" "\"$id\" is a legacy batch id: run again with --legacy"
  [[ $id =~ ^b-[0-9]{8}-[0-9]{6}-[0-9a-z]{6}$ ]] || die "$EXIT_REFUSED" "\"$id\" is not a batch id (they look like b-20261122-101500-7k3m9q)"
fi
g rev-parse --is-inside-work-tree >/dev/null 2>&1 || die "$EXIT_REFUSED" "not inside a git work tree"
[ -n "$branch" ] || branch=$(g symbolic-ref --quiet --short HEAD) || die "$EXIT_REFUSED" "HEAD is detached: pass --branch"

# --- find the batch's commits, newest first ---------------------------------------------------
has_line() { # --grep narrows; the exact whole line decides (never a prefix or substring)
  local line
  while IFS= read -r line; do [ "$line" = "$2" ] && return 0; done < <(g log -1 --format=%B "$1")
  return 1
}

# Legacy ids repeat: matches are every commit naming the id, commits the ones --commit (7+ hex digits) leaves.
find_legacy() {
  matches=() commits=()
  local c
  while IFS= read -r c; do
    has_line "$c" "batch_id: $id" || continue
    matches+=("$c")
    if [ -z "$pick" ] || { [[ $pick =~ ^[0-9a-f]{7,64}$ ]] && [[ $c == "$pick"* ]]; }; then commits+=("$c"); fi
  done < <(g log --all --format=%H --fixed-strings --grep="batch_id: $id" --)
}

find_commits() {
  commits=()
  if [ "$legacy" = 1 ]; then find_legacy; return; fi
  local tagged key c
  if tagged=$(g rev-parse --quiet --verify "refs/tags/batch/$id^{commit}" 2>/dev/null); then
    commits=("$tagged")
    return
  fi
  for key in "Batch-Id" "batch_id"; do
    while IFS= read -r c; do
      if has_line "$c" "$key: $id"; then commits+=("$c"); fi
    done < <(g log --format=%H --fixed-strings --grep="$key: $id" HEAD --)
    [ ${#commits[@]} -eq 0 ] || break
  done
}

# A shallow clone's boundary commits show no parent, so reverting one would delete every file it has.
on_boundary() {
  local file line
  file=$(g rev-parse --git-path shallow)
  [ -f "$file" ] || return 1
  while IFS= read -r line; do [ "$line" = "$1" ] && return 0; done <"$file"
  return 1
}

depth=1
while :; do
  find_commits
  [ "$(g rev-parse --is-shallow-repository)" = true ] || break
  # a legacy id naming several commits, or none that --commit names, is refused below
  [ "$legacy" = 0 ] || [ ${#matches[@]} -eq 0 ] || [ ${#commits[@]} -eq 1 ] || break
  missing=""
  if [ ${#commits[@]} -eq 0 ]; then
    missing="batch $id's commit (it may be older than the clone's first commit)"
  else
    for c in "${commits[@]}"; do on_boundary "$c" && missing="the parent of batch $id's commit ${c:0:12}"; done
  fi
  [ -n "$missing" ] || break
  if [ "$fetch" = 0 ]; then
    die "$EXIT_REFUSED" "this is a shallow clone and $missing is not in its history; nothing was changed. Fetch the history: git fetch --unshallow (GitHub Actions: fetch-depth: 0 for actions/checkout), or run again with --fetch"
  fi
  g remote get-url "$remote" >/dev/null 2>&1 || die "$EXIT_REFUSED" "this is a shallow clone and $missing is not in its history; --fetch needs the remote \"$remote\" (see --remote)"
  # 1, 2, 4 … commits more: at most twice the history needed; past 65536, all of it (the loop ends)
  deepen=--deepen=$depth
  [ "$depth" -le 65536 ] || deepen=--unshallow
  g fetch --quiet "$deepen" "$remote" || die "$EXIT_GIT" "git fetch $deepen $remote failed; nothing was changed"
  depth=$((depth * 2))
done
if [ "$legacy" = 1 ]; then
  [ ${#matches[@]} -gt 0 ] || die "$EXIT_NOT_FOUND" "legacy batch $id not found (no commit on any ref has the line \"batch_id: $id\"; fetch the batch/* branches: git fetch origin 'refs/heads/batch/*:refs/remotes/origin/batch/*')"
  if [ ${#commits[@]} -ne 1 ]; then
    why="names ${#commits[@]} commits; choose one with --commit <sha>" code=$EXIT_REFUSED
    [ ${#commits[@]} -gt 0 ] || why="has no commit $pick (7 or more hex digits of one of these)" code=$EXIT_NOT_FOUND
    printf 'rollback-batch: refused: legacy batch %s %s; nothing was changed\n' "$id" "$why" >&2
    for c in "${matches[@]}"; do printf '  %s %s\n' "${c:0:12}" "$(g log -1 --format='%cI %s' "$c")" >&2; done
    exit "$code"
  fi
fi
[ ${#commits[@]} -gt 0 ] || die "$EXIT_NOT_FOUND" "batch $id not found (no tag batch/$id, no \"Batch-Id: $id\" or \"batch_id: $id\" line in the history of HEAD)"
if [ "$legacy" = 0 ] && g rev-parse --quiet --verify "refs/tags/rollback/$id" >/dev/null; then
  die "$EXIT_ROLLED_BACK" "batch $id was rolled back already (tag rollback/$id)"
fi

echo "batch $id: ${#commits[@]} commit(s)"
for c in "${commits[@]}"; do g --no-pager log -1 --format='  %h %s' "$c"; done

# --- belt and braces: a revert changes only what the batch changed -------------------------------
unsafe() {
  printf 'rollback-batch: refused: rolling back %s would change far more than the batch did: %s; nothing was changed\n' "$id" "$1" >&2
  printf '  (a commit without its parent looks like it added every file: fetch the history, git fetch --unshallow, and check git show --stat)\n' >&2
  exit "$EXIT_REFUSED"
}
declare -A own=()
for c in "${commits[@]}"; do
  count=0
  while IFS= read -r -d '' path; do own[$path]=1; count=$((count + 1)); done < <(g diff-tree -r -z --name-only --no-commit-id --no-renames --root "$c")
  ops=""
  read -r ops < <(g log -1 --format='%(trailers:key=Batch-Operations,valueonly)' "$c") || true
  # a step changes at most two paths (a move: its source and its target)
  if [[ $ops =~ ^[0-9]+$ ]] && [ "$count" -gt $((2 * ops)) ]; then
    unsafe "commit ${c:0:12} changed $count paths but records Batch-Operations: $ops"
  fi
done
if [ "$dry_run" = 1 ]; then
  for c in "${commits[@]}"; do g --no-pager show --stat --format='' "$c"; done
  echo "dry run: nothing changed"
  exit 0
fi
[ -z "$(g status --porcelain --untracked-files=no)" ] || die "$EXIT_REFUSED" "the work tree or index has uncommitted changes: commit or stash them first"

# --- revert into one commit -----------------------------------------------------------------------
if ! g revert --no-commit "${commits[@]}" >/dev/null 2>&1; then
  mapfile -t conflicts < <(g diff --name-only --diff-filter=U)
  g revert --abort >/dev/null 2>&1 || g reset --quiet --merge
  printf 'rollback-batch: conflict: a later commit changed the same lines; nothing was changed\n' >&2
  [ ${#conflicts[@]} -eq 0 ] || printf '  %s\n' "${conflicts[@]}" >&2
  exit "$EXIT_CONFLICT"
fi
mapfile -t files < <(g diff --cached --name-only --no-renames)
changed=${#files[@]}
outside=()
for path in "${files[@]}"; do [ -n "${own[$path]:-}" ] || outside+=("$path"); done
if [ ${#outside[@]} -gt 0 ]; then
  g revert --abort >/dev/null 2>&1 || g reset --quiet --merge
  unsafe "${#outside[@]} paths the batch did not change (${outside[*]:0:5})"
fi
if [ "$changed" = 0 ]; then
  g revert --quit >/dev/null 2>&1 || true
  echo "nothing to revert: the batch's changes are already undone"
  exit 0
fi

alphabet=abcdefghijklmnopqrstuvwxyz0123456789 suffix=""
for _ in 1 2 3 4 5 6; do suffix+=${alphabet:RANDOM % 36:1}; done
new_id="b-$(TZ=UTC printf '%(%Y%m%d-%H%M%S)T' -1)-$suffix"
ecosystem=""
read -r ecosystem < <(g log -1 --format='%(trailers:key=Batch-Ecosystem,valueonly)' "${commits[0]}") || true
[ -n "$ecosystem" ] || ecosystem=default
# Who asked: --by, GitHub's actor, else the git identity of whoever runs it (as batchctl rollback --by).
[ -n "$by" ] || by=${GITHUB_ACTOR:-}
[ -n "$by" ] || by=$(g config user.name || true)
[ -n "$by" ] || by=unknown
# One line, whitespace runs folded, as the engine writes it: a newline would end the trailer block.
reason=${reason//[$'\t\r\n']/ }
while [ "${reason//  / }" != "$reason" ]; do reason=${reason//  / }; done
reason=${reason# }
reason=${reason% }
reason_trailer=""
[ -z "$reason" ] || reason_trailer=$'\n'"Rollback-Reason: $reason"
# The commit and tags are made as batchctl makes them (BATCHCTL_AUTHOR_NAME/EMAIL), whoever runs it.
export GIT_AUTHOR_NAME=${BATCHCTL_AUTHOR_NAME:-batchctl} GIT_AUTHOR_EMAIL=${BATCHCTL_AUTHOR_EMAIL:-batchctl@localhost}
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
ident=(-c "user.name=$GIT_AUTHOR_NAME" -c "user.email=$GIT_AUTHOR_EMAIL")

g "${ident[@]}" commit --quiet --no-verify -F - <<MSG
Revert batch $id

$changed files reverted by scripts/rollback-batch.sh; 0 failed

Batch-Id: $new_id
Batch-Ecosystem: $ecosystem
Batch-Operations: $changed
Batch-Failed: 0
Batch-Requested-By: $by
Reverts-Batch: $id$reason_trailer
MSG
g revert --quit >/dev/null 2>&1 || true
tags=("batch/$new_id")
[ "$legacy" = 1 ] || tags=("rollback/$id" "${tags[@]}") # a legacy id may name several batches: no rollback/<id>
for tag in "${tags[@]}"; do g "${ident[@]}" tag -a -m "Revert batch $id" "$tag" HEAD; done
echo "rolled back: commit $(g rev-parse --short HEAD), tags ${tags[*]}"

if [ "$push" = 1 ]; then
  g push --atomic "$remote" "HEAD:refs/heads/$branch" "${tags[@]/#/refs/tags/}" || die "$EXIT_GIT" "push to $remote/$branch failed; the rollback is committed and tagged here"
  echo "pushed to $remote/$branch"
fi
