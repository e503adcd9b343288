// Clean here: a file of journal/, reachable from outside only through journal/index.ts.
export const lockFile = 'x.lock';
