import type { Command } from '@commander-js/extra-typings';
import { Cron } from 'croner';
import { DEFAULT_TARGET, syncPortal } from '../../sync/run.js';
import { collectPaths, commandLogger, loadConfigOrExit, printResult, reportFatal } from './sync.js';

export function registerSchedule(program: Command): void {
  program
    .command('schedule')
    .description('Sync on a cron schedule, in the foreground; a run never starts while another is going.')
    .requiredOption('--config <path>', 'config JSON (repeat to merge several, later wins)', collectPaths)
    .option('--cron <pattern>', 'when to sync, e.g. "0 3 * * *" (default: config schedule)')
    .option('--to <target>', 'a DuckDB file or a postgres:// URL', DEFAULT_TARGET)
    .option('--run-now', 'also sync once right away')
    .option('--json', 'print each summary as JSON')
    .action(async (opts) => {
      const config = loadConfigOrExit(opts.config);
      if (!config) return;
      const pattern = opts.cron ?? config.schedule;
      if (!pattern) {
        process.stderr.write('error: no schedule: pass --cron "0 3 * * *" or set config.schedule\n');
        process.exitCode = 2;
        return;
      }
      const logger = commandLogger(config, 'info');
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
          logger.error('scheduled sync failed', {
            error: error instanceof Error ? error.message : String(error),
          });
        }
      };
      let job: Cron;
      try {
        job = new Cron(
          pattern,
          {
            protect: () => logger.warn('previous sync still running; skipping this tick'),
          },
          runOnce,
        );
      } catch (error) {
        reportFatal(new Error(`--cron: ${error instanceof Error ? error.message : String(error)}`));
        process.exitCode = 2;
        return;
      }
      logger.info('schedule started', { cron: pattern, next_run: job.nextRun()?.toISOString() });
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
