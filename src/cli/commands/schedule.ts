import type { Command } from '@commander-js/extra-typings';
import { Cron } from 'croner';
import { cronProblem } from '../../sync/cron-expression.js';
import { explainFailure } from '../../sync/explain-failure.js';
import { DEFAULT_TARGET, syncPortal } from '../../sync/run.js';
import {
  chosenLogLevel,
  collectPaths,
  commandLogger,
  loadConfigOrExit,
  logLevelOption,
  printResult,
} from './sync.js';

export function registerSchedule(program: Command): void {
  program
    .command('schedule')
    .description('Sync on a cron schedule, in the foreground; a run never starts while another is going.')
    .requiredOption('--config <path>', 'config JSON (repeat to merge several, later wins)', collectPaths)
    .option('--cron <pattern>', 'when to sync, e.g. "0 3 * * *" (default: config schedule)')
    .option('--to <target>', 'a DuckDB file or a postgres:// URL', DEFAULT_TARGET)
    .option('--run-now', 'also sync once right away')
    .option('--json', 'print each summary as JSON')
    .addOption(logLevelOption())
    .option('--verbose', 'also print INFO log lines (same as --log-level info)')
    .action(async (opts) => {
      const config = loadConfigOrExit(opts.config);
      if (!config) return;
      const pattern = opts.cron ?? config.schedule;
      if (!pattern) {
        process.stderr.write('error: no schedule: pass --cron "0 3 * * *" or set config.schedule\n');
        process.exitCode = 2;
        return;
      }
      const logger = commandLogger(config, chosenLogLevel(opts));
      const controller = new AbortController();
      const runOnce = async () => {
        logger.info('scheduled sync started');
        try {
          const result = await syncPortal({ config, target: opts.to, logger, signal: controller.signal });
          printResult(result, opts.json === true);
          const s = result.summary;
          logger.info('scheduled sync finished', {
            ok: s.ok,
            seconds: s.seconds,
            requests: s.requests,
            rows: s.streams.reduce((n, x) => n + x.rows, 0),
            failed: s.streams.filter((x) => x.status === 'failed').map((x) => x.stream),
            unavailable: s.streams.filter((x) => x.status === 'unavailable').map((x) => x.stream),
          });
        } catch (error) {
          // One failed run must not end the schedule: the next tick tries again.
          process.stderr.write(`error: ${explainFailure(error)}\n`);
        }
      };
      const problem = cronProblem(pattern);
      if (problem) {
        process.stderr.write(`error: ${opts.cron ? '--cron' : 'config.schedule'}: ${problem}\n`);
        process.exitCode = 2;
        return;
      }
      const job = new Cron(
        pattern,
        { protect: () => logger.warn('previous sync still running; skipping this tick') },
        runOnce,
      );
      process.stderr.write(
        `syncing on "${pattern}"; next run at ${job.nextRun()?.toISOString() ?? 'never'} (Ctrl-C to stop)\n`,
      );
      if (opts.runNow) void job.trigger();
      await new Promise<void>((resolve) => {
        const stop = () => {
          logger.info('schedule stopping');
          job.stop();
          controller.abort();
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
