/**
 * Answers serialised in pieces. A batch holds up to 50 list answers of 50 rows each until the
 * whole batch has run; kept as objects, those 2,500 rows survived young-generation collections
 * and were copied and promoted, the emulator's largest cost after building them. A `JsonFragment`
 * holds a value's answer bytes instead (JSON text in the portal's escaping, UTF-8, off the
 * JavaScript heap), and `answerBytes` splices them into the answer. JSON.stringify is
 * compositional (a value's text does not depend on where it sits, without indentation), PHP-style
 * escaping maps characters one by one outside escape pairs, and UTF-8 encodes characters one by
 * one; a fragment's edges sit between JSON tokens, outside any string, so the spliced answer is
 * byte for byte the encoding of the whole.
 */
import { randomBytes } from 'node:crypto';
import { escapeJson, type JsonEscaping } from './php-json.js';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** The fragments of the serialisation in progress (one at a time: JSON.stringify is synchronous). */
let collecting: JsonFragment[] | null = null;

/** Stands in for a fragment in the outer text; the nonce keeps portal data from ever equalling it. */
const MARK = `\u0000json-fragment-${randomBytes(8).toString('hex')}\u0000`;
const QUOTED_MARK = JSON.stringify(MARK);

export class JsonFragment {
  readonly bytes: Uint8Array;

  constructor(value: unknown, escaping: JsonEscaping) {
    this.bytes = utf8.encode(escapeJson(JSON.stringify(value), escaping));
  }

  /** Inside `answerBytes` a mark to splice; anywhere else the value itself, so any JSON.stringify stays right. */
  toJSON(): unknown {
    if (collecting) {
      collecting.push(this);
      return MARK;
    }
    return JSON.parse(fromUtf8.decode(this.bytes));
  }
}

/**
 * The answer bytes of `value` in `escaping`, in pieces to write in order: each JsonFragment's
 * bytes where its value would be (written as they are, not copied into one buffer).
 */
export function answerBytes(value: unknown, escaping: JsonEscaping): Uint8Array[] {
  const fragments: JsonFragment[] = [];
  collecting = fragments;
  let text: string;
  try {
    text = JSON.stringify(value);
  } finally {
    collecting = null;
  }
  const parts = fragments.length === 0 ? [text] : text.split(QUOTED_MARK);
  // Only a mark JSON.stringify wrote can appear (the nonce is unknowable); checked all the same.
  if (parts.length !== fragments.length + 1)
    return [utf8.encode(escapeJson(JSON.stringify(value), escaping))];
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < fragments.length; i++)
    pieces.push(utf8.encode(escapeJson(parts[i], escaping)), fragments[i].bytes);
  pieces.push(utf8.encode(escapeJson(parts[fragments.length], escaping)));
  return pieces;
}
