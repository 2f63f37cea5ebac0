/**
 * Creation and modification instants of generated rows. Rows are created in id order over the
 * last three years; some are never edited, others later; a tenth of the 100-row blocks were
 * touched by one import (block 1 always), so they share a single DATE_MODIFY second (the tie case incremental
 * syncs must survive).
 */
import { hash32 } from './random.js';

const YEAR_MS = 365 * 86400000;

export interface Timeline {
  created: Float64Array;
  modified: Float64Array;
}

export function buildTimeline(seed: number, stream: number, n: number, now: number): Timeline {
  const created = new Float64Array(n);
  const modified = new Float64Array(n);
  const start = now - 3 * YEAR_MS;
  const span = now - start - 3600000;
  const u = (i: number, slot: number) => hash32(seed, stream, i, slot) / 4294967296;
  for (let i = 0; i < n; i++) {
    const c = Math.floor((start + (span * (i + u(i, 0))) / n) / 1000) * 1000;
    created[i] = c;
    const r = u(i, 1);
    modified[i] = r < 0.4 ? c : Math.floor((c + (now - 1000 - c) * u(i, 2) ** 2) / 1000) * 1000;
  }
  const BLOCK = 100;
  for (let b = 0; b * BLOCK < n; b++) {
    // Block 1 is always an import burst, so even small portals have the tie case.
    if (b !== 1 && hash32(seed, stream, b, 99) / 4294967296 >= 0.1) continue;
    const lo = b * BLOCK;
    const hi = Math.min(n, lo + BLOCK);
    let latest = 0;
    for (let i = lo; i < hi; i++) latest = Math.max(latest, created[i]);
    const second = Math.floor((latest + (now - 1000 - latest) * u(b, 98)) / 1000) * 1000;
    for (let i = lo; i < hi; i++) modified[i] = second;
  }
  return { created, modified };
}

/** A stage move is a day's work at least: a record edited within a day of creation moved at most once a day. */
const MIN_MOVE_GAP_MS = 86400000;

/**
 * The stages a record went through: index 0 at creation, then 0–3 forward moves; a record may
 * end in the success or failure stage (the last two of `stageCount`). A record never edited
 * after its creation never moved: moves are edits, so they fit between creation and last edit.
 */
export function stagePath(
  seed: number,
  stream: number,
  id: number,
  stageCount: number,
  created: number,
  modified: number,
): number[] {
  const h = hash32(seed, stream, id, 7);
  const moves = Math.min(h % 4, Math.floor((modified - created) / MIN_MOVE_GAP_MS));
  const lastProcess = stageCount - 3;
  const path = [0];
  // Each move goes one stage forward, to the last in-progress stage at most.
  for (let k = 1; k <= moves && k <= lastProcess; k++) path.push(k);
  const ending = (h >>> 8) % 10;
  if (moves > 0 && ending < 3) path[path.length - 1] = stageCount - 2;
  else if (moves > 0 && ending < 5) path[path.length - 1] = stageCount - 1;
  return path;
}

/**
 * When each entry of a stage path happened: creation first, then move k somewhere in the later
 * three quarters of the k-th equal share of (created, modified], so moves are hours to weeks apart
 * and the last one is no later than the record's last edit.
 */
export function stageTimes(
  seed: number,
  stream: number,
  id: number,
  pathLength: number,
  created: number,
  modified: number,
): number[] {
  const times = [created];
  const moves = pathLength - 1;
  const share = (modified - created) / Math.max(1, moves);
  for (let k = 1; k <= moves; k++) {
    const u = hash32(seed, stream, id, 20 + k) / 4294967296;
    times.push(Math.floor((created + share * (k - 0.75 + 0.75 * u)) / 1000) * 1000);
  }
  return times;
}
