/**
 * Crash safety, property style: `kill -9` of a running `tap-bitrix24 sync` at random moments,
 * several times in a row on the same DuckDB file, then one run to the end, must leave exactly
 * the tables of one uninterrupted run (no lost row, no duplicate). Kill delays come from a
 * seeded PRNG (printed), so a failure can be replayed with TAP_BITRIX24_CRASH_SEED.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { writeConfig } from '../cli/run-cli.js';
import { duckdbSnapshot, type TableSnapshot } from '../sync/table-snapshot.js';
import { startBundledCli } from './bundled-cli.js';
import { mulberry32, tableDifferences, tempDir } from './reliability-harness.js';

const STREAMS = 'deals,leads,contacts,companies,deal_comments,deal_stage_history,status_list';
/** Two lanes side by side (2 cores), each ROUNDS rounds of KILLS_PER_ROUND kills then a full run. */
const LANES = 2;
/** `bench/crash-soak.ts` raises it (TAP_BITRIX24_CRASH_ROUNDS) for a long soak. */
const ROUNDS = Number(process.env.TAP_BITRIX24_CRASH_ROUNDS ?? 3);
const KILLS_PER_ROUND = 10;
const MIN_KILLS = Math.round((50 * ROUNDS) / 3);

describe('crash safety: kill -9 at random moments', () => {
  let emulator: RunningEmulator;
  let config: string;
  let reference: Record<string, TableSnapshot>;
  let cleanMs = 0;
  const dir = tempDir('crash');
  let syncPhaseMs = 0;
  const sync = (target: string) => [
    'sync',
    '--config',
    config,
    '--to',
    target,
    '--streams',
    STREAMS,
    '--json',
    '--log-level',
    'info',
  ];
  /** Runs the CLI; `onStarted` fires when the first stream starts (start-up is over). */
  const launch = (
    target: string,
    onStarted: (child: ReturnType<typeof startBundledCli>['child']) => void,
  ) => {
    const run = startBundledCli(sync(target));
    let started = false;
    run.child.stderr!.on('data', (chunk: Buffer) => {
      if (!started && chunk.toString().includes('stream started')) {
        started = true;
        onStarted(run.child);
      }
    });
    return run;
  };

  before(async () => {
    // Processing waits a tenth of Bitrix24's: a run lasts a second or two after start-up.
    emulator = await startEmulator({ seed: 31, scale: 150, plan: 'unlimited', timeScale: 10 });
    config = writeConfig({
      webhook_url: emulator.webhookUrl,
      plan: 'unlimited',
      enable_deal_comments: true,
      max_concurrency: 2,
    });
    const target = join(dir, 'reference.duckdb');
    const t0 = Date.now();
    let startedAt = 0;
    const clean = await launch(target, () => {
      startedAt = Date.now();
    }).done;
    cleanMs = Date.now() - t0;
    syncPhaseMs = Date.now() - startedAt;
    assert.ok(startedAt > 0, 'the log says when streams start');
    assert.equal(clean.code, 0, clean.stderr);
    reference = await duckdbSnapshot(target, 'raw');
    assert.ok(Object.keys(reference).length >= 6, 'the reference holds every table');
  });
  after(() => emulator.close());

  it(`at least 50 kills, each round converging to the clean run on the next full run`, async () => {
    const seed = Number(process.env.TAP_BITRIX24_CRASH_SEED ?? Date.now() % 1_000_000);
    const random = mulberry32(seed);
    const killedAt: number[] = [];
    const lane = async (laneId: number) => {
      for (let round = 0; round < ROUNDS; round++) {
        const target = join(dir, `lane${laneId}-round${round}.duckdb`);
        for (let k = 0; k < KILLS_PER_ROUND; k++) {
          // Kills land after start-up (loading the CLI), spread over the part that reads and writes.
          const delay = Math.round(syncPhaseMs * random());
          let timer: NodeJS.Timeout | undefined;
          const { done } = launch(target, (child) => {
            timer = setTimeout(() => child.kill('SIGKILL'), delay);
          });
          const result = await done;
          clearTimeout(timer);
          if (result.signal === 'SIGKILL') killedAt.push(delay);
          else assert.equal(result.code, 0, `an unkilled run succeeds (seed ${seed}): ${result.stderr}`);
        }
        const last = await startBundledCli(sync(target)).done;
        assert.equal(last.code, 0, `the run after the kills succeeds (seed ${seed}): ${last.stderr}`);
        const problems = tableDifferences(await duckdbSnapshot(target, 'raw'), reference);
        assert.deepEqual(problems, [], `lane ${laneId} round ${round} converges (seed ${seed})`);
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
    assert.ok(
      killedAt.length >= MIN_KILLS,
      `${killedAt.length} runs were killed mid-way (seed ${seed}, clean run ${cleanMs} ms, ${syncPhaseMs} ms after start-up)`,
    );
  });
});
