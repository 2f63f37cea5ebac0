/**
 * Which state a stream reads from, commits with each batch and commits at the finish, per load
 * mode: only an upsert resumes and advances its bookmark batch by batch; a replace or full scan
 * reads from scratch and holds the saved bookmark until its finish.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamState } from '../../src/streams/stream.js';
import { LAST_FULL_SCAN_KEY } from '../../src/sync/full-sync-cadence.js';
import { loadModeFor, StreamBookmark } from '../../src/sync/stream-bookmark.js';
import type { StreamSelection } from '../../src/sync/sync-shapes.js';

const RUN_STARTED = '2026-03-10T00:00:00+00:00';
const SAVED: StreamState = {
  replication_key: 'DATE_MODIFY',
  replication_key_value: '2026-03-01T00:00:00+00:00',
  resume: { after: 40 },
  [LAST_FULL_SCAN_KEY]: '2026-03-05T00:00:00+00:00',
};
const PAGE: StreamState = {
  replication_key: 'DATE_MODIFY',
  replication_key_value: '2026-03-09T00:00:00+00:00',
  resume: { after: 90 },
};

function selection(extra: Partial<StreamSelection>): StreamSelection {
  return { replicationMethod: 'INCREMENTAL', ...extra } as StreamSelection;
}

describe('loadModeFor', () => {
  it('replaces a full-table stream or a --full run, scans when asked or due, else upserts', () => {
    assert.equal(
      loadModeFor(selection({ replicationMethod: 'FULL_TABLE' }), SAVED, 0, RUN_STARTED),
      'replace',
    );
    assert.equal(loadModeFor(selection({ replace: true, fullScan: true }), SAVED, 0, RUN_STARTED), 'replace');
    assert.equal(loadModeFor(selection({ fullScan: true }), SAVED, 0, RUN_STARTED), 'full_scan');
    assert.equal(loadModeFor(selection({}), SAVED, 5, RUN_STARTED), 'full_scan', 'five days since the last');
    assert.equal(loadModeFor(selection({}), SAVED, 6, RUN_STARTED), 'upsert', 'not yet six days');
    assert.equal(loadModeFor(selection({}), undefined, 1, RUN_STARTED), 'upsert', 'a first run reads whole');
  });
});

describe('StreamBookmark', () => {
  it('upsert: resumes from the saved state, commits each page state keeping the cadence, ends without resume', () => {
    const bookmark = new StreamBookmark('upsert', SAVED, 'INCREMENTAL', RUN_STARTED);
    assert.equal(bookmark.whole, false);
    assert.deepEqual(bookmark.readState, SAVED);
    assert.deepEqual(bookmark.batchState(PAGE), { ...PAGE, [LAST_FULL_SCAN_KEY]: SAVED[LAST_FULL_SCAN_KEY] });
    const { resume: _resume, ...done } = PAGE;
    assert.deepEqual(bookmark.finalState(PAGE), { ...done, [LAST_FULL_SCAN_KEY]: SAVED[LAST_FULL_SCAN_KEY] });
  });

  it('a first upsert reads whole, so it ends with the time of that whole read', () => {
    const bookmark = new StreamBookmark('upsert', undefined, 'INCREMENTAL', RUN_STARTED);
    assert.equal(bookmark.whole, true);
    assert.equal(bookmark.readState, undefined);
    assert.deepEqual(bookmark.initial, {});
    assert.equal(bookmark.finalState(PAGE)[LAST_FULL_SCAN_KEY], RUN_STARTED);
  });

  for (const mode of ['replace', 'full_scan'] as const) {
    it(`${mode}: reads from scratch and commits the saved state (without resume) until the finish`, () => {
      const bookmark = new StreamBookmark(mode, SAVED, 'INCREMENTAL', RUN_STARTED);
      assert.equal(bookmark.whole, true);
      assert.equal(bookmark.readState, undefined);
      const { resume: _saved, ...held } = SAVED;
      assert.deepEqual(bookmark.batchState(PAGE), held);
      const { resume: _page, ...read } = PAGE;
      assert.deepEqual(bookmark.finalState(PAGE), { ...read, [LAST_FULL_SCAN_KEY]: RUN_STARTED });
    });
  }

  it('a full-table stream never gets a full-sync time', () => {
    const bookmark = new StreamBookmark('replace', undefined, 'FULL_TABLE', RUN_STARTED);
    assert.deepEqual(bookmark.finalState({}), {});
    assert.deepEqual(bookmark.batchState({ resume: { after: 3 } }), {});
  });
});
