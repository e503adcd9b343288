// Validation issue codes (docs/batch-format.md#what-validation-refuses): one per rule, so tests and tools match codes, never messages.
export const ISSUE = {
  // path safety (never skippable)
  pathEmpty: 'PATH_EMPTY',
  pathAbsolute: 'PATH_ABSOLUTE',
  pathTraversal: 'PATH_TRAVERSAL',
  pathBackslash: 'PATH_BACKSLASH',
  pathControlChar: 'PATH_CONTROL_CHAR',
  pathDotComponent: 'PATH_DOT_COMPONENT',
  pathGitDir: 'PATH_GIT_DIR',
  pathGitmodules: 'PATH_GITMODULES',
  pathArgvInjection: 'PATH_ARGV_INJECTION',
  pathPathspecMagic: 'PATH_PATHSPEC_MAGIC',
  pathTooLong: 'PATH_TOO_LONG',
  pathProtected: 'PATH_PROTECTED',
  pathThroughSymlink: 'PATH_THROUGH_SYMLINK',
  symlinkEscape: 'SYMLINK_ESCAPE',
  writeToSymlink: 'WRITE_TO_SYMLINK',
  pathCollision: 'PATH_COLLISION',
  pathTypeConflict: 'PATH_TYPE_CONFLICT',
  globInvalid: 'GLOB_INVALID',
  // existence and overwrite
  sourceMissing: 'SOURCE_MISSING',
  targetExists: 'TARGET_EXISTS',
  renameChangesDirectory: 'RENAME_CHANGES_DIRECTORY',
  samePath: 'SAME_PATH',
  expectedBlobMismatch: 'EXPECTED_BLOB_MISMATCH',
  // git state: no user work is ever lost
  pathDirty: 'PATH_DIRTY',
  untrackedOverwrite: 'UNTRACKED_OVERWRITE',
  pathIgnored: 'PATH_IGNORED',
  // conflicts inside the batch
  duplicateTarget: 'DUPLICATE_TARGET',
  deletedEarlier: 'DELETED_EARLIER',
  dependsOnInvalid: 'DEPENDS_ON_INVALID',
  // size
  tooManyOperations: 'TOO_MANY_OPERATIONS',
  contentTooLarge: 'CONTENT_TOO_LARGE',
  contentInvalid: 'CONTENT_INVALID',
  regexInvalid: 'REGEX_INVALID',
  // warnings
  overwrite: 'OVERWRITE',
  globNoMatch: 'GLOB_NO_MATCH',
  replaceNoMatch: 'REPLACE_NO_MATCH',
} as const;
export type IssueCode = (typeof ISSUE)[keyof typeof ISSUE];

/** One finding of validation: which op, which path, which rule. */
export interface ValidationIssue {
  code: IssueCode;
  /** index of the operation in the batch, or -1 for the batch as a whole */
  index: number;
  path?: string;
  message: string;
  hint?: string;
}
