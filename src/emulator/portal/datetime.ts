/** The emulated portal lives at +03:00; every datetime it returns carries that offset. */
export const PORTAL_OFFSET = '+03:00';
const OFFSET_MS = 3 * 3600 * 1000;

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DDTHH:MM:SS+03:00` for an instant in ms. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms + OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${PORTAL_OFFSET}`;
}

/** Date-typed fields come back as local midnight datetimes (crm.deal.get BEGINDATE). */
export function formatLocalMidnight(ms: number): string {
  const local = ms + OFFSET_MS;
  return formatDateTime(local - (local % 86400000) - OFFSET_MS);
}

/** `YYYY-MM-DD` in portal time (productrows DATE_RESERVE_END). */
export function formatDate(ms: number): string {
  return formatDateTime(ms).slice(0, 10);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses ISO datetimes with or without offset and bare dates (portal time when no offset); NaN otherwise. */
export function parseDateTime(text: string): number {
  const m = ISO.exec(text.trim());
  if (!m) return Number.NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', off] = m;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  if (!off) return utc - OFFSET_MS;
  if (off === 'Z') return utc;
  const sign = off[0] === '-' ? -1 : 1;
  const digits = off.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 3600000 + Number(digits.slice(2)) * 60000);
}
