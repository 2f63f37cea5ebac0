/**
 * The connector's configuration (DESIGN.md section 4): JSON files merged left to right, then
 * `TAP_BITRIX24_<KEY>` environment variables (Meltano's convention). Every key is checked here, so
 * a typo or a wrong type fails before any request, naming the key and the fix. Values of secret
 * keys never appear in an error.
 */
import { readFileSync } from 'node:fs';
import type { ClientOptions } from '../client/index.js';
import type { StreamOptions } from '../streams/stream.js';

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

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

const PLANS: readonly Plan[] = ['standard', 'enterprise', 'unlimited'];
const SYNC_TYPES: readonly SyncType[] = ['INCREMENTAL', 'FULL_TABLE'];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Check = (value: unknown, key: string) => unknown;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Secret values are described by type only. */
function secret(check: Check): Check {
  return (value, key) => {
    try {
      return check(value, key);
    } catch (error) {
      if (error instanceof ConfigError) {
        throw new ConfigError(
          key,
          `config.${key}: expected a non-empty string (value not shown: it is secret)`,
        );
      }
      throw error;
    }
  };
}

const text: Check = (value, key) => {
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(key, `config.${key}: expected a non-empty string, got ${describe(value)}`);
  }
  return value;
};

const tablePrefix: Check = (value, key) => {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_]*$/.test(value)) {
    throw new ConfigError(
      key,
      `config.${key}: expected letters, digits and _ only (e.g. "b24_"), got ${describe(value)}`,
    );
  }
  return value;
};

const bool: Check = (value, key) => {
  if (value === 'true' || value === 'false') return value === 'true';
  if (typeof value !== 'boolean') {
    throw new ConfigError(key, `config.${key}: expected true or false, got ${describe(value)}`);
  }
  return value;
};

function number(min: number, integer = false): Check {
  return (value, key) => {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
      const what = integer ? 'an integer' : 'a number';
      throw new ConfigError(key, `config.${key}: expected ${what} >= ${min}, got ${describe(value)}`);
    }
    return n;
  };
}

function oneOf<T extends string>(choices: readonly T[]): Check {
  return (value, key) => {
    if (typeof value !== 'string' || !choices.includes(value as T)) {
      throw new ConfigError(
        key,
        `config.${key}: expected one of ${choices.join(', ')}, got ${describe(value)}`,
      );
    }
    return value;
  };
}

const identifier: Check = (value, key) => {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new ConfigError(
      key,
      `config.${key}: expected a name of letters, digits and _ (not starting with a digit), got ${describe(value)}`,
    );
  }
  return value;
};

const isoDate: Check = (value, key) => {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new ConfigError(
      key,
      `config.${key}: expected an ISO 8601 date such as "2024-01-01T00:00:00Z", got ${describe(value)}`,
    );
  }
  return value;
};

const webhookUrl: Check = (value, key) => {
  // Only the shape is reported: the path holds the webhook's secret code.
  const fail = () =>
    new ConfigError(
      key,
      `config.${key}: expected https://PORTAL/rest/USER_ID/CODE/ (value not shown: it is secret)`,
    );
  if (typeof value !== 'string') throw fail();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail();
  }
  if (!/^https?:$/.test(url.protocol) || !/\/rest\/\d+\/[^/]+\/?$/.test(url.pathname)) throw fail();
  return value;
};

const idList: Check = (value, key) => {
  const list = typeof value === 'string' ? parseJson(value, key) : value;
  if (!Array.isArray(list) || !list.every((id) => Number.isInteger(id) && (id as number) >= 0)) {
    throw new ConfigError(
      key,
      `config.${key}: expected an array of integer IDs such as [0, 3], got ${describe(value)}`,
    );
  }
  return list;
};

function object(shape: Record<string, Check>, required: readonly string[] = []): Check {
  return (value, key) => {
    const obj = typeof value === 'string' ? parseJson(value, key) : value;
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      throw new ConfigError(key, `config.${key}: expected an object, got ${describe(value)}`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const check = shape[k];
      if (!check) {
        throw new ConfigError(
          `${key}.${k}`,
          `config.${key}.${k}: unknown key; known keys: ${Object.keys(shape).join(', ')}`,
        );
      }
      if (v !== undefined) out[k] = check(v, `${key}.${k}`);
    }
    for (const k of required) {
      if (out[k] === undefined) throw new ConfigError(`${key}.${k}`, `config.${key}.${k}: required`);
    }
    return out;
  };
}

const streamConfig = object({
  selected: bool,
  sync_type: oneOf(SYNC_TYPES),
  layer: identifier,
  folder: text,
  table: identifier,
});

const streams: Check = (value, key) => {
  const obj = typeof value === 'string' ? parseJson(value, key) : value;
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new ConfigError(
      key,
      `config.${key}: expected an object keyed by stream name, got ${describe(value)}`,
    );
  }
  const out: Record<string, StreamConfig> = {};
  for (const [name, entry] of Object.entries(obj))
    out[name] = streamConfig(entry, `${key}.${name}`) as StreamConfig;
  return out;
};

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

function parseJson(textValue: string, key: string): unknown {
  try {
    return JSON.parse(textValue);
  } catch {
    throw new ConfigError(key, `config.${key}: expected JSON, got text that does not parse`);
  }
}

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
