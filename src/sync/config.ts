/**
 * The connector's configuration: JSON files merged left to right, then
 * `TAP_BITRIX24_<KEY>` environment variables (Meltano's convention). Every key is checked here, so
 * a typo or a wrong type fails before any request, naming the key and the fix. Values of secret
 * keys never appear in an error. The keys themselves, with their checks and defaults, are
 * declared in settings.ts.
 */
import { readFileSync } from 'node:fs';
import { type ClientOptions, ConfigError } from '../client/index.js';
import type { StreamOptions } from '../streams/stream.js';
import { type Check, parseJson } from './config-checks.js';
import { CONFIG_SETTINGS, OAUTH_FIELDS, type SettingType, type TapConfig } from './settings.js';

/** The config's errors are the client's one ConfigError class, re-exported where configs are read. */
export { ConfigError } from '../client/index.js';
export type { OAuthConfig, Plan, StreamConfig, SyncType } from './config-shapes.js';
export type { TapConfig } from './settings.js';

const SHAPE: Readonly<Record<string, Check>> = Object.fromEntries(
  CONFIG_SETTINGS.map((setting) => [setting.key, setting.check]),
);

const DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(
  CONFIG_SETTINGS.flatMap((setting) => ('default' in setting ? [[setting.key, setting.default]] : [])),
);

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

/**
 * An environment variable's text as the value its key's declared type wants: `4`, `true` and
 * JSON arrays/objects are converted; text that does not convert is left for the check to name.
 */
function envValue(type: SettingType, text: string, key: string): unknown {
  switch (type) {
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'integer':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'array':
    case 'object':
      return parseJson(text, key);
    default:
      return text;
  }
}

/** Env values for known keys; `TAP_BITRIX24_OAUTH_CLIENT_ID` style sets one key of `oauth`. */
function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const setting of CONFIG_SETTINGS) {
    const value = env[ENV_PREFIX + setting.key.toUpperCase()];
    if (value !== undefined && value !== '') out[setting.key] = envValue(setting.type, value, setting.key);
  }
  const oauthParts: Record<string, string> = {};
  for (const sub of Object.keys(OAUTH_FIELDS)) {
    const value = env[`${ENV_PREFIX}OAUTH_${sub.toUpperCase()}`];
    if (value !== undefined && value !== '') oauthParts[sub] = value;
  }
  if (Object.keys(oauthParts).length > 0) {
    const whole = typeof out.oauth === 'object' && out.oauth !== null ? out.oauth : {};
    out.oauth = { ...whole, ...oauthParts };
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
  // A fresh copy: callers may change the arrays and objects of the config they get.
  const out: Record<string, unknown> = structuredClone(DEFAULTS);
  for (const [key, value] of Object.entries(input)) {
    // Own keys only: `constructor` or `toString` must be unknown keys, not Object.prototype's.
    const check = Object.hasOwn(SHAPE, key) ? SHAPE[key] : undefined;
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
