/**
 * Tables an analyst can read, end to end (the emulator over loopback HTTP, `syncPortal`, a real
 * DuckDB file or Postgres): empty is NULL, field titles as column comments, multifield child
 * tables equal to their parent's JSON through upserts, deletes and a replace, money split into
 * amount and currency, enum_items equal to `*.fields`, `_sdc_synced_at` never before
 * `_sdc_extracted_at`. Tables carry a prefix and live in a layer of their own.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Bitrix24Client, deleteEntity, updateEntity } from '../../src/client/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { discoverStreams } from '../../src/streams/index.js';
import { checkConfig, streamOptionsFrom, type TapConfig } from '../../src/sync/config.js';
import { syncPortal } from '../../src/sync/run.js';
import { type AnalystDatabase, jsonOf } from './analyst-tables-database.js';
import { stoppedLoadAndRenamedTitle } from './analyst-tables-stopped-load.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const PREFIX = 'b24_';
const MULTIFIELDS = [
  ['PHONE', 'phones'],
  ['EMAIL', 'emails'],
  ['WEB', 'websites'],
  ['IM', 'messengers'],
] as const;
const OWNERS = [
  ['contacts', 'contact'],
  ['companies', 'company'],
  ['leads', 'lead'],
] as const;
const ENTITY_FIELDS = [
  ['deal', 'deals'],
  ['contact', 'contacts'],
  ['company', 'companies'],
  ['lead', 'leads'],
] as const;
/** Category ids are the exception to "0 is none": 0 is the deal's default pipeline. */
const CATEGORY = /^(CATEGORY_ID|categoryId)$/;
const REFERENCE = /.(_ID(_\d+)?|Id)$/;

interface FieldDescriptor {
  type: string;
  title?: string;
  listLabel?: string;
  formLabel?: string;
  filterLabel?: string;
  items?: { ID: string | number; VALUE: string }[];
}

