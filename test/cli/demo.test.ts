import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { type Portal, portalSummary as summarise } from '../../src/emulator/methods/index.js';

const portalSummary = (portal: unknown) => summarise(portal as Portal);

import { startEmulator } from '../../src/emulator/index.js';
import { duckdbSnapshot } from '../sync/table-snapshot.js';
import { tempDir } from '../temp-dir.js';
import { runCli } from './run-cli.js';

describe('tap-bitrix24 demo', () => {
  it('fills demo.duckdb with the emulator’s row counts, twice in a row', async () => {
    const cwd = tempDir('tap-demo-');
    // The same seed and scale give the same portal: the counts the demo must reproduce.
    const twin = await startEmulator({ seed: 42, scale: 60 });
    const counts = portalSummary(twin.portal);
    await twin.close();
    for (let run = 0; run < 2; run++) {
      const result = await runCli(['demo', '--scale', '60'], { cwd });
      assert.equal(result.code, 0, result.stderr);
      // The hint works as printed: the query command reads the demo's file.
      const hint = /^try: tap-bitrix24 query "([^"]+)" --to demo\.duckdb$/m.exec(result.stdout);
      assert.ok(hint, result.stdout);
      const query = await runCli(['query', hint[1]!, '--to', 'demo.duckdb'], { cwd });
      assert.equal(query.code, 0, query.stderr);
      assert.match(query.stdout, /^ID\s+TITLE/);
      assert.match(query.stdout, /\(10 rows\)\n$/);
      const tables = await duckdbSnapshot(join(cwd, 'demo.duckdb'));
      let compared = 0;
      for (const [stream, count] of Object.entries(counts)) {
        if (!tables[stream]) continue;
        assert.equal(tables[stream].rows.length, count, `${stream} (run ${run + 1})`);
        compared++;
      }
      assert.ok(compared >= 10, `compared ${compared} tables`);
      assert.match(
        result.stdout,
        /models in mart: deal_stages, deals_enriched, deal_stage_durations, funnel_conversion/,
      );
      const shown = funnelLines(result.stdout);
      const expected = await funnelFromRawRows(join(cwd, 'demo.duckdb'));
      assert.deepEqual(
        shown.map((line) => line.slice(0, 3)),
        expected.map((line) => line.slice(0, 3)),
      );
      // The percentage, rounded by the database to one decimal.
      for (const [i, line] of shown.entries())
        assert.ok(Math.abs(Number(line[3]) - Number(expected[i]![3])) <= 0.051, line.join(' '));
    }
    rmSync(cwd, { recursive: true, force: true });
  });
});

/** The lines of the funnel the demo ends with: [funnel name, stage name, deals reached, percent]. */
function funnelLines(stdout: string): string[][] {
  const block = stdout.split('funnel conversion of the busiest funnel:')[1];
  assert.ok(block, 'the demo prints a funnel conversion');
  // The first line is the rest of the title line (the query); the rows follow the query.
  const lines = block
    .split('\n')
    .slice(1)
    .filter((line) => line.startsWith('  '));
  assert.ok(lines.length >= 3, block);
  assert.ok(stdout.trimEnd().endsWith(lines.at(-1)!.trimEnd()), 'the funnel is the last thing printed');
  return lines.map((line) => line.trim().split(/ {2,}/));
}

/** The same funnel computed from the raw tables: deals of the busiest funnel that reached each stage. */
async function funnelFromRawRows(path: string): Promise<string[][]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson();
  try {
    const deals = await rows(
      'select "ID", "CATEGORY_ID", "STAGE_ID" from raw.deals where "_sdc_deleted_at" is null and "DATE_CREATE" is not null',
    );
    const history = await rows(
      'select "OWNER_ID", "STAGE_ID" from raw.deal_stage_history where "_sdc_deleted_at" is null',
    );
    const status = await rows('select "ENTITY_ID", "STATUS_ID", "NAME", "SORT" from raw.status_list');
    const names = await rows('select "id", "name" from raw.deal_categories');
    const perFunnel = new Map<number, number>();
    for (const d of deals)
      perFunnel.set(Number(d.CATEGORY_ID ?? 0), (perFunnel.get(Number(d.CATEGORY_ID ?? 0)) ?? 0) + 1);
    const [funnel] = [...perFunnel].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
    const inFunnel = deals.filter((d) => Number(d.CATEGORY_ID ?? 0) === funnel);
    const visited = new Map<string, Set<string>>();
    for (const d of inFunnel) visited.set(String(d.ID), new Set([String(d.STAGE_ID)]));
    for (const h of history) visited.get(String(h.OWNER_ID))?.add(String(h.STAGE_ID));
    const entity = funnel === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${funnel}`;
    const funnelName = String(names.find((n) => Number(n.id) === funnel)?.name);
    return status
      .filter((s) => s.ENTITY_ID === entity)
      .sort((a, b) => Number(a.SORT) - Number(b.SORT))
      .map((s) => {
        const reached = [...visited.values()].filter((v) => v.has(String(s.STATUS_ID))).length;
        return [funnelName, String(s.NAME), String(reached), String((100 * reached) / inFunnel.length)];
      });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
