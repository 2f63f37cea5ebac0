/**
 * Field descriptor → JSON Schema. Every property is nullable: Bitrix returns null (or "") for
 * most empty values, and a selection may omit any field.
 */
import { type ValueKind, valueKindOf } from './field-kinds.js';
import type { FieldDescriptor, JsonSchema } from './types.js';

const nullable = (type: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array'): JsonSchema => ({
  type: [type, 'null'],
});

/** The schema of one value of a kind (an array element, for multiple fields). */
export function schemaForKind(kind: ValueKind, bitrixType: string): JsonSchema {
  switch (kind) {
    case 'integer':
    case 'number':
    case 'string':
    case 'boolean':
      return nullable(kind);
    case 'date':
      return { type: ['string', 'null'], format: 'date' };
    case 'datetime':
      return { type: ['string', 'null'], format: 'date-time' };
    case 'object':
      return { type: ['object', 'null'], additionalProperties: true };
    case 'file':
      return {
        type: ['object', 'null'],
        properties: {
          id: nullable('integer'),
          ...(bitrixType === 'file'
            ? { showUrl: nullable('string'), downloadUrl: nullable('string') }
            : { url: nullable('string') }),
        },
        additionalProperties: true,
      };
    case 'multifield':
      return {
        type: ['object', 'null'],
        properties: {
          ID: nullable('integer'),
          VALUE_TYPE: nullable('string'),
          VALUE: nullable('string'),
          TYPE_ID: nullable('string'),
        },
        additionalProperties: true,
      };
    case 'money':
      return {
        type: ['object', 'null'],
        properties: { amount: nullable('number'), currency: nullable('string') },
        additionalProperties: false,
      };
    case 'address':
      return {
        type: ['object', 'null'],
        properties: {
          text: nullable('string'),
          lat: nullable('number'),
          lng: nullable('number'),
          location_id: nullable('integer'),
        },
        additionalProperties: false,
      };
    case 'unknown':
      return {
        type: ['string', 'null'],
        description: `Bitrix24 type "${bitrixType}" has no typed mapping: text kept as it came, numbers and booleans as text, objects and arrays as JSON text.`,
      };
  }
}

/** The human label: user fields carry their code in `title` and the label in list/form labels. */
function labelOf(field: FieldDescriptor): string | undefined {
  return field.listLabel || field.formLabel || field.filterLabel || field.title || undefined;
}

function describe(field: FieldDescriptor): string {
  const parts = [`Bitrix24 ${field.isDynamic ? 'user field' : 'field'} of type ${field.type}`];
  if (field.statusType) parts.push(`(crm.status ENTITY_ID ${field.statusType})`);
  if (field.isMultiple) parts.push('multiple');
  return parts.join(' ');
}

/** The JSON Schema of one field; `code` is the field's key (some `char` fields are codes, not flags). */
export function jsonSchemaForField(field: FieldDescriptor, code?: string): JsonSchema {
  const kind = valueKindOf(field, code);
  const one = schemaForKind(kind, field.type);
  const schema: JsonSchema = field.isMultiple ? { type: ['array', 'null'], items: one } : { ...one };
  const title = labelOf(field);
  if (title !== undefined) schema.title = title;
  schema.description = one.description ?? describe(field);
  if (field.isMultiple && one.description) delete (schema.items as JsonSchema).description;
  return schema;
}
