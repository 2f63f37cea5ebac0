/**
 * Chained keyset paging: 50 keyset pages in ONE `batch`, page N asking for rows after the last
 * row of page N−1 through a `$result[pN-1][49][ID]` reference (`[items][49][id]` for
 * crm.item.list): 2,500 rows a request and one bucket token. The first short page ends the read;
 * later pages in the same batch ran with an unresolved reference and are discarded. A failed
 * page ends the batch there; the next batch starts after the last good row.
 */

import { resultRef } from '../batch-encoding.js';
import { ArgumentError, type Bitrix24Error } from '../errors.js';
import { sleep } from '../limits/sleep.js';
import type { BatchCommand } from '../options.js';
import { backoffMs } from '../retry.js';
import type { ListContext } from './engine.js';
import { keysetParams, rowId, rowsOf } from './method-profiles.js';

export const CHAIN_LENGTH = 50;

export async function* chainedKeysetPages(
  context: ListContext,
  startAfterId: number | undefined,
): AsyncGenerator<Record<string, unknown>[]> {
  const { method, params, profile } = context;
  const lastRowPath = (id: string) =>
    profile.wrapper
      ? resultRef(id, profile.wrapper, profile.pageSize - 1, profile.idField)
      : resultRef(id, profile.pageSize - 1, profile.idField);
  let last = startAfterId;
  let failures = 0;
  for (;;) {
    const commands: Record<string, BatchCommand> = {};
    for (let i = 0; i < CHAIN_LENGTH; i++) {
      const after = i === 0 ? last : lastRowPath(`p${i - 1}`);
      commands[`p${i}`] = { method, params: keysetParams(profile, params, after) };
    }
    const answer = await context.batch(commands, context.signal);
    let failed: Bitrix24Error | undefined;
    let progressed = false;
    for (let i = 0; i < CHAIN_LENGTH; i++) {
      const id = `p${i}`;
      const error = answer.errors[id];
      if (error) {
        failed = error;
        break;
      }
      const rows = rowsOf(answer.result[id], profile);
      if (!rows) {
        throw new ArgumentError({
          code: 'UNEXPECTED_RESULT',
          method,
          description: 'the answer holds no list of rows',
        });
      }
      if (rows.length > 0) {
        const lastId = rowId(rows[rows.length - 1], profile);
        if (lastId === undefined) {
          throw new ArgumentError({
            code: 'NO_ID',
            method,
            description: `rows carry no numeric ${profile.idField}`,
          });
        }
        last = lastId;
        progressed = true;
        yield rows;
      }
      if (rows.length < profile.pageSize) return;
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
