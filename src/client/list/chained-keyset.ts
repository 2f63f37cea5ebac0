/**
 * Chained keyset paging: up to 50 keyset pages in ONE `batch`, page N asking for rows after the
 * last row of page N−1 through a `$result[pN-1][49][ID]` reference (`[items][49][id]` for
 * crm.item.list): up to 2,500 rows a request and one bucket token. The first short page ends the
 * read; later pages in the same batch ran with an unresolved reference and are discarded, which is
 * why a chain that knows how many rows to expect (`plan.length`) sends no more commands than
 * those rows need. A chain bounded by `plan.upTo` (one window of the ID space) also ends when it
 * reaches that ID. A failed page ends the batch there; the next batch starts after the last good
 * row.
 */

import { resultRef } from '../batch-encoding.js';
import { ArgumentError, type Bitrix24Error } from '../errors.js';
import { sleep } from '../limits/sleep.js';
import type { BatchCommand } from '../options.js';
import { backoffMs } from '../retry.js';
import type { ListContext } from './engine.js';
import { advancedLastId } from './keyset-progress.js';
import { keysetParams, rowId, rowsOf } from './method-profiles.js';

export const CHAIN_LENGTH = 50;

export interface ChainPlan {
  /** Inclusive upper ID bound (a window's end); open-ended when undefined. */
  upTo?: number;
  /** Commands for the next batch given the last ID read and the batches sent so far (1–50). */
  length?: (last: number | undefined, batches: number) => number;
}

export async function* chainedKeysetPages(
  context: ListContext,
  startAfterId: number | undefined,
  plan: ChainPlan = {},
): AsyncGenerator<Record<string, unknown>[]> {
  const { method, params, profile } = context;
  const lastRowPath = (id: string) =>
    profile.wrapper
      ? resultRef(id, profile.wrapper, profile.pageSize - 1, profile.idField)
      : resultRef(id, profile.pageSize - 1, profile.idField);
  const { upTo } = plan;
  let last = startAfterId;
  let failures = 0;
  let batches = 0;
  for (;;) {
    if (upTo !== undefined && last !== undefined && last >= upTo) return;
    const length = Math.max(
      1,
      Math.min(CHAIN_LENGTH, Math.ceil(plan.length?.(last, batches) ?? CHAIN_LENGTH)),
    );
    const commands: Record<string, BatchCommand> = {};
    for (let i = 0; i < length; i++) {
      const after = i === 0 ? last : lastRowPath(`p${i - 1}`);
      commands[`p${i}`] = { method, params: keysetParams(profile, params, after, upTo) };
    }
    batches++;
    const answer = await context.batch(commands, context.signal);
    let failed: Bitrix24Error | undefined;
    let progressed = false;
    for (let i = 0; i < length; i++) {
      const id = `p${i}`;
      const error = answer.errors[id];
      if (error) {
        failed = error;
        break;
      }
      let rows = rowsOf(answer.result[id], profile);
      if (!rows) {
        throw new ArgumentError({
          code: 'UNEXPECTED_RESULT',
          method,
          description: 'the answer holds no list of rows',
        });
      }
      const answered = rows.length;
      // A portal that ignored `<=ID` must not hand the next window's rows to this one; rows come
      // in ID order, so a row past the window's end means the window is done.
      if (upTo !== undefined) rows = rows.filter((row) => (rowId(row, profile) ?? 0) <= upTo);
      if (rows.length > 0) {
        last = advancedLastId(rows, profile, last, method);
        progressed = true;
        yield rows;
      }
      if (answered < profile.pageSize || rows.length < answered) return;
      if (upTo !== undefined && last !== undefined && last >= upTo) return;
    }
    if (!failed) {
      failures = 0;
      continue;
    }
    // Operating-limit refusals were parked by the batch layer; the next batch waits for them.
    if (!failed.retryable) throw failed;
    failures = progressed ? 0 : failures + 1;
    if (failures > context.maxRetries) throw failed;
    if (failures > 0 && failed.code !== 'OPERATION_TIME_LIMIT')
      await sleep(backoffMs(failures), context.signal);
  }
}
