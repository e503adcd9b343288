// The engine's queue (docs/lifecycle.md#the-queue): submit stores a batch as a `queued` row plus the
// batch itself, and returns its id at once; the lane runs queued batches one at a time, highest
// priority first, then oldest. A restart keeps them: a new engine runs the stored ones once start()ed.
import { hostname } from 'node:os';

import {
  batchEcosystems,
  isBatchDocument,
  newBatchId,
  parseBatchDocument,
  parseBatchValue,
  parseQueuedRun,
  type Batch,
  type BatchDocument,
  type BatchResult,
} from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import { isAlive } from '../../journal/index.js';
import { STORE_CONSTRAINT } from '../../store/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { withCallerDefaults } from '../run/caller-defaults.js';
import { resultFromRow } from '../run/result-from-row.js';
import { runOwner } from '../run/insert-run-row.js';
import { newRow, runBatch } from '../run/run-batch.js';
import type { RunOptions } from '../run/run-context.js';
import { createLane, type Lane } from './lane.js';
import { withPriority } from './with-priority.js';
import { newTicket, type Ticket } from './ticket.js';

export interface SubmitOptions extends RunOptions {
  /** 0–9, higher runs first; default: the batch's `options.priority` */
  priority?: number;
  /**
   * false: the batch is kept in memory only, not in the store (`run()`: its caller waits for it, and a
   * batch whose caller is gone must not run later). Default true: it survives a restart.
   */
  durable?: boolean;
}

export interface Submitted {
  batch_id: string;
  /** an earlier batch with the same idempotency_key: its id, nothing new was queued */
  idempotent_replay?: boolean;
}

/** The run options a queued batch keeps in the store (JSON); a signal and hooks live in memory only. */
const STORED: ReadonlyArray<keyof RunOptions> = ['planHash', 'source', 'agent', 'identity', 'push'];

