/** Deal models: the stages of every funnel, each deal enriched, and the time deals spend per stage. */
import { quoteIdent } from '../destinations/sql-driver.js';
import { idOrNull, jsonObject, secondsBetween, textOrNull } from './dialect.js';
import {
  dealFunnels,
  type ModelContext,
  type ModelDefinition,
  personName,
  STATUS_COLUMNS,
  semanticFromId,
  statusSemantic,
  userJoins,
} from './model.js';

/**
 * Deal stages from status_list: ENTITY_ID `DEAL_STAGE` is the default funnel (0), and
 * `DEAL_STAGE_{categoryId}` each other funnel, whose rows carry that CATEGORY_ID.
 */
export function dealStagesSql(context: ModelContext): string {
  const status = context.sources.select('status_list', STATUS_COLUMNS);
  return `SELECT CASE WHEN s."ENTITY_ID" = 'DEAL_STAGE' THEN 0 ELSE s."CATEGORY_ID" END AS funnel_id,
    s."STATUS_ID" AS stage_id, s."NAME" AS stage_name, s."SORT" AS stage_sort,
    ${statusSemantic(context.dialect, 's')} AS stage_semantic
  FROM ${status} s
  WHERE s."ENTITY_ID" = 'DEAL_STAGE' OR substr(s."ENTITY_ID", 1, 11) = 'DEAL_STAGE_'`;
}

export const dealStages: ModelDefinition = {
  name: 'deal_stages',
  question: 'Which stages does each funnel have, in what order, and which of them win or lose a deal?',
  requires: ['status_list'],
  sql: dealStagesSql,
};

const DEAL_COLUMNS = {
  ID: 'bigint',
  TITLE: 'text',
  CATEGORY_ID: 'bigint',
  STAGE_ID: 'text',
  STAGE_SEMANTIC_ID: 'text',
  OPPORTUNITY: 'double',
  CURRENCY_ID: 'text',
  COMPANY_ID: 'bigint',
  CONTACT_ID: 'bigint',
  ASSIGNED_BY_ID: 'bigint',
  LEAD_ID: 'bigint',
  SOURCE_ID: 'text',
  DATE_CREATE: 'timestamptz',
  DATE_MODIFY: 'timestamptz',
  MOVED_TIME: 'timestamptz',
  CLOSEDATE: 'date',
} as const;

function dealsEnrichedSql(context: ModelContext): string {
  const { sources, dialect } = context;
  const custom = context.customFields.get('deals') ?? [];
  const deals = sources.select('deals', {
    ...DEAL_COLUMNS,
    ...Object.fromEntries(custom.map((f) => [f.column, 'text' as const])),
  });
  const customObject = jsonObject(
    dialect,
    custom.map((f) => [f.title, `d.${quoteIdent(f.column)}`]),
  );
  const funnel = 'COALESCE(d."CATEGORY_ID", 0)';
  return `WITH stages AS (${dealStagesSql(context)}),
  enriched AS (
  SELECT d."ID" AS deal_id, d."TITLE" AS title, ${funnel} AS funnel_id, fu."name" AS funnel_name,
    d."STAGE_ID" AS stage_id, st.stage_name, st.stage_sort,
    COALESCE(st.stage_semantic, ${semanticFromId('d."STAGE_SEMANTIC_ID"')}, 'open') AS stage_semantic,
    d."OPPORTUNITY" AS amount, ${textOrNull('d."CURRENCY_ID"')} AS currency_id,
    ${idOrNull('d."COMPANY_ID"')} AS company_id, co."TITLE" AS company_name,
    ${idOrNull('d."CONTACT_ID"')} AS contact_id, ${personName('ct')} AS contact_name,
    ${idOrNull('d."ASSIGNED_BY_ID"')} AS assigned_by_id, ${personName('u')} AS assigned_by_name,
    dep."ID" AS department_id, dep."NAME" AS department_name,
    ${idOrNull('d."LEAD_ID"')} AS lead_id, ${textOrNull('d."SOURCE_ID"')} AS source_id,
    d."DATE_CREATE" AS created_at, d."DATE_MODIFY" AS modified_at, d."MOVED_TIME" AS moved_at,
    d."CLOSEDATE" AS close_date,
    ${customObject} AS custom_fields
  FROM ${deals} d
  LEFT JOIN stages st ON st.funnel_id = ${funnel} AND st.stage_id = d."STAGE_ID"
  LEFT JOIN ${dealFunnels(context)} fu ON fu."id" = ${funnel}
  LEFT JOIN ${sources.select('companies', { ID: 'bigint', TITLE: 'text' })} co ON co."ID" = ${idOrNull('d."COMPANY_ID"')}
  LEFT JOIN ${sources.select('contacts', { ID: 'bigint', NAME: 'text', LAST_NAME: 'text' })} ct ON ct."ID" = ${idOrNull('d."CONTACT_ID"')}
  ${userJoins(context, idOrNull('d."ASSIGNED_BY_ID"'))}
  )
  SELECT e.*,
    -- A deal is moved into its won or lost stage when it closes, so that move's time is the close.
    CASE WHEN e.stage_semantic IN ('won', 'lost') THEN COALESCE(e.moved_at, e.modified_at) END AS closed_at
  FROM enriched e`;
}

