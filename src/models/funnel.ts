/** Funnel conversion: per funnel and month of entry, how many deals reached each stage, won and lost. */

import { dealStagesSql } from './deals.js';
import { ratio, utcMonth } from './dialect.js';
import { dealFunnels, type ModelContext, type ModelDefinition, modelView } from './model.js';

function funnelConversionSql(context: ModelContext): string {
  const history = context.sources.select('deal_stage_history', { OWNER_ID: 'bigint', STAGE_ID: 'text' });
  const deals = modelView(context, 'deals_enriched');
  return `WITH stages AS (${dealStagesSql(context)}),
  cohort AS (
    SELECT deal_id, funnel_id, ${utcMonth('created_at')} AS month, stage_id, stage_semantic, amount
    FROM ${deals} WHERE created_at IS NOT NULL
  ),
  -- A deal reached a stage it has a history row for, or is in now.
  visits AS (
    SELECT "OWNER_ID" AS deal_id, "STAGE_ID" AS stage_id FROM ${history} h
    UNION SELECT deal_id, stage_id FROM cohort
  ),
  totals AS (
    SELECT funnel_id, month, count(*) AS deals_entered,
      count(*) FILTER (WHERE stage_semantic = 'won') AS deals_won,
      count(*) FILTER (WHERE stage_semantic = 'lost') AS deals_lost,
      COALESCE(sum(amount) FILTER (WHERE stage_semantic = 'won'), 0) AS won_amount
    FROM cohort GROUP BY funnel_id, month
  ),
  reached AS (
    SELECT c.funnel_id, c.month, v.stage_id, count(DISTINCT c.deal_id) AS deals_reached
    FROM cohort c JOIN visits v ON v.deal_id = c.deal_id
    GROUP BY c.funnel_id, c.month, v.stage_id
  )
  SELECT t.funnel_id, fu."name" AS funnel_name, t.month, s.stage_sort, s.stage_id, s.stage_name, s.stage_semantic,
    t.deals_entered, COALESCE(r.deals_reached, 0) AS deals_reached,
    ${ratio('COALESCE(r.deals_reached, 0)', 't.deals_entered')} AS reached_rate,
    t.deals_won, t.deals_lost,
    ${ratio('t.deals_won', 't.deals_entered')} AS win_rate,
    ${ratio('t.deals_won', 't.deals_won + t.deals_lost')} AS win_rate_closed,
    t.won_amount
  FROM totals t
  JOIN stages s ON s.funnel_id = t.funnel_id
  LEFT JOIN ${dealFunnels(context)} fu ON fu."id" = t.funnel_id
  LEFT JOIN reached r ON r.funnel_id = t.funnel_id AND r.month = t.month AND r.stage_id = s.stage_id`;
}

export const funnelConversion: ModelDefinition = {
  name: 'funnel_conversion',
  question:
    'Of the deals that entered a funnel in a month, how many reached each stage, how many were won or lost, and for how much?',
  requires: ['deals', 'status_list', 'deal_stage_history'],
  reads: ['deals_enriched'],
  sql: funnelConversionSql,
};
