/**
 * The one read loop every stream uses. A stream supplies a page source (how to fetch rows for a
 * range: a list method, or per-parent calls); this loop picks the range from the sync mode and
 * state, types the rows, and attaches the state that is true once each page is durable.
 */
import type { BatchCommand } from '../../client/index.js';
import type { ReadContext, RecordPage, StreamState } from '../stream.js';
import { finishedWindowState, observe, openWindow, openWindowState, type Window } from './bookmark-window.js';
import type { RecordTyper } from './typed-records.js';

export interface ReadRange {
  /** Inclusive lower bound on a replication key (an incremental window). */
  lowerBound?: { field: string; value: string };
  /** Keyset resume point. */
  startAfterId?: number;
  /** Only the key properties are needed (an additional full sync's ID scan). */
  keysOnly: boolean;
}

export interface SourcePage {
  /** Raw rows as the portal returned them. */
  records: Record<string, unknown>[];
  /** The keyset position after this page (the largest ID read, or the parent's ID). */
  lastId?: number;
}

export type PageSource = ((range: ReadRange, ctx: ReadContext) => AsyncIterable<SourcePage>) & {
  /**
   * The one request whose answer's `total` is how many rows this source reads for `range` (a list
   * method asked for its first page); absent where no such request exists (per-parent calls,
   * `*.fields`, getters that answer no `total`).
   */
  count?: (range: ReadRange, ctx: ReadContext) => BatchCommand;
};

export interface KeyedReadSpec {
  source: PageSource;
  typer: RecordTyper;
  /** The declaration's default replication key; the catalog's choice wins. */
  replicationKey?: string;
}

export async function* keyedRead(spec: KeyedReadSpec, ctx: ReadContext): AsyncIterable<RecordPage> {
  const replicationKey = ctx.replicationKey ?? spec.replicationKey;
  const incremental = ctx.replicationMethod === 'INCREMENTAL' && replicationKey !== undefined;
  let window: Window | undefined;
  let range: ReadRange;
  if (ctx.fullScan) {
    range = { keysOnly: ctx.fullScan.keysOnly };
    // Seen keys are the point of a full scan, so it cannot resume half-way: restart it whole.
    if (incremental && !ctx.fullScan.keysOnly)
      window = { ...openWindow({ ...ctx, state: withoutResume(ctx.state) }, replicationKey), start: null };
  } else if (incremental) {
    window = openWindow(ctx, replicationKey);
    range = { keysOnly: false, startAfterId: window.startAfterId };
    if (window.start !== null) range.lowerBound = { field: replicationKey, value: window.start };
  } else {
    range = { keysOnly: false };
  }

  const stateAfter = (page: SourcePage | undefined, last: boolean): StreamState => {
    if (ctx.fullScan) {
      if (last && window) return finishedWindowState(window, ctx.runStartedAt);
      return withoutResume(ctx.state) ?? {};
    }
    if (!window) return {};
    if (last) return finishedWindowState(window, ctx.runStartedAt);
    if (page?.lastId !== undefined) window.startAfterId = page.lastId;
    return openWindowState(window, window.startAfterId ?? 0);
  };

  const iterator = spec.source(range, ctx)[Symbol.asyncIterator]();
  // One page of look-ahead, so the last page carries the finished state instead of an extra empty page.
  let held: SourcePage | undefined;
  let typed: Record<string, unknown>[] = [];
  const shape = spec.typer.shapeFor(ctx.selectedProperties);
  try {
    for (;;) {
      const next = await iterator.next();
      if (held) {
        const state = stateAfter(held, next.done === true);
        yield { records: typed, state };
      }
      if (next.done) break;
      typed = next.value.records.map((raw) => shape.normalize(raw));
      // Only the position is needed from here on: the raw rows can go while the page waits.
      held = { records: [], ...(next.value.lastId !== undefined ? { lastId: next.value.lastId } : {}) };
      if (window) observe(window, typed);
    }
    if (!held) yield { records: [], state: stateAfter(undefined, true) };
  } finally {
    await iterator.return?.();
    spec.typer.reportMismatches(shape, ctx.logger);
  }
}

function withoutResume(state: StreamState | undefined): StreamState | undefined {
  if (!state) return undefined;
  const { resume: _resume, ...rest } = state;
  return rest;
}
