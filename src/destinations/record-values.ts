/**
 * Turns a record's JS value into the typed value its column is staged with, in one step (no text
 * round trip): DuckDB copies these straight into typed vectors, Postgres formats them for COPY
 * (`stagedText`). This is what guarantees the load's cast succeeds: a value that cannot be
 * represented in the column's kind (e.g. "abc" for a BIGINT, Bitrix's empty string for a date)
 * becomes NULL and is counted, instead of failing the whole page.
 *
 * Staged forms by kind: bigint → integer `number` (safe) or `bigint`; double → finite `number`;
 * boolean → `boolean`; timestamptz → epoch milliseconds (`number`, years 1–9999); date → epoch
 * days (`number`); text and json → `string` (JSON text for json), without NUL characters.
 */
import type { ColumnKind } from './columns.js';
import { compilePageReader, type PageReader, type StagedValue } from './compiled-page.js';

export type { StagedValue } from './compiled-page.js';

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
/** Epoch milliseconds of 0001-01-01 and of the last millisecond of 9999: what both databases hold. */
const minInstantMs = -62_135_596_800_000;
const maxInstantMs = 253_402_300_799_999;
const dayMs = 86_400_000;

/** NUL cannot be stored in Postgres text or jsonb; it is dropped in both databases alike. */
function withoutNul(text: string): string {
  return text.indexOf('\u0000') === -1 ? text : text.replaceAll('\u0000', '');
}

function bigintValue(value: unknown): number | bigint | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value === 'string') {
    const text = value.trim();
    // Short digit strings are exact as numbers; longer ones go through BigInt for the range check.
    if (/^[-+]?\d{1,15}$/.test(text)) return Number(text);
    if (!/^[-+]?\d+$/.test(text)) return null;
    const parsed = BigInt(text);
    return parsed >= int64Min && parsed <= int64Max ? parsed : null;
  }
  if (typeof value === 'bigint') return value >= int64Min && value <= int64Max ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

function doubleValue(value: unknown): number | null {
  const parsed =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value.trim())
        : typeof value === 'bigint'
          ? Number(value)
          : Number.NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

function booleanValue(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
  if (typeof value === 'string') {
    // Bitrix24 writes booleans as "Y"/"N".
    if (value === 'Y') return true;
    if (value === 'N') return false;
    const text = value.trim().toLowerCase();
    if (text === 'y' || text === 'true' || text === '1') return true;
    if (text === 'n' || text === 'false' || text === '0') return false;
  }
  return null;
}

/** The two-digit number at `at`, or -1 if those are not two ASCII digits. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Epoch ms of `YYYY-MM-DDTHH:MM:SSZ`, the form normalised datetimes have, read by position; NaN
 * for anything else or any field out of its calendar range (Date.parse then decides, so results
 * are the same as Date.parse's wherever this answers).
 */
