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

/**
 * The stages a record went through: index 0 at creation, then 0–3 forward moves; a record may
 * end in the success or failure stage (the last two of `stageCount`).
 */
export function stagePath(seed: number, stream: number, id: number, stageCount: number): number[] {
  const h = hash32(seed, stream, id, 7);
  const moves = h % 4;
  const lastProcess = stageCount - 3;
  const path = [0];
  for (let k = 1; k <= moves; k++) path.push(Math.min(k, lastProcess));
  const ending = (h >>> 8) % 10;
  if (moves > 0 && ending < 3) path[path.length - 1] = stageCount - 2;
  else if (moves > 0 && ending < 5) path[path.length - 1] = stageCount - 1;
  return path;
}