export const dealsEnriched: ModelDefinition = {
  name: 'deals_enriched',
  question:
    'Each deal as people read it: stage name and outcome, funnel, company, contact, responsible and department, amount, custom fields by title.',
  requires: ['deals'],
  sql: dealsEnrichedSql,
};

const HISTORY_COLUMNS = {
  ID: 'bigint',
  OWNER_ID: 'bigint',
  CATEGORY_ID: 'bigint',
  STAGE_ID: 'text',
  STAGE_SEMANTIC_ID: 'text',
  CREATED_TIME: 'timestamptz',
} as const;

function stageDurationsSql(context: ModelContext): string {
  const history = context.sources.select('deal_stage_history', HISTORY_COLUMNS);
  return `WITH stages AS (${dealStagesSql(context)}),
  steps AS (
    SELECT h."ID" AS history_id, h."OWNER_ID" AS deal_id, COALESCE(h."CATEGORY_ID", 0) AS funnel_id,
      h."STAGE_ID" AS stage_id, h."STAGE_SEMANTIC_ID" AS semantic_id, h."CREATED_TIME" AS entered_at,
      LEAD(h."CREATED_TIME") OVER w AS left_at,
      row_number() OVER w AS step
    FROM ${history} h
    WHERE h."OWNER_ID" IS NOT NULL AND h."CREATED_TIME" IS NOT NULL
    WINDOW w AS (PARTITION BY h."OWNER_ID" ORDER BY h."CREATED_TIME", h."ID")
  ),
  named AS (
    SELECT s.deal_id, s.step, s.history_id, s.funnel_id, s.stage_id, st.stage_name, st.stage_sort,
      COALESCE(st.stage_semantic, ${semanticFromId('s.semantic_id')}, 'open') AS stage_semantic,
      s.entered_at, s.left_at
    FROM steps s LEFT JOIN stages st ON st.funnel_id = s.funnel_id AND st.stage_id = s.stage_id
  )
  SELECT n.*, n.left_at IS NULL AS is_current,
    -- A stage left has its stay; the current stage of an open deal counts up to now; a closed
    -- deal's final (won/lost) stage has no duration.
    CASE WHEN n.left_at IS NOT NULL THEN ${secondsBetween('n.entered_at', 'n.left_at')}
      WHEN n.stage_semantic = 'open' THEN ${secondsBetween('n.entered_at', 'now()')} END AS duration_seconds
  FROM named n`;
}

export const dealStageDurations: ModelDefinition = {
  name: 'deal_stage_durations',
  question: 'How long does each deal stay in each stage, and where is it now?',
  requires: ['deal_stage_history'],
  sql: stageDurationsSql,
};
