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
import { CHAIN_LENGTH, PageReach, windowPagesDown } from './chained-keyset.js';
import type { ListContext } from './engine.js';
import { callerIdRange, rowId, rowsOf, topPageParams } from './method-profiles.js';

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
  /** The window's pages as read: descending. */
  pages: Page[];
  rows: number;
  done: boolean;
  error?: unknown;
  startedAt: number;
  doneAt: number;
}

/**
 * How many windows are read at once: all the slots while the caller waits for rows (the portal is
 * the bottleneck), fewer while the caller takes longer over a window's rows than a window takes
 * to read (the caller is, e.g. a database write): each finished window waiting for it holds about
 * a batch of rows (~12 MB of heap for 2,500 deals of ~60 fields), so reading further ahead only
 * held memory.
 */
class ReadAhead {
  private wanted: number;

  constructor(readonly slots: number) {
    this.wanted = slots;
  }

  get windows(): number {
    return this.wanted;
  }

  /**
   * The caller took a finished window: `callerWaited` when it had to wait for it, `callerMs` the
   * time it spent over the previous window's rows.
   */
  taken(window: Window, callerWaited: boolean, callerMs: number): void {
    if (callerWaited) this.wanted = Math.min(this.slots, this.wanted + 1);
    else if (callerMs > window.doneAt - window.startedAt) this.wanted = Math.max(1, this.wanted - 1);
  }
}

/** The list's top page above `after`: its rows when they came back in descending order. */
interface TopPage {
  top: number;
  /** The lowest ID of the page when its rows are usable, i.e. strictly descending. */
  lowest?: number;
  /** Two or more rows, IDs descending: the portal honoured the order, so `top` is the list's end. */
  ordered: boolean;
  rows: Page;
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
  // Rows strictly descending from the top are every row in [lowest, top] (the portal took them
  // contiguously below the list's end); any other order is used only for its top.
  return descending
    ? { top, lowest: previous, rows, ordered: rows.length >= 2 }
    : { top, rows: [], ordered: false };
}

/** Sizes windows by the row density of the finished ones. */
class WindowSizer {
  private seenRows = 0;
  private seenIds = 0;
  private lastSize = 0;
  /** Rows a window aims at: one batch (a dense window's last page ends at its bottom ID). */
  private readonly batchRows: number;

  constructor(private readonly pageSize: number) {
    this.batchRows = pageSize * CHAIN_LENGTH;
  }

  /** Rows per ID of the finished windows; 1 (the most there can be) before any finished. */
  density(): number {
    return this.seenIds > 0 ? Math.min(1, this.seenRows / this.seenIds) : 1;
  }

  finished(rows: number, ids: number): void {
    this.seenRows += rows;
    this.seenIds += ids;
  }

  next(): number {
    let size = this.batchRows;
    if (this.seenIds > 0) {
      const d = this.density();
      size = d > 0 ? this.batchRows / d : MAX_WINDOW_IDS;
      size = Math.min(size, this.lastSize * MAX_GROWTH, MAX_WINDOW_IDS);
    }
    this.lastSize = Math.max(this.pageSize, Math.round(size));
    return this.lastSize;
  }
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
  try {
    let from = floor ?? 0;
    for (;;) {
      const page = await topPage(context, floor === undefined && from === 0 ? undefined : from);
      if (page === undefined || page.top <= from) return;
      const end = Math.min(page.top, caller.upTo ?? page.top);
      // The top page's own rows need no window: windows read only what lies below them.
      const usable = page.lowest !== undefined && page.lowest > from && end === page.top;
      const below = usable ? (page.lowest as number) - 1 : end;
      if (below > from) yield* rangePages(reader, { from, end: below, floor }, parallelism, sizer, reach);
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

/** Reads one window downward into `window.pages`; marks it done (with its error, if any). */
async function readWindow(
  context: ListContext,
  window: Window,
  floor: number | undefined,
  sizer: WindowSizer,
  reach: PageReach,
): Promise<void> {
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
      window.pages.push(rows);
      window.rows += rows.length;
    }
    sizer.finished(window.rows, window.upTo - window.after);
  } catch (error) {
    window.error = error;
  }
  window.done = true;
  window.doneAt = performance.now();
}

/** The top of the window that starts after `next`, below the range's `end`. */
function windowTop(next: number, end: number, slots: number, sizer: WindowSizer, pageSize: number): number {
  // What is left is shared among the free slots, so even a list of one batch of rows is read by
  // several windows at once; a window is never smaller than a few pages.
  const share = Math.max(MIN_WINDOW_PAGES * pageSize, Math.ceil((end - next) / slots));
  const wanted = Math.min(end, next + Math.min(sizer.next(), share));
  // Window tops lie a whole number of pages below `end`: in a list without gaps every page of a
  // window is then full and its last one ends exactly at its bottom, reading no row of the window
  // below (the lowest window ends at the list's first row, where nothing is below).
  return end - Math.floor((end - wanted) / pageSize) * pageSize;
}

/** The pages of (from, end] in ascending order, read by up to `parallelism` windows at once. */
async function* rangePages(
  context: ListContext,
  range: { from: number; end: number; floor: number | undefined },
  parallelism: number,
  sizer: WindowSizer,
  reach: PageReach,
): AsyncGenerator<Page> {
  const { profile } = context;
  const { end, floor } = range;
  const readAhead = new ReadAhead(Math.max(1, Math.floor(parallelism)));
  let wake: (() => void) | undefined;
  const changed = () => {
    wake?.();
    wake = undefined;
  };

  const windows: Window[] = [];
  let next = range.from;
  const fill = () => {
    while (next < end && windows.length < readAhead.windows) {
      const window: Window = {
        after: next,
        upTo: windowTop(next, end, readAhead.slots, sizer, profile.pageSize),
        pages: [],
        rows: 0,
        done: false,
        startedAt: performance.now(),
        doneAt: 0,
      };
      next = window.upTo;
      windows.push(window);
      void readWindow(context, window, floor, sizer, reach).then(changed);
    }
  };

  fill();
  let waited = false;
  let callerMs = 0;
  while (windows.length > 0) {
    const head = windows[0];
    if (!head.done) {
      waited = true;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      continue;
    }
    if (head.error !== undefined) throw head.error;
    windows.shift();
    readAhead.taken(head, waited, callerMs);
    waited = false;
    fill();
    // Read downward, handed on upward: the lowest page first, each page's rows ascending; a page
    // is let go once handed on. The caller's own work on the rows runs while this is suspended.
    const handedOn = performance.now();
    for (let page = head.pages.pop(); page; page = head.pages.pop()) yield page.reverse();
    callerMs = performance.now() - handedOn;
  }
}
