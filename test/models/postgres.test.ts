import { randomBytes } from 'node:crypto';
import { describe } from 'node:test';
import { resetPostgres } from '../sync/table-snapshot.js';
import { modelsBehaviour } from './models-behaviour.js';

/** CI sets it (.ci/start-postgres.sh); without it this test fails rather than skips. */
function postgresUrl(): string {
  const url = process.env.TAP_BITRIX24_TEST_PG_URL;
  if (!url)
    throw new Error('TAP_BITRIX24_TEST_PG_URL is not set: start Postgres with `bash .ci/start-postgres.sh`');
  return url;
}

describe('models on Postgres', () => {
  // Private schemas, so this file can share the database with other tests.
  const suffix = randomBytes(5).toString('hex');
  modelsBehaviour(async () => ({
    target: postgresUrl(),
    layer: `models_raw_${suffix}`,
    schema: `mart_${suffix}`,
    tablePrefix: 'b24_',
    cleanup: () => resetPostgres(postgresUrl(), [`mart_${suffix}`, `models_raw_${suffix}`]),
  }));
});
