import type { Command } from '@commander-js/extra-typings';
import { formatModelsSummary } from '../../models/index.js';
import { ConfigError, loadConfig, type TapConfig } from '../../sync/config.js';
import { PlanError } from '../../sync/plan.js';
import { DEFAULT_TARGET, type SyncRunResult, syncPortal } from '../../sync/run.js';
import { formatSummaryTable } from '../../sync/summary.js';
import { configSecrets, createLogger, type LogLevel, type TapLogger } from '../logger.js';
import { createProgressReporter, silentProgress } from '../progress.js';

/** `--config a.json --config b.json`: later files override earlier ones. */
export function collectPaths(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Loads the config or explains on stderr why not (exit code 2: a usage error, not a sync failure). */
export function loadConfigOrExit(paths: string[] | undefined): TapConfig | undefined {
  try {
    return loadConfig(paths ?? []);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 2;
      return undefined;
    }
    throw error;
  }
}

/** A failure that ends the command: a readable line on stderr, exit code 1 (2 for config/plan). */
export function reportFatal(error: unknown, logger?: TapLogger): void {
  const message = error instanceof Error ? error.message : String(error);
  logger?.critical(message);
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = error instanceof ConfigError || error instanceof PlanError ? 2 : 1;
}

export function commandLogger(config: TapConfig, level: LogLevel): TapLogger {
  return createLogger({ level, secrets: configSecrets(config) });
}

/** Ctrl-C stops the run between pages; a second Ctrl-C exits at once. */
export function abortOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('stopping after the current pages (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export function printResult(result: SyncRunResult, json: boolean): void {
  if (json) {
    const models = result.models ? { models: result.models } : {};
    process.stdout.write(
      `${JSON.stringify({ destination: result.destination, ...result.summary, ...models })}\n`,
    );
  } else {
    process.stdout.write(`synced into ${result.destination}\n${formatSummaryTable(result.summary)}\n`);
    if (result.models) process.stdout.write(`${formatModelsSummary(result.models)}\n`);
  }
  if (result.modelsNotBuilt) process.stderr.write(`models not rebuilt: ${result.modelsNotBuilt}\n`);
}

/** A run fails when a stream did, or when the models it was asked to rebuild were not. */
export function runFailed(result: SyncRunResult): boolean {
  return !result.summary.ok || result.modelsNotBuilt !== undefined;
}

export function registerSync(program: Command): void {
  program
    .command('sync')
    .description('Sync every available stream into DuckDB (default) or Postgres, incrementally.')
    .requiredOption('--config <path>', 'config JSON (repeat to merge several, later wins)', collectPaths)
    .option('--to <target>', 'a DuckDB file or a postgres:// URL', DEFAULT_TARGET)
    .option('--streams <names>', 'only these streams, comma-separated (e.g. deals,leads)')
    .option('--full', 'read everything and replace every table this run')
    .option('--verify', "then compare each stream's rows with the portal's own count (verify)")
    .option('--json', 'print the summary as JSON')
    .option('--log-level <level>', 'debug, info, warn, error or silent')
    .action(async (opts) => {
      const config = loadConfigOrExit(opts.config);
      if (!config) return;
      const json = opts.json === true;
      // Bars and log lines would fight over a terminal; warnings still get through.
      const level =
        (opts.logLevel as LogLevel | undefined) ?? (json || process.stderr.isTTY ? 'warn' : 'info');
      const logger = commandLogger(config, level);
      const progress = json ? silentProgress() : createProgressReporter();
      const stop = abortOnSignals();
      try {
        const result = await syncPortal({
          config,
          target: opts.to,
          ...(opts.streams ? { only: splitList(opts.streams) } : {}),
          full: opts.full === true,
          logger,
          onProgress: (p) => progress.onProgress(p),
          signal: stop.signal,
        });
        progress.stop();
        if (opts.verify && !stop.signal.aborted) {
          const { verifyPortal } = await import('../../sync/verify.js');
          const { printVerification } = await import('./verify.js');
          const report = await verifyPortal({
            config,
            target: opts.to,
            ...(opts.streams ? { only: splitList(opts.streams) } : {}),
            logger,
          });
          if (json) {
            const models = result.models ? { models: result.models } : {};
            const line = {
              destination: result.destination,
              ...result.summary,
              ...models,
              verification: report,
            };
            process.stdout.write(`${JSON.stringify(line)}\n`);
          } else {
            printResult(result, false);
            printVerification(report, false);
          }
          if (!report.ok) process.exitCode = 1;
        } else printResult(result, json);
        if (runFailed(result)) process.exitCode = 1;
      } catch (error) {
        progress.stop();
        reportFatal(error, logger);
      } finally {
        stop.dispose();
      }
    });
}
