/**
 * Bitrix24 dates and datetimes → ISO 8601. Datetimes come with the portal's offset
 * (`2024-09-02T18:37:18+02:00`), sometimes in the portal's display format without one
 * (`24.08.2023 13:19:39`, `2024-08-29 10:30:11`, user.get batch example). They become the same
 * instant in UTC (`2024-09-02T16:37:18Z`). Date fields come as local midnight
 * (`2024-08-30T02:00:00+02:00`): their date is the one written, in the given offset, never the
 * UTC one (which would be the day before).
 */
import { type Converted, isEmptyScalar, NO_FIT } from './scalar-values.js';

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC, or undefined when the text carried no offset. */
  offsetMinutes?: number;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const DOTTED = /^(\d{2})\.(\d{2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const US = /^(\d{2})\/(\d{2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)?)?$/i;

/** Days in a month of 1–12. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Parses "+03:00", "+0300", "+03", "Z" into minutes east of UTC. */
export function offsetMinutesOf(text: string): number | undefined {
  if (text === 'Z' || text === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function valid(c: WallClock): WallClock | undefined {
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > daysInMonth(c.year, c.month)) return undefined;
  if (c.hour > 23 || c.minute > 59 || c.second > 59) return undefined;
  return c;
}

const num = (s: string | undefined): number => (s === undefined ? 0 : Number(s));

/** The two-digit number at `at`, or -1 if those are not two ASCII digits. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `2024-09-02T18:37:18+02:00`, the shape nearly every datetime has, read by position into `into`;
 * the same result the ISO pattern gives, without a regular expression. False for anything else
 * or a field out of its calendar range.
 */
function readOffsetIso(text: string, into: WallClock): boolean {
  if (!hasOffsetIsoSeparators(text)) return false;
  const century = twoDigits(text, 0);
  const yy = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  const offsetHours = twoDigits(text, 20);
  const offsetMins = twoDigits(text, 23);
  if ((century | yy | month | day | hour | minute | second | offsetHours | offsetMins) < 0) return false;
  const offset = offsetHours * 60 + offsetMins;
  into.year = century * 100 + yy;
  into.month = month;
  into.day = day;
  into.hour = hour;
  into.minute = minute;
  into.second = second;
  into.millisecond = 0;
  into.offsetMinutes = text.charCodeAt(19) === 45 ? -offset : offset;
  return valid(into) !== undefined;
}

function parseOffsetIso(text: string): WallClock | undefined {
  const clock: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0 };
  return readOffsetIso(text, clock) ? clock : undefined;
}

/** Reused by `offsetIsoSeconds`, so the common datetime makes no object. */
const scratch: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0 };

/**
 * Seconds since the epoch of the offset-ISO shape, or NaN for anything else, a field out of its
 * calendar range or a year below 100 (Date.UTC reads years 0–99 as 1900–1999).
 */
function offsetIsoSeconds(text: string): number {
  if (!readOffsetIso(text, scratch) || scratch.year < 100) return Number.NaN;
  const c = scratch;
  return (
    Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) / 1000 - (c.offsetMinutes ?? 0) * 60
  );
}

/** Whether `text` has the length and separators of `YYYY-MM-DDTHH:MM:SS±HH:MM` (digits unchecked). */
function hasOffsetIsoSeparators(text: string): boolean {
  const sign = text.charCodeAt(19);
  return (
    text.length === 25 &&
    text.charCodeAt(4) === 45 /* - */ &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 84 /* T */ &&
    text.charCodeAt(13) === 58 /* : */ &&
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(22) === 58 &&
    (sign === 43 /* + */ || sign === 45)
  );
}

