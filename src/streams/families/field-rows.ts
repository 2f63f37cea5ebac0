/**
 * `<entity>_fields`: the portal's field descriptors as rows, one per field, so a warehouse can
 * label columns and decode enumerations (the `items` of a list field) and crm.status dictionaries.
 */
import type { BatchCommand } from '../../client/index.js';
import { type FieldMap, fieldTable, type StreamDeclaration } from '../declaration.js';
import { DeclaredStream } from '../machinery/declared-stream.js';
import type { StreamFamily } from '../machinery/family.js';
import type { PageSource } from '../machinery/keyed-read.js';
import { RecordTyper } from '../machinery/typed-records.js';
import type { StreamGroup } from '../stream.js';

export const FIELD_ROW_FIELDS: FieldMap = fieldTable({
  id: ['string', 'Field code', 'R'],
  type: ['string', 'Bitrix24 type'],
  title: ['string', 'Title (the code, for user fields)'],
  label: ['string', 'Human label'],
  listLabel: ['string', 'List label'],
  formLabel: ['string', 'Form label'],
  filterLabel: ['string', 'Filter label'],
  upperName: ['string', 'UPPER_CASE name (crm.item fields)'],
  isRequired: ['boolean', 'Required'],
  isReadOnly: ['boolean', 'Read-only'],
  isImmutable: ['boolean', 'Immutable'],
  isMultiple: ['boolean', 'Multiple'],
  isDynamic: ['boolean', 'User field'],
  isDeprecated: ['boolean', 'Deprecated'],
  statusType: ['string', 'crm.status ENTITY_ID of the dictionary'],
  items: ['object', 'Enumeration items {ID, VALUE}', 'm'],
  settings: ['object', 'Field settings'],
});

export interface FieldRowsDeclaration {
  name: string;
  group?: StreamGroup;
  entity: string;
  fields: BatchCommand;
}

export function fieldRows(d: FieldRowsDeclaration): StreamFamily {
  const declaration: StreamDeclaration = {
    name: d.name,
    group: d.group ?? 'metadata',
    description: `Field descriptors of ${d.entity} (${d.fields.method}): one row per field, with labels, types and enumeration items.`,
    method: d.fields.method,
    keyProperties: ['id'],
    validReplicationKeys: [],
    forcedReplicationMethod: 'FULL_TABLE',
    scopes: ['crm'],
    mainFields: ['id', 'type', 'label', 'isMultiple', 'statusType', 'items'],
  };
  return {
    declaration,
    describeCalls: () => [d.fields],
    async discover(portal) {
      // Availability follows the describe call itself (it may be refused even with the scope).
      await portal.fields(d.fields);
      return new DeclaredStream(
        declaration,
        new RecordTyper(d.name, FIELD_ROW_FIELDS, ['id']),
        fieldRowSource(d.fields, await portal.describe(d.fields)),
      );
    },
  };
}

/**
 * Rows of a describe call's answer. `described`: the answer discovery got for this run, which
 * the first read uses instead of asking again (each describe call costs the portal 0.04 s of
 * operating time, and the rows then match the schemas built from the same answer); a stream read
 * again later asks the portal.
 */
export function fieldRowSource(command: BatchCommand, described?: unknown): PageSource {
  let unread = described;
  return async function* (_range, ctx) {
    const answer = unread ?? (await ctx.client.call<unknown>(command.method, command.params)).result;
    unread = undefined;
    const result = answer as Record<string, unknown>;
    const map = (
      result && typeof result.fields === 'object' && result.fields !== null ? result.fields : result
    ) as Record<string, Record<string, unknown>>;
    const records = Object.entries(map ?? {}).map(([id, f]) => ({
      id,
      ...f,
      label: f.listLabel || f.formLabel || f.filterLabel || f.title || id,
    }));
    yield { records };
  };
}
