/**
 * Incremental sync: the bookmark is the largest replication-key value written, capped at the
 * portal's clock at run start, and the next run starts from it minus a look-back. A run reads the
 * window `replication key >= start` in ascending ID order; the bookmark only moves once the window
 * is finished, so a run killed mid-window resumes after the last ID it made durable, in the same
 * window, and loses nothing.
 *
 * State while a window is open:
 *   { replication_key, replication_key_value: <old bookmark>, resume: { window_start, last_id, max_seen } }
 * State once it is finished:
 *   { replication_key, replication_key_value: min(max_seen, runStartedAt) }
 */
import { StateError } from '../state-error.js';
import type { ReadContext, StreamState } from '../stream.js';

export interface Window {
  replicationKey: string;
  /** Lower bound (inclusive) of the replication key; null reads everything. */
  start: string | null;
  /** Resume a keyset read after this ID (inside the same window). */
  startAfterId?: number;
  /** The bookmark the window started from; kept in state until the window is finished. */
  previousBookmark?: string;
  /** Largest replication-key value seen so far in this window (survives a resume). */
  maxSeen: string | null;
}

/** Bitrix filters accept ISO 8601; seconds precision and an explicit offset parse everywhere. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}

export function timeOf(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new StateError('stream state', `not a date-time: ${JSON.stringify(value)}`);
  return ms;
}

export function openWindow(ctx: ReadContext, replicationKey: string): Window {
  const prior = ctx.state?.replication_key === replicationKey ? ctx.state : undefined;
  const previousBookmark =
    typeof prior?.replication_key_value === 'string' ? prior.replication_key_value : undefined;
  const resume = prior?.resume;
  if (resume && 'window_start' in resume && resume.last_id !== undefined && resume.last_id !== null) {
    const start = resume.window_start;
    return {
      replicationKey,
      start: typeof start === 'string' ? start : null,
      startAfterId: Number(resume.last_id),
      previousBookmark,
      maxSeen: typeof resume.max_seen === 'string' ? resume.max_seen : null,
    };
  }
  let start: string | null = null;
  if (previousBookmark) start = isoSeconds(timeOf(previousBookmark) - ctx.options.lookback_seconds * 1000);
  else if (ctx.options.start_date) start = isoSeconds(timeOf(ctx.options.start_date));
  return { replicationKey, start, previousBookmark, maxSeen: null };
}

/** Folds the replication-key values of a page into the window's maximum. */
export function observe(window: Window, records: readonly Record<string, unknown>[]): void {
  let best = window.maxSeen === null ? Number.NEGATIVE_INFINITY : Date.parse(window.maxSeen);
  for (const record of records) {
    const value = record[window.replicationKey];
    if (typeof value !== 'string' || value === '') continue;
    const ms = Date.parse(value);
    if (!Number.isNaN(ms) && ms > best) {
      best = ms;
      window.maxSeen = value;
    }
  }
}

export function openWindowState(window: Window, lastId: number): StreamState {
  const state: StreamState = { replication_key: window.replicationKey };
  if (window.previousBookmark !== undefined) state.replication_key_value = window.previousBookmark;
  state.resume = { window_start: window.start, last_id: lastId, max_seen: window.maxSeen };
  return state;
}

export function finishedWindowState(window: Window, runStartedAt: string): StreamState {
  const state: StreamState = { replication_key: window.replicationKey };
  let value = window.previousBookmark;
  if (window.maxSeen !== null) {
    // The cap keeps rows committed after the run began inside the next window.
    value = timeOf(window.maxSeen) > timeOf(runStartedAt) ? runStartedAt : window.maxSeen;
    // A window re-read from behind the old bookmark must not move the bookmark backwards.
    if (window.previousBookmark !== undefined && timeOf(window.previousBookmark) > timeOf(value)) {
      value = window.previousBookmark;
    }
  }
  if (value !== undefined) state.replication_key_value = value;
  return state;
}
