/**
 * No list ends early and none is read past its end, on a portal that diverges from the docs the
 * way real ones do: pages capped below the page size and rows hidden by access rights after the
 * LIMIT (`short-pages`), unresolved batch references cast as PHP casts text (`literal-refs`), and
 * both. Under each, `sync` then `sync --full` into DuckDB and into Postgres leave every stream's
 * live rows equal to the IDs the portal shows this credential (`/_emulator/truth`), none twice;
 * and no batch command run past a list's end answers rows.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator, type Truth } from '../../src/emulator/index.js';
import {
  duckdbSnapshot,
  postgresSnapshot,
  resetPostgres,
  type TableSnapshot,
} from '../sync/table-snapshot.js';
import { syncOnce, tempDir } from './reliability-harness.js';

/** The streams compared, each with the truth list it reads (2 smart-process types: 128, 130). */
const STREAM_LISTS: Record<string, string> = {
  deals: 'crm.deal.list',
  contacts: 'crm.contact.list',
  companies: 'crm.company.list',
  leads: 'crm.lead.list',
  activities: 'crm.activity.list',
  product: 'crm.product.list',
  deal_stage_history: 'crm.stagehistory.list:2',
  lead_stage_history: 'crm.stagehistory.list:1',
  users: 'user.get',
  departments: 'department.get',
  calls: 'voximplant.statistic.get',
  open_lines: 'imopenlines.config.list.get',
  spa_types: 'crm.type.list',
  spa_128: 'crm.item.list:128',
  spa_130: 'crm.item.list:130',
  spa_stage_history_128: 'crm.stagehistory.list:128',
  spa_stage_history_130: 'crm.stagehistory.list:130',
};
const ONLY = Object.keys(STREAM_LISTS);
const EVERY_VARIANT = ['short-pages', 'literal-refs', 'missing-methods=user.fields'];
const VARIANTS = [['short-pages'], ['literal-refs'], EVERY_VARIANT];
/** The stream a variant's missing method takes down (and nothing else). */
const FAILS_WITH: Record<string, string> = { 'missing-methods=user.fields': 'users' };

function postgresUrl(): string {
  const url = process.env.TAP_BITRIX24_TEST_PG_URL;
  if (!url)
    throw new Error('TAP_BITRIX24_TEST_PG_URL is not set: start Postgres with `bash .ci/start-postgres.sh`');
  return url;
}

/** Every table's live IDs (rows without `_sdc_deleted_at`), in the order read. */
function liveIds(tables: Record<string, TableSnapshot>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [table, snapshot] of Object.entries(tables)) {
    out[table] = snapshot.rows.map((json) => {
      const row = JSON.parse(json) as Record<string, unknown>;
      return Number(row.ID ?? row.id);
    });
  }
  return out;
}

/** What differs between the warehouse and the truth, stream by stream. */
function differences(ids: Record<string, number[]>, truth: Truth, failed: string[]): string[] {
  const problems: string[] = [];
  for (const [stream, list] of Object.entries(STREAM_LISTS)) {
    if (failed.includes(stream)) continue;
    const got = ids[stream];
    const want = truth[list]?.visible;
    if (!got || !want) {
      problems.push(`${stream}: ${got ? 'no truth' : 'no table'}`);
      continue;
    }
    const sorted = [...got].sort((a, b) => a - b);
    if (new Set(sorted).size !== sorted.length) problems.push(`${stream}: duplicate IDs`);
    const wanted = new Set(want);
    const missing = want.filter((id) => !got.includes(id));
    const extra = sorted.filter((id) => !wanted.has(id));
    if (missing.length || extra.length)
      problems.push(
        `${stream}: ${got.length} rows, want ${want.length}; missing ${missing.slice(0, 5)}, extra ${extra.slice(0, 5)}`,
      );
  }
  return problems;
}

describe('list ends under the divergences of real portals', () => {
  const dir = tempDir('list-ends');
  const layers: string[] = [];
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await resetPostgres(postgresUrl(), layers);
  });

  for (const variants of VARIANTS) {
    it(`${variants.join(' + ')}: sync then sync --full leave exactly the visible rows, in DuckDB and Postgres`, async () => {
      // 1,400 deals: 28 users, so user.get's capped pages are more than one.
      const emulator: RunningEmulator = await startEmulator({
        seed: 17,
        scale: 1400,
        plan: 'unlimited',
        timeScale: 1000,
        variants,
      });
      try {
        // Every third of the lowest 450 deals deleted: the bottom window holds fewer rows than IDs,
        // so its chain runs commands past the list's end (whose answers the stats below check).
        const doomed = Array.from({ length: 150 }, (_, i) => 3 * i + 1);
        for (let i = 0; i < doomed.length; i += 50) {
          const cmd = Object.fromEntries(
            doomed.slice(i, i + 50).map((id) => [`d${id}`, `crm.deal.delete?id=${id}`]),
          );
          const res = await fetch(`${emulator.webhookUrl}batch`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ cmd }),
          });
          assert.equal(res.status, 200);
        }
        const truth = emulator.truth();
        if (variants.includes('short-pages'))
          assert.ok(truth['crm.deal.list'].hidden_count > 0 && truth['user.get'].count > 25);
        const layer = `lists_${randomBytes(4).toString('hex')}`;
        layers.push(layer);
        const targets = [
          { target: join(dir, `${variants.join('-')}.duckdb`), read: (t: string) => duckdbSnapshot(t) },
          { target: postgresUrl(), read: (t: string) => postgresSnapshot(t, layer) },
        ];
        const streams = Object.fromEntries(ONLY.map((s) => [s, { layer }]));
        for (const { target, read } of targets) {
          const config = {
            webhook_url: emulator.webhookUrl,
            plan: 'unlimited',
            ...(target.startsWith('postgres') ? { streams } : {}),
          };
          emulator.resetStats();
          const failing = variants.flatMap((v) => (FAILS_WITH[v] ? [FAILS_WITH[v]] : []));
          for (const full of [false, true]) {
            const { summary } = await syncOnce({ config, target, only: ONLY, full });
            const notOk = summary.streams.filter((s) => s.status !== 'ok').map((s) => s.stream);
            assert.deepEqual(notOk, failing, JSON.stringify(summary.streams.filter((s) => s.error)));
            assert.equal(summary.ok, failing.length === 0);
            const tables = liveIds(await read(target));
            assert.deepEqual(differences(tables, truth, failing), [], `${target} full=${full}`);
          }
          const stats = emulator.stats();
          assert.equal(stats.past_end_commands_with_rows, 0, 'a command past a list end answered rows');
          // Chains did run commands past a list's end: the check above had something to check.
          assert.ok(stats.unresolved_ref_commands > 0, 'no command ran past a list end');
        }
      } finally {
        await emulator.close();
      }
    });
  }
});