export function analystTablesBehaviour(database: () => Promise<AnalystDatabase>): void {
  let emulator: RunningEmulator;
  let client: Bitrix24Client;
  let db: AnalystDatabase;
  let config: TapConfig;
  let streamsConfig: Record<string, Record<string, unknown>>;
  const q = (name: string) => `"${db.layer}"."${PREFIX}${name}"`;

  before(async () => {
    db = await database();
    emulator = await startEmulator({ seed: 23, scale: 40, plan: 'unlimited', timeScale: 50 });
    client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
    const base = { webhook_url: emulator.webhookUrl, plan: 'unlimited', enable_deal_comments: true };
    const names = (await discoverStreams(client, streamOptionsFrom(checkConfig(base)), quiet)).streams.map(
      (s) => s.name,
    );
    streamsConfig = Object.fromEntries(names.map((name) => [name, { layer: db.layer }]));
    config = checkConfig({ ...base, table_prefix: PREFIX, streams: streamsConfig });
  });
  after(async () => {
    await client?.close();
    await emulator?.close();
  });

  const sync = async (overrides: Record<string, unknown> = {}) => {
    const run = checkConfig({ ...config, ...overrides } as unknown as Record<string, unknown>);
    const result = await syncPortal({ config: run, target: db.target, logger: quiet });
    assert.deepEqual(
      result.summary.streams.filter((s) => s.status !== 'ok'),
      [],
      'every stream syncs',
    );
    return result.summary;
  };

  const fieldsOf = async (entity: string) =>
    (await client.call<Record<string, FieldDescriptor>>(`crm.${entity}.fields`)).result;

  /** Each child table equals the items of its parent's live rows' JSON column, row for row. */
  async function assertChildTablesMatch(): Promise<number> {
    let items = 0;
    for (const [stream, owner] of OWNERS) {
      const ownerColumn = `${owner.toUpperCase()}_ID`;
      for (const [code, suffix] of MULTIFIELDS) {
        const parents = await db.query(
          `select "ID", "${code}" from ${q(stream)} where _sdc_deleted_at is null`,
        );
        const expected = parents.flatMap((p) =>
          ((jsonOf(p[code]) ?? []) as Record<string, unknown>[]).map((m) =>
            JSON.stringify([Number(p.ID), Number(m.ID), m.VALUE_TYPE, m.VALUE === '' ? null : m.VALUE]),
          ),
        );
        const children = await db.query(`select * from ${q(`${owner}_${suffix}`)}`);
        const actual = children.map((c) =>
          JSON.stringify([Number(c[ownerColumn]), Number(c.ID), c.VALUE_TYPE, c.VALUE]),
        );
        assert.deepEqual(actual.sort(), expected.sort(), `${owner}_${suffix} equals ${stream}.${code}`);
        items += expected.length;
      }
    }
    return items;
  }

  it('loads no 0 reference and no "" text, in any table', async () => {
    await sync();
    const columns = await db.columns();
    const checked: string[] = [];
    for (const c of columns) {
      const isReference = c.type === 'bigint' && REFERENCE.test(c.column) && !CATEGORY.test(c.column);
      if (!isReference && c.type !== 'text') continue;
      const test = isReference ? `"${c.column}" = 0` : `"${c.column}" = ''`;
      const rows = await db.query(`select count(*) as n from "${db.layer}"."${c.table}" where ${test}`);
      assert.equal(Number(rows[0].n), 0, `${c.table}.${c.column}: ${test}`);
      checked.push(`${c.table}.${c.column}`);
    }
    for (const column of ['b24_deals.COMPANY_ID', 'b24_deals.CONTACT_ID', 'b24_contacts.COMPANY_ID'])
      assert.ok(checked.includes(column), column);
    const [{ n }] = await db.query(`select count(*) as n from ${q('deals')} where "COMPANY_ID" is null`);
    assert.ok(Number(n) > 0, 'deals without a company are there, as NULL');
  });

  it('gives every column of a titled field its title as a comment', async () => {
    const columns = await db.columns();
    const comment = new Map(columns.map((c) => [`${c.table}.${c.column}`, c.comment]));
    let titled = 0;
    for (const [entity, stream] of ENTITY_FIELDS) {
      for (const [code, field] of Object.entries(await fieldsOf(entity))) {
        const title = field.listLabel || field.formLabel || field.filterLabel || field.title;
        const key = `${PREFIX}${stream}.${code}`;
        if (!title || !comment.has(key)) continue;
        assert.equal(comment.get(key), title, key);
        titled++;
      }
    }
    assert.ok(titled > 150, `${titled} titled columns`);
    assert.equal(comment.get(`${PREFIX}deals.UF_CRM_MONEY`), 'Budget');
    // Tables of fixed fields (deal_comments, users, …) carry their declared titles too.
    const untitled = columns.filter(
      (c) => c.comment === null && !c.column.startsWith('_sdc_') && !c.table.endsWith('__history'),
    );
    assert.deepEqual(
      untitled.map((c) => `${c.table}.${c.column}`),
      [],
    );
  });

  it('splits money into amount and currency, and keeps the JSON', async () => {
    const rows = await db.query(
      `select "UF_CRM_MONEY", "UF_CRM_MONEY_AMOUNT", "UF_CRM_MONEY_CURRENCY" from ${q('deals')}`,
    );
    let money = 0;
    for (const row of rows) {
      const value = jsonOf(row.UF_CRM_MONEY) as { amount: number; currency: string } | null;
      assert.equal(
        row.UF_CRM_MONEY_AMOUNT === null ? null : Number(row.UF_CRM_MONEY_AMOUNT),
        value?.amount ?? null,
      );
      assert.equal(row.UF_CRM_MONEY_CURRENCY, value?.currency ?? null);
      if (value) money++;
    }
    assert.ok(money > 0);
  });

  it('has child tables equal to the multifield JSON, listed in _tap.tables', async () => {
    assert.ok((await assertChildTablesMatch()) > 50);
    const catalog = await db.query(
      `select stream, table_name, sync_type from _tap.tables where layer = '${db.layer}' and sync_type = 'DERIVED'`,
    );
    const names = catalog.map((r) => `${r.stream}→${r.table_name}`);
    for (const [, owner] of OWNERS)
      for (const [, suffix] of MULTIFIELDS)
        assert.ok(names.includes(`${owner}_${suffix}→${PREFIX}${owner}_${suffix}`), `${owner}_${suffix}`);
    assert.ok(names.includes(`enum_items→${PREFIX}enum_items`));
  });

  it('has enum_items equal to the items of *.fields', async () => {
    for (const [entity] of ENTITY_FIELDS) {
      const expected: string[] = [];
      for (const [code, field] of Object.entries(await fieldsOf(entity))) {
        if (field.type !== 'enumeration' && field.type !== 'crm_status') continue;
        for (const item of field.items ?? [])
          expected.push(JSON.stringify([code, String(item.ID), item.VALUE]));
      }
      const rows = await db.query(
        `select field, item_id, label from ${q('enum_items')} where entity = '${entity}'`,
      );
      const actual = rows.map((r) => JSON.stringify([r.field, r.item_id, r.label]));
      assert.ok(expected.length > 0, entity);
      assert.deepEqual(actual.sort(), expected.sort(), entity);
    }
    // One join gives a deal's label.
    const labelled = await db.query(
      `select count(e.label) as n from ${q('deals')} d join ${q('enum_items')} e
       on e.entity = 'deal' and e.field = 'UF_CRM_ENUM' and e.item_id = cast(d."UF_CRM_ENUM" as text)`,
    );
    assert.ok(Number(labelled[0].n) > 0);
  });

  it('stamps no row synced before it was extracted, and deal_comments.FILES as an array of files', async () => {
    const tables = await db.query(`select table_name from _tap.tables where layer = '${db.layer}'`);
    for (const { table_name } of tables) {
      const rows = await db.query(
        `select count(*) as n from "${db.layer}"."${table_name}" where _sdc_synced_at < _sdc_extracted_at`,
      );
      assert.equal(Number(rows[0].n), 0, String(table_name));
    }
    const comments = await db.query(`select "FILES" from ${q('deal_comments')}`);
    let files = 0;
    for (const row of comments) {
      const value = jsonOf(row.FILES);
      assert.ok(Array.isArray(value), 'FILES is an array');
      for (const file of value as { id: unknown }[]) assert.equal(typeof file.id, 'number');
      files += (value as unknown[]).length;
    }
    assert.ok(files > 0);
  });

  it('keeps child tables equal to their parent after changed, emptied and deleted multifields', async () => {
    const withPhones = await db.query(
      `select "ID" from ${q('contacts')} where json_array_length("PHONE") > 0 order by "ID" limit 3`.replace(
        'json_array_length',
        db.target.startsWith('postgres') ? 'jsonb_array_length' : 'json_array_length',
      ),
    );
    const [changed, emptied, deleted] = withPhones.map((r) => Number(r.ID));
    const phones = [
      { VALUE: '+49 30 1234567', VALUE_TYPE: 'WORK' },
      { VALUE: '+49 170 7654321', VALUE_TYPE: 'MOBILE' },
    ];
    await updateEntity(client, 'contact', changed, { PHONE: phones });
    await updateEntity(client, 'contact', emptied, { PHONE: [] });
    await deleteEntity(client, 'contact', deleted);
    await sync();
    await assertChildTablesMatch();
    const phonesOf = async (id: number) =>
      (
        await db.query(
          `select "VALUE_TYPE", "VALUE" from ${q('contact_phones')} where "CONTACT_ID" = ${id} order by "VALUE"`,
        )
      ).map((r) => `${r.VALUE_TYPE} ${r.VALUE}`);
    assert.deepEqual(await phonesOf(changed), ['WORK +49 30 1234567', 'MOBILE +49 170 7654321'].sort());
    assert.deepEqual(await phonesOf(emptied), []);
    assert.ok((await phonesOf(deleted)).length > 0, 'an incremental run cannot see the delete yet');

    await sync({ full_sync_every_days: 1e-6 });
    await assertChildTablesMatch();
    assert.deepEqual(await phonesOf(deleted), [], 'a deleted contact has no phones');

    // A replace (FULL_TABLE) swaps in a new table: comments and child tables follow it.
    await sync({ streams: { ...streamsConfig, contacts: { layer: db.layer, sync_type: 'FULL_TABLE' } } });
    await assertChildTablesMatch();
    const comments = (await db.columns()).filter(
      (c) => c.table === `${PREFIX}contacts` && c.column === 'PHONE',
    );
    assert.equal(comments[0]?.comment, 'Phone');
  });

  it('rebuilds child tables at the next finish after a load that stopped, and updates changed titles', () =>
    stoppedLoadAndRenamedTitle(db));
}
