import type { Command } from '@commander-js/extra-typings';
import { Bitrix24Client } from '../../client/index.js';
import { discoverStreams } from '../../streams/index.js';
import { clientOptionsFrom, streamOptionsFrom } from '../../sync/config.js';
import { checkConfiguredStreams } from '../../sync/configured-streams.js';
import { interruptible } from '../interrupt.js';
import { portalHost, waitingLine } from '../waiting-line.js';
import {
  chosenLogLevel,
  collectPaths,
  commandLogger,
  loadConfigOrExit,
  logLevelOption,
  reportFatal,
} from './sync.js';

export interface CheckReport {
  portal_time: string;
  scopes: string[];
  streams: { name: string; group: string; replication_key?: string }[];
  unavailable: { name: string; reason: string }[];
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Reach the portal: its clock, granted scopes, available and unavailable streams.')
    .requiredOption('--config <path>', 'config JSON (repeat to merge several, later wins)', collectPaths)
    .option('--json', 'print the report as JSON')
    .addOption(logLevelOption())
    .option('--verbose', 'also print INFO log lines (same as --log-level info)')
    .action(async (opts) => {
      const config = loadConfigOrExit(opts.config);
      if (!config) return;
      const logger = commandLogger(config, chosenLogLevel(opts));
      const stop = interruptible();
      const waiting = waitingLine({ host: portalHost(config), write: (line) => process.stderr.write(line) });
      let client: Bitrix24Client | undefined;
      try {
        client = new Bitrix24Client({ ...clientOptionsFrom(config), logger, maxRetries: 1 });
        const portalTime = await client.serverTime();
        waiting.touch();
        const scopes = await client.scopes();
        waiting.touch();
        const discovery = await discoverStreams(client, streamOptionsFrom(config), logger);
        waiting.stop();
        checkConfiguredStreams(config.streams, discovery);
        const report: CheckReport = {
          portal_time: portalTime,
          scopes,
          streams: discovery.streams.map((s) => ({
            name: s.name,
            group: s.group,
            ...(s.replicationKey ? { replication_key: s.replicationKey } : {}),
          })),
          unavailable: discovery.unavailable,
        };
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(report)}\n`);
          return;
        }
        const lines = [
          `portal clock: ${report.portal_time}`,
          `granted scopes: ${scopes.join(', ') || '(none)'}`,
          `available streams (${report.streams.length}):`,
          ...report.streams.map(
            (s) => `  ${s.name.padEnd(28)} ${s.group.padEnd(20)} ${s.replication_key ?? 'full table'}`,
          ),
        ];
        if (report.unavailable.length > 0) {
          lines.push(`unavailable streams (${report.unavailable.length}):`);
          for (const u of report.unavailable) lines.push(`  ${u.name.padEnd(28)} ${u.reason}`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      } catch (error) {
        reportFatal(error);
      } finally {
        waiting.stop();
        stop.dispose();
        await client?.close();
      }
    });
}
