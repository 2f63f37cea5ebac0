/**
 * The console over plain HTTP (no browser): sources through the API, runs through the real sync
 * engine into DuckDB, the catalog against the emulated portal's counts, and the guards (CSRF,
 * masked secrets, Host check, password, the description and cron rules).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ConsoleSetupError, startConsole } from '../../src/console/index.js';
import { type ConsoleHarness, draftFor, rowCounts, runToEnd, startHarness } from './console-harness.js';

let h: ConsoleHarness;

before(async () => {
  h = await startHarness({ scale: 40, seed: 11 });
});

after(async () => {
  await h?.close();
});

const CORE = new Set(['deals', 'contacts', 'companies', 'deal_products', 'product', 'deal_fields']);

test('a source created through the API runs once at a time and its catalog matches the portal', async () => {
  const draft = await draftFor(h, 'Api portal', (s) => CORE.has(s));
  const created = await h.api('POST', '/api/sources', draft);
  assert.equal(created.status, 201);
  assert.deepEqual(created.json, { ok: true, id: 'api_portal' });

  const first = (await h.api('POST', '/api/sources/api_portal/run')).json as { runId: string };
  const second = (await h.api('POST', '/api/sources/api_portal/run')).json as { runId: string };
  assert.equal(second.runId, first.runId, 'a run already going is not started twice');
  await h.console.services.runs.wait(first.runId);
  const run = (await h.api('GET', `/api/runs/${first.runId}`)).json as {
    status: string;
    progress: Record<string, { rows: number }>;
  };
  assert.equal(run.status, 'ok');
  assert.deepEqual(Object.keys(run.progress).sort(), [...CORE].sort());

  const catalog = (await h.api('GET', '/api/sources/api_portal/catalog')).json as {
    stream: string;
    syncType: string;
    rows: number;
    columns: { name: string; title?: string }[];
  }[];
  const counts = rowCounts(h.emulator);
  const loaded = catalog.filter((t) => t.syncType !== 'DERIVED');
  assert.deepEqual(loaded.map((t) => t.stream).sort(), [...CORE].sort());
  // Tables derived from them: multifield child tables and the enumeration items of deal_fields.
  const children = ['phones', 'emails', 'websites', 'messengers'];
  assert.deepEqual(
    catalog
      .filter((t) => t.syncType === 'DERIVED')
      .map((t) => t.stream)
      .sort(),
    [...['contact', 'company'].flatMap((owner) => children.map((c) => `${owner}_${c}`)), 'enum_items'].sort(),
  );
  const deals = catalog.find((t) => t.stream === 'deals')!;
  assert.equal(deals.columns.find((c) => c.name === 'UF_CRM_MONEY')?.title, 'Budget');
  const phonesPage = await fetch(`${h.console.url}/sources/api_portal/tables/contact_phones`);
  assert.equal(phonesPage.status, 200);
  assert.match(await phonesPage.text(), /CONTACT_ID/);
  for (const t of loaded) {
    assert.equal(t.rows, counts[t.stream], `rows of ${t.stream}`);
    assert.ok(t.columns.some((c) => c.name === 'ID' || c.name === 'id' || c.name === 'NAME'));
  }
  const history = (await h.api('GET', '/api/sources/api_portal/runs')).json as { id: string }[];
  assert.equal(history[0].id, first.runId);
  const pageResponse = await fetch(`${h.console.url}/sources/api_portal/tables/deals`);
  assert.equal(pageResponse.status, 200);
  assert.match(await pageResponse.text(), /<table class="grid" id="preview">/);
});

test('secrets stay masked in pages and the API, and an edit that keeps the mask keeps the secret', async () => {
  const draft = await draftFor(h, 'Masked', (s) => s === 'users');
  assert.equal((await h.api('POST', '/api/sources', draft)).status, 201);
  const code = /\/rest\/1\/([^/]+)\//.exec(h.emulator.webhookUrl)![1];
  const listed = JSON.stringify((await h.api('GET', '/api/sources')).json);
  assert.ok(!listed.includes(code), 'the webhook code never reaches the browser');
  const editPage = await (await fetch(`${h.console.url}/sources/masked/edit`)).text();
  assert.ok(!editPage.includes(code));
  const masked = ((await h.api('GET', '/api/sources/masked')).json as { config: { webhook_url: string } })
    .config.webhook_url;
  assert.match(masked, /\/rest\/1\/\w\w…\w\w\/$/);

  const edited = await h.api('POST', '/api/sources/masked', {
    ...draft,
    description: 'edited',
    access: { kind: 'webhook', webhook_url: masked },
  });
  assert.equal(edited.status, 200);
  const file = join(h.dataDir, 'sources.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as {
    sources: { id: string; description: string; config: { webhook_url: string } }[];
  };
  const source = stored.sources.find((s) => s.id === 'masked')!;
  assert.equal(source.config.webhook_url, h.emulator.webhookUrl);
  assert.equal(source.description, 'edited');
  assert.equal((await runToEnd(h, 'masked')).status, 'ok');
});

test('the server enforces the wizard rules: CSRF, 140 characters, cron, a wrong webhook', async () => {
  const draft = await draftFor(h, 'Rules', (s) => s === 'users');
  const noToken = await fetch(`${h.console.url}/api/sources`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(draft),
  });
  assert.equal(noToken.status, 403);
  const formNoToken = await fetch(`${h.console.url}/sources/api_portal/run`, { method: 'POST', body: '' });
  assert.equal(formNoToken.status, 403);

  const long = await h.api('POST', '/api/sources', { ...draft, description: 'x'.repeat(141) });
  assert.equal(long.status, 400);
  assert.equal((long.json as { field: string }).field, 'description');
  const exact = await h.api('POST', '/api/sources/validate', {
    draft: { ...draft, description: 'x'.repeat(140) },
  });
  assert.equal(exact.status, 200);

  const cron = await h.api('POST', '/api/sources', {
    ...draft,
    trigger: { preset: 'cron', cron: '61 * * * *' },
  });
  assert.equal((cron.json as { field: string }).field, 'trigger.cron');

  const wrong = h.emulator.webhookUrl.replace(/\/rest\/1\/[^/]+\//, '/rest/1/nottherightcode/');
  const refused = (await h.api('POST', '/api/check', { access: { kind: 'webhook', webhook_url: wrong } }))
    .json as {
    ok: boolean;
    error: string;
  };
  assert.equal(refused.ok, false);
  assert.match(refused.error, /refused these credentials/);
  assert.ok(!refused.error.includes('nottherightcode'));
  const notAWebhook = (
    await h.api('POST', '/api/check', { access: { kind: 'webhook', webhook_url: 'https://x.example/' } })
  ).json as { ok: boolean; error: string };
  assert.match(notAWebhook.error, /not an incoming webhook URL/);
});

test('a missing scope is reported against the streams it hides', async () => {
  const narrow = await startHarness({ scale: 10, scopes: ['crm'] });
  try {
    const check = (
      await narrow.api('POST', '/api/check', {
        access: { kind: 'webhook', webhook_url: narrow.emulator.webhookUrl },
        options: { plan: 'unlimited' },
      })
    ).json as {
      ok: boolean;
      streams: { name: string }[];
      unavailable: { name: string; reason: string; group: string }[];
    };
    assert.equal(check.ok, true);
    assert.ok(!check.streams.some((s) => s.name === 'users'));
    const users = check.unavailable.find((u) => u.name === 'users');
    assert.equal(users?.group, 'users_and_structure');
    assert.match(users?.reason ?? '', /scope|permission/i);
  } finally {
    await narrow.close();
  }
});

test('deleting a source keeps its tables unless asked, and refuses foreign hosts', async () => {
  const draft = await draftFor(h, 'Doomed', (s) => s === 'departments');
  await h.api('POST', '/api/sources', draft);
  assert.equal((await runToEnd(h, 'doomed')).status, 'ok');
  const db = join(h.dataDir, 'doomed.duckdb');
  assert.ok(existsSync(db));
  assert.equal((await h.api('POST', '/api/sources/doomed/delete', {})).status, 200);
  assert.ok(existsSync(db), 'tables stay without the explicit confirmation');
  await h.api('POST', '/api/sources', draft);
  assert.equal((await h.api('POST', '/api/sources/doomed/delete', { drop_tables: true })).status, 200);
  assert.ok(!existsSync(db));

  // fetch() cannot set Host, so a raw node:http request plays the DNS-rebinding page.
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(`${h.console.url}/sources`, { headers: { host: 'attacker.example' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(status, 421);
});

test('binding beyond loopback needs a password, and then every request needs it', async () => {
  await assert.rejects(
    startConsole({ port: 0, host: '0.0.0.0', dataDir: h.dataDir, schedule: false }),
    ConsoleSetupError,
  );
  const guarded = await startConsole({
    port: 0,
    host: '0.0.0.0',
    dataDir: h.dataDir,
    password: 's3cret',
    schedule: false,
  });
  try {
    const url = `http://127.0.0.1:${guarded.port}/sources`;
    assert.equal((await fetch(url)).status, 401);
    const ok = await fetch(url, {
      headers: { authorization: `Basic ${Buffer.from('me:s3cret').toString('base64')}` },
    });
    assert.equal(ok.status, 200);
  } finally {
    await guarded.close();
  }
});

test('a cron trigger starts runs inside the console, never two at once', async () => {
  const draft = await draftFor(h, 'Ticking', (s) => s === 'deals' || s === 'deal_products');
  const created = await h.api('POST', '/api/sources', {
    ...draft,
    trigger: { preset: 'cron', cron: '* * * * * *' },
  });
  assert.equal(created.status, 201);
  const listed = (await h.api('GET', '/api/sources/ticking')).json as { nextRun: string | null };
  assert.ok(listed.nextRun !== null && Date.parse(listed.nextRun) - Date.now() <= 1500);
  const deadline = Date.now() + 15_000;
  let history: { trigger: string; status: string; startedAt: string; finishedAt?: string }[] = [];
  while (Date.now() < deadline) {
    history = (await h.api('GET', '/api/sources/ticking/runs')).json as typeof history;
    if (history.filter((r) => r.status !== 'running').length >= 2) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await h.api('POST', '/api/sources/ticking', draft); // back to "by hand": the job stops
  const done = history.filter((r) => r.status !== 'running');
  assert.ok(done.length >= 2, `scheduled runs: ${JSON.stringify(history)}`);
  assert.ok(done.every((r) => r.trigger === 'schedule' && r.status === 'ok'));
  const ordered = [...done].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  for (let i = 1; i < ordered.length; i++) {
    assert.ok(ordered[i].startedAt >= ordered[i - 1].finishedAt!, 'runs of one source never overlap');
  }
  assert.equal(((await h.api('GET', '/api/sources/ticking')).json as { nextRun: unknown }).nextRun, null);
});

test('a source with models on lists the model views in its catalog, each with a preview', async () => {
  const streams = new Set(['deals', 'status_list', 'deal_stage_history', 'users', 'departments']);
  const draft = { ...(await draftFor(h, 'Funnel portal', (s) => streams.has(s))), models: true };
  assert.equal((await h.api('POST', '/api/sources', draft)).status, 201);
  const run = await runToEnd(h, 'funnel_portal');
  assert.equal(run.status, 'ok', JSON.stringify(run.error));
  const catalog = await (await fetch(`${h.console.url}/sources/funnel_portal/catalog`)).text();
  const listed = [...catalog.matchAll(/<tr data-model="([a-z_0-9]+)">/g)].map((m) => m[1]);
  // leads was not synced, so lead_conversion is left out; the deal models are there.
  assert.deepEqual(listed.sort(), [
    'deal_stage_durations',
    'deal_stages',
    'deals_enriched',
    'funnel_conversion',
    'manager_performance',
  ]);
  const page = await fetch(`${h.console.url}/sources/funnel_portal/models/funnel_conversion`);
  assert.equal(page.status, 200);
  const text = await page.text();
  assert.match(text, /<th>deals_reached<\/th>/);
  const previewRows = (text.split('id="preview"')[1] ?? '').split('</table>')[0]!.match(/<tr>/g) ?? [];
  assert.ok(previewRows.length > 1, 'the preview shows rows');
  assert.equal((await fetch(`${h.console.url}/sources/funnel_portal/models/no_such_model`)).status, 404);
});
