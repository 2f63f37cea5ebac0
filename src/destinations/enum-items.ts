/**
 * `enum_items`: the items of list fields (`enumeration`, and `crm_status` fields that carry
 * `items`) as rows of (entity, field, item_id, label), from the `*_fields` streams' `items`
 * column, so a label is one join: an enumeration column stores the chosen item's ID,
 *
 *   SELECT d."ID", e.label FROM raw.deals d LEFT JOIN raw.enum_items e
 *     ON e.entity = 'deal' AND e.field = 'UF_CRM_ENUM' AND e.item_id = CAST(d."UF_CRM_ENUM" AS TEXT)
 *
 * One table for all entities: each `*_fields` stream rebuilds its entity's rows when its load
 * finishes (derived-tables.ts). `item_id` is text because crm_status items are codes.
 */
import { type DerivedTable, tablePrefixOf } from './derived-table.js';
import type { StreamTable } from './destination.js';
import { jsonArrayRowsSql, nonEmpty } from './json-sql.js';
import { qualified, quoteLiteral } from './sql-driver.js';

const FIELD_ROWS = /_fields(?:_|$)/;

/** `deal_fields` → `deal`, `spa_fields_128` → `spa_128`. */
export function enumEntityOf(stream: string): string {
  return stream.replace(FIELD_ROWS, (match) => (match.endsWith('_') ? '_' : ''));
}

export function enumItemsTable(table: StreamTable): DerivedTable | undefined {
  const properties = table.schema.properties ?? {};
  if (
    !FIELD_ROWS.test(table.stream) ||
    !('items' in properties && 'id' in properties && 'type' in properties)
  )
    return undefined;
  const prefix = tablePrefixOf(table);
  const name = prefix === undefined ? `${table.table}_enum_items` : `${prefix}enum_items`;
  const entity = enumEntityOf(table.stream);
  return {
    layer: table.layer,
    table: name,
    catalogName: prefix === undefined ? name : 'enum_items',
    folder: table.folder,
    comment:
      'Items of list fields (enumeration, crm_status with items) of every entity, from the *_fields streams: join on entity, field and item_id',
    columns: [
      {
        name: 'entity',
        kind: 'text',
        comment: 'Entity (deal, contact, spa_128, …): the *_fields stream it comes from',
      },
      { name: 'field', kind: 'text', comment: 'Field code (the column that stores the item ID)' },
      { name: 'item_id', kind: 'text', comment: 'Item ID as text (compare with CAST(column AS TEXT))' },
      { name: 'label', kind: 'text', comment: 'Item label' },
    ],
    // A few rows per list field: rebuilt whole every time.
    incremental: false,
    canRefresh: (source) => source.get('items') === 'json' && source.has('id') && source.has('type'),
    refreshSql(dialect) {
      const target = qualified(table.layer, name);
      const items = jsonArrayRowsSql(dialect, {
        from: qualified(table.layer, table.table),
        array: 'items',
        members: ['ID', 'VALUE'],
        carry: { field: 'p.id', extracted: 'p._sdc_extracted_at', synced: 'p._sdc_synced_at' },
        where: "p.type IN ('enumeration', 'crm_status') AND p._sdc_deleted_at IS NULL",
      });
      return [
        `DELETE FROM ${target} WHERE entity = ${quoteLiteral(entity)}`,
        `INSERT INTO ${target} (entity, field, item_id, label, _sdc_extracted_at, _sdc_synced_at)
         SELECT ${quoteLiteral(entity)}, e."field", ${nonEmpty('e."m_ID"')}, ${nonEmpty('e."m_VALUE"')}, e."extracted", e."synced"
         FROM (${items}) e`,
      ];
    },
  };
}
