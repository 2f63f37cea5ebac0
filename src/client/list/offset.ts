/**
 * Offset paging, only for methods without a usable id order: `start` + `next` (most methods),
 * `START` (department.get), `PARAMS.limit`/`PARAMS.offset` up to 200 (imopenlines.config.list.get),
 * or a single page (getters). Offsets can skip or repeat rows that change during the read.
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
      if (rows.length < profile.pageSize) return;
      offset += rows.length;
      continue;
    }
    if (answer.next === undefined || answer.next <= offset) return;
    offset = answer.next;
  }
}
