import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fieldTable } from '../../src/streams/declaration.js';
import { finishedWindowState, openWindow } from '../../src/streams/machinery/bookmark-window.js';
import { keyedRead, type PageSource } from '../../src/streams/machinery/keyed-read.js';
import { RecordTyper } from '../../src/streams/machinery/typed-records.js';
import type { ReadContext, StreamState } from '../../src/streams/stream.js';
import { CollectingLogger, DEFAULT_OPTIONS } from './stream-harness.js';

const BASE = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;

function context(state?: StreamState, runStartedAt = iso(BASE + 10_000_000)): ReadContext {
  return {
    client: undefined as never,
    options: { ...DEFAULT_OPTIONS, lookback_seconds: 60 },
    replicationMethod: 'INCREMENTAL',
    replicationKey: 'DATE_MODIFY',
    state,
    runStartedAt,
    logger: new CollectingLogger(),
  };
}

/** An in-memory table served the way a keyset list serves it: `>= window` in ID order, pages of `size`. */
function tableSource(rows: { ID: number; DATE_MODIFY: string }[], size: number): PageSource {
  return async function* (range) {
    const from = range.lowerBound ? Date.parse(range.lowerBound.value) : Number.NEGATIVE_INFINITY;
    const match = rows
      .filter((r) => Date.parse(r.DATE_MODIFY) >= from && r.ID > (range.startAfterId ?? 0))
      .sort((a, b) => a.ID - b.ID);
    for (let i = 0; i < match.length; i += size) {
      const page = match.slice(i, i + size).map((r) => ({ ...r }));
      yield { records: page, lastId: page[page.length - 1].ID };
    }
  };
}

const typer = new RecordTyper(
  't',
  fieldTable({ ID: ['integer', 'ID'], DATE_MODIFY: ['datetime', 'Modified'] }),
  ['ID'],
);

describe('bookmark window', () => {
  it('starts a first run at nothing, or at start_date; later runs at bookmark minus look-back', () => {
    assert.equal(openWindow(context(), 'DATE_MODIFY').start, null);
    const withStart = { ...context(), options: { ...DEFAULT_OPTIONS, start_date: '2026-02-03T04:05:06Z' } };
    assert.equal(openWindow(withStart, 'DATE_MODIFY').start, '2026-02-03T04:05:06+00:00');
    const state = { replication_key: 'DATE_MODIFY', replication_key_value: '2026-01-01T03:00:00+03:00' };
    assert.equal(openWindow(context(state), 'DATE_MODIFY').start, '2025-12-31T23:59:00+00:00');
    assert.equal(openWindow(context(state), 'CREATED').start, null, 'a bookmark of another key is not used');
  });

  it('caps the bookmark at the run start and never moves it backwards', () => {
    const run = iso(BASE + 1000);
    const window = {
      replicationKey: 'DATE_MODIFY',
      start: null,
      maxSeen: iso(BASE + 5000),
      previousBookmark: iso(BASE),
    };
    assert.equal(finishedWindowState(window, run).replication_key_value, run);
    const behind = { ...window, maxSeen: iso(BASE - 5000) };
    assert.equal(finishedWindowState(behind, run).replication_key_value, iso(BASE));
  });

  it('a read killed after any page and resumed from its state yields every row exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 2, maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        fc.nat(),
        async (offsets, size, killAt) => {
          const rows = offsets.map((s, i) => ({ ID: i * 3 + 1, DATE_MODIFY: iso(BASE + s * 1000) }));
          const source = tableSource(rows, size);
          const pages = Math.ceil(rows.length / size);
          // Killed before the last page: after that the next read is a new run, which re-reads its look-back.
          fc.pre(pages > 1);
          const stop = (killAt % (pages - 1)) + 1;
          const seen: number[] = [];
          let state: StreamState = {};
          let n = 0;
          for await (const page of keyedRead({ source, typer, replicationKey: 'DATE_MODIFY' }, context())) {
            seen.push(...page.records.map((r) => Number(r.ID)));
            state = page.state;
            if (++n >= stop) break;
          }
          for await (const page of keyedRead(
            { source, typer, replicationKey: 'DATE_MODIFY' },
            context(state),
          )) {
            seen.push(...page.records.map((r) => Number(r.ID)));
            state = page.state;
          }
          assert.deepEqual(
            [...seen].sort((a, b) => a - b),
            rows.map((r) => r.ID),
          );
          const newest = Math.max(...rows.map((r) => Date.parse(r.DATE_MODIFY)));
          assert.equal(Date.parse(state.replication_key_value as string), newest);
          assert.equal(state.resume, undefined);
        },
      ),
      { numRuns: 150 },
    );
  });
});
