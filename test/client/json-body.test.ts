/**
 * Answer bodies are parsed from their bytes (src/client/json-body.ts) along three paths: ASCII,
 * raw UTF-8 read as Latin-1 and repaired, and a plain UTF-8 decode when escapes reach past ASCII.
 * Whatever the path, the value must be exactly what JSON.parse of the UTF-8 text gives.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { JsonTooDeep, parseJsonBody } from '../../src/client/json-body.js';

/** PHP's json_encode: every character past ASCII as `\uXXXX` (surrogate pairs as two escapes). */
function phpEscaped(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Some characters escaped and some raw, as a portal writing `\u0022` or `\u00e9` beside raw UTF-8 might. */
function partlyEscaped(text: string, every: number): string {
  let n = 0;
  return text.replace(/[\u0022\u0080-\uffff]/g, (ch) =>
    ch === '"' || n++ % every !== 0 ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    'Перезвонить после обеда',
    'Kunde wünscht Rückruf',
    '网站咨询',
    'Отправлено КП 📄',
    'é\u00e9',
  ),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    text,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(text, fc.constant('__proto__')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

function expected(body: Buffer): unknown {
  return JSON.parse(body.toString('utf8'));
}

describe('answer bodies parsed from bytes', () => {
  it('give what JSON.parse of the UTF-8 text gives: raw, escaped and mixed', () => {
    fc.assert(
      fc.property(json, fc.integer({ min: 1, max: 4 }), (value, every) => {
        const raw = JSON.stringify(value);
        for (const written of [raw, phpEscaped(raw), partlyEscaped(raw, every)]) {
          const body = Buffer.from(written, 'utf8');
          assert.deepStrictEqual(parseJsonBody(body, 64), expected(body));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('read raw UTF-8 keys and values, and keep the keys in order', () => {
    const body = Buffer.from('{"Сделка":"Пётр","a":["Zoë",{"网站":"📄"}],"__proto__":"x","z":1}', 'utf8');
    const value = parseJsonBody(body, 64) as Record<string, unknown>;
    assert.deepStrictEqual(Object.keys(value), ['Сделка', 'a', '__proto__', 'z']);
    assert.equal(value['Сделка'], 'Пётр');
    assert.deepStrictEqual(value.a, ['Zoë', { 网站: '📄' }]);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  });

  it('tell an escaped Latin-1 character from a raw one', () => {
    // \u00e9 beside a raw é: the escape must stay é and the raw bytes must become é, not "Ã©".
    const body = Buffer.from('{"a":"\\u00e9","b":"é","c":"\\\\u00e9 é"}', 'utf8');
    assert.deepStrictEqual(parseJsonBody(body, 64), { a: 'é', b: 'é', c: '\\u00e9 é' });
  });

  it('turn malformed UTF-8 into U+FFFD as a UTF-8 decoder does', () => {
    const body = Buffer.concat([Buffer.from('{"a":"x'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    assert.deepStrictEqual(parseJsonBody(body, 64), expected(body));
  });

  it('refuse nesting past the limit before walking the value', () => {
    const deep = Buffer.from(`{"a":"é","b":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 'utf8');
    assert.throws(() => parseJsonBody(deep, 64), JsonTooDeep);
    assert.throws(() => parseJsonBody(Buffer.from('{"a":'), 64), SyntaxError);
  });
});
