/**
 * How a JSON Schema property becomes a typed column, and what happens when the declared type of
 * an existing column changes (evolution).
 */

/** The part of a Singer JSON Schema a column mapping reads (structurally compatible with src/schema). */
export interface PropertySchema {
  type?: string | readonly string[];
  format?: string;
  properties?: Record<string, unknown>;
  items?: unknown;
}

/** The column kinds a destination creates; each maps to one SQL type per database. */
export type ColumnKind = 'bigint' | 'double' | 'boolean' | 'timestamptz' | 'date' | 'text' | 'json';

export type SqlDialectName = 'duckdb' | 'postgres';

const sqlTypes: Record<SqlDialectName, Record<ColumnKind, string>> = {
  duckdb: {
    bigint: 'BIGINT',
    double: 'DOUBLE',
    boolean: 'BOOLEAN',
    timestamptz: 'TIMESTAMPTZ',
    date: 'DATE',
    text: 'VARCHAR',
    json: 'JSON',
  },
  postgres: {
    bigint: 'bigint',
    double: 'double precision',
    boolean: 'boolean',
    timestamptz: 'timestamptz',
    date: 'date',
    text: 'text',
    json: 'jsonb',
  },
};

export function sqlType(dialect: SqlDialectName, kind: ColumnKind): string {
  return sqlTypes[dialect][kind];
}

/** Reads back a column's kind from information_schema's `data_type` (either database). */
export function kindOfSqlType(dataType: string): ColumnKind {
  switch (dataType.toLowerCase()) {
    case 'bigint':
    case 'int8':
      return 'bigint';
    case 'double':
    case 'double precision':
    case 'float8':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'timestamp with time zone':
    case 'timestamptz':
      return 'timestamptz';
    case 'date':
      return 'date';
    case 'json':
    case 'jsonb':
      return 'json';
    default:
      // VARCHAR, text, and any type a user altered a column to: values are written as text.
      return 'text';
  }
}

/**
 * A property's column kind. A union of several non-null types has no single SQL type: scalar
 * unions (e.g. string|integer) become text, unions involving object/array become JSON. A property
 * without a type can hold anything, so it is JSON.
 */
export function columnKind(schema: PropertySchema): ColumnKind {
  const declared = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const types = [...new Set(declared.filter((t) => t !== 'null'))];
  if (types.length === 0) return schema.properties ? 'json' : 'json';
  if (types.length > 1) {
    if (types.every((t) => t === 'integer' || t === 'number')) return 'double';
    return types.some((t) => t === 'object' || t === 'array') ? 'json' : 'text';
  }
  switch (types[0]) {
    case 'integer':
      return 'bigint';
    case 'number':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'string':
      if (schema.format === 'date-time') return 'timestamptz';
      if (schema.format === 'date') return 'date';
      return 'text';
    default:
      return 'json';
  }
}

/**
 * Evolution rule for a column that already exists with kind `existing` while the schema now
 * declares `declared`. Columns are never dropped and never narrowed:
 * - same kind: nothing to do;
 * - the existing column is text or JSON: keep it (both hold any value; values are written as
 *   text or as JSON of the value);
 * - otherwise the column is widened to text, which every SQL type casts to without loss, so old
 *   values survive and new values of the new type fit. Key columns are never altered (the
 *   primary key depends on them); their values are coerced to the existing type.
 * Returns the kind the column should have afterwards.
 */
export function evolvedKind(existing: ColumnKind, declared: ColumnKind, isKey: boolean): ColumnKind {
  if (existing === declared || existing === 'text' || existing === 'json' || isKey) return existing;
  return 'text';
}
