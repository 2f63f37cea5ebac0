import type { Command } from '@commander-js/extra-typings';
import { DEFAULT_TARGET } from '../../sync/run.js';
import { verifyPortal } from '../../sync/verify.js';
import type { LogLevel } from '../logger.js';
import { printVerification } from '../verification-output.js';
import { collectPaths, commandLogger, loadConfigOrExit, reportFatal, splitList } from './sync.js';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      "Compare each stream's rows in the warehouse with the portal's own count (one counted request per stream).",
    )
    .requiredOption('--config <path>', 'config JSON (repeat to merge several, later wins)', collectPaths)
    .option('--to <target>', 'a DuckDB file or a postgres:// URL', DEFAULT_TARGET)
    .option('--streams <names>', 'only these streams, comma-separated (e.g. deals,leads)')
    .option('--json', 'print the report as JSON')
    .option('--log-level <level>', 'debug, info, warn, error or silent')
    .action(async (opts) => {
      const config = loadConfigOrExit(opts.config);
      if (!config) return;
      const logger = commandLogger(config, (opts.logLevel as LogLevel | undefined) ?? 'warn');
      try {
        const report = await verifyPortal({
          config,
          target: opts.to,
          ...(opts.streams ? { only: splitList(opts.streams) } : {}),
          logger,
        });
        printVerification(report, opts.json === true);
        if (!report.ok) process.exitCode = 1;
      } catch (error) {
        reportFatal(error);
      }
    });
}
