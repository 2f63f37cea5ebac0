/**
 * Raw Bitrix24 scalars → typed values. Legacy methods send every number as a string
 * ("37", "19999.99"), crm.item sends JSON numbers, flags come as "Y"/"N", "1"/"0" or JSON
 * booleans (a UF boolean is `true`/`false` in one method, "1"/"0" in another). A converter
 * returns NO_FIT when a value does not fit; the caller keeps the raw value and counts it.
 */

export const NO_FIT: unique symbol = Symbol('value does not fit its declared type');
export type Converted = unknown | typeof NO_FIT;

/**
 * Values that mean "nothing here" for a scalar field. PHP serialises an empty array as `[]` and
 * an object without public properties (e.g. a DateTime in user.get TIMESTAMP_X) as `{}`.
 */
export function isEmptyScalar(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Whether `text` is `[+-]digits[.digits]` (at least one digit, no exponent): the form Bitrix
 * writes numbers in, checked by one scan; anything else goes through DECIMAL.
 */
function isPlainDecimal(text: string): boolean {
  let i = 0;
  const first = text.charCodeAt(0);
  if (first === 43 /* + */ || first === 45 /* - */) i = 1;
  let digits = 0;
  let dot = false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 /* . */ && !dot) dot = true;
    else return false;
  }
  return digits > 0;
}

export function toNumber(value: unknown): Converted {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NO_FIT;
  if (isEmptyScalar(value)) return null;
  if (typeof value !== 'string') return NO_FIT;
  const text = value.trim();
  if (!isPlainDecimal(text) && !DECIMAL.test(text)) return NO_FIT;
  const n = Number(text);
  return Number.isFinite(n) ? n : NO_FIT;
}

export function toInteger(value: unknown): Converted {
  const n = toNumber(value);
  if (n === null || n === NO_FIT) return n;
  if (!Number.isInteger(n)) return NO_FIT;
  // A string id beyond 2^53 would silently change; keep it as it came instead.
  if (typeof value === 'string' && !Number.isSafeInteger(n)) return NO_FIT;
  return n;
}

const TRUE_TEXT = new Set(['y', '1', 'true']);
const FALSE_TEXT = new Set(['n', '0', 'false']);

export function toBoolean(value: unknown): Converted {
  if (typeof value === 'boolean') return value;
  if (value === 1) return true;
  if (value === 0) return false;
  if (isEmptyScalar(value)) return null;
  if (typeof value !== 'string') return NO_FIT;
  const text = value.trim().toLowerCase();
  if (TRUE_TEXT.has(text)) return true;
  if (FALSE_TEXT.has(text)) return false;
  return NO_FIT;
}

/** Text stays text (including ""); numbers become their decimal text, which loses nothing. */
export function toText(value: unknown): Converted {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : NO_FIT;
  if (isEmptyScalar(value)) return null;
  return NO_FIT;
}

/** For types we do not know: never a mismatch, structure is kept as JSON text. */
export function toAnyText(value: unknown): Converted {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Free-form objects (SETTINGS, EXTRA, bindings); PHP's empty array `[]` is an empty map here. */
export function toObject(value: unknown): Converted {
  if (isPlainObject(value)) return value;
  if (Array.isArray(value) && value.length === 0) return {};
  if (value === null || value === undefined || value === '') return null;
  return NO_FIT;
}

/** Assigns a key as an own property, even `__proto__` (which JSON.parse makes an ordinary key). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
