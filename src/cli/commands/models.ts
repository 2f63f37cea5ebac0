/**
 * `tap-bitrix24 models`: rebuilds the model views (docs/MODELS.md) over what earlier syncs loaded
 * into a DuckDB file or Postgres, without reading the portal.
 */
import type { Command } from '@commander-js/extra-typings';
import { openDestination } from '../../destinations/open.js';
import { buildModels, formatModelsSummary } from '../../models/index.js';
import { DEFAULT_TARGET, modelsOptionsFrom } from '../../sync/run.js';
import { collectPaths, loadConfigOrExit, reportFatal } from './sync.js';

export function registerModels(program: Command): void {
  program
    .command('models')
    .description('Rebuild the model views (funnel conversion, stage durations, …) over the synced tables.')
    .requiredOption('--config <path>', 'config JSON (repeat to merge several, later wins)', collectPaths)
    .option('--to <target>', 'a DuckDB file or a postgres:// URL', DEFAULT_TARGET)
    .option('--json', 'print the summary as JSON')
    .action(async (opts) => {
      const config = loadConfigOrExit(opts.config);
      if (!config) return;
      try {
        const destination = await openDestination(opts.to);
        try {
          const summary = await buildModels(destination, modelsOptionsFrom(config));
          process.stdout.write(
            opts.json === true
              ? `${JSON.stringify({ destination: destination.description, ...summary })}\n`
              : `${destination.description}\n${formatModelsSummary(summary)}\n`,
          );
        } finally {
          await destination.close();
        }
      } catch (error) {
        reportFatal(error);
      }
    });
}
