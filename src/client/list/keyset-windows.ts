/**
 * Ordered parallel keyset windows. Bitrix runs a batch's commands one after another, so one
 * chain reads a list at one batch per several seconds of server time however free the request
 * bucket is. This splits the list's ID space into consecutive windows (lo, hi], reads up to
 * `parallelism` of them at once, each with its own window-bounded chain, and yields pages
 * strictly in ID order: the head window streams, the others are buffered (at most `parallelism`
 * windows, about a batch of rows each), so a caller's resume point (the last ID yielded) stays
 * valid and memory stays flat.
 *
 * One cheap call (ID descending, ID only, no COUNT) finds the largest matching ID. Windows start
 * at about one batch of IDs and then follow the row density of the finished windows (a caller's
 * filter may match one row in a hundred), within bounds. Each batch holds the commands the
 * window's remaining IDs are expected to fill plus one page of slack, never more than 50. After the
 * last window an open chain `>maxId` picks up rows added during the read; it starts with one
 * command and doubles while pages come back full.
 */
import { ArgumentError } from '../errors.js';
import { CHAIN_LENGTH, chainedKeysetPages } from './chained-keyset.js';
import type { ListContext } from './engine.js';
import { callerIdRange, maxIdParams, rowId, rowsOf } from './method-profiles.js';

type Page = Record<string, unknown>[];

/** A window may grow at most this much over the previous one (density from few rows is noisy). */
const MAX_GROWTH = 4;
/** A window shared out of a short remaining range spans at least this many pages of IDs. */
const MIN_WINDOW_PAGES = 10;
/** No window spans more IDs than this, however sparse the rows. */
const MAX_WINDOW_IDS = 10_000_000;

interface Window {
  after: number;
  upTo: number;
  pages: Page[];
  rows: number;
  done: boolean;
  error?: unknown;
}

async function largestId(context: ListContext): Promise<number | undefined> {
  const { method, profile } = context;
  const answer = await context.call(method, maxIdParams(profile, context.params), context.signal);
  const rows = rowsOf(answer.result, profile);
  if (!rows) {
    throw new ArgumentError({
      code: 'UNEXPECTED_RESULT',
      method,
      description: 'the answer holds no list of rows',
    });
  }
  // The largest of the page, not its first row: a method that ignored the order still gives a
  // lower bound, and the open chain after the last window reads whatever lies beyond it.
  let top: number | undefined;
  for (const row of rows) {
    const id = rowId(row, profile);
    if (id !== undefined && (top === undefined || id > top)) top = id;
  }
  return top;
}

export async function* keysetWindowPages(
  context: ListContext,
  startAfterId: number | undefined,
  parallelism: number,
): AsyncGenerator<Page> {
  const { profile } = context;
  const batchRows = profile.pageSize * CHAIN_LENGTH;
  const caller = callerIdRange(profile, context.params);
  const from = Math.max(startAfterId ?? 0, caller.after ?? 0);
  const top = await largestId(context);
  const end = top === undefined ? undefined : Math.min(top, caller.upTo ?? top);
  const stop = new AbortController();
  const signal = context.signal ? AbortSignal.any([context.signal, stop.signal]) : stop.signal;
  const windowContext: ListContext = { ...context, signal };
  const slots = Math.max(1, Math.floor(parallelism));
  let wake: (() => void) | undefined;
  const changed = () => {
    wake?.();
    wake = undefined;
  };
  let seenRows = 0;
  let seenIds = 0;
  let lastSize = 0;
  /** Rows per ID of the finished windows; 1 (the most there can be) before any finished. */
  const density = () => (seenIds > 0 ? Math.min(1, seenRows / seenIds) : 1);

  const nextSize = () => {
    let size = batchRows;
    if (seenIds > 0) {
      const d = density();
      size = d > 0 ? batchRows / d : MAX_WINDOW_IDS;
      size = Math.min(size, lastSize * MAX_GROWTH, MAX_WINDOW_IDS);
    }
    lastSize = Math.max(profile.pageSize, Math.round(size));
    return lastSize;
  };

  const read = async (window: Window) => {
    const length = (last: number | undefined) => {
      const position = last ?? window.after;
      const remaining = window.upTo - position;
      // This window's own rows so far correct a density learned from windows unlike it.
      const own = position > window.after ? window.rows / (position - window.after) : 0;
      const expected = remaining * Math.min(1, Math.max(density(), own));
      return Math.min(Math.ceil(remaining / profile.pageSize), Math.ceil(expected / profile.pageSize) + 1);
    };
    try {
      for await (const rows of chainedKeysetPages(windowContext, window.after, {
        upTo: window.upTo,
        length,
      })) {
        window.pages.push(rows);
        window.rows += rows.length;
        changed();
      }
      seenRows += window.rows;
      seenIds += window.upTo - window.after;
    } catch (error) {
      window.error = error;
    }
    window.done = true;
    changed();
  };

  const windows: Window[] = [];
  let next = from;
  const fill = () => {
    if (end === undefined) return;
    while (next < end && windows.length < slots) {
      // What is left is shared among the free slots, so even a list of one batch of rows is read
      // by several windows at once; a window is never smaller than a few pages.
      const share = Math.max(MIN_WINDOW_PAGES * profile.pageSize, Math.ceil((end - next) / slots));
      const window: Window = {
        after: next,
        upTo: Math.min(end, next + Math.min(nextSize(), share)),
        pages: [],
        rows: 0,
        done: false,
      };
      next = window.upTo;
      windows.push(window);
      void read(window);
    }
  };

  try {
    fill();
    while (windows.length > 0) {
      const head = windows[0];
      const page = head.pages.shift();
      if (page) {
        yield page;
        continue;
      }
      if (head.error !== undefined) throw head.error;
      if (head.done) {
        windows.shift();
        fill();
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    // The caller's own upper bound was reached: nothing can lie beyond it.
    if (end !== undefined && caller.upTo !== undefined && end >= caller.upTo) return;
    yield* chainedKeysetPages(context, Math.max(from, end ?? from), {
      length: (_, batches) => 2 ** batches,
    });
  } finally {
    stop.abort();
  }
}
