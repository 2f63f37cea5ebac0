/**
 * Multifields as child tables: a contact's PHONE array (`[{ID, VALUE_TYPE, VALUE, TYPE_ID}]`)
 * also lands as rows of `contact_phones` (`CONTACT_ID`, `ID` the multifield's own id,
 * `VALUE_TYPE`, `VALUE`), beside the lossless JSON column it is read from. Which properties are
 * multifields is read from the schema (an array of objects with VALUE_TYPE and TYPE_ID), so any
 * stream with them gets its child tables. Kept consistent as derived-tables.ts says.
 */
import type { JsonSchema } from '../schema/index.js';
import { type DerivedTable, tablePrefixOf } from './derived-table.js';
import type { StreamTable } from './destination.js';
import { bigintOf, jsonElementsJoin, jsonMemberText } from './json-sql.js';
import { qualified, quoteIdent } from './sql-driver.js';

/** The multifields Bitrix24 CRM entities have, and the child table each lands in. */
const CHILD_SUFFIX: Record<string, string> = {
  PHONE: 'phones',
  EMAIL: 'emails',
  WEB: 'websites',
  IM: 'messengers',
  LINK: 'links',
};

function isMultifieldArray(schema: JsonSchema): boolean {
  const item = schema.items;
  const members = item && typeof item === 'object' ? item.properties : undefined;
  return members !== undefined && 'VALUE_TYPE' in members && 'TYPE_ID' in members && 'VALUE' in members;
}

/** `contacts` → `contact`, `companies` → `company`: the owner, as Bitrix24 names it singular. */
export function singularOf(stream: string): string {
  if (stream.endsWith('ies')) return `${stream.slice(0, -3)}y`;
  return stream.endsWith('s') ? stream.slice(0, -1) : stream;
}

export function multifieldTables(table: StreamTable): DerivedTable[] {
  if (table.keyProperties.length !== 1) return [];
  const key = table.keyProperties[0];
  const owner = singularOf(table.stream);
  const prefix = tablePrefixOf(table);
  const ownerColumn = `${owner.toUpperCase()}_ID`;
  const tables: DerivedTable[] = [];
  for (const [code, property] of Object.entries(table.schema.properties ?? {})) {
    const suffix = CHILD_SUFFIX[code];
    if (suffix === undefined || !isMultifieldArray(property)) continue;
    const name = prefix === undefined ? `${table.table}_${suffix}` : `${prefix}${owner}_${suffix}`;
    const label = property.title ?? code;
    tables.push({
      layer: table.layer,
      table: name,
      catalogName: prefix === undefined ? name : `${owner}_${suffix}`,
      folder: table.folder,
      comment: `${label} of ${table.stream}: one row per item of ${table.table}.${code}, rebuilt from it after each load`,
      columns: [
        { name: ownerColumn, kind: 'bigint', comment: `${owner} (${table.table}.${key})` },
        { name: 'ID', kind: 'bigint', comment: `Multifield item ID (${code})` },
        { name: 'VALUE_TYPE', kind: 'text', comment: 'Type (VALUE_TYPE: WORK, MOBILE, HOME, …)' },
        { name: 'VALUE', kind: 'text', comment: label },
      ],
      canRefresh: (source) => source.get(code) === 'json' && source.has(key),
      refreshSql(dialect, source) {
        const target = qualified(table.layer, name);
        const ownerValue =
          source.get(key) === 'bigint'
            ? `p.${quoteIdent(key)}`
            : bigintOf(dialect, `CAST(p.${quoteIdent(key)} AS TEXT)`);
        const columns = [ownerColumn, 'ID', 'VALUE_TYPE', 'VALUE', '_sdc_extracted_at', '_sdc_synced_at'];
        return [
          `DELETE FROM ${target}`,
          `INSERT INTO ${target} (${columns.map(quoteIdent).join(', ')})
           SELECT ${ownerValue}, ${bigintOf(dialect, jsonMemberText(dialect, 'm', 'ID'))},
             ${jsonMemberText(dialect, 'm', 'VALUE_TYPE')}, ${jsonMemberText(dialect, 'm', 'VALUE')},
             p._sdc_extracted_at, p._sdc_synced_at
           FROM ${qualified(table.layer, table.table)} p${jsonElementsJoin(dialect, `p.${quoteIdent(code)}`, 'm')}
           WHERE p._sdc_deleted_at IS NULL`,
        ];
      },
    });
  }
  return tables;
}
