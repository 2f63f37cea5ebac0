/**
 * A portal with 60 smart processes offers about 200 streams; all of them land in one DuckDB file
 * in one run (each table's index and buffers stay resident, so a too-small memory cap failed a
 * third of them).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import { portalSummary } from '../../src/emulator/methods/index.js';
import { checkConfig } from '../../src/sync/config.js';
import { syncPortal } from '../../src/sync/run.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

it('syncs a 200-stream portal into one DuckDB file, every table complete', async () => {
  const emulator = await startEmulator({
    seed: 4,
    scale: 60,
    spaTypes: 60,
    plan: 'unlimited',
    timeScale: 1000,
  });
  const dir = await mkdtemp(join(tmpdir(), 'tap-many-'));
  try {
    const config = checkConfig({ webhook_url: emulator.webhookUrl, plan: 'unlimited' });
    const { summary } = await syncPortal({ config, target: join(dir, 'many.duckdb'), logger: quiet });
    const failed = summary.streams.filter((s) => s.status !== 'ok');
    assert.deepEqual(failed, [], 'every stream ok');
    assert.ok(summary.streams.length >= 195, `${summary.streams.length} streams`);
    const counts = portalSummary(emulator.portal!);
    for (const s of summary.streams) {
      if (counts[s.stream] !== undefined) assert.equal(s.rows, counts[s.stream], s.stream);
    }
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
});
