/**
 * Secrets (webhook code, access/refresh tokens, client secret) must never reach logs, errors or
 * output. Every credential registers its secrets here when it learns them, and every error
 * message and log line passes through `redact()`; URL patterns that carry secrets are masked
 * too, so a secret we never saw (a token typed into a URL by hand) is still hidden.
 */

const MASK = '***';
const secrets = new Set<string>();

/** Remembers a secret so that `redact()` hides it wherever it appears. */
export function registerSecret(secret: string | undefined): void {
  // Very short strings would mask ordinary text; real secrets are long.
  if (secret && secret.length >= 6) secrets.add(secret);
}

const PATTERNS: [RegExp, string][] = [
  // Incoming webhook: /rest/USER_ID/CODE/
  [/(\/rest\/\d+\/)[^/\s"'?#]+/g, `$1${MASK}`],
  [
    /((?:^|[?&\s"'{,])(?:auth|access_token|refresh_token|client_secret)["']?\s*[=:]\s*["']?)[^&\s"',}]+/gi,
    `$1${MASK}`,
  ],
];

/** Text with every known secret and secret-bearing URL part replaced by `***`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A deep copy of log fields with every string redacted. */
export function redactFields(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactFields);
  if (value instanceof Error) return redact(value.message);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactFields(v);
    return out;
  }
  return value;
}
