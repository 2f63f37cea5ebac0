/** What a model is: a named view over synced streams (and other models), and what it answers. */
import { qualified } from '../destinations/sql-driver.js';
import type { CustomField } from './custom-fields.js';
import { jsonText, type SqlDialectName } from './dialect.js';
import type { ModelSources } from './sources.js';

export interface ModelContext {
  readonly dialect: SqlDialectName;
  readonly sources: ModelSources;
  /** The schema the views go to (config `models_schema`). */
  readonly schema: string;
  /** Custom fields by entity stream (`deals`, `spa_128`, …), titled. */
  readonly customFields: ReadonlyMap<string, readonly CustomField[]>;
}

export interface ModelDefinition {
  /** The view's name. */
  readonly name: string;
  /** The question it answers, for summaries and the console. */
  readonly question: string;
  /** Streams without which it means nothing: when one was not synced, the model is left out. */
  readonly requires: readonly string[];
  /** Models it reads; built before it, and it is left out when one of them is. */
  readonly reads?: readonly string[];
  sql(context: ModelContext): string;
}

/** The qualified name of a model's view. */
export function modelView(context: Pick<ModelContext, 'schema'>, name: string): string {
  return qualified(context.schema, name);
}

/**
 * A stage's semantic from its `status_list` row: `won`, `lost` or `open`. The legacy
 * `SEMANTICS` column holds S (success) / F (failure) / empty; `EXTRA.SEMANTICS` holds
 * success / failure / process and is the one newer portals fill for every stage.
 */
export function statusSemantic(dialect: SqlDialectName, alias: string): string {
  const extra = jsonText(dialect, `${alias}."EXTRA"`, 'SEMANTICS');
  return `CASE WHEN ${alias}."SEMANTICS" = 'S' OR ${extra} = 'success' THEN 'won'
    WHEN ${alias}."SEMANTICS" = 'F' OR ${extra} = 'failure' THEN 'lost' ELSE 'open' END`;
}

/** `won`/`lost`/`open` from an entity's own P/S/F semantic id (a deal's `STAGE_SEMANTIC_ID`). */
export function semanticFromId(column: string): string {
  return `CASE ${column} WHEN 'S' THEN 'won' WHEN 'F' THEN 'lost' WHEN 'P' THEN 'open' END`;
}

/** A person's display name from first and last name; NULL when both are empty. */
export function personName(alias: string): string {
  return `NULLIF(trim(concat_ws(' ', ${alias}."NAME", ${alias}."LAST_NAME")), '')`;
}

/** The live status_list columns the models read. */
export const STATUS_COLUMNS = {
  ENTITY_ID: 'text',
  STATUS_ID: 'text',
  NAME: 'text',
  SORT: 'bigint',
  CATEGORY_ID: 'bigint',
  SEMANTICS: 'text',
  EXTRA: 'json',
} as const;

export const USER_COLUMNS = { ID: 'bigint', NAME: 'text', LAST_NAME: 'text', UF_DEPARTMENT: 'json' } as const;

/**
 * Joins `users` (as `u`) and the user's first department (as `dep`) to the row whose user id is
 * `userId`. A user's `UF_DEPARTMENT` is an array of department ids; the first is the main one.
 */
export function userJoins(context: ModelContext, userId: string): string {
  const { sources, dialect } = context;
  const department = `CAST(${jsonText(dialect, 'u."UF_DEPARTMENT"', 0)} AS BIGINT)`;
  return `LEFT JOIN ${sources.select('users', USER_COLUMNS)} u ON u."ID" = ${userId}
  LEFT JOIN ${sources.select('departments', { ID: 'bigint', NAME: 'text' })} dep ON dep."ID" = ${department}`;
}

/** Deal funnels by id (`deal_categories`: crm.category.list for entityTypeId 2), as `id`, `name`. */
export function dealFunnels(context: ModelContext): string {
  return context.sources.select('deal_categories', { id: 'bigint', name: 'text' });
}
