/**
 * Record validation with ajv (compiled once per schema object, cached), used by the stream and
 * Singer tests to check that normalised records match their announced schema.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import type { JsonSchema } from './types.js';

export interface RecordValidator {
  isValid(value: unknown): boolean;
  /** Why a value is invalid, one "path: message" line per problem; empty when valid. */
  problems(value: unknown): string[];
}

type AddFormats = (ajv: Ajv) => Ajv;
// ajv-formats is CommonJS: its plugin is `module.exports` and also `.default`; under NodeNext
// TypeScript only sees the namespace, so pick the callable one.
const addFormats = ((ajvFormats as unknown as { default: AddFormats }).default ??
  (ajvFormats as unknown as AddFormats)) as AddFormats;

let ajv: Ajv | undefined;
const compiled = new WeakMap<JsonSchema, RecordValidator>();

function sharedAjv(): Ajv {
  if (ajv === undefined) {
    // strict off: Singer schemas may carry keywords of their own (e.g. `inclusion`).
    ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
  }
  return ajv;
}

export function validatorFor(schema: JsonSchema): RecordValidator {
  const cached = compiled.get(schema);
  if (cached) return cached;
  const validate: ValidateFunction = sharedAjv().compile(schema);
  const validator: RecordValidator = {
    isValid: (value) => validate(value) === true,
    problems: (value) =>
      validate(value)
        ? []
        : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`),
  };
  compiled.set(schema, validator);
  return validator;
}
