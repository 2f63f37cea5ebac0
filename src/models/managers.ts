/** Manager performance: per responsible user and month, new and open deals, won and lost, activities done. */
import { idOrNull, utcMonth } from './dialect.js';
import { type ModelContext, type ModelDefinition, modelView, personName, userJoins } from './model.js';

function managerPerformanceSql(context: ModelContext): string {
  const deals = modelView(context, 'deals_enriched');
  const activities = context.sources.select('activities', {
    RESPONSIBLE_ID: 'bigint',
    COMPLETED: 'boolean',
    END_TIME: 'timestamptz',
    CREATED: 'timestamptz',
  });
  const zero = 'CAST(0 AS BIGINT)';
  const noAmount = 'CAST(0 AS DOUBLE PRECISION)';
  return `WITH events AS (
    SELECT assigned_by_id AS user_id, ${utcMonth('created_at')} AS month, CAST(1 AS BIGINT) AS deals_created,
      CAST(CASE WHEN stage_semantic = 'open' THEN 1 ELSE 0 END AS BIGINT) AS open_deals,
      CASE WHEN stage_semantic = 'open' THEN COALESCE(amount, 0) ELSE 0 END AS open_amount,
      ${zero} AS deals_won, ${noAmount} AS won_amount, ${zero} AS deals_lost, ${zero} AS activities_done
    FROM ${deals}
    UNION ALL
    SELECT assigned_by_id, ${utcMonth('closed_at')}, ${zero}, ${zero}, ${noAmount},
      CAST(CASE WHEN stage_semantic = 'won' THEN 1 ELSE 0 END AS BIGINT),
      CASE WHEN stage_semantic = 'won' THEN COALESCE(amount, 0) ELSE 0 END,
      CAST(CASE WHEN stage_semantic = 'lost' THEN 1 ELSE 0 END AS BIGINT), ${zero}
    FROM ${deals} WHERE closed_at IS NOT NULL
    UNION ALL
    -- An activity is done when COMPLETED; its end time (else its creation) dates it.
    SELECT ${idOrNull('a."RESPONSIBLE_ID"')}, ${utcMonth('COALESCE(a."END_TIME", a."CREATED")')},
      ${zero}, ${zero}, ${noAmount}, ${zero}, ${noAmount}, ${zero}, CAST(1 AS BIGINT)
    FROM ${activities} a WHERE a."COMPLETED"
  ),
  totals AS (
    SELECT user_id, month, CAST(sum(deals_created) AS BIGINT) AS deals_created,
      CAST(sum(open_deals) AS BIGINT) AS open_deals, sum(open_amount) AS open_amount,
      CAST(sum(deals_won) AS BIGINT) AS deals_won, sum(won_amount) AS won_amount,
      CAST(sum(deals_lost) AS BIGINT) AS deals_lost, CAST(sum(activities_done) AS BIGINT) AS activities_done
    FROM events GROUP BY user_id, month
  )
  SELECT t.user_id, ${personName('u')} AS user_name, dep."ID" AS department_id, dep."NAME" AS department_name,
    t.month, t.deals_created, t.open_deals, t.open_amount, t.deals_won, t.won_amount, t.deals_lost,
    t.activities_done
  FROM totals t
  ${userJoins(context, 't.user_id')}`;
}

export const managerPerformance: ModelDefinition = {
  name: 'manager_performance',
  question:
    'Per responsible user and month: deals taken on and still open (and their amount), deals won (and amount) and lost, activities completed.',
  requires: ['deals'],
  reads: ['deals_enriched'],
  sql: managerPerformanceSql,
};
