import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { runCli } from './run-cli.js';

async function views(path: string, schema: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `select table_name from information_schema.tables where table_schema = '${schema}' and table_type = 'VIEW' order by 1`,
    );
    return reader.getRowObjectsJson().map((r) => String(r.table_name));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('tap-bitrix24 models', () => {
  let emulator: RunningEmulator;
  const dir = mkdtempSync(join(tmpdir(), 'tap-cli-models-'));
  const writeConfig = (name: string, config: Record<string, unknown>) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify({ webhook_url: emulator.webhookUrl, plan: 'unlimited', ...config }));
    return path;
  };
  before(async () => {
    emulator = await startEmulator({ seed: 5, scale: 30, plan: 'unlimited', timeScale: 50 });
  });
  after(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds the views over what sync loaded, and names the models a missing stream leaves out', async () => {
    const db = join(dir, 'crm.duckdb');
    const config = writeConfig('config.json', { models_schema: 'answers' });
    const synced = await runCli(['sync', '--config', config, '--to', db, '--streams', 'deals,status_list']);
    assert.equal(synced.code, 0, synced.stderr);
    assert.doesNotMatch(synced.stdout, /models in/, 'models is off by default');
    assert.deepEqual(await views(db, 'answers'), []);

    const built = await runCli(['models', '--config', config, '--to', db]);
    assert.equal(built.code, 0, built.stderr);
    assert.match(built.stdout, /models in answers: deal_stages, deals_enriched, manager_performance/);
    assert.match(built.stdout, /left out funnel_conversion: needs deal_stage_history/);
    assert.match(built.stdout, /left out lead_conversion: needs leads/);
    assert.deepEqual(await views(db, 'answers'), ['deal_stages', 'deals_enriched', 'manager_performance']);

    const json = await runCli(['models', '--config', config, '--to', db, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const summary = JSON.parse(json.stdout) as { schema: string; built: { name: string }[] };
    assert.equal(summary.schema, 'answers');
    assert.deepEqual(
      summary.built.map((m) => m.name),
      ['deal_stages', 'deals_enriched', 'manager_performance'],
    );
  });

  it('sync with models on builds them after the run', async () => {
    const db = join(dir, 'on.duckdb');
    const config = writeConfig('on.json', { models: true });
    const result = await runCli([
      'sync',
      '--config',
      config,
      '--to',
      db,
      '--streams',
      'deals,leads,status_list,deal_stage_history',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /models in mart: .*funnel_conversion.*lead_conversion/);
    assert.ok((await views(db, 'mart')).includes('funnel_conversion'));
  });

  it('a models_schema that is not a plain name exits 2 naming the key', async () => {
    const config = writeConfig('bad.json', { models_schema: 'mart; drop' });
    const result = await runCli(['models', '--config', config, '--to', join(dir, 'never.duckdb')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /config\.models_schema: expected a name of letters, digits and _/);
  });

  it('a models_schema DuckDB cannot tell from the file name is refused with the fix', async () => {
    const db = join(dir, 'crm.duckdb');
    const config = writeConfig('same-name.json', { models_schema: 'crm' });
    const result = await runCli(['models', '--config', config, '--to', db]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /models_schema "crm" has the same name as the DuckDB file .*set models_schema to another name/,
    );
  });
});
