/**
 * Two portals synced into ONE database by two configurations that keep their tables apart by
 * `table_prefix` or by `layer`. Each target table must keep its own bookmark: when bookmarks were
 * keyed by stream name alone, portal B read portal A's `deals` bookmark and skipped every deal
 * modified before it (here: all of them, as B's clock runs 30 days behind A's).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { portalSummary } from '../../src/emulator/methods/index.js';
import { checkConfig } from '../../src/sync/config.js';
import { syncPortal } from '../../src/sync/run.js';
import { tempDir } from '../temp-dir.js';
import { duckdbSnapshot, postgresSnapshot, resetPostgres, type TableSnapshot } from './table-snapshot.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
/** Incremental streams: the ones a borrowed bookmark would cut short. */
const STREAMS = ['deals', 'leads', 'contacts', 'companies'];
const DAY_MS = 86_400_000;

/** Where one portal's tables go: config keys, and the layer and table name of each stream. */
interface Placement {
  config: Record<string, unknown>;
  layer: string;
  table(stream: string): string;
}

const byPrefix = (layer: string, prefix: string): Placement => ({
  config: {
    table_prefix: prefix,
    ...(layer === 'raw' ? {} : { streams: Object.fromEntries(STREAMS.map((s) => [s, { layer }])) }),
  },
  layer,
  table: (stream) => `${prefix}${stream}`,
});

const byLayer = (layer: string): Placement => ({
  config: { streams: Object.fromEntries(STREAMS.map((s) => [s, { layer }])) },
  layer,
  table: (stream) => stream,
});

type Snapshot = (layer: string) => Promise<Record<string, TableSnapshot>>;

describe('two portals synced into one database', () => {
  let portalA: RunningEmulator;
  let portalB: RunningEmulator;

  before(async () => {
    [portalA, portalB] = await Promise.all([
      startEmulator({ seed: 11, scale: 40, plan: 'unlimited', timeScale: 50 }),
      // Every record of portal B was modified before portal A's bookmark.
      startEmulator({ seed: 29, scale: 40, plan: 'unlimited', timeScale: 50, now: Date.now() - 30 * DAY_MS }),
    ]);
  });
  after(async () => {
    await portalA?.close();
    await portalB?.close();
  });

  const sync = async (portal: RunningEmulator, placement: Placement, target: string) => {
    const config = checkConfig({ webhook_url: portal.webhookUrl, plan: 'unlimited', ...placement.config });
    const { summary } = await syncPortal({ config, target, logger: quiet, only: STREAMS });
    assert.deepEqual(
      summary.streams.filter((s) => s.status !== 'ok'),
      [],
      'every stream syncs',
    );
    return summary;
  };

  const assertComplete = async (portal: RunningEmulator, placement: Placement, snapshot: Snapshot) => {
    const totals = portalSummary(portal.portal!);
    const tables = await snapshot(placement.layer);
    for (const stream of STREAMS) {
      const table = placement.table(stream);
      assert.equal(tables[table]?.rows.length, totals[stream], `rows of ${placement.layer}.${table}`);
    }
  };

  /** A then B into one database; then A again, which must resume from its own bookmark. */
  const syncBoth = async (a: Placement, b: Placement, target: string, snapshot: Snapshot) => {
    await sync(portalA, a, target);
    await assertComplete(portalA, a, snapshot);
    await sync(portalB, b, target);
    await assertComplete(portalB, b, snapshot);
    await assertComplete(portalA, a, snapshot);
    const again = await sync(portalA, a, target);
    const deals = again.streams.find((s) => s.stream === 'deals')!;
    assert.equal(deals.mode, 'upsert');
    assert.ok(
      deals.rows < portalSummary(portalA.portal!).deals!,
      `portal A's second run reads from its own bookmark (${deals.rows} deals)`,
    );
    await assertComplete(portalA, a, snapshot);
  };

  describe('DuckDB', () => {
    const file = () => join(tempDir('tap-shared-'), 'warehouse.duckdb');

    it('keeps a bookmark per table when portals differ by table_prefix', async () => {
      const path = file();
      await syncBoth(byPrefix('raw', 'a_'), byPrefix('raw', 'b_'), path, (layer) =>
        duckdbSnapshot(path, layer),
      );
    });

    it('keeps a bookmark per table when portals differ by layer', async () => {
      const path = file();
      await syncBoth(byLayer('portal_a'), byLayer('portal_b'), path, (layer) => duckdbSnapshot(path, layer));
    });
  });

  describe('Postgres', () => {
    const url = process.env.TAP_BITRIX24_TEST_PG_URL ?? '';
    // Private layers, so this file can share the database (and its `_tap`) with other tests.
    const suffix = randomBytes(5).toString('hex');
    const layers = [`shared_${suffix}`, `shared_a_${suffix}`, `shared_b_${suffix}`] as const;
    before(() => {
      if (!url)
        throw new Error(
          'TAP_BITRIX24_TEST_PG_URL is not set: start Postgres with `bash .ci/start-postgres.sh`',
        );
    });
    after(async () => {
      if (url) await resetPostgres(url, [...layers]);
    });
    const snapshot: Snapshot = (layer) => postgresSnapshot(url, layer);

    it('keeps a bookmark per table when portals differ by table_prefix', async () => {
      await syncBoth(byPrefix(layers[0], 'a_'), byPrefix(layers[0], 'b_'), url, snapshot);
    });

    it('keeps a bookmark per table when portals differ by layer', async () => {
      await syncBoth(byLayer(layers[1]), byLayer(layers[2]), url, snapshot);
    });
  });
});
