/**
 * The connector's configuration (DESIGN.md section 4): JSON files merged left to right, then
 * `TAP_BITRIX24_<KEY>` environment variables (Meltano's convention). Every key is checked here, so
 * a typo or a wrong type fails before any request, naming the key and the fix. Values of secret
 * keys never appear in an error.
 */
import { readFileSync } from 'node:fs';
import type { ClientOptions } from '../client/index.js';
import type { StreamOptions } from '../streams/stream.js';
import {
  bool,
  type Check,
  ConfigError,
  idList,
  isoDate,
  number,
  object,
  oneOf,
  PLANS,
  parseJson,
  secret,
  streams,
  tablePrefix,
  text,
  webhookUrl,
} from './config-checks.js';

export { ConfigError } from './config-checks.js';

export type Plan = 'standard' | 'enterprise' | 'unlimited';
export type SyncType = 'INCREMENTAL' | 'FULL_TABLE';

export interface OAuthConfig {
  client_id: string;
  client_secret: string;
  portal_url: string;
  refresh_token?: string;
  token_file?: string;
  token_url?: string;
}

export interface StreamConfig {
  selected?: boolean;
  sync_type?: SyncType;
  layer?: string;
  folder?: string;
  table?: string;
}

export interface TapConfig {
  webhook_url?: string;
  oauth?: OAuthConfig;
  extract_deal_contacts: boolean;
  enable_deal_comments: boolean;
  enable_deal_products: boolean;
  operating_time_threshold: number;
  deal_category_ids: number[];
  start_date?: string;
  plan: Plan;
  streams: Record<string, StreamConfig>;
  table_prefix: string;
  lookback_seconds: number;
  history_days: number;
  /** 0: never run an additional full sync. */
  full_sync_every_days: number;
  schedule?: string;
  max_concurrency: number;
  ca_file?: string;
}

const SHAPE: Record<string, Check> = {
  webhook_url: webhookUrl,
  oauth: object(
    {
      client_id: text,
      client_secret: secret(text),
      portal_url: text,
      refresh_token: secret(text),
      token_file: text,
      token_url: text,
    },
    ['client_id', 'client_secret', 'portal_url'],
  ),
  extract_deal_contacts: bool,
  enable_deal_comments: bool,
  enable_deal_products: bool,
  operating_time_threshold: number(1),
  deal_category_ids: idList,
  start_date: isoDate,
  plan: oneOf(PLANS),
  streams,
  table_prefix: tablePrefix,
  lookback_seconds: number(0),
  history_days: number(0),
  full_sync_every_days: number(0),
  schedule: text,
  max_concurrency: number(1, true),
  ca_file: text,
};

const DEFAULTS: Omit<TapConfig, 'webhook_url' | 'oauth'> = {
  extract_deal_contacts: false,
  enable_deal_comments: false,
  enable_deal_products: false,
  operating_time_threshold: 200,
  deal_category_ids: [],
  plan: 'standard',
  streams: {},
  table_prefix: '',
  lookback_seconds: 300,
  history_days: 0,
  full_sync_every_days: 0,
  max_concurrency: 4,
};

function readConfigFile(path: string): Record<string, unknown> {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      '',
      `cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError('', `config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('', `config file ${path} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

const ENV_PREFIX = 'TAP_BITRIX24_';

/** Env values for known keys; `TAP_BITRIX24_OAUTH_CLIENT_ID` style sets one key of `oauth`. */
function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(SHAPE)) {
    const value = env[ENV_PREFIX + key.toUpperCase()];
    if (value !== undefined && value !== '') out[key] = value;
  }
  const oauthParts: Record<string, string> = {};
  for (const sub of [
    'client_id',
    'client_secret',
    'portal_url',
    'refresh_token',
    'token_file',
    'token_url',
  ]) {
    const value = env[`${ENV_PREFIX}OAUTH_${sub.toUpperCase()}`];
    if (value !== undefined && value !== '') oauthParts[sub] = value;
  }
  if (Object.keys(oauthParts).length > 0) {
    const whole = typeof out.oauth === 'string' ? parseJson(out.oauth, 'oauth') : {};
    out.oauth = { ...(whole as object), ...oauthParts };
  }
  return out;
}

/** Reads, merges and checks the configuration. Throws `ConfigError` naming the key at fault. */
export function loadConfig(paths: string[], env: NodeJS.ProcessEnv = process.env): TapConfig {
  const merged: Record<string, unknown> = {};
  for (const path of paths) Object.assign(merged, readConfigFile(path));
  Object.assign(merged, fromEnv(env));
  return checkConfig(merged);
}

/** Checks an already-parsed configuration object (from the console, a test, or `loadConfig`). */
export function checkConfig(input: Record<string, unknown>): TapConfig {
  const out: Record<string, unknown> = { ...DEFAULTS, deal_category_ids: [], streams: {} };
  for (const [key, value] of Object.entries(input)) {
    const check = SHAPE[key];
    if (!check) {
      throw new ConfigError(key, `config.${key}: unknown key; known keys: ${Object.keys(SHAPE).join(', ')}`);
    }
    if (value === null || value === undefined) continue;
    out[key] = check(value, key);
  }
  const config = out as unknown as TapConfig;
  if (config.webhook_url !== undefined && config.oauth !== undefined) {
    throw new ConfigError('webhook_url', 'config: set either webhook_url or oauth, not both');
  }
  if (config.webhook_url === undefined && config.oauth === undefined) {
    throw new ConfigError(
      'webhook_url',
      'config.webhook_url: required (or config.oauth); create an incoming webhook in Bitrix24 and paste its URL',
    );
  }
  return config;
}

/** The client's options; reads `ca_file` from disk. */
export function clientOptionsFrom(config: TapConfig): ClientOptions {
  let ca: string | undefined;
  if (config.ca_file !== undefined) {
    try {
      ca = readFileSync(config.ca_file, 'utf8');
    } catch (error) {
      throw new ConfigError(
        'ca_file',
        `config.ca_file: cannot read ${config.ca_file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
  }
  const oauth = config.oauth;
  return {
    ...(config.webhook_url !== undefined ? { webhookUrl: config.webhook_url } : {}),
    ...(oauth
      ? {
          oauth: {
            clientId: oauth.client_id,
            clientSecret: oauth.client_secret,
            portalUrl: oauth.portal_url,
            ...(oauth.refresh_token !== undefined ? { refreshToken: oauth.refresh_token } : {}),
            ...(oauth.token_file !== undefined ? { tokenFile: oauth.token_file } : {}),
            ...(oauth.token_url !== undefined ? { tokenUrl: oauth.token_url } : {}),
          },
        }
      : {}),
    plan: config.plan,
    operatingTimeThreshold: config.operating_time_threshold,
    ...(ca !== undefined ? { ca } : {}),
  };
}

export function streamOptionsFrom(config: TapConfig): StreamOptions {
  return {
    extract_deal_contacts: config.extract_deal_contacts,
    enable_deal_comments: config.enable_deal_comments,
    enable_deal_products: config.enable_deal_products,
    deal_category_ids: config.deal_category_ids,
    ...(config.start_date !== undefined ? { start_date: config.start_date } : {}),
    lookback_seconds: config.lookback_seconds,
  };
}
