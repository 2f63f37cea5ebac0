import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import { isolationBehaviour } from './isolation-behaviour.js';
import { duckdbSnapshot } from './table-snapshot.js';

describe('stream isolation and verify, into DuckDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tap-isolation-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  isolationBehaviour(async (scenario) => {
    const target = join(dir, `${scenario}.duckdb`);
    return { target, snapshot: () => duckdbSnapshot(target) };
  });
});
