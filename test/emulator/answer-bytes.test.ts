/**
 * The emulator's answers to a representative set of list and batch calls, over HTTP, are byte for
 * byte the answers recorded from the emulator before it serialised batch answers in pieces
 * (answer-requests.ts says what is asked and how the record was made).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import { ANSWER_REQUESTS, answersOf, digest } from './answer-requests.js';

type Json = Record<string, unknown>;

const recorded = JSON.parse(
  readFileSync(new URL('../fixtures/emulator-answers/answers.json', import.meta.url), 'utf8'),
) as Record<string, { sha256: string; bytes: number }>;

describe('emulator answers, byte for byte', () => {
  let answers: Record<string, string>;
  before(async () => {
    answers = await answersOf(startEmulator);
  });

  const body = (name: string): Json => JSON.parse(answers[name].slice(4)) as Json;
  const batchResult = (name: string) => (body(name).result as Json).result as Record<string, unknown>;

  it('records an answer for every request and nothing else', () => {
    assert.deepEqual(Object.keys(recorded).sort(), ANSWER_REQUESTS.map((r) => r.name).sort());
  });

  for (const request of ANSWER_REQUESTS) {
    it(`answers "${request.name}" as recorded`, () => {
      const text = answers[request.name];
      assert.deepEqual(digest(text), recorded[request.name], `answer now begins: ${text.slice(0, 300)}`);
    });
  }

  it('the recorded chain reads every deal once, in order, through $result references', () => {
    const r = batchResult('raw deal chain') as Record<string, { ID: string }[]>;
    const ids = [...r.p0, ...r.p1, ...r.p2].map((d) => Number(d.ID));
    assert.deepEqual(
      ids,
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    assert.ok(
      Object.keys(r.p0[0]).length > 40,
      'a deal of the chain carries every standard and custom field',
    );
  });

  it('the recorded batch resolves references to rows, totals, whole answers and a write', () => {
    const whole = batchResult('raw whole answers as parameters') as Record<string, { ID: string }[]>;
    assert.deepEqual(
      whole.picked.map((d) => d.ID),
      ['2', '5'],
    );
    const write = batchResult('raw write read back through a reference') as Json;
    assert.equal(write.add, 61);
    assert.deepEqual(write.read, [{ ID: '61', TITLE: 'Сделка <new> ', OPPORTUNITY: '10' }]);
    const mixed = batchResult('raw mixed batch') as Record<string, unknown[]>;
    assert.equal(mixed.more.length, 10, 'the second contact page starts after the first one’s last row');
    assert.equal(mixed.total.length, 20, 'the company filter took the lead total (60) through $result_total');
  });

  it('PHP escaping leaves no character beyond ASCII in a spliced batch answer', () => {
    for (const name of ['php deal chain', 'php mixed batch']) {
      assert.match(answers[name], /\\u04[0-9a-f]{2}/);
      assert.doesNotMatch(answers[name], /[^ -~]/);
    }
  });
});
