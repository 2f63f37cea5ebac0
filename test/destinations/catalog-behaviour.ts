/**
 * What a SQL destination reads and writes of its tables' definitions: the columns once per layer,
 * comments only when they change, and nothing it recorded of a transaction that rolled back. Run
 * against a real DuckDB file and a real Postgres by duckdb.test.ts and postgres.test.ts; the
 * statements are recorded on the way to the real driver.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadMode, SqlDestination, StreamTable } from '../../src/destinations/index.js';
import type { JsonSchema } from '../../src/schema/index.js';
import { type BackendFactory, withDestination } from './destination-behaviour.js';

const phoneItem: JsonSchema = {
  type: 'object',
  properties: {
    ID: { type: 'string' },
    VALUE_TYPE: { type: 'string' },
    VALUE: { type: 'string' },
    TYPE_ID: { type: 'string' },
  },
};

function contactsTable(layer: string): StreamTable {
  return {
    stream: 'contacts',
    layer,
    folder: 'crm',
    table: 'contacts',
    keyProperties: ['ID'],
    schema: {
      type: 'object',
      properties: {
        ID: { type: 'integer', title: 'ID' },
        NAME: { type: ['string', 'null'], title: 'First name' },
        PHONE: { type: ['array', 'null'], title: 'Phone', items: phoneItem },
      },
    },
    replicationMethod: 'INCREMENTAL',
    historyDays: 0,
  };
}

function contact(id: number, phone: string): Record<string, unknown> {
  return {
    ID: id,
    NAME: `name ${id}`,
    PHONE: [{ ID: String(id * 10), VALUE_TYPE: 'WORK', VALUE: phone, TYPE_ID: 'PHONE' }],
  };
}

/** Records every statement the destination sends from now on (queries and scripts alike). */
function recordStatements(destination: SqlDestination): string[] {
  const sent: string[] = [];
  const driver = destination.driver;
  const query = driver.query.bind(driver);
  const script = driver.script.bind(driver);
  driver.query = (sql, params) => {
    sent.push(sql);
    return query(sql, params);
  };
  driver.script = (statements) => {
    sent.push(...statements);
    return script(statements);
  };
  return sent;
}

async function load(destination: SqlDestination, table: StreamTable, mode: LoadMode, phones: string[]) {
  await destination.prepare(table);
  const running = await destination.begin(table, mode);
  const records = phones.map((phone, i) => contact(i + 1, phone));
  await running.write({ records, state: { n: phones.length }, extractedAt: new Date() });
  await running.finish({ n: phones.length });
}

async function phonesOf(destination: SqlDestination, layer: string): Promise<string[]> {
  const found = await destination.driver.query(
    `SELECT "VALUE" FROM "${layer}".contact_phones ORDER BY "VALUE"`,
  );
  return found.map((row) => String(row.VALUE));
}

async function commentOf(destination: SqlDestination, layer: string, table: string, column: string) {
  const sql =
    destination.driver.dialect === 'duckdb'
      ? 'SELECT comment FROM duckdb_columns() WHERE schema_name = $1 AND table_name = $2 AND column_name = $3'
      : `SELECT col_description(format('%I.%I', $1::text, $2::text)::regclass, a.attnum) AS comment
         FROM pg_attribute a WHERE a.attrelid = format('%I.%I', $1::text, $2::text)::regclass AND a.attname = $3`;
  const [row] = await destination.driver.query(sql, [layer, table, column]);
  return row?.comment;
}

const catalogReads = (sent: string[]) => sent.filter((sql) => /information_schema\.columns/i.test(sql));
const ddl = (sent: string[]) => sent.filter((sql) => /^\s*(CREATE|ALTER|COMMENT ON)\b/i.test(sql));