function utcSecondsText(text: string): number {
  if (
    text.length !== 20 ||
    text.charCodeAt(4) !== 45 /* - */ ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 /* T */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 90 /* Z */
  )
    return Number.NaN;
  const century = twoDigits(text, 0);
  const yearOfCentury = twoDigits(text, 2);
  const year = century * 100 + yearOfCentury;
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  // Date.UTC reads years 0–99 as 1900–1999; those, like any odd field, are left to Date.parse.
  if (century < 0 || yearOfCentury < 0 || year < 100 || day < 1 || day > daysInMonth(year, month))
    return Number.NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** Days in a month, 0 for a month that is not 1–12. */
function daysInMonth(year: number, month: number): number {
  if (month < 1 || month > 12) return 0;
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function instantMs(value: unknown): number | null {
  const ms =
    typeof value === 'string'
      ? value.trim() === ''
        ? Number.NaN
        : fastOrParsed(value)
      : value instanceof Date
        ? value.getTime()
        : Number.NaN;
  return ms >= minInstantMs && ms <= maxInstantMs ? ms : null;
}

function fastOrParsed(text: string): number {
  const ms = utcSecondsText(text);
  return Number.isNaN(ms) ? Date.parse(text) : ms;
}

function dateDays(value: unknown): number | null {
  if (typeof value === 'string') {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
    if (!match) return null;
    const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
    // setUTCFullYear, unlike Date.UTC, takes years 0–99 literally.
    const check = new Date(0);
    const ms = check.setUTCFullYear(year, month, day);
    const valid = check.getUTCMonth() === month && check.getUTCDate() === day && year >= 1;
    return valid ? ms / dayMs : null;
  }
  const ms = instantMs(value);
  return ms === null ? null : Math.floor(ms / dayMs);
}

function jsonValue(value: unknown): string | null {
  // Most multifields (PHONE, EMAIL, WEB, IM) are empty.
  if (Array.isArray(value) && value.length === 0) return '[]';
  let text: string | undefined;
  try {
    // The replacer-free call is several times faster; bigints are rare enough to retry for.
    text = JSON.stringify(value);
  } catch {
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return text === undefined ? null : withoutNul(text);
}

function textValue(value: unknown): string | null {
  if (typeof value === 'string') return withoutNul(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return jsonValue(value);
}

const converters: Record<ColumnKind, (value: unknown) => StagedValue> = {
  bigint: bigintValue,
  double: doubleValue,
  boolean: booleanValue,
  timestamptz: instantMs,
  date: dateDays,
  json: jsonValue,
  text: textValue,
};

/**
 * The function giving the staged value of a record value for a column of `kind`: `null` for SQL
 * NULL, including a present value that does not fit the kind (see `isInvalid`). Call it only for
 * values that are neither null nor undefined.
 */
export function stagedValueOf(kind: ColumnKind): (value: unknown) => StagedValue {
  return converters[kind];
}

/**
 * Whether a value converted to NULL was dropped for not fitting its kind. An empty string is how
 * Bitrix24 says "no value" for dates and numbers, so that is not counted.
 */
export function isInvalid(value: unknown): boolean {
  return value !== null && value !== undefined && !(typeof value === 'string' && value.trim() === '');
}

/** The canonical text of a staged value of `kind` (what Postgres COPY receives). */
export function stagedText(kind: ColumnKind, value: StagedValue): string | null {
  if (value === null) return null;
  switch (kind) {
    case 'timestamptz':
      return new Date(value as number).toISOString();
    case 'date':
      return new Date((value as number) * dayMs).toISOString().slice(0, 10);
    default:
      return String(value);
  }
}

/** Page of rows, column-major: `columns[c][r]` is the staged value of column c in row r. */
export interface StagedPage {
  rowCount: number;
  columns: StagedValue[][];
}

/** Compiled readers by column list; a load keeps one list for all its pages. */
const readers = new WeakMap<readonly (readonly [string, ColumnKind])[], PageReader | null>();

function readerFor(columns: readonly (readonly [string, ColumnKind])[]): PageReader | null {
  let reader = readers.get(columns);
  if (reader === undefined) {
    const compiled = compilePageReader(
      columns.map(([name]) => name),
      columns.map(([, kind]) => converters[kind]),
      isInvalid,
    );
    reader = compiled ?? null;
    readers.set(columns, reader);
  }
  return reader;
}

/**
 * Converts records to a staged page for `columns`, counting per column the present values that
 * were written as NULL for not fitting their kind.
 */
export function stagedPage(
  records: readonly Record<string, unknown>[],
  columns: readonly (readonly [string, ColumnKind])[],
  invalid: Map<string, number>,
): StagedPage {
  const reader = readerFor(columns);
  if (reader) {
    const staged = columns.map(() => new Array<StagedValue>(records.length));
    const dropped = new Int32Array(columns.length);
    reader(records, staged, dropped);
    for (let c = 0; c < columns.length; c++) {
      const name = columns[c][0];
      if (dropped[c] > 0) invalid.set(name, (invalid.get(name) ?? 0) + dropped[c]);
    }
    return { rowCount: records.length, columns: staged };
  }
  const staged = columns.map(([name, kind]) => {
    const convert = converters[kind];
    const values = new Array<StagedValue>(records.length);
    let dropped = 0;
    for (let row = 0; row < records.length; row++) {
      const value = records[row][name];
      if (value === null || value === undefined) {
        values[row] = null;
        continue;
      }
      const converted = convert(value);
      values[row] = converted;
      if (converted === null && isInvalid(value)) dropped++;
    }
    if (dropped > 0) invalid.set(name, (invalid.get(name) ?? 0) + dropped);
    return values;
  });
  return { rowCount: records.length, columns: staged };
}
