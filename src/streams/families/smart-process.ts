/**
 * Smart processes (SPA): one set of streams per type the portal has (crm.type.list), named by
 * the type's entityTypeId: items (crm.item.list), their field descriptors and stage history.
 */
import type { StreamDeclaration } from '../declaration.js';
import { DeclaredStream } from '../machinery/declared-stream.js';
import { alwaysKept, type DiscoveredStreams, type StreamFamily } from '../machinery/family.js';
import type { ReadRange } from '../machinery/keyed-read.js';
import { listSource } from '../machinery/list-source.js';
import { type PortalCatalog, type SpaType, StreamUnavailable } from '../machinery/portal-catalog.js';
import { RecordTyper } from '../machinery/typed-records.js';
import type { ReadContext, Stream } from '../stream.js';
import { FIELD_ROW_FIELDS, fieldRowSource } from './field-rows.js';
import { STAGE_HISTORY_FIELDS, stageHistoryDeclaration, stageHistoryStream } from './stage-history.js';

export const spaItemsDeclaration: StreamDeclaration = {
  name: 'spa_{entityTypeId}',
  group: 'smart_processes',
  description:
    'Items of one smart process (crm.item.list), with its custom fields typed from crm.item.fields.',
  method: 'crm.item.list',
  fieldsMethod: 'crm.item.fields',
  keyProperties: ['id'],
  replicationKey: 'updatedTime',
  validReplicationKeys: ['updatedTime', 'createdTime'],
  scopes: ['crm'],
  relations: [
    { to: 'spa_types', via: 'entityTypeId (the number in the name)', reach: 'one', inName: true },
    { to: 'companies', via: 'companyId', reach: 'zero_or_one' },
    { to: 'contacts', via: 'contactId', reach: 'zero_or_one' },
    { to: 'users', via: 'assignedById', reach: 'one' },
  ],
  mainFields: [
    'id',
    'title',
    'stageId',
    'categoryId',
    'assignedById',
    'opportunity',
    'createdTime',
    'updatedTime',
    'ufCrm*',
  ],
};

export const spaFieldsDeclaration: StreamDeclaration = {
  name: 'spa_fields_{entityTypeId}',
  group: 'metadata',
  description: 'Field descriptors of one smart process (crm.item.fields): one row per field.',
  method: 'crm.item.fields',
  keyProperties: ['id'],
  validReplicationKeys: [],
  forcedReplicationMethod: 'FULL_TABLE',
  scopes: ['crm'],
  relations: [{ to: 'spa_types', via: 'entityTypeId (the number in the name)', reach: 'one', inName: true }],
  mainFields: ['id', 'type', 'label', 'upperName', 'isMultiple', 'items'],
};

export const spaStageHistoryDeclaration: StreamDeclaration = {
  ...stageHistoryDeclaration(
    'spa_stage_history_{entityTypeId}',
    'one smart process',
    'smart_processes',
    'spa_{entityTypeId}',
  ),
};

async function perType(
  portal: PortalCatalog,
  declaration: StreamDeclaration,
  build: (type: SpaType, name: string) => Promise<Stream>,
): Promise<DiscoveredStreams> {
  const out: DiscoveredStreams = { streams: [], unavailable: [] };
  for (const type of await portal.spaTypes()) {
    const name = declaration.name.replace('{entityTypeId}', String(type.entityTypeId));
    try {
      out.streams.push(await build(type, name));
    } catch (error) {
      if (!(error instanceof StreamUnavailable)) throw error;
      out.unavailable.push({ name, declaration, reason: error.reason, cause: 'call_failed' });
    }
  }
  return out;
}

const describeType = (type: SpaType) => ({
  method: 'crm.item.fields',
  params: { entityTypeId: type.entityTypeId },
});

export const spaItems: StreamFamily = {
  declaration: spaItemsDeclaration,
  discover: (portal) =>
    perType(portal, spaItemsDeclaration, async (type, name) => {
      const fields = await portal.fields(describeType(type));
      const typer = new RecordTyper(name, fields, alwaysKept(spaItemsDeclaration));
      const source = listSource({
        method: 'crm.item.list',
        idField: 'id',
        params: (range, ctx) => ({ entityTypeId: type.entityTypeId, select: itemSelect(fields, range, ctx) }),
      });
      return new DeclaredStream(
        spaItemsDeclaration,
        typer,
        source,
        `Items of the smart process "${type.title}" (entityTypeId ${type.entityTypeId}, crm.item.list).`,
        type.title,
      );
    }),
};

/**
 * `id` for a keys-only scan; the selected fields (with the key and replication keys) when the
 * catalog selects some, since the portal prices each field of each row; else every field.
 */
function itemSelect(fields: Record<string, unknown>, range: ReadRange, ctx: ReadContext): string[] {
  if (range.keysOnly) return ['id'];
  if (!ctx.selectedProperties) return ['*'];
  const wanted = new Set([...ctx.selectedProperties, 'id', ...spaItemsDeclaration.validReplicationKeys]);
  return [...wanted].filter((name) => name in fields);
}

export const spaFields: StreamFamily = {
  declaration: spaFieldsDeclaration,
  discover: (portal) =>
    perType(portal, spaFieldsDeclaration, async (type, name) => {
      await portal.fields(describeType(type));
      const typer = new RecordTyper(name, FIELD_ROW_FIELDS, ['id']);
      return new DeclaredStream(
        spaFieldsDeclaration,
        typer,
        fieldRowSource(describeType(type), await portal.describe(describeType(type))),
        `Field descriptors of the smart process "${type.title}" (crm.item.fields).`,
        `${type.title} · fields`,
      );
    }),
};

export const spaStageHistory: StreamFamily = {
  declaration: spaStageHistoryDeclaration,
  discover: (portal) =>
    perType(portal, spaStageHistoryDeclaration, async (type, name) =>
      stageHistoryStream({
        declaration: spaStageHistoryDeclaration,
        name,
        entityTypeId: type.entityTypeId,
        fields: STAGE_HISTORY_FIELDS,
        description: `Stage changes of the smart process "${type.title}" (crm.stagehistory.list, entityTypeId ${type.entityTypeId}).`,
        title: `${type.title} · stage history`,
      }),
    ),
};
