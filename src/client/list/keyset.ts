/**
 * Keyset paging (`settings/performance/huge-data.md`): `order ID ASC`, `filter >ID = last seen`,
 * `start = -1` (no COUNT).
 * Rows added or changed during the read are neither skipped nor repeated, unlike offsets. The read
 * ends only at an EMPTY page: portals answer short pages mid-list (a method's own lower cap, rows
 * the credential may not see removed after the SQL LIMIT), so a short page proves nothing.
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
    if (rows.length === 0) return;
    last = advancedLastId(rows, profile, last, method);
    yield rows;
  }
}
