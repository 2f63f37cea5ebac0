/**
 * A stream's record shape: the JSON Schema of its records and the function that makes raw rows
 * match it. Built at discovery from the portal's own `*.fields`.
 *
 * `additionalProperties: true`: a portal can gain a user field in the middle of a run (or return
 * fields `*.fields` does not list, like PARENT_ID_<n> on contacts); such values pass through
 * untouched rather than failing the record. Every declared property is nullable and none is
 * required, because Bitrix returns null for most empties and a selection may omit any field.
 */
import { offsetMinutesOf } from './datetime-values.js';
import { valueKindOf } from './field-kinds.js';
import { jsonSchemaForField } from './json-schema.js';
import { NO_FIT, setOwn } from './scalar-values.js';
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

export function recordShape(fields: FieldMap, options: RecordShapeOptions = {}): RecordShape {
  const { keep, extra = {} } = options;
  const portalOffsetMinutes = options.portalOffset === undefined ? 0 : offsetMinutesOf(options.portalOffset);
  if (portalOffsetMinutes === undefined) {
    throw new RecordShapeOptionError(
      `portalOffset must look like +03:00 or Z, got ${JSON.stringify(options.portalOffset)}`,
    );
  }
  const context: ConverterContext = { portalOffsetMinutes };

  const properties: Record<string, JsonSchema> = {};
  const converters = new Map<string, ValueConverter>();
  for (const [code, field] of Object.entries(fields)) {
    if (keep && !keep.has(code)) continue;
    properties[code] = jsonSchemaForField(field, code);
    const one = converterForKind(valueKindOf(field, code), context);
    converters.set(code, field.isMultiple ? multipleOf(one) : one);
  }
  for (const [code, schema] of Object.entries(extra)) {
    properties[code] = schema;
    converters.set(code, converterForSchema(schema, context));
  }

  const mismatches = new Map<string, number>();
  const schema: JsonSchema = { type: 'object', properties, additionalProperties: true };

  function normalize(row: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [code, raw] of Object.entries(row)) {
      const convert = converters.get(code);
      if (convert === undefined) {
        if (!keep) setOwn(out, code, raw);
        continue;
      }
      const typed = convert(raw);
      if (typed === NO_FIT) {
        setOwn(out, code, raw);
        mismatches.set(code, (mismatches.get(code) ?? 0) + 1);
      } else {
        setOwn(out, code, typed);
      }
    }
    return out;
  }

  return { schema, normalize, mismatches };
}
