import { type Command, Option } from '@commander-js/extra-typings';
import { formatModelsSummary } from '../../models/index.js';
import { ConfigError, loadConfig, type TapConfig } from '../../sync/config.js';
import type { SyncProgress } from '../../sync/engine.js';
import { explainFailure, isInterruption, isSettingsFailure } from '../../sync/explain-failure.js';
import { DEFAULT_TARGET, type SyncRunResult, syncPortal } from '../../sync/run.js';
import { formatSummaryTable } from '../../sync/summary.js';
import { INTERRUPTED_EXIT_CODE, interruptible } from '../interrupt.js';
import { configSecrets, createLogger, type LogLevel, type TapLogger } from '../logger.js';
import { createProgressReporter, silentProgress } from '../progress.js';
import { portalHost, type WaitingLine, waitingLine } from '../waiting-line.js';

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

/** A failure that ends the command: its cause and fix in one line on stderr, and the exit code. */
export function reportFatal(error: unknown): void {
  const line = explainFailure(error);
  process.stderr.write(isInterruption(error) ? `${line}\n` : `error: ${line}\n`);
  process.exitCode = isInterruption(error) ? INTERRUPTED_EXIT_CODE : isSettingsFailure(error) ? 2 : 1;
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** Warnings and errors only, unless asked: INFO lines would bury the summary on a terminal. */
export function chosenLogLevel(opts: { logLevel?: string; verbose?: boolean }): LogLevel {
  if (opts.logLevel !== undefined) return opts.logLevel as LogLevel;
  return opts.verbose ? 'info' : 'warn';
}

export function logLevelOption() {
  return new Option('--log-level <level>', 'print log lines from this level on (default: warn)').choices(
    LOG_LEVELS,
  );
}

export function commandLogger(config: TapConfig, level: LogLevel): TapLogger {
  return createLogger({ level, secrets: configSecrets(config) });
}

/**
 * Resets the waiting line whenever a stream moves (rows, requests, a limit wait, its phase):
 * the engine reports running streams every half second even when nothing arrived.
 */
export function progressWatch(waiting: WaitingLine): (p: SyncProgress) => void {
  const seen = new Map<string, string>();
  return (p) => {
    const mark = `${p.phase} ${p.rows} ${p.requests} ${p.limitWaitMs}`;
    if (seen.get(p.stream) !== mark) {
      seen.set(p.stream, mark);
      waiting.touch();
    }
  };
}

/** Streams stopped by Ctrl-C end as failures inside the engine; that is not worth a warning. */
function quietWhenStopped(logger: TapLogger, signal: AbortSignal): TapLogger {
  return {
    ...logger,
    warn: (msg, fields) => {
      if (!(signal.aborted && msg === 'stream failed')) logger.warn(msg, fields);
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
    .addOption(logLevelOption())
    .option('--verbose', 'also print INFO log lines (same as --log-level info)')
    .action(async (opts) => {
      const config = loadConfigOrExit(opts.config);
      if (!config) return;
      const json = opts.json === true;
      const stop = interruptible();
      const logger = quietWhenStopped(commandLogger(config, chosenLogLevel(opts)), stop.signal);
      const progress = json ? silentProgress() : createProgressReporter();
      const waiting = waitingLine({
        host: portalHost(config),
        write: (line) => (json ? process.stderr.write(line) : progress.note(line)),
      });
      const watch = progressWatch(waiting);
      try {
        const result = await syncPortal({
          config,
          target: opts.to,
          ...(opts.streams ? { only: splitList(opts.streams) } : {}),
          full: opts.full === true,
          logger,
          onProgress: (p) => {
            // Streams are writing: from now on Ctrl-C lets them stop at a checkpoint.
            stop.graceful();
            watch(p);
            // A stream cut short by Ctrl-C did not fail; the run ends with "interrupted".
            if (!(stop.signal.aborted && p.phase === 'failed')) progress.onProgress(p);
          },
          signal: stop.signal,
        });
        progress.stop();
        if (stop.signal.aborted) throw new DOMException('interrupted', 'AbortError');
        if (opts.verify && !stop.signal.aborted) {
          const { verifyPortal } = await import('../../sync/verify.js');
          const { printVerification } = await import('../verification-output.js');
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
        reportFatal(stop.signal.aborted ? new DOMException('interrupted', 'AbortError') : error);
      } finally {
        waiting.stop();
        stop.dispose();
      }
    });
}
