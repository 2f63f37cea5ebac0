/**
 * The Singer mode end to end, mirroring the Singer SDK's tap test suite: the real CLI
 * (`bin/tap-bitrix24.js`) against the emulator on loopback, stdout parsed as Singer messages.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Bitrix24Client } from '../../src/client/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { portalSummary } from '../../src/emulator/methods/index.js';
import { type JsonSchema, validatorFor } from '../../src/schema/index.js';
import type { Catalog } from '../../src/singer/catalog.js';
import { tempDir } from '../temp-dir.js';

const BIN = fileURLToPath(new URL('../../bin/tap-bitrix24.js', import.meta.url));
const DESIGN_STREAMS = [
  'contacts',
  'companies',
  'deals',
  'leads',
  'activities',
  'product',
  'contact_fields',
  'company_fields',
  'deal_fields',
  'lead_fields',
  'activity_fields',
  'product_fields',
  'status_list',
  'deal_categories',
  'deal_stage_history',
  'lead_stage_history',
  'deal_comments',
  'deal_products',
  'spa_types',
  'users',
  'departments',
  'calls',
  'open_lines',
];
const SCOPED_OUT = ['users', 'departments', 'calls', 'open_lines'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
type Message = { type: string; stream?: string; [k: string]: unknown };

function tap(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'info' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the tap like a target that exits after the first chunk of messages. */
function tapClosingEarly(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.once('data', (d) => {
      stdout += d;
      child.stdout.destroy();
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every stdout line must be a Singer message; anything else fails the test. */
function messages(stdout: string): Message[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((line) => {
      const m = JSON.parse(line) as Message;
      assert.ok(
        ['SCHEMA', 'RECORD', 'STATE', 'ACTIVATE_VERSION'].includes(m.type),
        `not a Singer message: ${line.slice(0, 200)}`,
      );
      return m;
    });
}

function selectAll(catalog: Catalog, only?: (stream: string) => boolean): Catalog {
  const copy = structuredClone(catalog);
  for (const entry of copy.streams) {
    const root = entry.metadata.find((m) => m.breadcrumb.length === 0)!.metadata;
    root.selected = only ? only(entry.tap_stream_id) : true;
  }
  return copy;
}

describe('tap-bitrix24 in Singer mode', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let config: string;
  let catalog: Catalog;
  let catalogPath: string;
  let finalState: Record<string, unknown>;
  let firstRun: Message[];
  const write = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };

  before(async () => {
    emulator = await startEmulator({ seed: 11, scale: 60, plan: 'unlimited', timeScale: 1000 });
    dir = tempDir('tap-singer-');
    config = write('config.json', {
      webhook_url: emulator.webhookUrl,
      plan: 'unlimited',
      extract_deal_contacts: true,
      enable_deal_comments: true,
      enable_deal_products: true,
    });
  });
  after(async () => emulator?.close());

  it('--about --format json prints the capabilities and settings', async () => {
    const run = await tap(['--about', '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const about = JSON.parse(run.stdout) as {
      name: string;
      capabilities: string[];
      settings: { properties: Record<string, unknown> };
    };
    assert.equal(about.name, 'tap-bitrix24');
    for (const c of ['catalog', 'discover', 'state', 'about', 'test', 'activate-version'])
      assert.ok(about.capabilities.includes(c), c);
    assert.ok(about.settings.properties.webhook_url);
  });

  it('--discover prints a valid catalog of every stream, custom fields typed', async () => {
    const run = await tap(['--config', config, '--discover']);
    assert.equal(run.code, 0, run.stderr);
    catalog = JSON.parse(run.stdout) as Catalog;
    const names = catalog.streams.map((s) => s.tap_stream_id);
    for (const name of DESIGN_STREAMS) assert.ok(names.includes(name), `missing stream ${name}`);
    assert.ok(
      names.some((n) => /^spa_\d+$/.test(n)),
      'a smart-process item stream',
    );
    assert.ok(
      names.some((n) => /^spa_fields_\d+$/.test(n)),
      'a smart-process fields stream',
    );
    for (const entry of catalog.streams) {
      assert.equal(entry.stream, entry.tap_stream_id);
      assert.ok(entry.key_properties.length > 0, entry.stream);
      const root = entry.metadata.find((m) => m.breadcrumb.length === 0);
      assert.ok(root, `${entry.stream} root metadata`);
      assert.equal(root.metadata.inclusion, 'available');
      assert.ok(typeof root.metadata['selected-by-default'] === 'boolean');
      for (const key of entry.key_properties) {
        const md = entry.metadata.find((m) => m.breadcrumb[1] === key);
        assert.equal(md?.metadata.inclusion, 'automatic', `${entry.stream}.${key}`);
      }
    }
    const deals = catalog.streams.find((s) => s.stream === 'deals')!;
    const custom = Object.entries(deals.schema.properties ?? {}).filter(([name]) =>
      name.startsWith('UF_CRM_'),
    );
    assert.ok(custom.length > 0, 'deals have custom fields');
    assert.ok(
      custom.some(([, s]) => JSON.stringify(s.type) !== '["string","null"]'),
      'some custom field has a non-string type',
    );
    assert.equal(deals.replication_key, 'DATE_MODIFY');
    catalogPath = write('catalog.json', selectAll(catalog));
  });

  it('a full run emits SCHEMA first, valid RECORDs, every portal row, STATE and ACTIVATE_VERSION', async () => {
    const run = await tap(['--config', config, '--catalog', catalogPath]);
    assert.equal(run.code, 0, run.stderr);
    const all = messages(run.stdout);
    firstRun = all;
    const last = all.at(-1)!;
    assert.equal(last.type, 'STATE');
    finalState = last.value as Record<string, unknown>;
    const schemas = new Map<string, { schema: JsonSchema; keys: string[] }>();
    const ids = new Map<string, Set<string>>();
    all.forEach((m) => {
      if (m.type === 'SCHEMA')
        schemas.set(m.stream!, { schema: m.schema as JsonSchema, keys: m.key_properties as string[] });
      if (m.type !== 'RECORD') return;
      const schema = schemas.get(m.stream!);
      assert.ok(schema, `RECORD of ${m.stream} before its SCHEMA`);
      assert.match(m.time_extracted as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      const record = m.record as Record<string, unknown>;
      const problems = validatorFor(schema.schema).problems(record);
      assert.deepEqual(problems, [], `${m.stream} record ${JSON.stringify(record).slice(0, 300)}`);
      for (const key of schema.keys)
        assert.ok(record[key] !== undefined && record[key] !== null, `${m.stream} key ${key}`);
      const set = ids.get(m.stream!) ?? new Set<string>();
      set.add(schema.keys.map((k) => String(record[k])).join('|'));
      ids.set(m.stream!, set);
    });
    assert.equal(schemas.size, catalog.streams.length, 'a SCHEMA for every selected stream');
    for (const entry of catalog.streams) {
      if (entry.replication_method !== 'FULL_TABLE') continue;
      const activate = all.filter((m) => m.type === 'ACTIVATE_VERSION' && m.stream === entry.stream);
      assert.equal(activate.length, 1, `ACTIVATE_VERSION for ${entry.stream}`);
      const versions = new Set(
        all.filter((m) => m.type === 'RECORD' && m.stream === entry.stream).map((m) => m.version),
      );
      assert.ok(
        versions.size <= 1 && (versions.size === 0 || versions.has(activate[0]!.version)),
        entry.stream,
      );
    }
    const states = all.filter((m) => m.type === 'STATE');
    assert.ok(states.length >= catalog.streams.length);
    const bookmarks = finalState.bookmarks as Record<string, { replication_key_value?: string }>;
    assert.ok(bookmarks.deals?.replication_key_value, 'deals bookmark');
    assert.match(run.stderr, /METRIC: .*record_count/);
    assert.equal(
      run.stderr.includes(emulator.webhookUrl.split('/').at(-2)!),
      false,
      'webhook code leaked to stderr',
    );
    // Last, so a count mismatch does not hide the checks above.
    const summary = portalSummary(emulator.portal as Parameters<typeof portalSummary>[0]) as Record<
      string,
      number
    >;
    const compared = Object.keys(summary).filter((s) => schemas.has(s));
    for (const main of ['deals', 'contacts', 'companies', 'leads', 'activities'])
      assert.ok(compared.includes(main), main);
    const emitted = Object.fromEntries(compared.map((stream) => [stream, ids.get(stream)?.size ?? 0]));
    const held = Object.fromEntries(compared.map((stream) => [stream, summary[stream]]));
    assert.deepEqual(emitted, held, 'distinct records per stream = rows the portal holds');
  });

  it('a second run from the final STATE emits only the changed deals and the look-back window', async () => {
    const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
    const firstDeals = firstRun
      .filter((m) => m.type === 'RECORD' && m.stream === 'deals')
      .map((m) => m.record as Record<string, string>);
    const changed = firstDeals.slice(3, 8).map((d) => String(d.ID));
    for (const id of changed)
      await client.write('crm.deal.update', { id, fields: { TITLE: `changed ${id}` } });
    await client.close();
    const bookmark = (finalState.bookmarks as Record<string, { replication_key_value: string }>).deals
      .replication_key_value;
    const lookbackStart = Date.parse(bookmark) - 300_000;
    const inWindow = firstDeals
      .filter((d) => Date.parse(d.DATE_MODIFY!) >= lookbackStart)
      .map((d) => String(d.ID));
    // The window must be narrow, or the assertion below could not tell an incremental run from a full one.
    assert.ok(inWindow.length < firstDeals.length / 2, `look-back window holds ${inWindow.length} deals`);
    const statePath = write('state.json', finalState);
    const run = await tap(['--config', config, '--catalog', catalogPath, '--state', statePath]);
    assert.equal(run.code, 0, run.stderr);
    const deals = messages(run.stdout)
      .filter((m) => m.type === 'RECORD' && m.stream === 'deals')
      .map((m) => m.record as Record<string, string>);
    assert.deepEqual(new Set(deals.map((d) => String(d.ID))), new Set([...changed, ...inWindow]));
    for (const deal of deals.filter((d) => changed.includes(String(d.ID))))
      assert.equal(deal.TITLE, `changed ${deal.ID}`);
  });

  it('a catalog deselecting a field drops it from SCHEMA and RECORDs', async () => {
    const narrowed = selectAll(catalog, (s) => s === 'deals');
    const deals = narrowed.streams.find((s) => s.stream === 'deals')!;
    deals.metadata.find((m) => m.breadcrumb[1] === 'TITLE')!.metadata.selected = false;
    const run = await tap(['--config', config, '--catalog', write('narrow.json', narrowed)]);
    assert.equal(run.code, 0, run.stderr);
    const all = messages(run.stdout);
    const schema = all.find((m) => m.type === 'SCHEMA')!;
    assert.equal(schema.stream, 'deals');
    assert.equal('TITLE' in (schema.schema as JsonSchema).properties!, false);
    assert.ok('ID' in (schema.schema as JsonSchema).properties!);
    const records = all.filter((m) => m.type === 'RECORD');
    assert.ok(records.length > 0);
    assert.ok(
      records.every(
        (m) => m.stream === 'deals' && !('TITLE' in (m.record as object)) && 'ID' in (m.record as object),
      ),
    );
  });

  it('--test checks the connection; --test=schema prints SCHEMA messages only; a closed pipe stops quietly', async () => {
    const [test, schema, closed] = await Promise.all([
      tap(['--config', config, '--test']),
      tap(['--config', config, '--test=schema']),
      tapClosingEarly(['--config', config, '--catalog', catalogPath]),
    ]);
    // A target that exits early ends the run quietly: no crash, no CRITICAL, exit 0.
    assert.equal(closed.code, 0, closed.stderr);
    assert.match(closed.stderr, /the target closed stdout before the run ended/);
    assert.equal(/CRITICAL|EPIPE/.test(closed.stderr), false, closed.stderr);
    assert.equal(test.code, 0, test.stderr);
    assert.equal(test.stdout, '');
    assert.match(test.stderr, /connection test passed/);
    assert.equal(schema.code, 0, schema.stderr);
    const all = messages(schema.stdout);
    assert.ok(all.length > 5 && all.every((m) => m.type === 'SCHEMA'));
  });

  it('a bad catalog, bad state or wrong webhook fails with a CRITICAL line naming the problem', async () => {
    const badCatalog = write('bad.json', { streams: [{ tap_stream_id: 'deals', metadata: {} }] });
    const badState = write('bad-state.json', { bookmarks: { deals: 3 } });
    const wrongWebhook = write('wrong.json', {
      webhook_url: emulator.webhookUrl.replace(/\/[^/]+\/$/, '/wrongcode123/'),
    });
    const [catalogRun, stateRun, denied] = await Promise.all([
      tap(['--config', config, '--catalog', badCatalog]),
      tap(['--config', config, '--state', badState]),
      tap(['--config', wrongWebhook, '--test']),
    ]);
    assert.equal(catalogRun.code, 1);
    assert.equal(catalogRun.stdout, '');
    assert.match(
      catalogRun.stderr,
      /CRITICAL catalog .*bad\.json: at streams\[0\]\.metadata: must be an array/,
    );
    assert.equal(stateRun.code, 1);
    assert.match(stateRun.stderr, /CRITICAL state .*\\"bookmarks\.deals\\" must be an object/);
    assert.equal(denied.code, 1);
    assert.equal(denied.stdout, '');
    assert.match(denied.stderr.trim().split('\n').at(-1)!, /CRITICAL.*NO_AUTH_FOUND/);
    assert.equal(denied.stderr.includes('wrongcode123'), false, 'webhook code redacted');
  });

  it('with the crm scope only, users, departments, calls and open lines are absent and the run succeeds', async () => {
    const crmOnly = await startEmulator({
      seed: 12,
      scale: 20,
      plan: 'unlimited',
      timeScale: 1000,
      scopes: ['crm'],
    });
    try {
      const crmConfig = write('crm-config.json', { webhook_url: crmOnly.webhookUrl, plan: 'unlimited' });
      const oldCatalog = write(
        'old-catalog.json',
        selectAll(catalog, (s) => ['deals', 'users', 'calls'].includes(s)),
      );
      const [run, discover] = await Promise.all([
        tap(['--config', crmConfig, '--catalog', oldCatalog]),
        tap(['--config', crmConfig, '--discover']),
      ]);
      assert.equal(run.code, 0, run.stderr);
      const streams = new Set(
        messages(run.stdout)
          .filter((m) => m.type === 'SCHEMA')
          .map((m) => m.stream),
      );
      assert.deepEqual(streams, new Set(['deals']));
      assert.match(run.stderr, /'users' is selected in the catalog but not available/);
      assert.equal(discover.code, 0, discover.stderr);
      const names = (JSON.parse(discover.stdout) as Catalog).streams.map((s) => s.stream);
      for (const name of SCOPED_OUT) assert.equal(names.includes(name), false, name);
      assert.ok(names.includes('deals'));
    } finally {
      await crmOnly.close();
    }
  });
});
