/**
 * Writes staged columns straight into a DuckDB data chunk's vectors through the C API bindings:
 * fixed-width columns are laid out in one reusable buffer and copied with a single native call,
 * validity masks likewise; strings still cost one native call each (the C API has no bulk string
 * copy), but none of the node API's per-value wrapper work (item caches, BigInt validity bit
 * arithmetic, a value object per timestamp), which made up most of the staging time.
 */
import duckdb from '@duckdb/node-bindings';
import type { ColumnKind } from './columns.js';
import type { StagedValue } from './record-values.js';

/** DuckDB's vector size: a data chunk holds at most this many rows. */
export const chunkRows = 2048;

const twoTo32 = 4_294_967_296;
/** Beyond this a number of microseconds is no longer an exact double. */
const maxExactMicros = Number.MAX_SAFE_INTEGER;

/** One scratch buffer per process: every copy into a vector is synchronous. */
const scratch = new ArrayBuffer(chunkRows * 8);
const words = new Uint32Array(scratch);
const int64s = new BigInt64Array(scratch);
const int32s = new Int32Array(scratch);
const float64s = new Float64Array(scratch);
const bytes = new Uint8Array(scratch);
/** Validity words (bit r of the mask = row r is not NULL), as bytes in little-endian word order. */
const validityBytes = chunkRows / 8;
const validityScratch = new ArrayBuffer(validityBytes);
const validity = new Uint8Array(validityScratch);

/** Stores a safe integer as int64 two's complement in words 2i (low) and 2i + 1 (high). */
function setInt64(i: number, value: number): void {
  const high = Math.floor(value / twoTo32);
  words[2 * i] = value - high * twoTo32;
  words[2 * i + 1] = high | 0;
}

/** Marks row i NULL in the validity scratch (its bit cleared). */
function clearValid(i: number): void {
  validity[i >> 3] &= ~(1 << (i & 7));
}

/** Each fill below lays rows [first, first + count) into the scratch and answers how many were NULL. */
function fillBigints(values: readonly StagedValue[], first: number, count: number): number {
  let nulls = 0;
  for (let i = 0; i < count; i++) {
    const value = values[first + i];
    if (value === null) {
      words[2 * i] = 0;
      words[2 * i + 1] = 0;
      clearValid(i);
      nulls++;
    } else if (typeof value === 'bigint') int64s[i] = value;
    else setInt64(i, value as number);
  }
  return nulls;
}

function fillDoubles(values: readonly StagedValue[], first: number, count: number): number {
  let nulls = 0;
  for (let i = 0; i < count; i++) {
    const value = values[first + i];
    if (value === null) {
      float64s[i] = 0;
      clearValid(i);
      nulls++;
    } else float64s[i] = value as number;
  }
  return nulls;
}

function fillBooleans(values: readonly StagedValue[], first: number, count: number): number {
  let nulls = 0;
  for (let i = 0; i < count; i++) {
    const value = values[first + i];
    if (value === null) {
      bytes[i] = 0;
      clearValid(i);
      nulls++;
    } else bytes[i] = value ? 1 : 0;
  }
  return nulls;
}

/** Staged timestamps are epoch milliseconds; DuckDB's TIMESTAMPTZ is epoch microseconds. */
function fillTimestamps(values: readonly StagedValue[], first: number, count: number): number {
  let nulls = 0;
  for (let i = 0; i < count; i++) {
    const ms = values[first + i] as number | null;
    if (ms === null) {
      words[2 * i] = 0;
      words[2 * i + 1] = 0;
      clearValid(i);
      nulls++;
      continue;
    }
    const micros = ms * 1000;
    if (Math.abs(micros) <= maxExactMicros) setInt64(i, micros);
    else int64s[i] = BigInt(ms) * 1000n;
  }
  return nulls;
}

function fillDates(values: readonly StagedValue[], first: number, count: number): number {
  let nulls = 0;
  for (let i = 0; i < count; i++) {
    const days = values[first + i] as number | null;
    if (days === null) {
      int32s[i] = 0;
      clearValid(i);
      nulls++;
    } else int32s[i] = days;
  }
  return nulls;
}

/** Strings go straight into the vector, one native call each. */
function fillStrings(
  vector: duckdb.Vector,
  values: readonly StagedValue[],
  first: number,
  count: number,
): number {
  let nulls = 0;
  for (let i = 0; i < count; i++) {
    const text = values[first + i];
    if (text === null) {
      clearValid(i);
      nulls++;
    } else duckdb.vector_assign_string_element(vector, i, text as string);
  }
  return nulls;
}

/**
 * Fills the raw vector with rows [first, first + count) of a staged column of `kind` (staged forms
 * as in record-values.ts; the staging type as in duckdb.ts `stageType`).
 */
export function fillRawVector(
  vector: duckdb.Vector,
  kind: ColumnKind | 'seq',
  values: readonly StagedValue[] | undefined,
  first: number,
  count: number,
): void {
  validity.fill(0xff);
  const staged = values as readonly StagedValue[];
  let nulls = 0;
  // Bytes per value in the scratch buffer; 0 for strings, already in the vector.
  let width = 8;
  switch (kind) {
    case 'seq':
      for (let i = 0; i < count; i++) int32s[i] = first + i;
      width = 4;
      break;
    case 'bigint':
      nulls = fillBigints(staged, first, count);
      break;
    case 'double':
      nulls = fillDoubles(staged, first, count);
      break;
    case 'boolean':
      nulls = fillBooleans(staged, first, count);
      width = 1;
      break;
    case 'timestamptz':
      nulls = fillTimestamps(staged, first, count);
      break;
    case 'date':
      nulls = fillDates(staged, first, count);
      width = 4;
      break;
    default:
      nulls = fillStrings(vector, staged, first, count);
      width = 0;
  }
  if (width > 0) duckdb.copy_data_to_vector(vector, 0, scratch, 0, count * width);
  if (nulls > 0) {
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(vector, 0, validityScratch, 0, Math.ceil(count / 64) * 8);
  }
}
