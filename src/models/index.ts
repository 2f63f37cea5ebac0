/**
 * The models: SQL views over the synced tables that answer the usual CRM questions (funnel
 * conversion, stage durations, lead conversion, manager performance, enriched deals and
 * smart-process items), one set of definitions for DuckDB and Postgres. docs/MODELS.md describes
 * each. This part reads the destinations' tables; sync and the CLI call it, never the reverse.
 */
export {
  type BuiltModel,
  buildModels,
  CRM_MODELS,
  isModelName,
  type LeftOutModel,
  ModelsError,
  type ModelsOptions,
  type ModelsSummary,
  modelQuestion,
} from './build.js';
export type { TargetOf } from './sources.js';

/** The summary as people read it: what was built where, and what was left out for want of which streams. */
export function formatModelsSummary(summary: import('./build.js').ModelsSummary): string {
  const lines = [
    summary.built.length > 0
      ? `models in ${summary.schema}: ${summary.built.map((m) => m.name).join(', ')}`
      : `no models built in ${summary.schema}`,
  ];
  for (const model of summary.leftOut)
    lines.push(`  left out ${model.name}: needs ${model.missing.join(', ')} (not synced)`);
  return lines.join('\n');
}
