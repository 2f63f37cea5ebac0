/**
 * Ordered parallel keyset windows. Bitrix runs a batch's commands one after another, so one
 * chain reads a list at one batch per several seconds of server time however free the request
 * bucket is. This splits the list's ID space into consecutive windows (lo, hi], reads up to
 * `parallelism` of them at once, each downward in its own chained batches (chained-keyset.ts),
 * and yields pages strictly in ascending ID order: a window is handed on once it is complete, the
 * later ones wait in memory (at most `parallelism` windows, about a batch of rows each; fewer
 * while the caller is slower than the reads), so a caller's resume point (the last ID yielded)
 * stays valid: every row below it was yielded.
 *
 * One page of the list's top (ID descending, no COUNT) finds the largest matching ID; its rows are
 * kept, and the windows read what lies below them. Windows start
 * at about one batch of IDs and then follow the row density of the finished windows (a caller's
 * filter may match one row in a hundred), within bounds. Each batch holds the commands the
 * window's remaining IDs are expected to fill plus one page of slack, never more than 50. After the
 * last window the largest ID is asked again, and rows added during the read are read the same
 * way, until nothing new is found; with `snapshot`, the list ends at the top page's largest ID when
 * that page proved the order was honoured (two or more rows, IDs descending).
 */
import { ArgumentError } from '../errors.js';
import { PageReach, windowPagesDown } from './chained-keyset.js';
import type { ListContext } from './engine.js';
import { callerIdRange, rowId, rowsOf, topPageParams } from './method-profiles.js';
import { heldRows, pageValues, ReadAhead } from './read-ahead.js';
import { WindowSizer, windowTop } from './window-sizing.js';

type Page = Record<string, unknown>[];

interface Window {
  after: number;
  upTo: number;
  /** The window's pages as read (descending), each with its values as counted in `heldRows`. */
  pages: { rows: Page; values: number }[];
  rows: number;
  /** Values of its pages not yet handed on, counted in `heldRows`. */
  values: number;
  /** Values it is still expected to bring, reserved in `heldRows` until they arrive or it ends. */
  reserved: number;
  /** The reader left (error, abort, a caller that stopped): pages arriving now are dropped. */
  abandoned: boolean;
  done: boolean;
  error?: unknown;
  startedAt: number;
  doneAt: number;
}

/** The list's top page above `after`: its rows when they came back in descending order. */
interface TopPage {
  top: number;
  /** The lowest ID of the page when its rows are usable, i.e. strictly descending. */
  lowest?: number;
  /** Two or more rows, IDs descending: the portal honoured the order, so `top` is the list's end. */
  ordered: boolean;
  rows: Page;
  /** Fields per row of the page's first row (0 for an empty page): what a window's rows will hold. */
  width: number;
}

/**
 * The largest matching IDs, asked as one full page, ID descending, no COUNT: the top page of the
 * list, kept as data. The portal bills a command whatever it selects (0.06 s before any row), so
 * a page of IDs only would be portal time spent on rows thrown away.
 */
async function topPage(context: ListContext, after: number | undefined): Promise<TopPage | undefined> {
  const { method, profile } = context;
  const params = topPageParams(profile, context.params, after);
  const answer = await context.call(method, params, context.signal);
  const rows = rowsOf(answer.result, profile);
  if (!rows) {
    throw new ArgumentError({
      code: 'UNEXPECTED_RESULT',
      method,
      description: 'the answer holds no list of rows',
    });
  }
  // The largest of the page, not its first row: a method that ignored the order still gives a
  // lower bound, and asking again after the last window reads whatever lies beyond it.
  let top: number | undefined;
  let descending = true;
  let previous: number | undefined;
  for (const row of rows) {
    const id = rowId(row, profile);
    if (id !== undefined && (top === undefined || id > top)) top = id;
    if (id === undefined || (previous !== undefined && id >= previous)) descending = false;
    previous = id;
  }
  if (top === undefined) return undefined;
  const width = rows[0] ? Object.keys(rows[0]).length : 0;
  // Rows strictly descending from the top are every row in [lowest, top] (the portal took them
  // contiguously below the list's end); any other order is used only for its top.
  return descending
    ? { top, lowest: previous, rows, ordered: rows.length >= 2, width }
    : { top, rows: [], ordered: false, width };
}

export async function* keysetWindowPages(
  context: ListContext,
  startAfterId: number | undefined,
  parallelism: number,
  snapshot = false,
): AsyncGenerator<Page> {
  const caller = callerIdRange(context.profile, context.params);
  const bounded = startAfterId !== undefined || caller.after !== undefined;
  const floor = bounded ? Math.max(startAfterId ?? 0, caller.after ?? 0) : undefined;
  const stop = new AbortController();
  const signal = context.signal ? AbortSignal.any([context.signal, stop.signal]) : stop.signal;
  const reader = { ...context, signal };
  const sizer = new WindowSizer(context.profile.pageSize);
  const reach = new PageReach(context.profile.pageSize);
  const width = { perRow: 0 };
  try {
    let from = floor ?? 0;
    for (;;) {
      const page = await topPage(context, floor === undefined && from === 0 ? undefined : from);
      if (page === undefined || page.top <= from) return;
      width.perRow = Math.max(width.perRow, page.width);
      const end = Math.min(page.top, caller.upTo ?? page.top);
      // The top page's own rows need no window: windows read only what lies below them.
      const usable = page.lowest !== undefined && page.lowest > from && end === page.top;
      const below = usable ? (page.lowest as number) - 1 : end;
      if (below > from)
        yield* rangePages(reader, { from, end: below, floor }, parallelism, { sizer, reach, width });
      if (usable) yield page.rows.reverse();
      // The caller's own upper bound was reached: nothing can lie beyond it.
      if (caller.upTo !== undefined && end >= caller.upTo) return;
      // Rows added since the top page was read are left to a later read.
      if (snapshot && page.ordered) return;
      from = end;
    }
  } finally {
    stop.abort();
  }
}

