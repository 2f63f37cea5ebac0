/**
 * crm.stagehistory.list: every stage move of leads (entityTypeId 1), deals (2) and smart
 * processes. Rows never change once written, so CREATED_TIME is a complete replication key.
 */
import { type FieldMap, fieldTable, type StreamDeclaration } from '../declaration.js';
import { DeclaredStream } from '../machinery/declared-stream.js';
import { alwaysKept } from '../machinery/family.js';
import { listSource } from '../machinery/list-source.js';
import { RecordTyper } from '../machinery/typed-records.js';
import type { Stream, StreamOptions } from '../stream.js';

const COMMON = {
  ID: ['integer', 'ID', 'R'],
  TYPE_ID: ['integer', 'Event (1 created, 2 intermediate stage, 3 final stage, 5 funnel changed)'],
  OWNER_ID: ['integer', 'Record'],
  CREATED_TIME: ['datetime', 'Moved at'],
} as const;

/** Deals and smart processes: funnels and stages. */
export const STAGE_HISTORY_FIELDS: FieldMap = fieldTable({
  ...COMMON,
  CATEGORY_ID: ['crm_category', 'Funnel'],
  STAGE_SEMANTIC_ID: ['string', 'Stage semantics (P in progress, S success, F failure)'],
  STAGE_ID: ['crm_status', 'Stage'],
});

/** Leads: statuses. */
export const LEAD_STATUS_HISTORY_FIELDS: FieldMap = fieldTable({
  ...COMMON,
  STATUS_SEMANTIC_ID: ['string', 'Status semantics (P in progress, S success, F failure)'],
  STATUS_ID: ['crm_status', 'Status'],
});

/** `owner` is the stream whose records move through the stages (OWNER_ID is one of its keys). */
export function stageHistoryDeclaration(
  name: string,
  entity: string,
  group: StreamDeclaration['group'],
  owner: string,
): StreamDeclaration {
  return {
    name,
    group,
    relations: [{ to: owner, via: 'OWNER_ID', reach: 'one' }],
    description: `Stage changes of ${entity} (crm.stagehistory.list).`,
    method: 'crm.stagehistory.list',
    keyProperties: ['ID'],
    replicationKey: 'CREATED_TIME',
    validReplicationKeys: ['CREATED_TIME'],
    scopes: ['crm'],
    mainFields: [
      'ID',
      'OWNER_ID',
      'TYPE_ID',
      'CREATED_TIME',
      name.startsWith('lead') ? 'STATUS_ID' : 'STAGE_ID',
    ],
  };
}

export function stageHistoryStream(input: {
  declaration: StreamDeclaration;
  name: string;
  entityTypeId: number;
  fields: FieldMap;
  filter?: (options: StreamOptions) => Record<string, unknown>;
  description?: string;
  title?: string;
}): Stream {
  const { declaration, name, entityTypeId, fields, filter } = input;
  const typer = new RecordTyper(name, fields, alwaysKept(declaration));
  const source = listSource({
    method: 'crm.stagehistory.list',
    idField: 'ID',
    params: () => ({ entityTypeId }),
    filter: (ctx) => filter?.(ctx.options) ?? {},
  });
  return new DeclaredStream(declaration, typer, source, input.description, input.title);
}
