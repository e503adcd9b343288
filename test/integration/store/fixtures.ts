// Shared fixtures for the store tests: a temp database path per test and complete rows with overrides.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach } from 'vitest';

import type { BatchRow, ItemRow } from '../../../controller/store/index.js';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A database path inside a fresh temp dir (removed after each test); the file itself does not exist yet. */
export function tempDbFile(name = 'state.db'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batchctl-store-'));
  dirs.push(dir);
  return path.join(dir, name);
}

export function batchRow(overrides: Partial<BatchRow> = {}): BatchRow {
  return {
    batch_id: 'b-20250101-000000-aaaa',
    status: 'queued',
    operation_type: 'write',
    total_count: 3,
    success_count: 0,
    failure_count: 0,
    created_at: '2025-01-01T00:00:00.000Z',
    completed_at: null,
    backup_id: null,
    title: 'Add 3 npm recipes',
    ecosystem: 'npm',
    requested_by: 'github-actions[bot]',
    agent: null,
    priority: 0,
    commit_sha: null,
    tag: null,
    plan_hash: null,
    idempotency_key: null,
    reason_code: null,
    reason_message: null,
    duration_ms: null,
    options_json: null,
    source: 'cli',
    ...overrides,
  };
}

export function itemRow(overrides: Partial<ItemRow> & Pick<ItemRow, 'batch_id' | 'item_index'>): ItemRow {
  return {
    operation: 'write',
    source_path: null,
    target_path: `recipes/${overrides.item_index}.toml`,
    status: 'pending',
    error_code: null,
    error_message: null,
    attempts: 0,
    blob_id: null,
    processed_at: null,
    op_json: null,
    ...overrides,
  };
}

/** Captures what a call throws, so tests can assert on its code and data. */
export function thrown(fn: () => unknown): { code?: unknown; data?: Record<string, unknown>; message?: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: unknown; data?: Record<string, unknown>; message?: string };
  }
  throw new Error('expected the call to throw');
}
