// Collecting validation findings: errors refuse the batch, warnings do not (docs/batch-format.md#what-validation-refuses).
import type { IssueCode, ValidationIssue } from '../domain/index.js';

export class IssueList {
  readonly errors: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];
  /** op indexes that already have an error: later rules skip them to report the root cause once */
  private readonly failed = new Set<number>();

  error(code: IssueCode, index: number, path: string | undefined, message: string, hint?: string): void {
    this.errors.push({ code, index, ...(path !== undefined ? { path } : {}), message, ...(hint ? { hint } : {}) });
    this.failed.add(index);
  }

  warn(code: IssueCode, index: number, path: string | undefined, message: string): void {
    this.warnings.push({ code, index, ...(path !== undefined ? { path } : {}), message });
  }

  hasError(index: number): boolean {
    return this.failed.has(index);
  }
}
