/** The emulated portal lives at +03:00; every datetime it returns carries that offset. */
export const PORTAL_OFFSET = '+03:00';
const OFFSET_MS = 3 * 3600 * 1000;

const pad = (n: number) => String(n).padStart(2, '0');

const DAY_MS = 86400000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => pad(i));
/** `YYYY-MM-DDT` by local day number: rows carry many datetimes over a few hundred days. */
const dayPrefixes = new Map<number, string>();

function slowDateTime(local: number): string {
  const d = new Date(local);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${PORTAL_OFFSET}`;
}

/** `YYYY-MM-DDTHH:MM:SS+03:00` for an instant in ms. */
export function formatDateTime(ms: number): string {
  // Truncated like Date's own time clip, so the fast path gives the same text as slowDateTime.
  const local = Math.trunc(ms + OFFSET_MS);
  if (!(Math.abs(local) <= 8.64e15)) return slowDateTime(local);
  const day = Math.floor(local / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size > 20000) dayPrefixes.clear();
    const d = new Date(day * DAY_MS);
    prefix = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T`;
    dayPrefixes.set(day, prefix);
  }
  const secs = Math.floor((local - day * DAY_MS) / 1000);
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  return `${prefix}${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[secs % 60]}${PORTAL_OFFSET}`;
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
