/**
 * A stream's record shape: the JSON Schema of its records and the function that makes raw rows
 * match it. Built at discovery from the portal's own `*.fields`.
 *
 * `additionalProperties: true`: a portal can gain a user field in the middle of a run (or return
 * fields `*.fields` does not list, like PARENT_ID_<n> on contacts); such values pass through
 * untouched rather than failing the record. Every declared property is nullable and none is
 * required, because Bitrix returns null for most empties and a selection may omit any field.
 */
import { compileNormalize } from './compiled-normalize.js';
import { offsetMinutesOf } from './datetime-values.js';
import { emptyAsNull, emptyValueOf } from './empty-values.js';
import { valueKindOf } from './field-kinds.js';
import { jsonSchemaForField } from './json-schema.js';
import { byLayout, compileLayout } from './layout-normalize.js';
import { addMoneySplits, amountOf, currencyOf, moneySplitSchemas, moneySplits } from './money-columns.js';
import { NO_FIT, setOwn, toText } from './scalar-values.js';
import type { FieldMap, JsonSchema, RecordShape, RecordShapeOptions } from './types.js';
import {
  type ConverterContext,
  converterForKind,
  converterForSchema,
  multipleOf,
  type ValueConverter,
} from './value-converters.js';

/** An option value that cannot be used (bad portal offset). */
export class RecordShapeOptionError extends Error {
  override readonly name = 'RecordShapeOptionError';
}

/** The converters' context from the options: the portal's UTC offset, checked. */
function converterContext(options: RecordShapeOptions): ConverterContext {
  const portalOffsetMinutes = options.portalOffset === undefined ? 0 : offsetMinutesOf(options.portalOffset);
  if (portalOffsetMinutes === undefined) {
    throw new RecordShapeOptionError(
      `portalOffset must look like +03:00 or Z, got ${JSON.stringify(options.portalOffset)}`,
    );
  }
  return { portalOffsetMinutes };
}

/** Each declared property's schema and converter: the portal's fields (those kept), then extras. */
function declaredProperties(
  fields: FieldMap,
  options: RecordShapeOptions,
  context: ConverterContext,
): { properties: Record<string, JsonSchema>; converters: Map<string, ValueConverter> } {
  const { keep, extra = {} } = options;
  const properties: Record<string, JsonSchema> = {};
  const converters = new Map<string, ValueConverter>();
  for (const [code, field] of Object.entries(fields)) {
    if (keep && !keep.has(code)) continue;
    properties[code] = jsonSchemaForField(field, code);
    const kind = valueKindOf(field, code);
    const one = converterForKind(kind, context);
    converters.set(
      code,
      field.isMultiple ? multipleOf(one) : emptyAsNull(one, emptyValueOf(field, code, kind)),
    );
  }
  for (const [code, schema] of Object.entries(extra)) {
    properties[code] = schema;
    const convert = converterForSchema(schema, context);
    // Plain text (not a date or datetime) follows the same "empty is NULL" rule as fields.
    converters.set(code, emptyAsNull(convert, convert === toText ? '' : undefined));
  }
  return { properties, converters };
}

export function recordShape(fields: FieldMap, options: RecordShapeOptions = {}): RecordShape {
  const { keep } = options;
  const { properties, converters } = declaredProperties(fields, options, converterContext(options));
  const splits = moneySplits(fields, (code) => !keep || keep.has(code));
  for (const split of splits)
    Object.assign(properties, moneySplitSchemas(split, properties[split.code].title));

  const mismatches = new Map<string, number>();
  const schema: JsonSchema = { type: 'object', properties, additionalProperties: true };

  /** The converted value of one property, counting a value that does not fit. */
  function converted(code: string, raw: unknown, convert: ValueConverter): unknown {
    const typed = convert(raw);
    if (typed !== NO_FIT) return typed;
    mismatches.set(code, (mismatches.get(code) ?? 0) + 1);
    return raw;
  }

  const codes = [...converters.keys()];
  const convertersInOrder = [...converters.values()];
  const convert = (i: number, raw: unknown) => converted(codes[i], raw, convertersInOrder[i]);
  const spread = keep ? undefined : compileNormalize(codes, convert);
  const indexOf = new Map(codes.map((code, i) => [code, i]));
  const helpers = { convert, amountOf, currencyOf };
  // Rows of a known layout are built as one literal (layout-normalize.ts); others are spread.
  const compiled = spread
    ? byLayout(
        (layout) => compileLayout(layout, indexOf, splits, helpers),
        (row) => withSplits(spread(row)),
      )
    : undefined;

  function withSplits(out: Record<string, unknown>): Record<string, unknown> {
    if (splits.length > 0) addMoneySplits(out, splits);
    return out;
  }

  function normalize(row: Record<string, unknown>): Record<string, unknown> {
    return compiled ? compiled(row) : withSplits(normalizeDeclared(row));
  }

  function normalizeDeclared(row: Record<string, unknown>): Record<string, unknown> {
    if (keep) return normalizeKept(row);
    // A spread copies the row's shape and values in one step (own keys, `__proto__` included, in
    // order); converting in place then allocates nothing per property.
    const out: Record<string, unknown> = { ...row };
    for (const code in out) {
      const convert = converters.get(code);
      if (convert === undefined || !Object.hasOwn(out, code)) continue;
      const value = converted(code, out[code], convert);
      if (code === '__proto__') setOwn(out, code, value);
      else out[code] = value;
    }
    return out;
  }

  /** With a `keep` list only kept properties have converters; every other property is left out. */
  function normalizeKept(row: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const code in row) {
      const convert = converters.get(code);
      if (convert === undefined || !Object.hasOwn(row, code)) continue;
      setOwn(out, code, converted(code, row[code], convert));
    }
    return out;
  }

  return { schema, normalize, mismatches };
}
