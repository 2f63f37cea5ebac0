import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import { modelsBehaviour } from './models-behaviour.js';

describe('models on DuckDB', () => {
  modelsBehaviour(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tap-models-'));
    return {
      target: join(dir, 'crm.duckdb'),
      layer: 'crm_raw',
      schema: 'analytics',
      tablePrefix: 'b24_',
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  });
});
