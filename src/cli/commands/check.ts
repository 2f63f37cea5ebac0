import type { Command } from '@commander-js/extra-typings';
import { Bitrix24Client } from '../../client/index.js';
import { discoverStreams } from '../../streams/index.js';
import { clientOptionsFrom, streamOptionsFrom } from '../../sync/config.js';
import { collectPaths, commandLogger, loadConfigOrExit } from './sync.js';

export interface CheckReport {
  portal_time: string;
  scopes: string[];
  streams: { name: string; group: string; replication_key?: string }[];
  unavailable: { name: string; reason: string }[];
  /** Names under `streams` in the config that the portal does not offer. */
  unknown_configured_streams: string[];
}

/** Why a first call fails, in words that point at the fix. */
function explain(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  if (name === 'AuthError' || code === 'NO_AUTH_FOUND' || code === 'INVALID_CREDENTIALS') {
    return `the portal refused the credentials (${message}); check webhook_url (https://PORTAL/rest/USER_ID/CODE/) or the OAuth settings`;
  }
  if (name === 'NotFoundError' || code === 'ERROR_METHOD_NOT_FOUND') {
    return `the portal answered but not as a Bitrix24 REST endpoint (${message}); check the webhook_url path`;
  }
  if (name === 'TransportError') {
    return `cannot reach the portal (${message}); check the host in webhook_url and your network`;
  }
  return message;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Reach the portal: its clock, granted scopes, available and unavailable streams.')
    .requiredOption('--config <path>', 'config JSON (repeat to merge several, later wins)', collectPaths)
    .option('--json', 'print the report as JSON')
    .action(async (opts) => {
      const config = loadConfigOrExit(opts.config);
      if (!config) return;
      const logger = commandLogger(config, 'warn');
      const client = new Bitrix24Client({ ...clientOptionsFrom(config), logger, maxRetries: 1 });
      try {
        const portalTime = await client.serverTime();
        const scopes = await client.scopes();
        const discovery = await discoverStreams(client, streamOptionsFrom(config), logger);
        const known = new Set([
          ...discovery.streams.map((s) => s.name),
          ...discovery.unavailable.map((u) => u.name),
        ]);
        const report: CheckReport = {
          portal_time: portalTime,
          scopes,
          streams: discovery.streams.map((s) => ({
            name: s.name,
            group: s.group,
            ...(s.replicationKey ? { replication_key: s.replicationKey } : {}),
          })),
          unavailable: discovery.unavailable,
          unknown_configured_streams: Object.keys(config.streams).filter((name) => !known.has(name)),
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
        for (const name of report.unknown_configured_streams) {
          lines.push(`warning: config.streams.${name}: no such stream on this portal`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      } catch (error) {
        process.stderr.write(`error: ${explain(error)}\n`);
        process.exitCode = 1;
      } finally {
        await client.close();
      }
    });
}
