/** Lead conversion: leads by source and month, how many became deals and how fast. */
import { idOrNull, ratio, secondsBetween, textOrNull, utcMonth } from './dialect.js';
import { type ModelContext, type ModelDefinition, STATUS_COLUMNS } from './model.js';

function leadConversionSql(context: ModelContext): string {
  const { sources } = context;
  const leads = sources.select('leads', {
    ID: 'bigint',
    SOURCE_ID: 'text',
    DATE_CREATE: 'timestamptz',
    STATUS_SEMANTIC_ID: 'text',
  });
  const deals = sources.select('deals', { LEAD_ID: 'bigint', DATE_CREATE: 'timestamptz' });
  const status = sources.select('status_list', STATUS_COLUMNS);
  return `WITH source_names AS (
    SELECT "STATUS_ID" AS source_id, min("NAME") AS source_name FROM ${status} s
    WHERE "ENTITY_ID" = 'SOURCE' GROUP BY "STATUS_ID"
  ),
  -- A lead is converted when a deal names it (LEAD_ID); the first such deal is the conversion.
  conversions AS (
    SELECT ${idOrNull('"LEAD_ID"')} AS lead_id, count(*) AS deals, min("DATE_CREATE") AS first_deal_at
    FROM ${deals} d WHERE ${idOrNull('"LEAD_ID"')} IS NOT NULL GROUP BY ${idOrNull('"LEAD_ID"')}
  ),
  l AS (
    SELECT "ID" AS lead_id, ${textOrNull('"SOURCE_ID"')} AS source_id, ${utcMonth('"DATE_CREATE"')} AS month,
      "DATE_CREATE" AS created_at, "STATUS_SEMANTIC_ID" AS semantic_id
    FROM ${leads} x
  )
  SELECT l.source_id, n.source_name, l.month, count(*) AS leads,
    count(c.lead_id) AS converted_leads,
    ${ratio('count(c.lead_id)', 'count(*)')} AS conversion_rate,
    CAST(COALESCE(sum(c.deals), 0) AS BIGINT) AS deals_created,
    avg(${secondsBetween('l.created_at', 'c.first_deal_at')}) / 86400 AS avg_days_to_convert,
    count(*) FILTER (WHERE l.semantic_id = 'S') AS leads_in_success_status,
    count(*) FILTER (WHERE l.semantic_id = 'F') AS leads_in_failure_status
  FROM l LEFT JOIN conversions c ON c.lead_id = l.lead_id
  LEFT JOIN source_names n ON n.source_id = l.source_id
  GROUP BY l.source_id, n.source_name, l.month`;
}

export const leadConversion: ModelDefinition = {
  name: 'lead_conversion',
  question: 'Per source and month, how many leads came in, how many became deals, and how long that took?',
  requires: ['leads', 'deals'],
  sql: leadConversionSql,
};
