/**
 * Builds the model views in one transaction: every view this module made before is dropped, and
 * each model whose streams were synced is created again from the tables as they are now (custom
 * field titles included), so a rebuild after a sync picks up new fields, funnels and types.
 */
import { defaultStateSchema, type SqlDestination } from '../destinations/sql-destination.js';
import { qualified, quoteIdent } from '../destinations/sql-driver.js';
import { type CustomField, customFields } from './custom-fields.js';
import { dealStageDurations, dealStages, dealsEnriched } from './deals.js';
import { funnelConversion } from './funnel.js';
import { leadConversion } from './leads.js';
import { managerPerformance } from './managers.js';
import type { ModelContext, ModelDefinition } from './model.js';
import { ModelSources, syncedTables, type TargetOf } from './sources.js';
import { isSpaCustomField, isSpaModelName, spaModels } from './spa.js';

/** The CRM models, in build order (a model after those it reads). */
export const CRM_MODELS: readonly ModelDefinition[] = [
  dealStages,
  dealsEnriched,
  dealStageDurations,
  funnelConversion,
  leadConversion,
  managerPerformance,
];

export class ModelsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ModelsError';
  }
}

export interface ModelsOptions {
  /** The schema of the views (config `models_schema`). */
  schema: string;
  /** Where the configuration puts each stream (its layer and prefixed table). */
  targetOf: TargetOf;
  /** The destination's bookkeeping schema, `_tap` unless it was opened with another. */
  stateSchema?: string;
}

export interface BuiltModel {
  name: string;
  question: string;
  /** The streams it reads that were synced. */
  streams: string[];
}

export interface LeftOutModel {
  name: string;
  /** Streams not synced, or models left out, that it needs. */
  missing: string[];
}

export interface ModelsSummary {
  schema: string;
  built: BuiltModel[];
  leftOut: LeftOutModel[];
}

export function buildModels(destination: SqlDestination, options: ModelsOptions): Promise<ModelsSummary> {
  const { driver } = destination;
  return destination.exclusive(() =>
    destination.transaction(async () => {
      const tables = await syncedTables(driver, options.stateSchema ?? defaultStateSchema, options.targetOf);
      const sources = new ModelSources(driver.dialect, tables);
      const custom = new Map<string, CustomField[]>();
      custom.set(
        'deals',
        await customFields(driver, sources, 'deals', 'deal_fields', (c) => c.startsWith('UF_')),
      );
      const spa = spaModels(tables.keys());
      for (const model of spa) {
        const stream = model.requires[0]!;
        const fields = stream.replace(/^spa_/, 'spa_fields_');
        custom.set(stream, await customFields(driver, sources, stream, fields, isSpaCustomField));
      }
      const context: ModelContext = {
        dialect: driver.dialect,
        sources,
        schema: options.schema,
        customFields: custom,
      };
      await refuseCatalogName(destination, options.schema);
      await driver.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
      await dropModels(destination, options.schema);
      const summary: ModelsSummary = { schema: options.schema, built: [], leftOut: [] };
      const built = new Set<string>();
      for (const model of [...CRM_MODELS, ...spa]) {
        // A model that reads one left out lacks that one's streams.
        const missing = new Set(model.requires.filter((stream) => !sources.has(stream)));
        for (const read of model.reads ?? [])
          for (const stream of summary.leftOut.find((m) => m.name === read)?.missing ?? [])
            missing.add(stream);
        if (missing.size > 0) {
          summary.leftOut.push({ name: model.name, missing: [...missing] });
          continue;
        }
        const sql = model.sql(context);
        try {
          await driver.query(`CREATE VIEW ${qualified(options.schema, model.name)} AS ${sql}`);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new ModelsError(`model ${model.name} could not be created: ${message}`, { cause: error });
        }
        built.add(model.name);
        summary.built.push({
          name: model.name,
          question: model.question,
          streams: [...tables.values()]
            .filter((table) => sql.includes(qualified(table.layer, table.table)))
            .map((table) => table.stream),
        });
      }
      return summary;
    }),
  );
}

/** The question a model answers, by its view's name. */
export function modelQuestion(name: string): string | undefined {
  return (
    CRM_MODELS.find((m) => m.name === name)?.question ??
    spaModels([name.replace(/_enriched$/, '')])[0]?.question
  );
}

/** Whether a view in the models' schema is one this module makes (and so may drop). */
export function isModelName(name: string): boolean {
  return CRM_MODELS.some((m) => m.name === name) || isSpaModelName(name);
}

/**
 * Drops the model views in `schema`, those that read other models first. A view of the user's
 * that reads one of them makes Postgres refuse, which fails the build with its message rather
 * than drop the user's view too.
 */
async function dropModels(destination: SqlDestination, schema: string): Promise<void> {
  const { driver } = destination;
  const rows = await driver.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'VIEW'`,
    [schema],
  );
  const readers = new Set(CRM_MODELS.filter((m) => (m.reads ?? []).length > 0).map((m) => m.name));
  const names = rows.map((row) => String(row.table_name)).filter(isModelName);
  names.sort((a, b) => Number(readers.has(b)) - Number(readers.has(a)));
  for (const name of names) {
    try {
      await driver.query(`DROP VIEW IF EXISTS ${qualified(schema, name)}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ModelsError(
        `cannot replace the view ${schema}.${name}: ${message}; drop the views that read it, or set models_schema to another schema`,
        { cause: error },
      );
    }
  }
}

/**
 * DuckDB cannot tell a schema from the file's own catalog of the same name (`mart.duckdb` and
 * schema `mart`: "Ambiguous reference"), in our SQL and in every query a user types later.
 */
async function refuseCatalogName(destination: SqlDestination, schema: string): Promise<void> {
  if (destination.driver.dialect !== 'duckdb') return;
  const [row] = await destination.driver.query('SELECT current_database() AS name');
  if (String(row?.name ?? '').toLowerCase() === schema.toLowerCase()) {
    throw new ModelsError(
      `models_schema "${schema}" has the same name as the DuckDB file (${destination.description}), which DuckDB cannot tell apart; set models_schema to another name, or use a file with another name`,
    );
  }
}
