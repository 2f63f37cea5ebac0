/**
 * The behaviour every SQL destination must have, run against a real DuckDB file and a real
 * Postgres by duckdb.test.ts and postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SqlDestination, StreamTable } from '../../src/destinations/index.js';
import type { JsonSchema } from '../../src/schema/index.js';

export interface Backend {
  /** Opens the same database again (a fresh connection / process-level reopen). */
  open(): Promise<SqlDestination>;
  /** A schema name no other test uses. */
  layer: string;
  /** The schema of the state and catalog tables the destination was opened with. */
  stateSchema: string;
  /** SQL giving a TIMESTAMPTZ column as epoch milliseconds. */
  epochMs(column: string): string;
  cleanup(): Promise<void>;
}

export type BackendFactory = () => Promise<Backend>;

const dealSchema: JsonSchema = {
  type: 'object',
  properties: {
    ID: { type: 'integer' },
    TITLE: { type: ['string', 'null'] },
    OPPORTUNITY: { type: ['number', 'null'] },
    CLOSED: { type: ['boolean', 'null'] },
    DATE_MODIFY: { type: ['string', 'null'], format: 'date-time' },
    BEGINDATE: { type: ['string', 'null'], format: 'date' },
    CONTACT_IDS: { type: ['array', 'null'], items: { type: 'integer' } },
    UF_CRM_1687188367: { type: ['string', 'null'] },
    ufCrm44_1700000000: { type: ['object', 'null'] },
    'Имя "клиента"': { type: ['string', 'null'] },
  },
};

let streamCounter = 0;

export function dealsTable(layer: string, overrides: Partial<StreamTable> = {}): StreamTable {
  streamCounter += 1;
  return {
    stream: `deals_${layer}_${streamCounter}`,
    layer,
    folder: 'crm',
    table: 'Deals',
    keyProperties: ['ID'],
    schema: dealSchema,
    replicationMethod: 'INCREMENTAL',
    historyDays: 0,
    ...overrides,
  };
}

export function deal(
  id: number,
  title: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ID: id, TITLE: title, ...extra };
}

export async function rows(destination: SqlDestination, table: StreamTable, columns = '"ID", "TITLE"') {
  const found = await destination.driver.query(
    `SELECT ${columns} FROM "${table.layer}"."${table.table}" WHERE _sdc_deleted_at IS NULL ORDER BY "ID"`,
  );
  return found.map((row): Record<string, unknown> => ({ ...row, ID: Number(row.ID) }));
}

/** Runs `body` with a fresh backend and an open destination, closing and cleaning up after. */
export async function withDestination(
  factory: BackendFactory,
  body: (destination: SqlDestination, backend: Backend) => Promise<void>,
): Promise<void> {
  const backend = await factory();
  const destination = await backend.open();
  try {
    await body(destination, backend);
  } finally {
    await destination.close().catch(() => undefined);
    await backend.cleanup();
  }
}

