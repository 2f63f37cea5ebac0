/**
 * A page's columns read from its records by straight-line code, one statement per column.
 *
 * Reading `record[name]` for column after column from one place in the code makes V8's property
 * access megamorphic: a hash probe per value. Generated code names each column's property as a
 * constant and reads a record's values in one pass, which V8 resolves from the records' shared
 * layout. Same result as the column-by-column loop in record-values.ts `stagedPage`.
 */

/** A value as the destinations stage it: SQL text, a number, a bigint, a boolean or NULL. */
export type StagedValue = string | number | bigint | boolean | null;

/**
 * Fills `out[c][r]` with the staged value of column c of record r (NULL for null or absent) and
 * counts in `invalid[c]` the present values that became NULL for not fitting.
 */
export type PageReader = (
  records: readonly Record<string, unknown>[],
  out: StagedValue[][],
  invalid: Int32Array,
) => void;

/**
 * Compiles a reader for columns `names` with their converters; undefined where generated code
 * could go wrong: a column named like one of Object.prototype's properties (`__proto__`,
 * `constructor`…).
 */
export function compilePageReader(
  names: readonly string[],
  converters: readonly ((value: unknown) => StagedValue)[],
  isInvalid: (value: unknown) => boolean,
): PageReader | undefined {
  if (names.some((name) => name in Object.prototype)) return undefined;
  const statements = names.map((name, c) => {
    const key = JSON.stringify(name);
    return (
      `value = record[${key}]; if (value === null || value === undefined) out[${c}][r] = null; ` +
      `else { staged = converters[${c}](value); out[${c}][r] = staged; ` +
      `if (staged === null && isInvalid(value)) invalid[${c}]++; }`
    );
  });
  const body = [
    'let value, staged;',
    'for (let r = 0; r < records.length; r++) {',
    '  const record = records[r];',
    ...statements,
    '}',
  ].join('\n');
  const read = new Function('records', 'out', 'invalid', 'converters', 'isInvalid', body) as (
    records: readonly Record<string, unknown>[],
    out: StagedValue[][],
    invalid: Int32Array,
    converters: readonly ((value: unknown) => StagedValue)[],
    isInvalid: (value: unknown) => boolean,
  ) => void;
  return (records, out, invalid) => read(records, out, invalid, converters, isInvalid);
}
