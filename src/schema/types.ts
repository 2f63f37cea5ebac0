/**
 * The shapes this part speaks: Singer-style JSON Schema on one side, Bitrix24 `*.fields`
 * descriptors on the other (`{type, isRequired, isReadOnly, isMultiple, isDynamic, title, ...}`,
 * `api-reference/crm/data-types.md#crm_rest_field_description`).
 */

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/** Singer-style JSON Schema: nullable via type arrays (`"type": ["string","null"]`), format date-time/date, never anyOf. */
export interface JsonSchema {
  type?: JsonType | JsonType[];
  format?: 'date-time' | 'date' | string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  description?: string;
  title?: string;
  enum?: unknown[];
  required?: string[];
  [k: string]: unknown;
}

/** A Bitrix field descriptor as `*.fields` returns it, plus optional `userTypeId` for user fields. */
export interface FieldDescriptor {
  type: string;
  isRequired?: boolean;
  isReadOnly?: boolean;
  isImmutable?: boolean;
  isMultiple?: boolean;
  isDynamic?: boolean;
  title?: string;
  statusType?: string;
  items?: { ID: string | number; VALUE: string }[];
  settings?: Record<string, unknown>;
  listLabel?: string;
  formLabel?: string;
  filterLabel?: string;
  upperName?: string;
  isDeprecated?: boolean;
  [k: string]: unknown;
}

export type FieldMap = Record<string, FieldDescriptor>;

export interface RecordShape {
  /** The JSON Schema of a record: `{ type: 'object', properties, additionalProperties: true }`. */
  schema: JsonSchema;
  /** Turns one raw row into typed values matching `schema`. Values that do not fit are kept as they came and counted. */
  normalize(row: Record<string, unknown>): Record<string, unknown>;
  /** Values kept as-is because they did not fit their declared type, by field, since creation. */
  readonly mismatches: ReadonlyMap<string, number>;
}

export interface RecordShapeOptions {
  /** Only these properties (the catalog selection); other row keys are dropped. `extra` ones are always kept. */
  keep?: ReadonlySet<string>;
  /** Extra computed properties, e.g. `CONTACT_IDS` on deals; their values are normalised by their schema. */
  extra?: Record<string, JsonSchema>;
  /**
   * The portal's UTC offset (`+03:00`), used only for datetimes that come without one
   * (`24.08.2023 13:19:39`, `2024-08-29 10:30:11`). Take it from `time.date_start` of any
   * response. Default `+00:00`.
   */
  portalOffset?: string;
}
