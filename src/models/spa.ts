/**
 * Smart-process models: for each synced `spa_{entityTypeId}`, a `spa_{entityTypeId}_enriched`
 * view like deals_enriched. A type's stages are the status_list rows with ENTITY_ID
 * `DYNAMIC_{entityTypeId}_STAGE_{categoryId}`; its title is its `spa_types` row's.
 */
import { quoteIdent } from '../destinations/sql-driver.js';
import { idOrNull, jsonObject, textOrNull } from './dialect.js';
import {
  type ModelContext,
  type ModelDefinition,
  personName,
  STATUS_COLUMNS,
  statusSemantic,
  userJoins,
} from './model.js';

const SPA_STREAM = /^spa_(\d+)$/;

/** Smart-process item fields added by a portal's users are `ufCrm{typeId}_…` (camelCase of UF_CRM_{typeId}_…). */
export function isSpaCustomField(column: string): boolean {
  return /^ufCrm/.test(column);
}

const ITEM_COLUMNS = {
  id: 'bigint',
  title: 'text',
  categoryId: 'bigint',
  stageId: 'text',
  opportunity: 'double',
  currencyId: 'text',
  companyId: 'bigint',
  contactId: 'bigint',
  assignedById: 'bigint',
  createdTime: 'timestamptz',
  updatedTime: 'timestamptz',
  movedTime: 'timestamptz',
  begindate: 'date',
  closedate: 'date',
} as const;

function spaEnrichedSql(stream: string, entityTypeId: number, context: ModelContext): string {
  const { sources, dialect } = context;
  const custom = context.customFields.get(stream) ?? [];
  const items = sources.select(stream, {
    ...ITEM_COLUMNS,
    ...Object.fromEntries(custom.map((f) => [f.column, 'text' as const])),
  });
  const status = sources.select('status_list', STATUS_COLUMNS);
  const types = sources.select('spa_types', { entityTypeId: 'bigint', title: 'text' });
  const customObject = jsonObject(
    dialect,
    custom.map((f) => [f.title, `i.${quoteIdent(f.column)}`]),
  );
  const stagePrefix = `DYNAMIC_${entityTypeId}_STAGE_`;
  return `SELECT i."id" AS item_id, i."title" AS title, ${entityTypeId} AS entity_type_id, ty.type_title,
    i."categoryId" AS funnel_id, i."stageId" AS stage_id, st."NAME" AS stage_name, st."SORT" AS stage_sort,
    CASE WHEN st."STATUS_ID" IS NOT NULL THEN ${statusSemantic(dialect, 'st')} END AS stage_semantic,
    i."opportunity" AS amount, ${textOrNull('i."currencyId"')} AS currency_id,
    ${idOrNull('i."companyId"')} AS company_id, co."TITLE" AS company_name,
    ${idOrNull('i."contactId"')} AS contact_id, ${personName('ct')} AS contact_name,
    ${idOrNull('i."assignedById"')} AS assigned_by_id, ${personName('u')} AS assigned_by_name,
    dep."ID" AS department_id, dep."NAME" AS department_name,
    i."createdTime" AS created_at, i."updatedTime" AS updated_at, i."movedTime" AS moved_at,
    i."begindate" AS begin_date, i."closedate" AS close_date,
    ${customObject} AS custom_fields
  FROM ${items} i
  LEFT JOIN (SELECT min("title") AS type_title FROM ${types} t WHERE "entityTypeId" = ${entityTypeId}) ty ON TRUE
  LEFT JOIN ${status} st ON st."ENTITY_ID" = '${stagePrefix}' || CAST(i."categoryId" AS TEXT) AND st."STATUS_ID" = i."stageId"
  LEFT JOIN ${sources.select('companies', { ID: 'bigint', TITLE: 'text' })} co ON co."ID" = ${idOrNull('i."companyId"')}
  LEFT JOIN ${sources.select('contacts', { ID: 'bigint', NAME: 'text', LAST_NAME: 'text' })} ct ON ct."ID" = ${idOrNull('i."contactId"')}
  ${userJoins(context, idOrNull('i."assignedById"'))}`;
}

/** One enriched model per synced smart-process stream, in entityTypeId order. */
export function spaModels(streams: Iterable<string>): ModelDefinition[] {
  const found: [string, number][] = [];
  for (const stream of streams) {
    const match = SPA_STREAM.exec(stream);
    if (match) found.push([stream, Number(match[1])]);
  }
  return found
    .sort((a, b) => a[1] - b[1])
    .map(([stream, entityTypeId]) => ({
      name: `${stream}_enriched`,
      question: `Each item of smart process ${entityTypeId} as people read it: type title, stage name and outcome, company, contact, responsible, amount, custom fields by title.`,
      requires: [stream],
      sql: (context: ModelContext) => spaEnrichedSql(stream, entityTypeId, context),
    }));
}

/** Whether a view name is one of the smart-process models. */
export function isSpaModelName(name: string): boolean {
  return /^spa_\d+_enriched$/.test(name);
}
