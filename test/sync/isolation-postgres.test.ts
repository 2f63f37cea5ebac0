import { randomBytes } from 'node:crypto';
import { after, describe } from 'node:test';
import { isolationBehaviour } from './isolation-behaviour.js';
import { postgresSnapshot, resetPostgres } from './table-snapshot.js';

/** CI sets it (.ci/start-postgres.sh); without it this test fails rather than skips. */
function postgresUrl(): string {
  const url = process.env.TAP_BITRIX24_TEST_PG_URL;
  if (!url)
    throw new Error('TAP_BITRIX24_TEST_PG_URL is not set: start Postgres with `bash .ci/start-postgres.sh`');
  return url;
}

describe('stream isolation and verify, into Postgres', () => {
  // A private schema per scenario, so this file can share the database with other tests.
  const layers: string[] = [];
  after(async () => {
    await resetPostgres(postgresUrl(), layers);
  });
  isolationBehaviour(async (scenario) => {
    const url = postgresUrl();
    const layer = `iso_${scenario}_${randomBytes(4).toString('hex')}`;
    layers.push(layer);
    return {
      target: url,
      config: (streams) => ({ streams: Object.fromEntries(streams.map((s) => [s, { layer }])) }),
      snapshot: () => postgresSnapshot(url, layer),
    };
  });
});
