/**
 * The additional full sync: every `full_sync_every_days` an incremental stream is read whole so
 * that records deleted in the portal get `_sdc_deleted_at`. When the last whole read happened is
 * kept in the stream's own state, next to its bookmark, so it commits with the rows like the rest
 * of the state.
 */
import type { StreamState } from '../streams/stream.js';

export const LAST_FULL_SCAN_KEY = 'last_full_scan_at';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Is an additional full sync due? Never when the cadence is 0, and never on a stream's first run
 * (with no bookmark the incremental read is whole anyway). A stream that has a bookmark but no
 * record of a whole read (the cadence was just turned on) is due.
 */
export function fullScanDue(
  state: StreamState | undefined,
  everyDays: number,
  runStartedAt: string,
): boolean {
  if (!(everyDays > 0)) return false;
  if (state?.replication_key_value === undefined) return false;
  const last = state[LAST_FULL_SCAN_KEY];
  if (typeof last !== 'string' || Number.isNaN(Date.parse(last))) return true;
  return Date.parse(runStartedAt) - Date.parse(last) >= everyDays * DAY_MS;
}

/** Was this incremental read whole (from no bookmark), so it counts as a full sync? */
export function readsWhole(state: StreamState | undefined): boolean {
  return state?.replication_key_value === undefined;
}
