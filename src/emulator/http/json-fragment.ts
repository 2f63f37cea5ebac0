/**
 * Answers serialised in pieces. A batch holds up to 50 list answers of 50 rows each until the
 * whole batch has run; kept as objects, those 2,500 rows survived young-generation collections
 * and were copied and promoted, the emulator's largest cost after building them. A `JsonFragment`
 * holds a value's JSON text instead, and `stringifyAnswer` splices the texts into the answer:
 * JSON.stringify is compositional (a value's text does not depend on where it sits, without
 * indentation), so the answer is byte for byte the text of the objects.
 */
import { randomBytes } from 'node:crypto';

/** Serialisations in progress that splice fragments (one at a time: JSON.stringify is synchronous). */
let collecting: JsonFragment[] | null = null;

/** Stands in for a fragment in the outer text; the nonce keeps portal data from ever equalling it. */
const MARK = `\u0000json-fragment-${randomBytes(8).toString('hex')}\u0000`;
const QUOTED_MARK = JSON.stringify(MARK);

export class JsonFragment {
  readonly json: string;

  constructor(value: unknown) {
    this.json = JSON.stringify(value);
  }

  /** Inside `stringifyAnswer` a mark to splice; anywhere else the value itself, so any JSON.stringify stays right. */
  toJSON(): unknown {
    if (collecting) {
      collecting.push(this);
      return MARK;
    }
    return JSON.parse(this.json);
  }
}

/** JSON.stringify(value), with each JsonFragment's text where its value would be. */
export function stringifyAnswer(value: unknown): string {
  const fragments: JsonFragment[] = [];
  collecting = fragments;
  let text: string;
  try {
    text = JSON.stringify(value);
  } finally {
    collecting = null;
  }
  if (fragments.length === 0) return text;
  const parts = text.split(QUOTED_MARK);
  // Only a mark JSON.stringify wrote can appear (the nonce is unknowable); checked all the same.
  if (parts.length !== fragments.length + 1) return JSON.stringify(value);
  let out = parts[0];
  for (let i = 0; i < fragments.length; i++) out += fragments[i].json + parts[i + 1];
  return out;
}
