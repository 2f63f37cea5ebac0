/**
 * An answer body's bytes → its JSON value, without decoding UTF-8 into a two-byte string where
 * that can be avoided. A portal answers a list page with up to a few megabytes of JSON; decoding
 * it chunk by chunk into a concatenated string and parsing that string took about three times as
 * long as parsing one flat string made from the bytes as Latin-1 (each byte one character, a
 * copy V8 keeps outside its heap for large bodies).
 *
 * Three cases:
 * - ASCII bytes (a portal escaping non-ASCII text as `\uXXXX`, as PHP's json_encode does): the
 *   Latin-1 reading is the UTF-8 reading, exactly.
 * - Raw UTF-8 text whose escapes all stay below U+0080 (`\u0022`, `\/`): parsed as Latin-1, then
 *   every string holding a character in U+0080–U+00FF is re-read as the UTF-8 bytes it is. No
 *   such character can come from anywhere else: an escape would have to write it.
 * - Anything else (an escape of U+0080 or above beside raw UTF-8): decoded as UTF-8 first.
 */
import { isAscii } from 'node:buffer';

const BACKSLASH = 0x5c;
const LETTER_U = 0x75;
const ZERO = 0x30;
/** A character that, in a Latin-1 reading, stands for a byte of a UTF-8 sequence. */
const UTF8_BYTE = /[\u0080-\u00ff]/;

/** The body as text, decoded as UTF-8 (a malformed sequence becomes U+FFFD). */
export function bodyText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** A parsed body nests objects and arrays deeper than allowed. */
export class JsonTooDeep extends Error {}

/**
 * JSON.parse of the body read as UTF-8; throws SyntaxError as JSON.parse does, and JsonTooDeep
 * when objects and arrays nest more than `maxDepth` levels (V8's JSON.parse succeeds on any depth,
 * but every later walk recurses and would die with a RangeError far from the cause).
 */
export function parseJsonBody(bytes: Buffer, maxDepth: number): unknown {
  const ascii = isAscii(bytes);
  const repair = !ascii && !escapesBeyondAscii(bytes);
  const text = ascii || repair ? bytes.toString('latin1') : bytes.toString('utf8');
  const value: unknown = JSON.parse(text);
  if (typeof value === 'object' && value !== null && nestsDeeperThan(value, maxDepth))
    throw new JsonTooDeep();
  return repair ? utf8Strings(value) : value;
}

/**
 * Whether a parsed value nests objects/arrays more than `levels` deep (the value itself being
 * level 1). Walking the parsed tree visits each value once, far fewer steps than scanning every
 * character of the text; the recursion stops at `levels`, so hostile depth cannot overflow it.
 */
export function nestsDeeperThan(value: object, levels: number): boolean {
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null && nestsDeeperThan(item, levels - 1)) return true;
    }
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'object' && item !== null && nestsDeeperThan(item, levels - 1)) return true;
  }
  return false;
}

/**
 * Whether the text holds a `\uXXXX` escape of U+0080 or above (or something that looks like one,
 * e.g. an escaped backslash before "u": reading it as such only costs the slower path).
 */
function escapesBeyondAscii(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(BACKSLASH); at !== -1; at = bytes.indexOf(BACKSLASH, at + 2)) {
    if (bytes[at + 1] !== LETTER_U) continue;
    // \u0000–\u007f: the first two hex digits are 0 and the third is 0–7.
    if (bytes[at + 2] !== ZERO || bytes[at + 3] !== ZERO) return true;
    const third = bytes[at + 4];
    if (third === undefined || third < ZERO || third > ZERO + 7) return true;
  }
  return false;
}

/** Re-reads every Latin-1-read string of a parsed value (keys included) as UTF-8, in place. */
function utf8Strings(value: unknown): unknown {
  if (typeof value === 'string') return UTF8_BYTE.test(value) ? utf8(value) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string' ? UTF8_BYTE.test(item) : typeof item === 'object' && item !== null)
        value[i] = utf8Strings(item);
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  let renamed = false;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'string' ? UTF8_BYTE.test(item) : typeof item === 'object' && item !== null)
      record[key] = utf8Strings(item);
    if (UTF8_BYTE.test(key)) renamed = true;
  }
  if (!renamed) return record;
  // Rebuilt rather than renamed in place, so the keys keep their order.
  const rebuilt: Record<string, unknown> = {};
  for (const key in record) {
    // defineProperty: a plain assignment to "__proto__" would set the prototype, not a key.
    Object.defineProperty(rebuilt, UTF8_BYTE.test(key) ? utf8(key) : key, {
      value: record[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return rebuilt;
}

function utf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}
