/**
 * Derived tables and comments through the destination API: a load that committed a page and
 * stopped (a crash), the next finish, a child table emptied by hand, a field renamed on the portal.
 */
import assert from 'node:assert/strict';
import { openDestination, type StreamTable } from '../../src/destinations/index.js';
import type { AnalystDatabase } from './analyst-tables-database.js';

export async function stoppedLoadAndRenamedTitle(db: AnalystDatabase): Promise<void> {
  const destination = await openDestination(db.target);
  const phone = (title: string): StreamTable['schema'] => ({
    type: 'object',
    properties: {
      ID: { type: ['integer', 'null'], title: 'ID' },
      PHONE: {
        type: ['array', 'null'],
        title,
        items: {
          type: ['object', 'null'],
          properties: {
            ID: { type: ['integer', 'null'] },
            VALUE_TYPE: { type: ['string', 'null'] },
            VALUE: { type: ['string', 'null'] },
            TYPE_ID: { type: ['string', 'null'] },
          },
        },
      },
    },
  });
  const table: StreamTable = {
    stream: 'contacts',
    layer: db.layer,
    folder: 'crm',
    table: 'stopped_contacts',
    keyProperties: ['ID'],
    schema: phone('Phone'),
    replicationMethod: 'INCREMENTAL',
    historyDays: 0,
  };
  const item = (id: number, value: string) => ({
    ID: id,
    VALUE_TYPE: 'WORK',
    VALUE: value,
    TYPE_ID: 'PHONE',
  });
  const childRows = async () =>
    (
      await destination.driver.query(
        `select "CONTACT_ID", "ID", "VALUE" from "${db.layer}"."stopped_contact_phones" order by 2`,
      )
    ).map((r) => `${r.CONTACT_ID}:${r.ID}:${r.VALUE}`);
  try {
    await destination.prepare(table);
    const first = await destination.begin(table, 'upsert');
    await first.write({ records: [{ ID: 1, PHONE: [item(11, '+1')] }], state: {}, extractedAt: new Date() });
    await first.finish({});
    assert.deepEqual(await childRows(), ['1:11:+1']);
    // A load whose page committed but which never finished (a crash): the child lags…
    const stopped = await destination.begin(table, 'upsert');
    await stopped.write({
      records: [
        { ID: 1, PHONE: [item(12, '+2')] },
        { ID: 2, PHONE: [item(21, '')] },
      ],
      state: {},
      extractedAt: new Date(),
    });
    await stopped.abort();
    assert.deepEqual(await childRows(), ['1:11:+1']);
    // …until the next load finishes, even one that reads nothing new.
    const resumed = await destination.begin(table, 'upsert');
    await resumed.finish({});
    assert.deepEqual(await childRows(), ['1:12:+2', '2:21:null']);
    // A child table emptied by hand no longer has the rows its catalog row counts: rebuilt whole.
    await destination.driver.query(`delete from "${db.layer}"."stopped_contact_phones"`);
    const healed = await destination.begin(table, 'upsert');
    await healed.finish({});
    assert.deepEqual(await childRows(), ['1:12:+2', '2:21:null']);

    // A field renamed on the portal: the next load's finish rewrites the comment.
    const renamed = { ...table, schema: phone('Work phone') };
    await destination.prepare(renamed);
    await (await destination.begin(renamed, 'upsert')).finish({});
    const comments = await destination.driver.query(
      destination.kind === 'duckdb'
        ? `select comment from duckdb_columns() where schema_name = '${db.layer}' and table_name = 'stopped_contacts' and column_name = 'PHONE'`
        : `select col_description('"${db.layer}"."stopped_contacts"'::regclass, 2) as comment`,
    );
    assert.equal(comments[0].comment, 'Work phone');
  } finally {
    await destination.close();
  }
}
