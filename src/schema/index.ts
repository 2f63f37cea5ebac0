/**
 * Bitrix24 field descriptors → JSON Schema, and raw values → typed values.
 * See docs/SCHEMA.md for the type table and examples.
 */

export type { Address, Money, Multifield } from './composite-values.js';
export { toDate, toDateTime } from './datetime-values.js';
export { type ValueKind, valueKindOf } from './field-kinds.js';
export { CRM_ITEM_MULTIFIELDS, fieldMapByUpperName } from './field-maps.js';
export { DEPARTMENT_FIELD_HINTS, flatFieldMap, USER_FIELD_HINTS } from './flat-fields.js';
export { jsonSchemaForField } from './json-schema.js';
export { RecordShapeOptionError, recordShape } from './record-shape.js';
export type {
  FieldDescriptor,
  FieldMap,
  JsonSchema,
  JsonType,
  RecordShape,
  RecordShapeOptions,
} from './types.js';
export { type RecordValidator, validatorFor } from './validator.js';
