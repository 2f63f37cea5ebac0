/**
 * The success envelope (`result`, `total`, `next`, `time`) and the `time` object (`start`,
 * `finish`, `duration`, `processing`, `date_start`, `date_finish`, `operating`,
 * `operating_reset_at`). Dates are written in the portal's timezone, fixed at +03:00 (the offset of
 * the docs' examples).
 */

export const PORTAL_UTC_OFFSET_MINUTES = 180;

/** ISO 8601 in the portal's offset, e.g. `2024-08-29T10:34:19+03:00`. */
export function portalDate(ms: number): string {
  const shifted = new Date(Math.floor(ms / 1000) * 1000 + PORTAL_UTC_OFFSET_MINUTES * 60_000);
  const sign = PORTAL_UTC_OFFSET_MINUTES >= 0 ? '+' : '-';
  const abs = Math.abs(PORTAL_UTC_OFFSET_MINUTES);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${shifted.toISOString().slice(0, 19)}${offset}`;
}

export interface TimeObject {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
  operating_reset_at: number;
  operating: number;
}

/** Builds a `time` object from emulated ms timestamps and the method's operating state. */
export function timeObject(
  startMs: number,
  finishMs: number,
  processingSeconds: number,
  operating: { operating: number; resetAt: number },
): TimeObject {
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration: (finishMs - startMs) / 1000,
    processing: processingSeconds,
    date_start: portalDate(startMs),
    date_finish: portalDate(finishMs),
    operating_reset_at: operating.resetAt,
    operating: operating.operating,
  };
}

export interface SuccessEnvelope {
  result: unknown;
  total?: number;
  next?: number;
  time: TimeObject;
}

export function successEnvelope(
  result: unknown,
  total: number | undefined,
  next: number | undefined,
  time: TimeObject,
): SuccessEnvelope {
  // Built in the documented key order: result, total, next, time.
  const envelope: Partial<SuccessEnvelope> = { result };
  if (total !== undefined) envelope.total = total;
  if (next !== undefined) envelope.next = next;
  envelope.time = time;
  return envelope as SuccessEnvelope;
}

/**
 * PHP serialises an empty array as `[]` and a list keyed 0..n-1 as a JSON array; batch members
 * follow that rule (the docs' batch examples show empty members as `[]`, not `{}`).
 */
export function phpArray(map: Map<string, unknown>): unknown {
  if (map.size === 0) return [];
  let i = 0;
  let sequential = true;
  for (const key of map.keys()) {
    if (key !== String(i++)) {
      sequential = false;
      break;
    }
  }
  return sequential ? [...map.values()] : Object.fromEntries(map);
}
