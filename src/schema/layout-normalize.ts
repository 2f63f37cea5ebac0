/**
 * A record shape's normalize function for rows of one key layout (the keys, in order, that the
 * rows of a list answer share), built as one object literal.
 *
 * Adding a property to a copy made by spread (`out = { ...row }; out.X_AMOUNT = …`) cost about
 * 20 µs per row in V8 (Node 20), measured: more than everything else normalising a deal does, and
 * the money split adds two per money field. An object literal naming every key allocates the
 * finished object in one step (0.3 µs for 74 keys). Same result as the spread copy: the row's own
 * keys in its order, declared ones converted, each money split's two properties after them (or in
 * place, where the row already has a key of that name).
 */
import type { MoneySplit } from './money-columns.js';

/** Converts the value of declared property `index` (counting a value that does not fit). */
export type ConvertProperty = (index: number, raw: unknown) => unknown;

/** What the generated code calls: the converter, and the two halves of a money split. */
export interface LayoutHelpers {
  convert: ConvertProperty;
  amountOf: (value: unknown) => unknown;
  currencyOf: (value: unknown) => unknown;
}

/**
 * V8 keeps at most about 250 properties inside an object (`JSObject::kMaxInObjectProperties`); wider
 * rows were not measured, so they take the spread path as before.
 */
const MAX_LITERAL_PROPERTIES = 250;

/**
 * Compiles the normalize function for rows whose keys are exactly `layout`, in that order;
 * `declared` gives each declared code's converter index. Undefined where a literal cannot stand
 * for the copy: a `__proto__` key (a literal would set the prototype), or too many keys.
 */
export function compileLayout(
  layout: readonly string[],
  declared: ReadonlyMap<string, number>,
  splits: readonly MoneySplit[],
  helpers: LayoutHelpers,
): ((row: Record<string, unknown>) => Record<string, unknown>) | undefined {
  const present = new Set(layout);
  const used = splits.filter((split) => present.has(split.code));
  if (present.has('__proto__') || layout.length + 2 * used.length > MAX_LITERAL_PROPERTIES) return undefined;
  const converted = (key: string, index: number) => {
    const k = JSON.stringify(key);
    // JSON never yields undefined; a property set to undefined is left as it is, like the spread path.
    return `(value = row[${k}]) === undefined ? value : convert(${index}, value)`;
  };
  // A split's money value is converted once, before the literal, for its property and its halves.
  const moneyLocal = new Map(used.map((split, j) => [split.code, `money${j}`]));
  const locals = used.map((split) => {
    const index = declared.get(split.code);
    const value = index === undefined ? `row[${JSON.stringify(split.code)}]` : converted(split.code, index);
    return `const ${moneyLocal.get(split.code)} = ${value};`;
  });
  const entries = layout.map((key) => {
    const k = JSON.stringify(key);
    const local = moneyLocal.get(key);
    if (local !== undefined) return `${k}: ${local}`;
    const index = declared.get(key);
    return index === undefined ? `${k}: row[${k}]` : `${k}: ${converted(key, index)}`;
  });
  // A key written twice in a literal keeps its first place and takes the last value.
  for (const split of used) {
    const local = moneyLocal.get(split.code);
    entries.push(`${JSON.stringify(split.amount)}: amountOf(${local})`);
    entries.push(`${JSON.stringify(split.currency)}: currencyOf(${local})`);
  }
  const body = [
    'const { convert, amountOf, currencyOf } = helpers;',
    'return (row) => {',
    'let value;',
    ...locals,
    `return {\n${entries.join(',\n')}\n};`,
    '};',
  ].join('\n');
  const make = new Function('helpers', body) as (
    helpers: LayoutHelpers,
  ) => (row: Record<string, unknown>) => Record<string, unknown>;
  return make(helpers);
}

/** At most this many layouts per record shape are compiled; rows of others take the spread path. */
const MAX_LAYOUTS = 16;

/**
 * Normalize by layout: rows with the layout of the row before use its compiled literal (checked
 * by walking the row's keys, which V8 serves from the layout's cache); a new layout is compiled
 * once; rows no literal can stand for go to `fallback`.
 */
export function byLayout(
  compile: (
    layout: readonly string[],
  ) => ((row: Record<string, unknown>) => Record<string, unknown>) | undefined,
  fallback: (row: Record<string, unknown>) => Record<string, unknown>,
): (row: Record<string, unknown>) => Record<string, unknown> {
  const compiled = new Map<string, ((row: Record<string, unknown>) => Record<string, unknown>) | undefined>();
  let layout: readonly string[] = [];
  let build: ((row: Record<string, unknown>) => Record<string, unknown>) | undefined;
  const sameLayout = (row: Record<string, unknown>): boolean => {
    let i = 0;
    for (const key in row) if (key !== layout[i++]) return false;
    return i === layout.length;
  };
  return (row) => {
    if (build !== undefined && sameLayout(row)) return build(row);
    const keys = Object.keys(row);
    const id = JSON.stringify(keys);
    if (!compiled.has(id) && compiled.size < MAX_LAYOUTS) compiled.set(id, compile(keys));
    const found = compiled.get(id);
    if (found === undefined) return fallback(row);
    layout = keys;
    build = found;
    return found(row);
  };
}