export function catalogBehaviour(factory: BackendFactory): void {
  describe("the destination's knowledge of its tables", () => {
    it('reads a layer’s columns once, and repeats no DDL or comment for an unchanged table', () =>
      withDestination(factory, async (destination, backend) => {
        const table = contactsTable(backend.layer);
        const sent = recordStatements(destination);
        await load(destination, table, 'upsert', ['+1']);
        assert.equal(
          catalogReads(sent).length,
          1,
          'one read of the layer, for the table and its child table',
        );
        assert.ok(ddl(sent).some((sql) => /COMMENT ON COLUMN .*"NAME"/.test(sql)));
        sent.length = 0;
        await load(destination, table, 'upsert', ['+1', '+2']);
        assert.deepEqual(catalogReads(sent), []);
        assert.deepEqual(ddl(sent), []);
        assert.deepEqual(await phonesOf(destination, backend.layer), ['+1', '+2']);
        assert.equal(await commentOf(destination, backend.layer, 'contacts', 'NAME'), 'First name');
        assert.equal(await commentOf(destination, backend.layer, 'contact_phones', 'VALUE'), 'Phone');
      }));

    it('gives a replaced table its comments back, and knows its columns after the swap', () =>
      withDestination(factory, async (destination, backend) => {
        const table = contactsTable(backend.layer);
        // NAME arrives later, so it is added after the metadata columns; a replace's table has
        // the data columns first.
        const { NAME: _name, ...earlier } = table.schema.properties ?? {};
        await load(destination, { ...table, schema: { ...table.schema, properties: earlier } }, 'upsert', [
          '+0',
        ]);
        await load(destination, table, 'upsert', ['+1']);
        const sent = recordStatements(destination);
        await load(destination, table, 'replace', ['+3', '+4', '+5']);
        // DuckDB renames the staging table over the live one, which has no comments then;
        // Postgres copies the rows into the live table, which keeps them.
        const rewritten = ddl(sent).filter((sql) => /COMMENT ON COLUMN "[^"]+"\."contacts"/.test(sql));
        assert.equal(rewritten.length, destination.driver.dialect === 'duckdb' ? 3 : 0);
        assert.equal(await commentOf(destination, backend.layer, 'contacts', 'NAME'), 'First name');
        // An upsert after the swap appends in the new table's column order.
        await load(destination, table, 'upsert', ['+6', '+7', '+8', '+9']);
        assert.deepEqual(await phonesOf(destination, backend.layer), ['+6', '+7', '+8', '+9']);
        const names = await destination.driver.query(
          `SELECT "NAME" FROM "${backend.layer}".contacts ORDER BY "ID"`,
        );
        assert.deepEqual(
          names.map((row) => row.NAME),
          ['name 1', 'name 2', 'name 3', 'name 4'],
        );
        assert.equal(catalogReads(sent).length, 0);
      }));

    it('forgets what a rolled-back finish created, and creates it again at the next finish', () =>
      withDestination(factory, async (destination, backend) => {
        const table = contactsTable(backend.layer);
        await destination.prepare(table);
        const first = await destination.begin(table, 'upsert');
        await first.write({ records: [contact(1, '+1')], state: { n: 1 }, extractedAt: new Date() });
        // Without its catalog table the finish fails after creating contact_phones, and rolls back.
        const catalog = `"${backend.stateSchema}".tables`;
        await destination.driver.query(`ALTER TABLE ${catalog} RENAME TO tables_away`);
        await assert.rejects(first.finish({ n: 1 }));
        await destination.driver.query(`ALTER TABLE "${backend.stateSchema}".tables_away RENAME TO tables`);
        const [created] = await destination.driver.query(
          'SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2',
          [backend.layer, 'contact_phones'],
        );
        assert.equal(Number(created.n), 0, 'the rollback undid the child table');
        await load(destination, table, 'upsert', ['+1', '+2']);
        assert.deepEqual(await phonesOf(destination, backend.layer), ['+1', '+2']);
        assert.equal(await commentOf(destination, backend.layer, 'contacts', 'NAME'), 'First name');
      }));
  });
}
