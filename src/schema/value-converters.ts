/**
 * One converter per field: raw value → typed value or NO_FIT. Built once per field when a
 * record shape is made, so normalising a row is one function call per property.
 */
import { toAddress, toFile, toMoney, toMultifield } from './composite-values.js';
import { toDate, toDateTime } from './datetime-values.js';
import type { ValueKind } from './field-kinds.js';
import {
  type Converted,
  isPlainObject,
  NO_FIT,
  toAnyText,
  toBoolean,
  toInteger,
  toNumber,
  toObject,
  toText,
} from './scalar-values.js';
import type { JsonSchema, JsonType } from './types.js';

export type ValueConverter = (value: unknown) => Converted;

/** What a converter needs beyond the kind. */
export interface ConverterContext {
  portalOffsetMinutes: number;
}

export function converterForKind(kind: ValueKind, context: ConverterContext): ValueConverter {
  switch (kind) {
    case 'integer':
      return toInteger;
    case 'number':
      return toNumber;
    case 'string':
      return toText;
    case 'boolean':
      return toBoolean;
    case 'date':
      return toDate;
    case 'datetime':
      return (value) => toDateTime(value, context.portalOffsetMinutes);
    case 'object':
      return toObject;
    case 'file':
      return toFile;
    case 'multifield':
      return toMultifield;
    case 'money':
      return toMoney;
    case 'address':
      return toAddress;
    case 'unknown':
      return toAnyText;
  }
}

/** PHP arrays with non-sequential keys arrive as objects keyed by id (`{"1": {...}, "2": {...}}`). */
function isIndexedObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).every((k) => /^\d+$/.test(k));
}

/**
 * Multiple fields are always arrays: a lone value becomes a one-element array, and
 * `false`/null/"" (how Bitrix writes "none") become `[]`. If any element does not fit, the
 * whole value is kept as it came (one mismatch), rather than a half-typed array.
 */
export function multipleOf(one: ValueConverter): ValueConverter {
  return (value) => {
    if (value === null || value === undefined || value === '' || value === false) return [];
    let list: unknown[];
    if (Array.isArray(value)) list = value;
    else if (isIndexedObject(value))
      list = Object.keys(value)
        .sort((a, b) => Number(a) - Number(b))
        .map((k) => value[k]);
    else list = [value];
    const out: unknown[] = [];
    for (const item of list) {
      const typed = one(item);
      if (typed === NO_FIT) return NO_FIT;
      out.push(typed);
    }
    return out;
  };
}

function mainType(schema: JsonSchema): JsonType | undefined {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types.find((t) => t !== 'null');
}

/** Converters for `extra` properties, which come with a schema rather than a descriptor. */
export function converterForSchema(schema: JsonSchema, context: ConverterContext): ValueConverter {
  const type = mainType(schema);
  switch (type) {
    case 'integer':
      return toInteger;
    case 'number':
      return toNumber;
    case 'boolean':
      return toBoolean;
    case 'string':
      if (schema.format === 'date-time') return converterForKind('datetime', context);
      if (schema.format === 'date') return toDate;
      return toText;
    case 'object':
      return toObject;
    case 'array':
      return multipleOf(schema.items ? converterForSchema(schema.items, context) : (v) => v);
    default:
      return (v) => v;
  }
}
