import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerBytes, JsonFragment } from '../../src/emulator/http/json-fragment.js';
import { encodeAnswer, type JsonEscaping } from '../../src/emulator/http/php-json.js';

const text = (pieces: Uint8Array[]) => Buffer.concat(pieces).toString('utf8');

describe('JsonFragment', () => {
  const rows = [
    { ID: '1', TITLE: 'Сделка "1" </b> & it\'s 😀', UF: [1, null, { a: true }], URL: 'https://x/y\\z' },
    { ID: '2', TITLE: null },
  ];
  const envelope = (result: unknown) => ({
    result: { result: { p0: result, p1: [] }, result_error: [] },
    total: 2,
    note: 'Ünïcode / <tag>',
  });

  for (const escaping of ['raw', 'php'] as JsonEscaping[]) {
    it(`splices its bytes where the value would be, to the byte (${escaping})`, () => {
      const spliced = answerBytes(envelope(new JsonFragment(rows, escaping)), escaping);
      assert.equal(text(spliced), encodeAnswer(envelope(rows), escaping));
    });

    it(`splices several fragments, in order, inside arrays and objects (${escaping})`, () => {
      const value = {
        a: [new JsonFragment(rows[0], escaping), 3, new JsonFragment(rows[1], escaping)],
        b: new JsonFragment([], escaping),
      };
      assert.equal(
        text(answerBytes(value, escaping)),
        encodeAnswer({ a: [rows[0], 3, rows[1]], b: [] }, escaping),
      );
    });
  }

  it('serialises as its value under a plain JSON.stringify', () => {
    assert.equal(JSON.stringify(envelope(new JsonFragment(rows, 'php'))), JSON.stringify(envelope(rows)));
  });

  it('leaves an answer without fragments as the escaping writes it', () => {
    assert.equal(text(answerBytes(envelope(rows), 'php')), encodeAnswer(envelope(rows), 'php'));
  });
});
