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
import { bigintOf, jsonArrayRowsSql, nonEmpty } from './json-sql.js';
import { qualified, quoteIdent } from './sql-driver.js';

/** The multifields Bitrix24 CRM entities have, and the child table each lands in. */
const CHILD_SUFFIX: Record<string, string> = {
  PHONE: 'phones',
  EMAIL: 'emails',
  WEB: 'websites',
  IM: 'messengers',
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

/** The catalog names a stream's multifield child tables take: contacts → contact_phones, … */
export function multifieldTableNames(stream: string): string[] {
  return Object.values(CHILD_SUFFIX).map((suffix) => `${singularOf(stream)}_${suffix}`);
}

/** The column of a multifield child table that holds its owner's key: contacts → CONTACT_ID. */
export function multifieldOwnerColumn(stream: string): string {
  return `${singularOf(stream).toUpperCase()}_ID`;
}

export function multifieldTables(table: StreamTable): DerivedTable[] {
  if (table.keyProperties.length !== 1) return [];
  const key = table.keyProperties[0];
  const owner = singularOf(table.stream);
  const prefix = tablePrefixOf(table);
  const ownerColumn = multifieldOwnerColumn(table.stream);
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
      incremental: true,
      canRefresh: (source) => source.get(code) === 'json' && source.has(key),
      refreshSql(dialect, source, since) {
        const target = qualified(table.layer, name);
        const parent = qualified(table.layer, table.table);
        const owner =
          source.get(key) === 'bigint'
            ? `p.${quoteIdent(key)}`
            : bigintOf(dialect, `CAST(p.${quoteIdent(key)} AS TEXT)`);
        // Since the last rebuild only rows written or marked deleted after it can have changed.
        const changed =
          since === undefined ? undefined : `(p._sdc_synced_at >= ${since} OR p._sdc_deleted_at >= ${since})`;
        const elements = jsonArrayRowsSql(dialect, {
          from: parent,
          array: code,
          members: ['ID', 'VALUE_TYPE', 'VALUE'],
          carry: { owner, extracted: 'p._sdc_extracted_at', synced: 'p._sdc_synced_at' },
          where: `p._sdc_deleted_at IS NULL${since === undefined ? '' : ` AND p._sdc_synced_at >= ${since}`}`,
        });
        const columns = [ownerColumn, 'ID', 'VALUE_TYPE', 'VALUE', '_sdc_extracted_at', '_sdc_synced_at'];
        return [
          changed === undefined
            ? `DELETE FROM ${target}`
            : `DELETE FROM ${target} WHERE ${quoteIdent(ownerColumn)} IN (SELECT ${owner} FROM ${parent} p WHERE ${changed})`,
          `INSERT INTO ${target} (${columns.map(quoteIdent).join(', ')})
           SELECT e."owner", ${bigintOf(dialect, nonEmpty('e."m_ID"'))}, ${nonEmpty('e."m_VALUE_TYPE"')},
             ${nonEmpty('e."m_VALUE"')}, e."extracted", e."synced"
           FROM (${elements}) e`,
        ];
      },
    });
  }
  return tables;
}
