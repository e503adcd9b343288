// The shape of one schema migration: TS modules, not .sql files, so the build needs no copy step.
export interface Migration {
  /** becomes PRAGMA user_version once applied; versions run 1, 2, 3… with no gaps */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
