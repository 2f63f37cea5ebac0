import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { keyOf, openPortal, type PortalUnderTest, readStream, streamNamed } from './stream-harness.js';

describe('incremental reads', () => {
  let portal: PortalUnderTest;
  before(async () => {
    portal = await openPortal({ scale: 300, options: { lookback_seconds: 60, enable_deal_comments: true } });
  });
  after(() => portal.close());

  it('after 5 changes, a read from the final state yields those 5 and what the look-back covers, nothing else', async () => {
    const deals = streamNamed(portal, 'deals');
    const first = await readStream(portal, deals);
    const bookmark = first.finalState.replication_key_value;
    assert.equal(typeof bookmark, 'string');
    assert.equal(first.finalState.resume, undefined);

    const changed = first.records.slice(10, 15).map((r) => Number(r.ID));
    for (const id of changed) {
      await portal.client.write('crm.deal.update', { id, fields: { TITLE: `changed ${id}` } });
    }
    const windowStart = Date.parse(bookmark as string) - portal.options.lookback_seconds * 1000;
    const lookedBack = first.records
      .filter((r) => Date.parse(String(r.DATE_MODIFY)) >= windowStart)
      .map((r) => Number(r.ID));
    const expected = new Set([...changed, ...lookedBack]);
    assert.ok(expected.size < first.records.length / 2, 'the window is small compared with the table');

    const second = await readStream(portal, deals, { state: first.finalState });
    const got = new Set(second.records.map((r) => Number(r.ID)));
    assert.deepEqual(
      [...got].sort((a, b) => a - b),
      [...expected].sort((a, b) => a - b),
    );
    for (const id of changed) {
      assert.equal(second.records.find((r) => Number(r.ID) === id)?.TITLE, `changed ${id}`);
    }
    const next = second.finalState.replication_key_value as string;
    assert.ok(Date.parse(next) >= Date.parse(bookmark as string), 'the bookmark never moves backwards');
  });

  it('every incremental stream filters on its replication key: a second run reads only its look-back window', async () => {
    const incremental = portal.discovery.streams.filter(
      (s) => s.replicationKey && s.forcedReplicationMethod !== 'FULL_TABLE',
    );
    assert.ok(incremental.length >= 8);
    assert.ok(incremental.some((s) => s.name === 'deal_comments'));
    for (const stream of incremental) {
      const first = await readStream(portal, stream);
      const rk = stream.replicationKey as string;
      const bookmark = Date.parse(first.finalState.replication_key_value as string);
      // A bookmark inside the data, so the window holds some rows and leaves others out.
      const times = first.records.map((r) => Date.parse(String(r[rk]))).sort((a, b) => a - b);
      const middle = times[Math.floor(times.length / 2)];
      const state = { replication_key: rk, replication_key_value: new Date(middle).toISOString() };
      const second = await readStream(portal, stream, { state });
      const from = middle - portal.options.lookback_seconds * 1000;
      const expected = first.records.filter((r) => Date.parse(String(r[rk])) >= from).length;
      assert.ok(expected < first.records.length, `${stream.name}: the window leaves rows out`);
      assert.equal(second.records.length, expected, `${stream.name} on ${rk}`);
      assert.ok(bookmark >= middle);
    }
  });

  it('a run killed mid-window resumes after the last durable page: nothing lost, nothing duplicated', async () => {
    const deals = streamNamed(portal, 'deals');
    const whole = await readStream(portal, deals);
    const killed = await readStream(portal, deals, { stopAfterPages: 1 });
    const checkpoint = killed.finalState;
    assert.ok(checkpoint.resume, 'mid-run state carries resume');
    assert.equal(
      checkpoint.replication_key_value,
      undefined,
      'the bookmark does not move before the window is finished',
    );
    const resumed = await readStream(portal, deals, { state: checkpoint });
    const keys = [...killed.records, ...resumed.records].map((r) => keyOf(deals, r));
    assert.equal(new Set(keys).size, keys.length, 'no record read twice');
    assert.deepEqual(new Set(keys), new Set(whole.records.map((r) => keyOf(deals, r))));
    assert.equal(resumed.finalState.resume, undefined);
  });

  it('starts the first run at start_date', async () => {
    const deals = streamNamed(portal, 'deals');
    const whole = await readStream(portal, deals);
    const times = whole.records.map((r) => Date.parse(String(r.DATE_MODIFY))).sort((a, b) => a - b);
    const startDate = new Date(times[Math.floor(times.length / 2)]).toISOString();
    const recent = await readStream(portal, deals, { options: { ...portal.options, start_date: startDate } });
    const expected = whole.records.filter(
      (r) => Date.parse(String(r.DATE_MODIFY)) >= Date.parse(startDate),
    ).length;
    assert.equal(recent.records.length, expected);
  });

  it('an additional full sync with keysOnly reads every ID and nothing more', async () => {
    const deals = streamNamed(portal, 'deals');
    const before = portal.emulator.stats().rows_returned;
    const scan = await readStream(portal, deals, {
      fullScan: { keysOnly: true },
      state: { replication_key: 'DATE_MODIFY', replication_key_value: '2999-01-01T00:00:00+00:00' },
    });
    assert.ok(portal.emulator.stats().rows_returned - before >= scan.records.length);
    const whole = await readStream(portal, deals);
    assert.equal(scan.records.length, whole.records.length);
    assert.ok(
      scan.records.every((r) => r.ID !== undefined && (r.TITLE === undefined || r.TITLE === null)),
      'only keys were read',
    );
    assert.equal(
      scan.finalState.replication_key_value,
      '2999-01-01T00:00:00+00:00',
      'an ID scan leaves the bookmark alone',
    );
  });
});
