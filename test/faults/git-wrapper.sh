#!/usr/bin/env bash
# The `git` the fault sweep puts first on PATH (docs/reliability.md#the-trials). It finds the
# subcommand, counts its invocations in $FAULT_GIT_COUNTER, and at the $FAULT_GIT_NTH one of
# $FAULT_GIT_SUB does $FAULT_GIT_MODE instead of (or around) the real git, $FAULT_REAL_GIT.
# batchctl drops GIT_* variables before it runs git, hence the FAULT_ prefix.
set -u
sub=""
skip=0
for arg in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$arg" in
    -c | -C) skip=1 ;;
    -*) ;;
    *) sub=$arg; break ;;
  esac
done
if [ -n "${FAULT_GIT_LOG:-}" ]; then echo "$sub" >>"$FAULT_GIT_LOG"; fi
if [ "$sub" = "${FAULT_GIT_SUB:-}" ]; then
  n=$(($(cat "$FAULT_GIT_COUNTER" 2>/dev/null || echo 0) + 1))
  echo "$n" >"$FAULT_GIT_COUNTER"
  if [ "$n" = "$FAULT_GIT_NTH" ]; then
    trace() { exec strace -f -qq -o /dev/null "$@" -- "$FAULT_REAL_GIT" "${args[@]}"; }
    args=("$@")
    case "$FAULT_GIT_MODE" in
      # git fails before doing anything
      exit) exit 128 ;;
      # git dies before reading its input
      kill) kill -KILL $$ ;;
      # git reads part of its input, then dies
      kill-after-read) head -c 200 >/dev/null; kill -KILL $$ ;;
      # git gets only the first 200 bytes of its input (as if the pipe broke) and runs on them
      cut) head -c 200 | "$FAULT_REAL_GIT" "$@"; exit $? ;;
      # disk full for every write git makes
      enospc) trace -e trace=write,pwrite64 -e inject=write,pwrite64:error=ENOSPC:when=1+ ;;
      # EIO on git's first rename or link (an object or a lock file being put in place)
      eio-rename) trace -e trace=rename,renameat,renameat2,link,linkat -e inject=rename,renameat,renameat2,link,linkat:error=EIO:when=1 ;;
      # git dies at its first rename or link: a lock file written, not committed
      kill-rename) trace -e trace=rename,renameat,renameat2,link,linkat -e inject=rename,renameat,renameat2,link,linkat:signal=KILL:when=1 ;;
      *) echo "git-wrapper: unknown FAULT_GIT_MODE $FAULT_GIT_MODE" >&2; exit 2 ;;
    esac
  fi
fi
exec "$FAULT_REAL_GIT" "$@"
