/**
 * Many independent calls (one per deal, say) packed 50 to a `batch`, a few batches in flight,
 * results yielded in input order. A command that failed transiently is sent again in a later
 * batch; any other error is returned with its index, not thrown.
 */
import { MAX_BATCH_COMMANDS } from './batch.js';
import type { Bitrix24Error } from './errors.js';
import { sleep } from './limits/sleep.js';
import type { BatchCommand, BatchResponse } from './options.js';
import { backoffMs } from './retry.js';

export interface CallManyResult<T> {
  index: number;
  result?: T;
  /** The offset of the next page, when the answer is one page of a longer list. */
  next?: number;
  error?: Bitrix24Error;
}

/** Batches in flight at once; the request bucket still decides the pace. */
const IN_FLIGHT = 3;

async function runChunk<T>(
  calls: BatchCommand[],
  base: number,
  batch: (commands: Record<string, BatchCommand>) => Promise<BatchResponse>,
  maxRetries: number,
): Promise<CallManyResult<T>[]> {
  const out: CallManyResult<T>[] = calls.map((_, i) => ({ index: base + i }));
  let pending = calls.map((_, i) => i);
  for (let attempt = 0; pending.length > 0; attempt++) {
    const commands: Record<string, BatchCommand> = {};
    for (const i of pending) commands[`c${i}`] = calls[i];
    const answer = await batch(commands);
    const again: number[] = [];
    for (const i of pending) {
      const error = answer.errors[`c${i}`];
      if (!error) {
        const next = answer.next[`c${i}`];
        out[i] = {
          index: base + i,
          result: answer.result[`c${i}`] as T,
          ...(next !== undefined ? { next } : {}),
        };
      } else if (error.retryable && attempt < maxRetries) {
        again.push(i);
      } else {
        out[i] = { index: base + i, error };
      }
    }
    pending = again;
    if (pending.length > 0) await sleep(backoffMs(attempt));
  }
  return out;
}

export async function* callMany<T>(
  calls: BatchCommand[],
  batch: (commands: Record<string, BatchCommand>) => Promise<BatchResponse>,
  maxRetries: number,
): AsyncGenerator<CallManyResult<T>> {
  const inFlight: Promise<CallManyResult<T>[]>[] = [];
  let next = 0;
  const launch = () => {
    if (next >= calls.length) return;
    const chunk = runChunk<T>(calls.slice(next, next + MAX_BATCH_COMMANDS), next, batch, maxRetries);
    chunk.catch(() => {}); // awaited below, in order; this only silences an early unobserved rejection
    inFlight.push(chunk);
    next += MAX_BATCH_COMMANDS;
  };
  for (let i = 0; i < IN_FLIGHT; i++) launch();
  while (inFlight.length > 0) {
    const results = await (inFlight.shift() as Promise<CallManyResult<T>[]>);
    launch();
    yield* results;
  }
}
