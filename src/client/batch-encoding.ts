/**
 * A batch command is a string `method?query` that the portal reads with PHP's `parse_str`
 * (`settings/how-to-call-rest-api/batch.md`), so its parameters are written the way PHP's
 * `http_build_query` writes them: brackets for nesting (`filter[>ID]=5`, `select[0]=ID`),
 * `true`/`false` as `1`/`0`, `null` left out, every key and value percent-encoded (UTF-8), except
 * `$result[...]` references, which must reach the portal literally.
 */

/** A reference to an earlier command's answer, e.g. `$result[p0][49][ID]`. */
export class ResultReference {
  constructor(readonly path: readonly (string | number)[]) {}

  toString(): string {
    return `$result${this.path.map((p) => `[${p}]`).join('')}`;
  }
}

/** `resultRef('p0', 49, 'ID')` → `$result[p0][49][ID]`. */
export function resultRef(...path: (string | number)[]): ResultReference {
  return new ResultReference(path);
}

function encodeScalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof ResultReference) return value.toString();
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof Date) return encodeURIComponent(value.toISOString());
  return encodeURIComponent(String(value));
}

function append(out: string[], key: string, value: unknown): void {
  if (
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof ResultReference) &&
    !(value instanceof Date)
  ) {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    for (const [k, v] of entries) append(out, `${key}[${k}]`, v);
    return;
  }
  const encoded = encodeScalar(value);
  if (encoded !== undefined) out.push(`${encodeURIComponent(key)}=${encoded}`);
}

/** The query part of a batch command, PHP `http_build_query` style. */
export function encodeBatchQuery(params: Record<string, unknown> | undefined): string {
  const out: string[] = [];
  for (const [key, value] of Object.entries(params ?? {})) append(out, key, value);
  return out.join('&');
}

/** `method?query` for `cmd`. */
export function encodeBatchCommand(method: string, params: Record<string, unknown> | undefined): string {
  const query = encodeBatchQuery(params);
  return query ? `${method}?${query}` : method;
}
