// The process's resident memory, for progress events and debug lines. Reading it opens
// /proc/self/stat, which fails like any open when the system is out of file handles or space (the
// fault sweep's strace:openat:ENOSPC): a figure for a human never fails a batch (docs/reliability.md).

/** Bytes resident now, or `otherwise` when they cannot be read. */
export function residentBytes(otherwise: number): number {
  try {
    return process.memoryUsage.rss();
  } catch {
    return otherwise;
  }
}
