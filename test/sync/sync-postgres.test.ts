import { randomBytes } from 'node:crypto';
import { after, describe } from 'node:test';
import { syncBehaviour } from './sync-behaviour.js';
import { postgresSnapshot, resetPostgres } from './table-snapshot.js';

/** CI sets it (.ci/start-postgres.sh); without it this test fails rather than skips. */
function postgresUrl(): string {
  const url = process.env.TAP_BITRIX24_TEST_PG_URL;
  if (!url)
    throw new Error('TAP_BITRIX24_TEST_PG_URL is not set: start Postgres with `bash .ci/start-postgres.sh`');
  return url;
}

describe('sync into Postgres', () => {
  // A private schema, so this file can share the database with other tests.
  const layer = `sync_${randomBytes(5).toString('hex')}`;
  after(async () => {
    await resetPostgres(postgresUrl(), [layer]);
  });
  syncBehaviour(async () => {
    const url = postgresUrl();
    return {
      target: url,
      config: (streams) => ({ streams: Object.fromEntries(streams.map((s) => [s, { layer }])) }),
      // State is kept per target table, and this layer is new, so the first run starts fresh.
      snapshot: () => postgresSnapshot(url, layer),
    };
  });
});
