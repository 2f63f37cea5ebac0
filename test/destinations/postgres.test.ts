import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import pg from 'pg';
import { openDestination, PostgresDestination } from '../../src/destinations/index.js';
import { catalogBehaviour } from './catalog-behaviour.js';
import { type BackendFactory, deal, dealsTable, destinationBehaviour } from './destination-behaviour.js';
import { loadModesBehaviour } from './load-modes-behaviour.js';
import { stateBehaviour } from './state-behaviour.js';

/** CI always sets it (.ci/start-postgres.sh); without it these tests fail rather than skip. */
export function postgresUrl(): string {
  const url = process.env.TAP_BITRIX24_TEST_PG_URL;
  if (!url) {
    throw new Error(
      'TAP_BITRIX24_TEST_PG_URL is not set: start Postgres with `bash .ci/start-postgres.sh` and set it to postgres://tap:tap@127.0.0.1:54329/tap_test',
    );
  }
  return url;
}

const postgres: BackendFactory = async () => {
  const url = postgresUrl();
  const layer = `test_${randomBytes(6).toString('hex')}`;
  return {
    layer,
    stateSchema: `${layer}_tap`,
    // A private state schema too, so no other test's streams share this one's state rows.
    open: () => PostgresDestination.open(url, { stateSchema: `${layer}_tap` }),
    epochMs: (column) => `(extract(epoch from ${column}) * 1000)::bigint`,
    cleanup: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${layer}" CASCADE`);
      await client.query(`DROP SCHEMA IF EXISTS "${layer}_tap" CASCADE`);
      await client.end();
    },
  };
};

describe('Postgres destination', () => {
  destinationBehaviour(postgres);
  loadModesBehaviour(postgres);
  stateBehaviour(postgres);
  catalogBehaviour(postgres);

  it('keeps state apart per stateSchema too', async () => {
    const url = postgresUrl();
    const suffix = randomBytes(6).toString('hex');
    const [a, b] = await Promise.all([
      openDestination(url, { stateSchema: `state_a_${suffix}` }),
      openDestination(url, { stateSchema: `state_b_${suffix}` }),
    ]);
    try {
      const tables = {
        a: { ...dealsTable(`layer_a_${suffix}`), stream: 'deals' },
        b: { ...dealsTable(`layer_b_${suffix}`), stream: 'deals' },
      };
      for (const [destination, portal] of [
        [a, 'a'],
        [b, 'b'],
      ] as const) {
        const table = tables[portal];
        await destination.prepare(table);
        const load = await destination.begin(table, 'upsert');
        await load.write({ records: [deal(1, portal)], state: { portal }, extractedAt: new Date() });
        await load.finish({ portal });
      }
      assert.deepEqual((await a.loadState([tables.a])).bookmarks, { deals: { portal: 'a' } });
      assert.deepEqual((await b.loadState([tables.b])).bookmarks, { deals: { portal: 'b' } });
      assert.deepEqual((await a.loadState([tables.b])).bookmarks, {}, "b's table has no state in a's schema");
    } finally {
      for (const name of ['state_a', 'state_b', 'layer_a', 'layer_b']) {
        await a.driver.query(`DROP SCHEMA IF EXISTS "${name}_${suffix}" CASCADE`);
      }
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('openDestination takes a postgres:// URL and never shows the password', async () => {
    const url = new URL(postgresUrl());
    url.protocol = 'postgresql:';
    const destination = await openDestination(url.toString());
    try {
      assert.equal(destination.kind, 'postgres');
      assert.ok(!destination.description.includes(`:${url.password}@`) || url.password === '');
      assert.match(destination.description, /^postgresql:\/\//);
    } finally {
      await destination.close();
    }
  });
});