export function destinationBehaviour(factory: BackendFactory): void {
  describe('tables and types', () => {
    it('creates a typed table and round-trips JSON, dates, timestamps, booleans and non-Latin text', () =>
      withDestination(factory, async (destination, backend) => {
        const table = dealsTable(backend.layer);
        await destination.prepare(table);
        const columns = await destination.columns(table.layer, table.table);
        assert.deepEqual(Object.fromEntries(columns), {
          ID: 'bigint',
          TITLE: 'text',
          OPPORTUNITY: 'double',
          CLOSED: 'boolean',
          DATE_MODIFY: 'timestamptz',
          BEGINDATE: 'date',
          CONTACT_IDS: 'json',
          UF_CRM_1687188367: 'text',
          ufCrm44_1700000000: 'json',
          'Имя "клиента"': 'text',
          _sdc_extracted_at: 'timestamptz',
          _sdc_synced_at: 'timestamptz',
          _sdc_deleted_at: 'timestamptz',
        });
        const load = await destination.begin(table, 'upsert');
        const modified = '2024-03-05T10:20:30+03:00';
        await load.write({
          records: [
            deal(7, 'Сделка №1 — ✓', {
              OPPORTUNITY: 1500.25,
              CLOSED: 'Y',
              DATE_MODIFY: modified,
              BEGINDATE: '2024-02-29',
              CONTACT_IDS: [3, 4],
              UF_CRM_1687188367: 'a\tb\nc\\d',
              ufCrm44_1700000000: { city: 'Москва', n: 1 },
              'Имя "клиента"': 'Иван',
            }),
          ],
          state: { bookmark: modified },
          extractedAt: new Date(),
        });
        await load.finish({ bookmark: modified });
        const [row] = await destination.driver.query(
          `SELECT "ID", "OPPORTUNITY", "CLOSED", ${backend.epochMs('"DATE_MODIFY"')} AS modified_ms,
             CAST("BEGINDATE" AS TEXT) AS begin_date, CAST("CONTACT_IDS" AS TEXT) AS contacts,
             CAST("ufCrm44_1700000000" AS TEXT) AS uf, "UF_CRM_1687188367", "Имя ""клиента""" AS name, "TITLE"
           FROM "${table.layer}"."${table.table}"`,
        );
        assert.equal(Number(row.ID), 7);
        assert.equal(row.OPPORTUNITY, 1500.25);
        assert.equal(row.CLOSED, true);
        assert.equal(Number(row.modified_ms), Date.parse(modified));
        assert.equal(row.begin_date, '2024-02-29');
        assert.deepEqual(JSON.parse(String(row.contacts)), [3, 4]);
        assert.deepEqual(JSON.parse(String(row.uf)), { city: 'Москва', n: 1 });
        assert.equal(row.UF_CRM_1687188367, 'a\tb\nc\\d');
        assert.equal(row.name, 'Иван');
        assert.equal(row.TITLE, 'Сделка №1 — ✓');
      }));

    it('writes values that do not fit their column as NULL and keeps the rest of the row', () =>
      withDestination(factory, async (destination, backend) => {
        const table = dealsTable(backend.layer);
        await destination.prepare(table);
        const load = await destination.begin(table, 'upsert');
        await load.write({
          records: [
            deal(1, 'ok', { OPPORTUNITY: 'lots', DATE_MODIFY: '', BEGINDATE: '2024-02-30', CLOSED: 'maybe' }),
          ],
          state: {},
          extractedAt: new Date(),
        });
        await load.finish({});
        const found = await rows(
          destination,
          table,
          '"ID", "TITLE", "OPPORTUNITY", "DATE_MODIFY", "BEGINDATE", "CLOSED"',
        );
        assert.deepEqual(found, [
          { ID: 1, TITLE: 'ok', OPPORTUNITY: null, DATE_MODIFY: null, BEGINDATE: null, CLOSED: null },
        ]);
      }));

    it('adds columns for new properties, widens a changed type to text, and never drops a column', () =>
      withDestination(factory, async (destination, backend) => {
        const table = dealsTable(backend.layer);
        await destination.prepare(table);
        const first = await destination.begin(table, 'upsert');
        await first.write({
          records: [deal(1, 'one', { OPPORTUNITY: 10.5 })],
          state: {},
          extractedAt: new Date(),
        });
        await first.finish({});
        const properties = { ...dealSchema.properties };
        properties.OPPORTUNITY = { type: ['string', 'null'] };
        properties.UF_CRM_NEW = { type: ['integer', 'null'] };
        delete properties.CONTACT_IDS;
        const evolved = { ...table, schema: { ...dealSchema, properties } };
        await destination.prepare(evolved);
        const columns = await destination.columns(table.layer, table.table);
        assert.equal(columns.get('OPPORTUNITY'), 'text');
        assert.equal(columns.get('UF_CRM_NEW'), 'bigint');
        assert.equal(columns.get('CONTACT_IDS'), 'json');
        const second = await destination.begin(evolved, 'upsert');
        await second.write({
          records: [deal(2, 'two', { OPPORTUNITY: 'about 5', UF_CRM_NEW: 42 })],
          state: {},
          extractedAt: new Date(),
        });
        await second.finish({});
        const found = await rows(destination, table, '"ID", "OPPORTUNITY", "UF_CRM_NEW"');
        assert.deepEqual(
          found.map((row) => ({
            ...row,
            UF_CRM_NEW: row.UF_CRM_NEW === null ? null : Number(row.UF_CRM_NEW),
          })),
          [
            { ID: 1, OPPORTUNITY: '10.5', UF_CRM_NEW: null },
            { ID: 2, OPPORTUNITY: 'about 5', UF_CRM_NEW: 42 },
          ],
        );
      }));
  });

  describe('upsert (INCREMENTAL)', () => {
    it('is idempotent: the same page twice gives the same table; the last row of a key wins', () =>
      withDestination(factory, async (destination, backend) => {
        const table = dealsTable(backend.layer);
        await destination.prepare(table);
        const page = [deal(1, 'first'), deal(2, 'second'), deal(1, 'first, edited'), deal(3, 'third')];
        const load = await destination.begin(table, 'upsert');
        await load.write({ records: page, state: { bookmark: 'a' }, extractedAt: new Date() });
        const once = await rows(destination, table);
        await load.write({ records: page, state: { bookmark: 'a' }, extractedAt: new Date() });
        const twice = await rows(destination, table);
        assert.deepEqual(once, [
          { ID: 1, TITLE: 'first, edited' },
          { ID: 2, TITLE: 'second' },
          { ID: 3, TITLE: 'third' },
        ]);
        assert.deepEqual(twice, once);
        await load.write({
          records: [deal(2, 'second, v2')],
          state: { bookmark: 'b' },
          extractedAt: new Date(),
        });
        const summary = await load.finish({ bookmark: 'c' });
        assert.deepEqual(summary, { rowsWritten: 9, rowsMarkedDeleted: 0 });
        assert.equal(await destination.countRows(table), 3);
        assert.deepEqual((await rows(destination, table))[1], { ID: 2, TITLE: 'second, v2' });
      }));

    it('commits state with the rows, and a reopened destination reads it back', () =>
      withDestination(factory, async (destination, backend) => {
        const table = dealsTable(backend.layer);
        await destination.prepare(table);
        const load = await destination.begin(table, 'upsert');
        await load.write({
          records: [deal(1, 'x')],
          state: { replication_key_value: '2024-01-01T00:00:00+00:00' },
          extractedAt: new Date(),
        });
        assert.deepEqual((await destination.loadState([table])).bookmarks[table.stream], {
          replication_key_value: '2024-01-01T00:00:00+00:00',
        });
        await load.finish({ replication_key_value: '2024-02-01T00:00:00+00:00', nested: { ids: [1, 2] } });
        await destination.close();
        const reopened = await backend.open();
        try {
          const state = await reopened.loadState([table]);
          assert.deepEqual(state.bookmarks[table.stream], {
            replication_key_value: '2024-02-01T00:00:00+00:00',
            nested: { ids: [1, 2] },
          });
        } finally {
          await reopened.close();
        }
      }));

    it('keeps concurrent loads of different streams apart (each write is its own transaction)', () =>
      withDestination(factory, async (destination, backend) => {
        const a = dealsTable(backend.layer, { table: 'deals_a' });
        const b = dealsTable(backend.layer, { table: 'deals_b' });
        await Promise.all([destination.prepare(a), destination.prepare(b)]);
        const [loadA, loadB] = await Promise.all([
          destination.begin(a, 'upsert'),
          destination.begin(b, 'upsert'),
        ]);
        const pages = [0, 1, 2, 3, 4];
        await Promise.all([
          ...pages.map((p) =>
            loadA.write({
              records: [deal(p * 2, 'a'), deal(p * 2 + 1, 'a')],
              state: { page: p },
              extractedAt: new Date(),
            }),
          ),
          ...pages.map((p) =>
            loadB.write({ records: [deal(p, 'b')], state: { page: p }, extractedAt: new Date() }),
          ),
        ]);
        await Promise.all([loadA.finish({ done: 'a' }), loadB.finish({ done: 'b' })]);
        assert.equal(await destination.countRows(a), 10);
        assert.equal(await destination.countRows(b), 5);
        const state = await destination.loadState([a, b]);
        assert.deepEqual(
          [state.bookmarks[a.stream], state.bookmarks[b.stream]],
          [{ done: 'a' }, { done: 'b' }],
        );
      }));

    it('rolls back a page that fails (rows and state), and stays usable', () =>
      withDestination(factory, async (destination, backend) => {
        const table = dealsTable(backend.layer);
        await destination.prepare(table);
        const load = await destination.begin(table, 'upsert');
        await load.write({ records: [deal(1, 'good')], state: { page: 1 }, extractedAt: new Date() });
        await assert.rejects(
          load.write({
            records: [deal(2, 'fine'), { TITLE: 'no key' }],
            state: { page: 2 },
            extractedAt: new Date(),
          }),
        );
        assert.deepEqual(await rows(destination, table), [{ ID: 1, TITLE: 'good' }]);
        assert.deepEqual((await destination.loadState([table])).bookmarks[table.stream], { page: 1 });
        await load.write({ records: [deal(2, 'fine')], state: { page: 2 }, extractedAt: new Date() });
        await load.finish({ page: 2 });
        assert.equal(await destination.countRows(table), 2);
      }));

    it('records each finished load in the _tap.tables catalog', () =>
      withDestination(factory, async (destination, backend) => {
        const table = dealsTable(backend.layer, { folder: 'sales' });
        await destination.prepare(table);
        const load = await destination.begin(table, 'upsert');
        await load.write({ records: [deal(1, 'a'), deal(2, 'b')], state: {}, extractedAt: new Date() });
        const before = Date.now();
        await load.finish({});
        const [entry] = await destination.driver.query(
          `SELECT layer, folder, table_name, sync_type, last_load_mode, row_count, ${backend.epochMs('last_sync_at')} AS at
           FROM "${backend.stateSchema}".tables WHERE stream = $1`,
          [table.stream],
        );
        assert.deepEqual(
          { ...entry, row_count: Number(entry.row_count), at: undefined },
          {
            layer: table.layer,
            folder: 'sales',
            table_name: 'Deals',
            sync_type: 'INCREMENTAL',
            last_load_mode: 'upsert',
            row_count: 2,
            at: undefined,
          },
        );
        assert.ok(Number(entry.at) >= before - 1000);
      }));
  });
}
