/**
 * `tap-bitrix24 demo`: the README's first command on a fresh clone. Starts the emulator in this
 * process (the CLI is the one place allowed to wire it to the connector, like the tests), syncs
 * every stream into a DuckDB file and shows what landed. No portal, no credentials, no network.
 *
 * The emulated portal runs on the `unlimited` plan with a time scale of 50, so server processing
 * waits shrink 50 times and a scale-1000 portal syncs in seconds, not minutes.
 */
import { rmSync } from 'node:fs';
import type { Command } from '@commander-js/extra-typings';
import { startEmulator } from '../../emulator/index.js';
import { formatModelsSummary } from '../../models/index.js';
import { checkConfig } from '../../sync/config.js';
import { DEFAULT_LAYER } from '../../sync/plan.js';
import { DEFAULT_TARGET, syncPortal } from '../../sync/run.js';
import { formatSummaryTable } from '../../sync/summary.js';
import { createLogger } from '../logger.js';
import { createProgressReporter } from '../progress.js';
import { reportFatal, runFailed } from './sync.js';

export const DEMO_SEED = 42;
export const DEMO_TIME_SCALE = 50;

const EXAMPLES: { title: string; sql: string }[] = [
  {
    title: 'rows per table',
    sql: `select table_name, estimated_size as rows from duckdb_tables() where schema_name = '${DEFAULT_LAYER}' order by rows desc limit 8`,
  },
  {
    title: 'deals per stage',
    sql: `select "STAGE_ID", count(*) as deals from ${DEFAULT_LAYER}.deals group by 1 order by 2 desc limit 5`,
  },
];

/**
 * The chart-worthy answer the demo ends with: how far the deals of the busiest funnel got, stage by
 * stage (from the `funnel_conversion` model, summed over the months deals entered).
 */
export const FUNNEL_EXAMPLE = {
  title: 'funnel conversion of the busiest funnel',
  sql: `select funnel_name, stage_name, sum(deals_reached) as deals, round(100.0 * sum(deals_reached) / sum(deals_entered), 1) as pct
from mart.funnel_conversion
where funnel_id = (select funnel_id from mart.deals_enriched group by 1 order by count(*) desc, 1 limit 1)
group by funnel_name, stage_sort, stage_name order by stage_sort`,
};

/** Rows as aligned text columns: numbers to the right, the rest to the left. */
function alignedRows(rows: Record<string, unknown>[]): string[] {
  const cells = rows.map((row) => Object.values(row).map((v) => String(v ?? '')));
  const widths = (cells[0] ?? []).map((_, c) => Math.max(...cells.map((r) => [...r[c]!].length)));
  const numeric = widths.map((_, c) => cells.every((r) => r[c] === '' || Number.isFinite(Number(r[c]))));
  return cells.map((r) =>
    r
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c]! - [...cell].length);
        return numeric[c] ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

async function showExamples(
  path: string,
  examples: readonly { title: string; sql: string }[],
): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    for (const example of examples) {
      try {
        const reader = await connection.runAndReadAll(example.sql);
        const rows = reader.getRowObjectsJson();
        process.stdout.write(`\n${example.title}:  ${example.sql}\n`);
        for (const line of alignedRows(rows)) process.stdout.write(`  ${line}\n`);
      } catch {
        // An example that does not fit this build's tables is left out; the data is still there.
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * The command to look at the data: through npx when the demo was started by `npm run demo` in a
 * clone (where `tap-bitrix24` is not on PATH until installed), as is otherwise.
 */
function queryHint(file: string): string {
  const command = process.env.npm_lifecycle_event === 'demo' ? 'npx tap-bitrix24' : 'tap-bitrix24';
  const to = file === DEFAULT_TARGET ? '' : ` --to ${file}`;
  return `${command} query "select * from ${DEFAULT_LAYER}.deals limit 10"${to}`;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Start an emulated portal, sync every stream into ./demo.duckdb, show a summary.')
    .option('--scale <n>', 'portal size (about this many deals)', '1000')
    .option('--to <file>', 'the DuckDB file to (re)create', 'demo.duckdb')
    .option('--seed <n>', 'data generator seed', String(DEMO_SEED))
    .action(async (opts) => {
      const scale = Number(opts.scale);
      const seed = Number(opts.seed);
      if (!Number.isInteger(scale) || scale < 1) {
        process.stderr.write(
          `error: --scale: expected a positive integer, got ${JSON.stringify(opts.scale)}\n`,
        );
        process.exitCode = 2;
        return;
      }
      if (opts.to.includes('://')) {
        process.stderr.write('error: --to: the demo writes a DuckDB file; give a path\n');
        process.exitCode = 2;
        return;
      }
      const logger = createLogger({ level: 'warn' });
      const emulator = await startEmulator({ seed, scale, plan: 'unlimited', timeScale: DEMO_TIME_SCALE });
      const progress = createProgressReporter({ intervalSeconds: 5 });
      try {
        // The demo's own file: a previous demo's state would turn this run incremental.
        for (const suffix of ['', '.wal']) rmSync(`${opts.to}${suffix}`, { force: true });
        const config = checkConfig({
          webhook_url: emulator.webhookUrl,
          plan: 'unlimited',
          extract_deal_contacts: true,
          enable_deal_comments: true,
          enable_deal_products: true,
          models: true,
        });
        process.stderr.write(`emulated portal at ${emulator.baseUrl} (seed ${seed}, scale ${scale})\n`);
        const result = await syncPortal({
          config,
          target: opts.to,
          logger,
          onProgress: (p) => progress.onProgress(p),
        });
        progress.stop();
        process.stdout.write(`synced into ${result.destination}\n${formatSummaryTable(result.summary)}\n`);
        if (result.models) process.stdout.write(`${formatModelsSummary(result.models)}\n`);
        if (result.modelsNotBuilt) process.stderr.write(`models not built: ${result.modelsNotBuilt}\n`);
        if (runFailed(result)) process.exitCode = 1;
        await showExamples(opts.to, EXAMPLES);
        process.stdout.write(
          `\ntry: ${queryHint(opts.to)}\n` +
            'then point `tap-bitrix24 sync --config config.json` at your own portal\n',
        );
        if (result.models) await showExamples(opts.to, [FUNNEL_EXAMPLE]);
      } catch (error) {
        progress.stop();
        reportFatal(error);
      } finally {
        await emulator.close();
      }
    });
}