function parseWallClock(text: string): WallClock | undefined {
  if (text.length === 25) {
    const c = parseOffsetIso(text);
    if (c) return c;
  }
  let m = ISO.exec(text);
  if (m) {
    const offset = m[8] === undefined ? undefined : offsetMinutesOf(m[8].toUpperCase());
    if (m[8] !== undefined && offset === undefined) return undefined;
    return valid({
      year: num(m[1]),
      month: num(m[2]),
      day: num(m[3]),
      hour: num(m[4]),
      minute: num(m[5]),
      second: num(m[6]),
      millisecond: m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0')),
      offsetMinutes: offset,
    });
  }
  m = DOTTED.exec(text);
  if (m) {
    return valid({
      year: num(m[3]),
      month: num(m[2]),
      day: num(m[1]),
      hour: num(m[4]),
      minute: num(m[5]),
      second: num(m[6]),
      millisecond: 0,
    });
  }
  m = US.exec(text);
  if (m) {
    let hour = num(m[4]);
    const meridiem = m[7]?.toLowerCase();
    if (meridiem !== undefined) {
      if (hour < 1 || hour > 12) return undefined;
      hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
    }
    return valid({
      year: num(m[3]),
      month: num(m[1]),
      day: num(m[2]),
      hour,
      minute: num(m[5]),
      second: num(m[6]),
      millisecond: 0,
    });
  }
  return undefined;
}

/**
 * Whole seconds since the epoch → `YYYY-MM-DDTHH:MM:SSZ`, or NO_FIT outside years 0–9999; the
 * civil date by arithmetic (Howard Hinnant's days_from_civil inverse) instead of a Date object,
 * which makes the common datetime several times cheaper.
 */
function utcText(seconds: number): Converted {
  const days = Math.floor(seconds / 86_400);
  let rest = seconds - days * 86_400;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return NO_FIT;
  const hour = Math.floor(rest / 3600);
  rest -= hour * 3600;
  const minute = Math.floor(rest / 60);
  const second = rest - minute * 60;
  // One flat string, where a template literal made a string per part and a rope to join them.
  const century = Math.floor(year / 100);
  const yy = year % 100;
  // biome-ignore format: the characters of YYYY-MM-DDTHH:MM:SSZ, a field to a line
  return String.fromCharCode(
    tens(century), units(century), tens(yy), units(yy), 45 /* - */,
    tens(month), units(month), 45 /* - */,
    tens(day), units(day), 84 /* T */,
    tens(hour), units(hour), 58 /* : */,
    tens(minute), units(minute), 58 /* : */,
    tens(second), units(second), 90 /* Z */,
  );
}

/** The character code of a two-digit number's first digit. */
const tens = (n: number): number => ZERO + Math.floor(n / 10);
/** The character code of a number's last digit. */
const units = (n: number): number => ZERO + (n % 10);
const ZERO = 48;

/** MySQL's zero date is how an unset date sometimes leaks out. */
const ZERO_DATE = /^0000-00-00(?:[T ]00:00:00)?$|^00\.00\.0000(?: 00:00:00)?$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Any Bitrix24 datetime → RFC 3339 UTC (`…Z`); text without an offset is read in `portalOffsetMinutes`. */
export function toDateTime(value: unknown, portalOffsetMinutes = 0): Converted {
  if (isEmptyScalar(value)) return null;
  if (typeof value !== 'string') return NO_FIT;
  const text = value.trim();
  if (text.length === 25) {
    const seconds = offsetIsoSeconds(text);
    if (!Number.isNaN(seconds)) return utcText(seconds);
  }
  if (ZERO_DATE.test(text)) return null;
  const c = parseWallClock(text);
  if (!c) return NO_FIT;
  const at = new Date(0);
  at.setUTCFullYear(c.year, c.month - 1, c.day);
  at.setUTCHours(c.hour, c.minute, c.second, c.millisecond);
  const instant = new Date(at.getTime() - (c.offsetMinutes ?? portalOffsetMinutes) * 60_000);
  const year = instant.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) return NO_FIT;
  // For years 0–9999 toISOString is exactly `YYYY-MM-DDTHH:MM:SS.mmmZ`; whole seconds drop `.000`.
  const iso = instant.toISOString();
  return instant.getUTCMilliseconds() === 0 ? `${iso.slice(0, 19)}Z` : iso;
}

/** Any Bitrix24 date or local-midnight datetime → `YYYY-MM-DD`, the date as written. */
export function toDate(value: unknown): Converted {
  if (isEmptyScalar(value)) return null;
  if (typeof value !== 'string') return NO_FIT;
  const text = value.trim();
  if (ZERO_DATE.test(text)) return null;
  const c = parseWallClock(text);
  if (!c) return NO_FIT;
  return `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}`;
}
