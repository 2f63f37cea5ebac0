import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type Portal, portalSummary as summarise } from '../../src/emulator/methods/index.js';

const portalSummary = (portal: unknown) => summarise(portal as Portal);

import { startEmulator } from '../../src/emulator/index.js';
import { duckdbSnapshot } from '../sync/table-snapshot.js';
import { runCli } from './run-cli.js';

describe('tap-bitrix24 demo', () => {
  it('fills demo.duckdb with the emulator’s row counts, twice in a row', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tap-demo-'));
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
    }
    rmSync(cwd, { recursive: true, force: true });
  });
});
