import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import { syncBehaviour } from './sync-behaviour.js';
import { duckdbSnapshot } from './table-snapshot.js';

describe('sync into DuckDB', () => {
  syncBehaviour(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tap-sync-')), 'warehouse.duckdb');
    return { target: path, snapshot: () => duckdbSnapshot(path) };
  });
});
