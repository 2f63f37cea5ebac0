/**
 * The console on a portal without user.fields: the run ends failed naming users and the reason
 * while every other table fills, and "Verify against the portal" records a verification that the
 * source's catalog page shows.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ConsoleHarness, draftFor, rowCounts, runToEnd, startHarness } from './console-harness.js';

let h: ConsoleHarness;
before(async () => {
  h = await startHarness({ scale: 30, seed: 8, missingMethods: ['user.fields'] });
});
after(() => h?.close());

interface RunJson {
  status: string;
  error?: string;
  summary: { streams: { stream: string; rows: number; status: string; error?: string }[] };
}

test('a run names the unavailable stream and its reason; verify is shown per table', async () => {
  const draft = await draftFor(h, 'Isolation', (s) => ['deals', 'leads', 'users'].includes(s));
  // The portal check lists users as unavailable, so the draft cannot pick it: select it by hand.
  (draft.streams as Record<string, unknown>).users = { selected: true, sync_type: 'FULL_TABLE' };
  const created = (await h.api('POST', '/api/sources', draft)).json as { id: string };
  const run = (await runToEnd(h, created.id)) as unknown as RunJson;
  assert.equal(run.status, 'failed');
  assert.match(run.error ?? '', /users/);
  const users = run.summary.streams.find((s) => s.stream === 'users')!;
  assert.equal(users.status, 'unavailable');
  assert.match(users.error!, /the portal does not offer user\.fields \(ERROR_METHOD_NOT_FOUND/);
  const deals = run.summary.streams.find((s) => s.stream === 'deals')!;
  assert.deepEqual([deals.status, deals.rows], ['ok', rowCounts(h.emulator).deals]);

  const runs = await (await fetch(`${h.console.url}/sources/${created.id}/runs`)).text();
  assert.match(runs, /users unavailable: the portal does not offer user\.fields/);

  const before = await (await fetch(`${h.console.url}/sources/${created.id}/catalog`)).text();
  assert.match(before, /Not verified yet/);
  const posted = await fetch(`${h.console.url}/sources/${created.id}/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.console.url },
    body: new URLSearchParams({ _csrf: h.csrf }).toString(),
    redirect: 'manual',
  });
  assert.equal(posted.status, 303, await posted.text());
  const location = posted.headers.get('location')!;
  const page = await (await fetch(new URL(location, h.console.url))).text();
  assert.match(page, /Verified: 0 table\(s\) with drift, 1 failed \(users\)/);
  assert.match(page, /Last verification [0-9-]+ [0-9:]+ UTC: 2 ok, 0 with drift, 0 failed, 0 not counted/);
  const n = rowCounts(h.emulator);
  assert.match(page, new RegExp(`data-stream="deals"[^>]*>.*?portal ${n.deals}, warehouse ${n.deals}`, 's'));
});
