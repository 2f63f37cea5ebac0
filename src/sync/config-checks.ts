/**
 * The checks behind every configuration key: each returns the value in its canonical form, or
 * throws a ConfigError that names the key and the fix (and never echoes a secret's value).
 */
import { ConfigError } from '../client/index.js';
import type { Plan, StreamConfig, SyncType } from './config-shapes.js';
import { cronProblem } from './cron-expression.js';

export const PLANS: readonly Plan[] = ['standard', 'enterprise', 'unlimited'];
export const SYNC_TYPES: readonly SyncType[] = ['INCREMENTAL', 'FULL_TABLE'];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A key's check: its canonical value, typed, so the settings table can derive `TapConfig`. Values
 * arrive with their JSON types (a file, the console); text from `TAP_BITRIX24_<KEY>` is converted
 * by the key's declared type before the check (config.ts), so `"4"` in a file is a wrong type.
 */
export type Check<T = unknown> = (value: unknown, key: string) => T;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Secret values are described by type only. */
export function secret<T>(check: Check<T>): Check<T> {
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

export const text: Check<string> = (value, key) => {
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(key, `config.${key}: expected a non-empty string, got ${describe(value)}`);
  }
  return value;
};

export const cronExpression: Check<string> = (value, key) => {
  const problem =
    typeof value === 'string' ? cronProblem(value) : 'expected a cron expression such as "0 3 * * *"';
  if (problem) throw new ConfigError(key, `config.${key}: ${problem}`);
  return value as string;
};

export const tablePrefix: Check<string> = (value, key) => {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_]*$/.test(value)) {
    throw new ConfigError(
      key,
      `config.${key}: expected letters, digits and _ only (e.g. "b24_"), got ${describe(value)}`,
    );
  }
  return value;
};

/** For a quoted value that would be right unquoted: the fix, in the file's own syntax. */
function unquoteHint(value: unknown, key: string, fits: (parsed: unknown) => boolean): string {
  if (typeof value !== 'string') return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return '';
  }
  const leaf = key.split('.').pop() ?? key;
  return fits(parsed) ? `; write it without quotes: "${leaf}": ${JSON.stringify(parsed)}` : '';
}

/** A schema name both databases take unquoted in any query a user types: a letter or _, then letters, digits, _. */
export const sqlName: Check<string> = (value, key) => {
  if (typeof value !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
    throw new ConfigError(
      key,
      `config.${key}: expected a name of letters, digits and _ that does not start with a digit (e.g. "mart"), got ${describe(value)}`,
    );
  }
  return value;
};

export const bool: Check<boolean> = (value, key) => {
  if (typeof value !== 'boolean') {
    const hint = unquoteHint(value, key, (v) => typeof v === 'boolean');
    throw new ConfigError(key, `config.${key}: expected true or false, got ${describe(value)}${hint}`);
  }
  return value;
};

export function number(min: number, integer = false): Check<number> {
  const fits = (n: unknown): n is number =>
    typeof n === 'number' && Number.isFinite(n) && n >= min && (!integer || Number.isInteger(n));
  return (value, key) => {
    if (!fits(value)) {
      const what = integer ? 'an integer' : 'a number';
      const hint = unquoteHint(value, key, fits);
      throw new ConfigError(key, `config.${key}: expected ${what} >= ${min}, got ${describe(value)}${hint}`);
    }
    return value;
  };
}

export function oneOf<T extends string>(choices: readonly T[]): Check<T> {
  return (value, key) => {
    if (typeof value !== 'string' || !choices.includes(value as T)) {
      throw new ConfigError(
        key,
        `config.${key}: expected one of ${choices.join(', ')}, got ${describe(value)}`,
      );
    }
    return value as T;
  };
}

export const identifier: Check<string> = (value, key) => {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new ConfigError(
      key,
      `config.${key}: expected a name of letters, digits and _ (not starting with a digit), got ${describe(value)}`,
    );
  }
  return value;
};

export const isoDate: Check<string> = (value, key) => {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new ConfigError(
      key,
      `config.${key}: expected an ISO 8601 date such as "2024-01-01T00:00:00Z", got ${describe(value)}`,
    );
  }
  return value;
};

export const webhookUrl: Check<string> = (value, key) => {
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

export const idList: Check<number[]> = (value, key) => {
  const ids = (list: unknown): list is number[] =>
    Array.isArray(list) && list.every((id) => Number.isInteger(id) && (id as number) >= 0);
  if (!ids(value)) {
    const hint = unquoteHint(value, key, ids);
    throw new ConfigError(
      key,
      `config.${key}: expected an array of integer IDs such as [0, 3], got ${describe(value)}${hint}`,
    );
  }
  return value;
};

/** A check for each key of T: a key added to T without a check (or the reverse) fails `tsc`. */
export type Shape<T> = { readonly [K in keyof T]-?: Check<Exclude<T[K], undefined>> };

export function object<T extends object>(
  shape: Shape<T>,
  required: readonly (keyof T & string)[] = [],
): Check<T> {
  const checks: Readonly<Record<string, Check>> = shape;
  return (value, key) => {
    const obj = value;
    if (!isObject(obj)) {
      throw new ConfigError(
        key,
        `config.${key}: expected an object, got ${describe(value)}${unquoteHint(value, key, isObject)}`,
      );
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const check = checks[k];
      if (!check) {
        throw new ConfigError(
          `${key}.${k}`,
          `config.${key}.${k}: unknown key; known keys: ${Object.keys(checks).join(', ')}`,
        );
      }
      if (v !== undefined) out[k] = check(v, `${key}.${k}`);
    }
    for (const k of required) {
      if (out[k] === undefined) throw new ConfigError(`${key}.${k}`, `config.${key}.${k}: required`);
    }
    return out as T;
  };
}

const streamConfig = object<StreamConfig>({
  selected: bool,
  sync_type: oneOf(SYNC_TYPES),
  layer: identifier,
  folder: text,
  table: identifier,
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const streams: Check<Record<string, StreamConfig>> = (value, key) => {
  const obj = value;
  if (!isObject(obj)) {
    throw new ConfigError(
      key,
      `config.${key}: expected an object keyed by stream name, got ${describe(value)}${unquoteHint(value, key, isObject)}`,
    );
  }
  const out: Record<string, StreamConfig> = {};
  for (const [name, entry] of Object.entries(obj)) out[name] = streamConfig(entry, `${key}.${name}`);
  return out;
};

export function parseJson(textValue: string, key: string): unknown {
  try {
    return JSON.parse(textValue);
  } catch {
    throw new ConfigError(key, `config.${key}: expected JSON, got text that does not parse`);
  }
}
