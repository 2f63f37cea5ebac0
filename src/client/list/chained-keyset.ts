/**
 * Reads one window (lo, hi] of a list's ID space DOWNWARD in chained batches: up to 50 pages in
 * ONE `batch`, ID descending, the first `<=ID hi` (or `<ID` the last row read), page N
 * `<ID $result[pN-1][49][ID]` (`[items][49][id]` for crm.item.list; an earlier row than 49 once
 * pages are seen to come back short, see PageReach).
 *
 * Portals answer pages shorter than the page size mid-list (a method's own lower cap, rows the
 * credential may not see removed after the SQL LIMIT), so a short page never ends anything. What
 * ends a window is proof: a page reaching an ID at or below `lo` + 1 (the portal took that page's
 * rows contiguously below the cursor, and IDs are integers), or an EMPTY page asked with a known
 * cursor. A page after a short page ran with an unresolved reference, so its answer is trusted
 * neither way; the next batch starts from the last row actually read. An unresolved
 * reference is text, which PHP casts to 0: `<ID 0` matches nothing, so such a command never
 * returns rows (reading upward, `>ID 0` would re-read the list's first page).
 */
import { resultRef } from '../batch-encoding.js';
import { ArgumentError, type Bitrix24Error } from '../errors.js';
import { sleep } from '../limits/sleep.js';
import type { BatchCommand } from '../options.js';
import { backoffMs } from '../retry.js';
import type { ListContext } from './engine.js';
import { descendedLastId } from './keyset-progress.js';
import { type PageTop, rowId, rowsOf, windowParams } from './method-profiles.js';

export const CHAIN_LENGTH = 50;

/** Rows fewer than the shortest mid-list page seen that a page may still hold and chain on. */
const REACH_MARGIN = 3;

/**
 * Which row of a page the next chained page starts below: the last (49) until pages are seen to
 * come back short mid-list (a lower cap, hidden rows), then a few rows less than the shortest such
 * page, so the reference still resolves; the rows after it are read twice and dropped. Shared by
 * the windows of one list read.
 */
export class PageReach {
  private shortest: number | undefined;

  constructor(private readonly pageSize: number) {}

  get index(): number {
    if (this.shortest === undefined) return this.pageSize - 1;
    return Math.max(0, this.shortest - 1 - REACH_MARGIN);
  }

  /** A page of `rows` rows was followed by more rows: pages come back this short mid-list. */
  midListPage(rows: number): void {
    if (rows < this.pageSize) this.shortest = Math.min(this.shortest ?? rows, rows);
  }
}

export interface WindowBounds {
  /** Exclusive bottom: a page reaching an ID at or below it + 1 proves the window complete. */
  lo: number;
  /** Inclusive top. */
  hi: number;
  /** The list's own lower bound (the caller's `>ID`, a resume point), sent with every page. */
  floor?: number;
  /** Commands for the next batch given the lowest ID read so far (1–50). */
  length?: (cursor: number) => number;
  reach?: PageReach;
}

/** Pages of the window's rows, each in descending ID order, top page first. */
export async function* windowPagesDown(
  context: ListContext,
  bounds: WindowBounds,
): AsyncGenerator<Record<string, unknown>[]> {
  const { method, params, profile } = context;
  const { lo, floor } = bounds;
  const reach = bounds.reach ?? new PageReach(profile.pageSize);
  const rowPath = (id: string, index: number) =>
    profile.wrapper
      ? resultRef(id, profile.wrapper, index, profile.idField)
      : resultRef(id, index, profile.idField);
  // The highest ID the next page may hold: `hi` itself, then below the last row read.
  let cursor: PageTop = { atMost: bounds.hi };
  let lowest = bounds.hi + 1;
  /** The length of the last page read, when it was short: mid-list if more rows follow. */
  let shortPage: number | undefined;
  let failures = 0;
  for (;;) {
    const length = Math.max(1, Math.min(CHAIN_LENGTH, Math.ceil(bounds.length?.(lowest) ?? CHAIN_LENGTH)));
    const index = reach.index;
    const commands: Record<string, BatchCommand> = {};
    for (let i = 0; i < length; i++) {
      const top = i === 0 ? cursor : { below: rowPath(`p${i - 1}`, index) };
      commands[`p${i}`] = { method, params: windowParams(profile, params, top, floor) };
    }
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
      const rows = rowsOf(answer.result[id], profile);
      if (!rows) {
        throw new ArgumentError({
          code: 'UNEXPECTED_RESULT',
          method,
          description: 'the answer holds no list of rows',
        });
      }
      // An empty page asked with a known cursor: nothing is left below it.
      if (rows.length === 0) return;
      // A page chained below row `index` of the one before repeats that page's later rows.
      const fresh = i === 0 ? rows : rows.filter((row) => (rowId(row, profile) ?? 0) < lowest);
      // Only rows read before: whether any lie below them is unknown; ask with a known cursor.
      if (fresh.length === 0) break;
      lowest = descendedLastId(fresh, profile, lowest, method);
      if (shortPage !== undefined) reach.midListPage(shortPage);
      progressed = true;
      const mine = lowest > lo ? fresh : fresh.filter((row) => (rowId(row, profile) ?? 0) > lo);
      if (mine.length > 0) yield mine;
      // IDs are integers: once lo + 1 is read, nothing is left between it and lo.
      if (lowest <= lo + 1) return;
      cursor = { below: lowest };
      // Never an end: a short page is only remembered, and once a later page proves rows followed
      // it, PageReach chains from an earlier row so the next reference still resolves.
      shortPage = rows.length < profile.pageSize ? rows.length : undefined;
      // The next page's reference did not resolve: its answer is not evidence of anything.
      if (rows.length <= index) break;
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