export interface BatchQueue {
  readonly lane: Lane;
  submit(input: Batch | BatchDocument, options?: SubmitOptions): Promise<Submitted>;
  /** the ticket of a batch this engine queued or runs */
  ticket(batchId: string): Ticket | undefined;
  /** a batch of the store's queue this engine did not submit, to be run here once started */
  adopt(batchId: string): Ticket;
  /** a queued batch was cancelled: its ticket goes */
  forget(batchId: string): void;
  /**
   * Work that runs a batch under an id given now (a rollback, a retry): in the lane, cancellable by
   * that id like a queued batch (its signal follows cancel and the engine's close).
   */
  job<T>(batchId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** also run the queued batches of earlier (or other) processes */
  start(): void;
  /** the batch running now, if any */
  running(): string | null;
  /** take no more work; cancel the running batch; fail the waits of batches that never started */
  close(): Promise<void>;
}

/** A batch kept in memory by a process that still lives is that process's to run. */
export function heldByLiveProcess(runJson: string | undefined): boolean {
  const holder = runJson ? parseQueuedRun(runJson)?.held_by : undefined;
  return holder !== undefined && holder.hostname === hostname() && isAlive(holder.pid);
}

function never(batchId: string): never {
  throw new BatchctlError({ code: 'INTERNAL', message: `the row of queued batch ${batchId} is gone` });
}

export interface BatchQueueOptions {
  deps: EngineDeps;
  /** aborted when the engine closes: every run follows it */
  engineSignal: AbortSignal;
  /** what a submitter's own signal does when it aborts (the engine's cancel) */
  onAbort: (ticket: Ticket, reason: unknown) => void;
}

export function createBatchQueue({ deps, engineSignal, onAbort }: BatchQueueOptions): BatchQueue {
  const { store } = deps;
  const tickets = new Map<string, Ticket>();
  let adopting = false;
  let closed = false;
  let current: string | null = null;

  async function run(ticket: Ticket, batchJson: string, runJson: string): Promise<void> {
    current = ticket.batchId;
    if (!ticket.batch && batchJson === '') {
      // A run() whose process ended before its turn: its caller is gone, so it does not run now.
      store.batches.update(ticket.batchId, {
        status: 'failed',
        reason_code: 'INTERRUPTED',
        reason_message: 'the process that submitted it ended before it ran',
        completed_at: deps.now().toISOString(),
      });
      ticket.settle(resultFromRow(store.batches.get(ticket.batchId) ?? never(ticket.batchId), store));
      current = null;
      tickets.delete(ticket.batchId);
      return;
    }
    try {
      const batch = ticket.batch ?? parseBatchValue(JSON.parse(batchJson));
      const queued = parseQueuedRun(runJson);
      if (!queued) throw new Error(`the stored run options of ${ticket.batchId} are not valid: ${runJson.slice(0, 200)}`);
      const { held_by: _holder, ...stored } = queued;
      const signal = AbortSignal.any([ticket.controller.signal, engineSignal]);
      ticket.settle(await runBatch(deps, batch, { ...stored, ...ticket.live, signal, batchId: ticket.batchId, queued: true }));
    } catch (error) {
      // Only a stored batch that no longer parses gets here (written by another build): recorded failed.
      store.batches.update(ticket.batchId, { status: 'failed', reason_code: 'INPUT_INVALID', reason_message: String(error) });
      ticket.fail(error);
    } finally {
      current = null;
      tickets.delete(ticket.batchId);
    }
  }

  /** The lane asks for the next batch: the first stored one this engine may run and can claim. */
  function next(): (() => Promise<void>) | null {
    if (closed) return null;
    for (const id of store.queue.ids()) {
      const own = tickets.get(id);
      if (!own && (!adopting || heldByLiveProcess(store.queue.peek(id)))) continue;
      const entry = store.queue.take(id); // the claim: only one process gets the entry
      if (!entry) continue;
      const ticket = own ?? adopt(id);
      ticket.started = true;
      return () => run(ticket, entry.batch_json, entry.run_json);
    }
    return null;
  }

  function adopt(batchId: string): Ticket {
    const ticket = tickets.get(batchId) ?? newTicket(batchId);
    tickets.set(batchId, ticket);
    return ticket;
  }

  const lane = createLane({ next, logger: deps.logger });

  return {
    lane,
    async submit(input, { priority, durable = true, ...given } = {}) {
      const parsed = isBatchDocument(input) ? await parseBatchDocument(input) : input;
      const defaults = withCallerDefaults(deps, parsed, given);
      const options = defaults.options;
      if (options.dryRun) {
        throw new BatchctlError({
          code: 'DRY_RUN_NOT_QUEUED',
          message: 'a dry run changes nothing and is not queued',
          hint: 'use run() (or validate()) for a dry run',
        });
      }
      const batch = withPriority(defaults.batch, priority);
      const key = batch.options.idempotency_key;
      const earlier = key ? store.batches.findByIdempotencyKey(key) : undefined;
      if (earlier) return { batch_id: earlier.batch_id, idempotent_replay: true };
      // A caller that names its branch or tag by the id before the run (propose-batch.ts) assigns it.
      const batchId = given.batchId ?? newBatchId(deps.now());
      const row = newRow({ batch, batchId, startedAt: deps.now().getTime(), options });
      const kept: Record<string, unknown> = Object.fromEntries(STORED.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
      if (!durable) kept['held_by'] = { pid: process.pid, hostname: hostname() };
      try {
        store.transaction(() => {
          store.batches.insert(row, batchEcosystems(batch));
          // Held in this process's memory: if it dies before the batch's turn, recovery finalizes the row.
          if (!durable) store.batchOwners.set(batchId, runOwner());
          store.queue.add({ batch_id: batchId, batch_json: durable ? JSON.stringify(batch) : '', run_json: JSON.stringify(kept) });
        });
      } catch (error) {
        // Another process stored the same key between our look and our insert: that batch is the answer.
        const raced = error instanceof BatchctlError && error.data['constraint'] === STORE_CONSTRAINT.idempotencyKey;
        const found = raced && key ? store.batches.findByIdempotencyKey(key) : undefined;
        if (found) return { batch_id: found.batch_id, idempotent_replay: true };
        throw error;
      }
      const { signal, ...live } = options;
      const ticket = newTicket(batchId, live, batch);
      ticket.durable = durable;
      tickets.set(batchId, ticket);
      // The caller's own signal (the CLI's SIGINT) cancels like cancel() does.
      if (signal) {
        const cancelOwn = (): void => onAbort(ticket, signal.reason);
        if (signal.aborted) cancelOwn();
        else signal.addEventListener('abort', cancelOwn, { once: true });
      }
      lane.kick();
      return { batch_id: batchId };
    },
    ticket: (batchId) => tickets.get(batchId),
    adopt,
    forget: (batchId) => void tickets.delete(batchId),
    job(batchId, work) {
      const ticket = newTicket(batchId);
      ticket.started = true;
      tickets.set(batchId, ticket);
      return lane.exclusive(async () => {
        current = batchId;
        try {
          return await work(AbortSignal.any([ticket.controller.signal, engineSignal]));
        } finally {
          current = null;
          tickets.delete(batchId);
          // wait(id) on it: the batch it ran, as recorded (none: it stopped before it had one).
          const row = store.batches.get(batchId);
          if (row) ticket.settle(resultFromRow(row, store));
          else
            ticket.fail(
              new BatchctlError({ code: 'BATCH_NOT_FOUND', message: `no batch ${batchId} was recorded`, data: { batch_id: batchId } }),
            );
        }
      });
    },
    start() {
      adopting = true;
      lane.kick();
    },
    running: () => current,
    async close() {
      closed = true;
      if (current) tickets.get(current)?.controller.abort(new BatchctlError({ code: 'ENGINE_CLOSED', message: 'the engine closed' }));
      await lane.idle();
      // A run()'s batch that never started is cancelled, as a running one is: its caller gets that result.
      for (const ticket of [...tickets.values()]) {
        if (!ticket.started && ticket.durable === false)
          onAbort(ticket, new BatchctlError({ code: 'ENGINE_CLOSED', message: 'the engine closed' }));
      }
      for (const ticket of tickets.values()) {
        ticket.fail(
          new BatchctlError({
            code: 'ENGINE_CLOSED',
            message: `the engine closed before batch ${ticket.batchId} ran; it stays queued`,
            hint: 'open an engine and start() it to run it',
          }),
        );
      }
      tickets.clear();
    },
  };
}
