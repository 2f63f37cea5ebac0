import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonFragment, stringifyAnswer } from '../../src/emulator/http/json-fragment.js';

describe('JsonFragment', () => {
  const rows = [
    { ID: '1', TITLE: 'Сделка "1" </b>', UF: [1, null, { a: true }] },
    { ID: '2', TITLE: null },
  ];
  const envelope = (result: unknown) => ({
    result: { result: { p0: result, p1: [] }, result_error: [] },
    total: 2,
  });

  it('splices its text where the value would be, to the byte', () => {
    const spliced = stringifyAnswer(envelope(new JsonFragment(rows)));
    assert.equal(spliced, JSON.stringify(envelope(rows)));
  });

  it('splices several fragments, in order, inside arrays and objects', () => {
    const value = { a: [new JsonFragment(rows[0]), 3, new JsonFragment(rows[1])], b: new JsonFragment([]) };
    assert.equal(stringifyAnswer(value), JSON.stringify({ a: [rows[0], 3, rows[1]], b: [] }));
  });

  it('serialises as its value under a plain JSON.stringify', () => {
    assert.equal(JSON.stringify(envelope(new JsonFragment(rows))), JSON.stringify(envelope(rows)));
  });

  it('leaves an answer without fragments as JSON.stringify writes it', () => {
    assert.equal(stringifyAnswer(envelope(rows)), JSON.stringify(envelope(rows)));
  });
});
