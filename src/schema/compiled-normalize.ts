/**
 * A record shape's normalize function as straight-line code, one statement per declared property.
 *
 * The generic loop reads and writes `row[code]` with a different `code` on every turn from one
 * place in the code, which makes V8's property access megamorphic: a hash probe per value, for
 * every value of every row. Generated code names each property as a constant, so V8 resolves it
 * from the rows' shared layout (rows of one answer have the same keys in the same order). Same
 * result as the loop: a copy of the row with each declared property converted.
 */
export type ConvertProperty = (index: number, raw: unknown) => unknown;

/**
 * Compiles `codes` (the properties with converters) into a normalize function that calls
 * `convert(i, raw)` for property `codes[i]` when the row has it. Undefined where generated code
 * could go wrong: a property named like one of Object.prototype's (`__proto__`, `constructor`…),
 * which plain property access would confuse with the prototype's.
 */
export function compileNormalize(
  codes: readonly string[],
  convert: ConvertProperty,
): ((row: Record<string, unknown>) => Record<string, unknown>) | undefined {
  if (codes.some((code) => code in Object.prototype)) return undefined;
  const statements = codes.map((code, i) => {
    const key = JSON.stringify(code);
    // JSON never yields undefined, so undefined means the row does not have the property.
    return `value = out[${key}]; if (value !== undefined) out[${key}] = convert(${i}, value);`;
  });
  const body = `const out = { ...row };\nlet value;\n${statements.join('\n')}\nreturn out;`;
  const normalize = new Function('row', 'convert', body) as (
    row: Record<string, unknown>,
    convert: ConvertProperty,
  ) => Record<string, unknown>;
  return (row) => normalize(row, convert);
}
