/**
 * Which load mode a stream runs in this time, and so which state it reads from, commits with each
 * batch and commits at the finish:
 * - upsert (INCREMENTAL): the stream gets its saved state (bookmark and any `resume`) and each
 *   batch's state is committed with the batch.
 * - replace (FULL_TABLE, or `replace` for `--full`): staging rows do not survive a crash, so the
 *   stream reads from scratch (it gets no state) and the saved state is left untouched until
 *   `finish` swaps the table in. An incremental stream read this way keeps its method, so it
 *   ends with a proper bookmark.
 * - full_scan (additional full sync): same reasoning; the stream gets no state and re-reads every
 *   row whole, so rows are refreshed and the destination marks unseen keys deleted at `finish`.
 *   One read serves both purposes, which costs fewer requests than a keys-only scan followed by
 *   an incremental read.
 */
import type { LoadMode } from '../destinations/destination.js';
import type { ReplicationMethod, StreamState } from '../streams/stream.js';
import { fullScanDue, LAST_FULL_SCAN_KEY, readsWhole } from './full-sync-cadence.js';
import type { StreamSelection } from './sync-shapes.js';

export function loadModeFor(
  selection: StreamSelection,
  saved: StreamState | undefined,
  fullSyncEveryDays: number,
  runStartedAt: string,
): LoadMode {
  if (selection.replicationMethod === 'FULL_TABLE' || selection.replace) return 'replace';
  if (selection.fullScan || fullScanDue(saved, fullSyncEveryDays, runStartedAt)) return 'full_scan';
  return 'upsert';
}

export class StreamBookmark {
  /** Does this run read the stream whole (so, for an incremental stream, it counts as a full sync)? */
  readonly whole: boolean;

  constructor(
    readonly mode: LoadMode,
    private readonly saved: StreamState | undefined,
    private readonly replicationMethod: ReplicationMethod,
    private readonly runStartedAt: string,
  ) {
    this.whole = mode !== 'upsert' || readsWhole(saved);
  }

  /** The state the stream reads from: only an upsert resumes; the others read from scratch. */
  get readState(): StreamState | undefined {
    return this.mode === 'upsert' ? this.saved : undefined;
  }

  /** The state before any page: what the finish commits when the stream brings none. */
  get initial(): StreamState {
    return this.saved ?? {};
  }

  /**
   * The state committed with a batch whose last page had `page`. In replace and full_scan modes
   * nothing durable happens before `finish`, so the saved state is what stays true (a crash
   * restarts the whole read).
   */
  batchState(page: StreamState): StreamState {
    return this.mode === 'upsert' ? keepCadence(page, this.saved) : withoutResume(this.saved);
  }

  /** The state committed at the finish, after the last page `last`: no resume, and the cadence. */
  finalState(last: StreamState): StreamState {
    const state: StreamState = {
      ...withoutResume(this.mode === 'upsert' ? keepCadence(last, this.saved) : last),
    };
    if (this.whole && this.replicationMethod === 'INCREMENTAL') state[LAST_FULL_SCAN_KEY] = this.runStartedAt;
    return state;
  }
}

function withoutResume(state: StreamState | undefined): StreamState {
  const { resume: _resume, ...rest } = state ?? {};
  return rest;
}

/** Keeps the engine's own keys (the full-sync cadence) that a stream's state does not carry. */
function keepCadence(state: StreamState, saved: StreamState | undefined): StreamState {
  const last = saved?.[LAST_FULL_SCAN_KEY];
  return last !== undefined && state[LAST_FULL_SCAN_KEY] === undefined
    ? { ...state, [LAST_FULL_SCAN_KEY]: last }
    : state;
}
