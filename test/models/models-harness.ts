/**
 * Syncs a small emulated portal into a real database with `models` on, and gives the model tests
 * the raw rows and the views to compare. The tables get a prefix, a private layer and (for deals)
 * a table name of their own, so the models must follow the configuration to find them.
 */
import assert from 'node:assert/strict';
import { Bitrix24Client } from '../../src/client/index.js';
import { openDestination } from '../../src/destinations/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { buildModels } from '../../src/models/index.js';
import { discoverStreams } from '../../src/streams/index.js';
import { checkConfig, streamOptionsFrom, type TapConfig } from '../../src/sync/config.js';
import { modelsOptionsFrom, type SyncRunResult, syncPortal } from '../../src/sync/run.js';
import type { Row } from './raw-figures.js';

export interface ModelsBackend {
  /** A DuckDB file or a postgres:// URL. */
  target: string;
  /** The layer every stream is loaded into. */
  layer: string;
  /** The models' schema. */
  schema: string;
  tablePrefix: string;
}

export const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** The streams the models read (smart processes are added as discovered). */
const STREAMS = [
  'deals',
  'leads',
  'companies',
  'contacts',
  'activities',
  'users',
  'departments',
  'status_list',
  'deal_categories',
  'deal_fields',
  'deal_stage_history',
  'spa_types',
];

export interface SyncedPortal {
  emulator: RunningEmulator;
  config: TapConfig;
  result: SyncRunResult;
  spaStreams: string[];
  /** Runs a query on the destination (opened per call, closed after). */
  query(sql: string): Promise<Row[]>;
  /** The qualified raw table of a stream. */
  table(stream: string): string;
  /** The qualified view of a model. */
  view(model: string): string;
  close(): Promise<void>;
}

export async function syncPortalWithModels(backend: ModelsBackend): Promise<SyncedPortal> {
  const emulator = await startEmulator({ seed: 7, scale: 80, plan: 'unlimited', timeScale: 50 });
  try {
    const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
    const base = { webhook_url: emulator.webhookUrl, plan: 'unlimited' };
    const found = await discoverStreams(client, streamOptionsFrom(checkConfig(base)), quiet);
    await client.close();
    const spaStreams = found.streams.map((s) => s.name).filter((n) => /^spa_(fields_)?\d+$/.test(n));
    const only = [...STREAMS, ...spaStreams];
    const streams: Record<string, { layer: string; table?: string }> = Object.fromEntries(
      only.map((s) => [s, { layer: backend.layer }]),
    );
    streams.deals = { layer: backend.layer, table: 'sales_deals' };
    const config = checkConfig({
      ...base,
      table_prefix: backend.tablePrefix,
      streams,
      models: true,
      models_schema: backend.schema,
    });
    const result = await syncPortal({ config, target: backend.target, only, logger: quiet });
    assert.ok(result.summary.ok, JSON.stringify(result.summary.streams.filter((s) => s.status !== 'ok')));
    const table = (stream: string) =>
      `"${backend.layer}"."${backend.tablePrefix}${stream === 'deals' ? 'sales_deals' : stream}"`;
    return {
      emulator,
      config,
      result,
      spaStreams: spaStreams.filter((s) => /^spa_\d+$/.test(s)),
      async query(sql) {
        const destination = await openDestination(backend.target);
        try {
          return await destination.driver.query(sql);
        } finally {
          await destination.close();
        }
      },
      table,
      view: (model) => `"${backend.schema}"."${model}"`,
      close: () => emulator.close(),
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}

/** A timestamptz column as epoch seconds (how the tests compare times on both databases). */
export function epoch(column: string, as = column): string {
  return `CAST(EXTRACT(EPOCH FROM "${column}") AS DOUBLE PRECISION) AS "${as}"`;
}

/** Live rows of a raw table, with the given select list. */
export function liveRows(portal: SyncedPortal, stream: string, select = '*'): Promise<Row[]> {
  return portal.query(`SELECT ${select} FROM ${portal.table(stream)} WHERE "_sdc_deleted_at" IS NULL`);
}

export function near(actual: unknown, expected: number, label: string, tolerance = 1e-6): void {
  const value = Number(actual);
  assert.ok(
    Math.abs(value - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${label}: ${value} != ${expected}`,
  );
}

/**
 * A rebuild that finds deal_stage_history missing (mapped to a table never loaded) leaves out,
 * and drops, the models that need it; the next full rebuild brings them back.
 */
export async function leftOutAndRebuilt(portal: SyncedPortal, db: ModelsBackend): Promise<void> {
  const options = modelsOptionsFrom(portal.config);
  const destination = await openDestination(db.target);
  try {
    const targetOf = (stream: string) =>
      stream === 'deal_stage_history' ? { layer: db.layer, table: 'never_synced' } : options.targetOf(stream);
    const partial = await buildModels(destination, { ...options, targetOf });
    assert.deepEqual(partial.leftOut, [
      { name: 'deal_stage_durations', missing: ['deal_stage_history'] },
      { name: 'funnel_conversion', missing: ['deal_stage_history'] },
    ]);
    const views = async () =>
      (
        await destination.driver.query(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = '${db.schema}' AND table_type = 'VIEW' ORDER BY 1`,
        )
      ).map((r) => String(r.table_name));
    assert.ok(!(await views()).includes('funnel_conversion'));
    const full = await buildModels(destination, options);
    assert.deepEqual(full.leftOut, []);
    assert.deepEqual(await views(), full.built.map((m) => m.name).sort());
  } finally {
    await destination.close();
  }
}
