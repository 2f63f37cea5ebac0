/**
 * `tap-bitrix24 call METHOD [--params JSON] [--all] --config config.json`: one call printed as
 * JSON, or with `--all` every row of a list as JSON lines through the fastest engine.
 * The config is read with a small local parse (webhook_url, oauth, plan,
 * operating_time_threshold, TAP_BITRIX24_* env); it should move to the shared config loader.
 */
import { readFileSync } from 'node:fs';
import type { Command } from '@commander-js/extra-typings';
import { Bitrix24Client, type ClientOptions, ConfigError, type Plan, redact } from '../../client/index.js';

interface CallConfigFile {
  webhook_url?: string;
  oauth?: {
    client_id?: string;
    client_secret?: string;
    portal_url?: string;
    refresh_token?: string;
    token_file?: string;
    token_url?: string;
  };
  plan?: Plan;
  operating_time_threshold?: number;
}

const PLANS: readonly Plan[] = ['standard', 'enterprise', 'unlimited'];

/** Client options from a config file and TAP_BITRIX24_* environment variables. */
export function callClientOptions(
  configPath: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ClientOptions {
  let file: CallConfigFile = {};
  if (configPath) {
    try {
      file = JSON.parse(readFileSync(configPath, 'utf8')) as CallConfigFile;
    } catch (error) {
      throw new ConfigError(`cannot read config ${configPath}: ${(error as Error).message}`);
    }
  }
  // An empty variable counts as unset (Meltano passes unset settings as empty strings).
  const webhookUrl = env.TAP_BITRIX24_WEBHOOK_URL || file.webhook_url;
  const plan = (env.TAP_BITRIX24_PLAN || file.plan || 'standard') as Plan;
  if (!PLANS.includes(plan)) throw new ConfigError(`plan must be one of ${PLANS.join(', ')}`);
  const threshold = env.TAP_BITRIX24_OPERATING_TIME_THRESHOLD || file.operating_time_threshold;
  const options: ClientOptions = {
    plan,
    operatingTimeThreshold: threshold === undefined ? undefined : Number(threshold),
  };
  if (webhookUrl) return { ...options, webhookUrl };
  const o = file.oauth;
  if (o) {
    if (!o.client_id || !o.client_secret || !o.portal_url) {
      throw new ConfigError('oauth needs client_id, client_secret and portal_url');
    }
    return {
      ...options,
      oauth: {
        clientId: o.client_id,
        clientSecret: o.client_secret,
        portalUrl: o.portal_url,
        refreshToken: o.refresh_token,
        tokenFile: o.token_file,
        tokenUrl: o.token_url,
      },
    };
  }
  throw new ConfigError('the config needs webhook_url or oauth (or TAP_BITRIX24_WEBHOOK_URL)');
}

function parseParams(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError('--params must be a JSON object');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('--params must be a JSON object');
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
    .option('--config <file>', 'config JSON (webhook_url or oauth, plan)')
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
        process.stderr.write(`error: ${redact(error instanceof Error ? error.message : String(error))}\n`);
        process.exitCode = error instanceof ConfigError ? 2 : 1;
      } finally {
        await client?.close();
      }
    });
}
