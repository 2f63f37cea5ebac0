/**
 * Offset paging, only for methods without a usable id order: `start` + `next` (most methods),
 * `START` (department.get), `PARAMS.limit`/`PARAMS.offset` up to 200 (imopenlines.config.list.get),
 * or a single page (getters). Offsets can skip or repeat rows that change during the read. A read
 * ends when the answer gives no `next`, or at an empty page; never at a short one: portals answer
 * short pages mid-list (a lower cap of their own, rows the credential may not see removed after the
 * SQL LIMIT), and `next` still counts the rows skipped.
 */
import { ArgumentError } from '../errors.js';
import type { ListContext } from './engine.js';
import { rowsOf } from './method-profiles.js';

export async function* offsetPages(context: ListContext): AsyncGenerator<Record<string, unknown>[]> {
  const { method, params, profile } = context;
  let offset = 0;
  for (;;) {
    const pageParams = { ...params };
    if (profile.offset === 'start') pageParams.start = offset;
    if (profile.offset === 'START') pageParams.START = offset;
    if (profile.offset === 'PARAMS') {
      const inner = (pageParams.PARAMS as Record<string, unknown> | undefined) ?? {};
      pageParams.PARAMS = { ...inner, limit: profile.pageSize, offset };
    }
    const answer = await context.call(method, pageParams, context.signal);
    const rows = rowsOf(answer.result, profile);
    if (!rows)
      throw new ArgumentError({
        code: 'UNEXPECTED_RESULT',
        method,
        description: 'the answer holds no list of rows',
      });
    if (rows.length > 0) yield rows;
    if (profile.offset === 'none' || rows.length === 0) return;
    if (profile.offset === 'PARAMS') {
      // No `next` here. Moving by the rows that came back may read a row twice when rows were
      // hidden after the LIMIT (the key keeps one copy); moving by the limit asked for would skip
      // rows on a portal that caps the page lower.
      offset += rows.length;
      continue;
    }
    if (answer.next === undefined || answer.next <= offset) return;
    offset = answer.next;
  }
}
