/**
 * `tap-bitrix24 call METHOD [--params JSON] [--all] --config config.json`: one call printed as
 * JSON, or with `--all` every row of a list as JSON lines through the fastest engine.
 */
import type { Command } from '@commander-js/extra-typings';
import { Bitrix24Client, type ClientOptions, ConfigError } from '../../client/index.js';
import { clientOptionsFrom, loadConfig } from '../../sync/config.js';
import { reportFatal } from './sync.js';

/** Client options from config files and TAP_BITRIX24_* variables, through the shared loader. */
export function callClientOptions(
  configPaths: string[],
  env: NodeJS.ProcessEnv = process.env,
): ClientOptions {
  return clientOptionsFrom(loadConfig(configPaths, env));
}

function parseParams(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError('--params', '--params must be a JSON object');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('--params', '--params must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export function registerCall(program: Command): void {
  program
    .command('call')
    .description(
      'call one Bitrix24 method and print the answer as JSON; --all prints every row of a list as JSON lines',
    )
    .argument('<method>', 'REST method, e.g. crm.deal.list')
    .option('--params <json>', 'method parameters as a JSON object', '{}')
    .option('--all', 'read every row of a list (keyset paging, 2,500 rows a request where possible)')
    .option(
      '--config <file...>',
      'config JSON file(s), merged left to right; TAP_BITRIX24_* variables also count',
      [] as string[],
    )
    .action(async (method, opts) => {
      let client: Bitrix24Client | undefined;
      try {
        const params = parseParams(opts.params);
        client = new Bitrix24Client(callClientOptions(opts.config));
        if (opts.all) {
          for await (const page of client.list(method, params)) {
            process.stdout.write(`${page.map((row) => JSON.stringify(row)).join('\n')}\n`);
          }
        } else {
          const answer = await client.call(method, params);
          process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
        }
      } catch (error) {
        reportFatal(error);
      } finally {
        await client?.close();
      }
    });
}
