import { join } from 'node:path';
import { describe } from 'node:test';
import { tempDir } from '../temp-dir.js';
import { syncBehaviour } from './sync-behaviour.js';
import { duckdbSnapshot } from './table-snapshot.js';

describe('sync into DuckDB', () => {
  syncBehaviour(async () => {
    const path = join(tempDir('tap-sync-'), 'warehouse.duckdb');
    return { target: path, snapshot: () => duckdbSnapshot(path) };
  });
});
