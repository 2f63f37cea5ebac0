/**
 * Turns a record's JS value into the canonical text the database casts into the column's type.
 * Rows are staged as text (DuckDB appender / Postgres COPY) and cast in one SQL statement, so this
 * function is what guarantees that cast succeeds: a value that cannot be represented in the
 * column's kind (e.g. "abc" for a BIGINT, Bitrix's empty string for a date) becomes NULL and is
 * counted, instead of failing the whole page.
 */
import type { ColumnKind } from './columns.js';

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/** NUL cannot be stored in Postgres text or jsonb; it is dropped in both databases alike. */
function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

function bigintText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : null;
  if (typeof value === 'bigint') return value >= int64Min && value <= int64Max ? value.toString() : null;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!/^[-+]?\d+$/.test(text)) return null;
    const parsed = BigInt(text);
    return parsed >= int64Min && parsed <= int64Max ? parsed.toString() : null;
  }
  if (typeof value === 'boolean') return value ? '1' : '0';
  return null;
}

function doubleText(value: unknown): string | null {
  const parsed =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value.trim())
        : typeof value === 'bigint'
          ? Number(value)
          : Number.NaN;
  return Number.isFinite(parsed) ? String(parsed) : null;
}

function booleanText(value: unknown): string | null {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return value === 1 ? 'true' : value === 0 ? 'false' : null;
  if (typeof value === 'string') {
    // Bitrix24 writes booleans as "Y"/"N".
    const text = value.trim().toLowerCase();
    if (text === 'y' || text === 'true' || text === '1') return 'true';
    if (text === 'n' || text === 'false' || text === '0') return 'false';
  }
  return null;
}

function instantOf(value: unknown): Date | null {
  const date =
    value instanceof Date ? value : typeof value === 'string' && value.trim() !== '' ? new Date(value) : null;
  if (date === null || Number.isNaN(date.getTime())) return null;
  const year = date.getUTCFullYear();
  return year >= 1 && year <= 9999 ? date : null;
}

function timestampText(value: unknown): string | null {
  return instantOf(value)?.toISOString() ?? null;
}

function dateText(value: unknown): string | null {
  if (typeof value === 'string') {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
    if (!match) return null;
    const [, y, m, d] = match;
    const check = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    const valid = check.getUTCMonth() === Number(m) - 1 && check.getUTCDate() === Number(d) && Number(y) >= 1;
    return valid ? `${y}-${m}-${d}` : null;
  }
  return instantOf(value)?.toISOString().slice(0, 10) ?? null;
}

function jsonText(value: unknown): string | null {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return text === undefined ? null : withoutNul(text);
}

function plainText(value: unknown): string | null {
  if (typeof value === 'string') return withoutNul(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return jsonText(value);
}

const converters: Record<ColumnKind, (value: unknown) => string | null> = {
  bigint: bigintText,
  double: doubleText,
  boolean: booleanText,
  timestamptz: timestampText,
  date: dateText,
  json: jsonText,
  text: plainText,
};

/**
 * The function giving the text form of a value for a column of `kind`: `null` for SQL NULL,
 * including a present value that does not fit the kind (see `isInvalid`).
 */
export function columnTextOf(kind: ColumnKind): (value: unknown) => string | null {
  return converters[kind];
}

/**
 * Whether a value converted to NULL was dropped for not fitting its kind. An empty string is how
 * Bitrix24 says "no value" for dates and numbers, so that is not counted.
 */
export function isInvalid(value: unknown): boolean {
  return value !== null && value !== undefined && !(typeof value === 'string' && value.trim() === '');
}

/** The text form of `value` for a column of `kind`, and whether a present value was dropped. */
export function columnText(kind: ColumnKind, value: unknown): { text: string | null; invalid: boolean } {
  if (value === null || value === undefined) return { text: null, invalid: false };
  const text = converters[kind](value);
  return { text, invalid: text === null && isInvalid(value) };
}
