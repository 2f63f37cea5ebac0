/**
 * Keyset paging (FACTS §2.4): `order ID ASC`, `filter >ID = last seen`, `start = -1` (no COUNT).
 * Rows added or changed during the read are neither skipped nor repeated, unlike offsets; the read
 * ends at the first page shorter than the page size.
 */
import { ArgumentError } from '../errors.js';
import type { ListContext } from './engine.js';
import { advancedLastId } from './keyset-progress.js';
import { keysetParams, rowsOf } from './method-profiles.js';

export async function* keysetPages(
  context: ListContext,
  startAfterId: number | undefined,
): AsyncGenerator<Record<string, unknown>[]> {
  const { method, params, profile } = context;
  let last = startAfterId;
  for (;;) {
    const answer = await context.call(method, keysetParams(profile, params, last), context.signal);
    const rows = rowsOf(answer.result, profile);
    if (!rows)
      throw new ArgumentError({
        code: 'UNEXPECTED_RESULT',
        method,
        description: 'the answer holds no list of rows',
      });
    if (rows.length > 0) {
      last = advancedLastId(rows, profile, last, method);
      yield rows;
    }
    if (rows.length < profile.pageSize) return;
  }
}