/** What the windows of one list learn from each other as they read. */
interface ListShape {
  sizer: WindowSizer;
  reach: PageReach;
  /** Fields per row, the most seen: a window's expected values are its expected rows times this. */
  width: { perRow: number };
}

/** Reads one window downward into `window.pages`; marks it done (with its error, if any). */
async function readWindow(
  context: ListContext,
  window: Window,
  floor: number | undefined,
  shape: ListShape,
): Promise<void> {
  const { sizer, reach } = shape;
  const length = (lowest: number) => {
    const remaining = lowest - 1 - window.after;
    const own = window.upTo + 1 - lowest;
    // This window's own rows so far correct a density learned from windows unlike it.
    const density = own > 0 ? Math.max(sizer.density(), window.rows / own) : sizer.density();
    const expected = remaining * Math.min(1, density);
    // New rows a page brings: fewer than the page size once pages chain below an earlier row.
    const perPage = reach.index + 1;
    return Math.min(
      // Every ID present is the most there can be: the last of those pages reads lo + 1.
      Math.ceil(remaining / perPage),
      Math.ceil(expected / perPage) + 1,
    );
  };
  try {
    for await (const rows of windowPagesDown(context, {
      lo: window.after,
      hi: window.upTo,
      floor,
      length,
      reach,
    })) {
      if (window.abandoned) break;
      const values = pageValues(rows);
      if (rows.length > 0) shape.width.perRow = Math.max(shape.width.perRow, values / rows.length);
      const expected = Math.min(window.reserved, values);
      window.reserved -= expected;
      heldRows.add(values, expected);
      window.values += values;
      window.pages.push({ rows, values });
      window.rows += rows.length;
    }
    sizer.finished(window.rows, window.upTo - window.after);
  } catch (error) {
    window.error = error;
  }
  heldRows.unreserve(window.reserved);
  window.reserved = 0;
  window.done = true;
  window.doneAt = performance.now();
}

/** The pages of (from, end] in ascending order, read by up to `parallelism` windows at once. */
async function* rangePages(
  context: ListContext,
  range: { from: number; end: number; floor: number | undefined },
  parallelism: number,
  shape: ListShape,
): AsyncGenerator<Page> {
  const { profile } = context;
  const { sizer } = shape;
  const { end, floor } = range;
  const readAhead = new ReadAhead(Math.max(1, Math.floor(parallelism)));
  let wake: (() => void) | undefined;
  const changed = () => {
    wake?.();
    wake = undefined;
  };

  const windows: Window[] = [];
  let next = range.from;
  // Past the common bound a list reads its next window only once its caller has taken every row
  // of the last one (`needed`): then one window of the list is in memory at a time.
  const fill = (needed: boolean) => {
    const room = () => !heldRows.full || (needed && windows.length === 0);
    while (next < end && windows.length < readAhead.windows && room()) {
      const upTo = windowTop(next, end, readAhead.slots, sizer, profile.pageSize);
      const ids = upTo - next;
      const reserved = Math.ceil(ids * sizer.density()) * shape.width.perRow;
      heldRows.reserve(reserved);
      const window: Window = {
        after: next,
        upTo,
        pages: [],
        rows: 0,
        values: 0,
        reserved,
        abandoned: false,
        done: false,
        startedAt: performance.now(),
        doneAt: 0,
      };
      next = window.upTo;
      windows.push(window);
      void readWindow(context, window, floor, shape).then(changed);
    }
  };

  fill(true);
  let waited = false;
  let callerMs = 0;
  let head: Window | undefined;
  try {
    while (windows.length > 0) {
      head = windows[0];
      if (!head.done) {
        waited = true;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      if (head.error !== undefined) throw head.error;
      windows.shift();
      readAhead.taken(head.doneAt - head.startedAt, waited, callerMs);
      waited = false;
      fill(false);
      // Read downward, handed on upward: the lowest page first, each page's rows ascending; a page
      // is let go once handed on. The caller's own work on the rows runs while this is suspended.
      const handedOn = performance.now();
      for (let page = head.pages.pop(); page; page = head.pages.pop()) {
        head.values -= page.values;
        heldRows.release(page.values);
        yield page.rows.reverse();
      }
      callerMs = performance.now() - handedOn;
      fill(true);
    }
  } finally {
    letGo(head ? [head, ...windows] : windows);
  }
}

/** An error, an abort or a caller that stopped early: what the windows hold is let go. */
function letGo(windows: readonly Window[]): void {
  for (const window of windows) {
    window.abandoned = true;
    heldRows.release(window.values);
    heldRows.unreserve(window.reserved);
    window.values = 0;
    window.reserved = 0;
    window.pages = [];
  }
}
