/**
 * Every configuration key the tap accepts (each also settable as `TAP_BITRIX24_<KEY>`; unknown
 * keys and wrong types are errors naming the key), declared once. `checkConfig`'s
 * checks and defaults, the `TapConfig` type, `--about`'s settings and the configuration table of
 * docs/REFERENCE.md are derived from this list, and tests hold meltano.yml, docs/MELTANO.md and
 * README's table to it, so adding a key here is the whole job. The order is `--about`'s and
 * meltano.yml's.
 */

import { DEFAULT_MEMORY_LIMIT_MB } from '../destinations/duckdb-settings.js';
import {
  bool,
  type Check,
  cronExpression,
  idList,
  isoDate,
  number,
  object,
  oneOf,
  PLANS,
  type Shape,
  secret,
  sqlName,
  streams,
  tablePrefix,
  text,
  webhookUrl,
} from './config-checks.js';
import type { OAuthConfig } from './config-shapes.js';

/** The JSON Schema type `--about` declares; Meltano derives a setting's `kind` from it. */
export type SettingType = 'string' | 'boolean' | 'integer' | 'array' | 'object';

export interface Setting<K extends string = string, T = unknown> {
  readonly key: K;
  readonly type: SettingType;
  /** JSON Schema of the items, where type is array. */
  readonly items?: { readonly type: string };
  readonly enum?: readonly string[];
  readonly format?: string;
  /** Turns what a file or `TAP_BITRIX24_<KEY>` holds into the canonical value, or names the fix. */
  readonly check: Check<T>;
  /** A key with a default is always present in a checked config; one without may be absent. */
  readonly default?: NoInfer<T>;
  /** Plain text: `--about` and Meltano show it as is. */
  readonly description: string;
  /** Markdown for docs/REFERENCE.md, which has room for the method names and the caveats. */
  readonly reference: string;
  /** `secret`/`writeOnly` in `--about`, `sensitive` in meltano.yml. */
  readonly secret?: boolean;
}

/** The return type records whether a default was given, which decides optionality in `TapConfig`. */
function setting<const K extends string, T>(
  declaration: Setting<K, T> & { default: NoInfer<T> },
): Setting<K, T> & { default: T };
function setting<const K extends string, T>(declaration: Setting<K, T>): Setting<K, T>;
function setting<const K extends string, T>(declaration: Setting<K, T>): Setting<K, T> {
  return declaration;
}

/** `oauth`'s own keys; `TAP_BITRIX24_OAUTH_<KEY>` sets one of them. */
export const OAUTH_FIELDS: Shape<OAuthConfig> = {
  client_id: text,
  client_secret: secret(text),
  portal_url: text,
  refresh_token: secret(text),
  token_file: text,
  token_url: text,
};

export const CONFIG_SETTINGS = [
  setting({
    key: 'webhook_url',
    type: 'string',
    check: webhookUrl,
    description: 'Incoming webhook URL, https://PORTAL/rest/USER_ID/CODE/ (or use oauth)',
    reference: 'Incoming webhook, `https://PORTAL/rest/USER_ID/CODE/`.',
    secret: true,
  }),
  setting({
    key: 'oauth',
    type: 'object',
    check: object<OAuthConfig>(OAUTH_FIELDS, ['client_id', 'client_secret', 'portal_url']),
    description:
      'OAuth app credentials instead of a webhook: {client_id, client_secret, portal_url, refresh_token, token_file?, token_url?}',
    reference:
      '`{client_id, client_secret, portal_url, refresh_token, token_file?, token_url?}` instead of a webhook.',
    secret: true,
  }),
  setting({
    key: 'extract_deal_contacts',
    type: 'boolean',
    check: bool,
    default: false,
    description: 'Add CONTACT_IDS to each deal',
    reference:
      'Add `CONTACT_IDS` (integer array) to each deal, via `crm.deal.contact.items.get` in batches of 50 deals.',
  }),
  setting({
    key: 'enable_deal_comments',
    type: 'boolean',
    check: bool,
    default: false,
    description: 'Make the deal_comments stream available',
    reference: 'Make the `deal_comments` stream available.',
  }),
  setting({
    key: 'enable_deal_products',
    type: 'boolean',
    check: bool,
    default: false,
    description: 'Make the deal_products stream available',
    reference: 'Make the `deal_products` stream available.',
  }),
  setting({
    key: 'operating_time_threshold',
    type: 'integer',
    check: number(1),
    default: 200,
    description:
      "Seconds of a method's operating time per 10 minutes from which the tap paces that method: its calls are spread so the budget is spent no faster than the portal refills it (never refused)",
    reference:
      "Seconds of a method's operating time per 10 minutes from which the tap paces that method: its calls are spread so the budget is spent no faster than the portal refills it (never refused).",
  }),
  setting({
    key: 'deal_category_ids',
    type: 'array',
    items: { type: 'integer' },
    check: idList,
    default: [],
    description: 'Only deals of these funnels (categories); empty means all',
    reference:
      'Only deals of these funnels (`@CATEGORY_ID`), also for deal stage history, comments and products; empty = all.',
  }),
  setting({
    key: 'start_date',
    type: 'string',
    format: 'date-time',
    check: isoDate,
    description: 'Lower bound of the replication key for the first incremental run',
    reference: 'Lower bound of the replication key for the first incremental run.',
  }),
  setting({
    key: 'plan',
    type: 'string',
    enum: PLANS,
    check: oneOf(PLANS),
    default: 'standard',
    description:
      "The portal's plan, which sets the request bucket (standard 50 burst / 2 per s, enterprise 250 / 5)",
    reference: 'Request bucket: standard 50 burst / 2 per s, enterprise 250 / 5.',
  }),
  setting({
    key: 'streams',
    type: 'object',
    check: streams,
    default: {},
    description: 'Per stream: selected, sync_type (INCREMENTAL/FULL_TABLE), layer, folder, table',
    reference:
      'Per stream: `selected`, `sync_type` (`INCREMENTAL`/`FULL_TABLE`), `layer`, `folder`, `table`.',
  }),
  setting({
    key: 'table_prefix',
    type: 'string',
    check: tablePrefix,
    default: '',
    description: 'Prefix for every table name',
    reference: 'Prefix for every table name.',
  }),
  setting({
    key: 'lookback_seconds',
    type: 'integer',
    check: number(0),
    default: 300,
    description: 'Seconds subtracted from the bookmark on the next incremental run (late commits, ties)',
    reference:
      'The next incremental run re-reads this many seconds before the bookmark (late commits, equal timestamps).',
  }),
  setting({
    key: 'history_days',
    type: 'integer',
    check: number(0),
    default: 0,
    description: 'Keep earlier versions of rows for this many days (database destinations)',
    reference: 'Keep earlier versions of rows for this many days (0 = off); see docs/HISTORY.md.',
  }),
  setting({
    key: 'full_sync_every_days',
    type: 'integer',
    check: number(0),
    default: 0,
    description: 'Read incremental streams whole every N days to mark deleted records (0 = never)',
    reference:
      'Every N days an incremental stream is read whole and rows gone from the portal get `_sdc_deleted_at` (0 = never).',
  }),
  setting({
    key: 'schedule',
    type: 'string',
    check: cronExpression,
    description: 'Cron expression for `tap-bitrix24 schedule`',
    reference: 'A cron expression for `tap-bitrix24 schedule` (e.g. `0 3 * * *`).',
  }),
  setting({
    key: 'max_concurrency',
    type: 'integer',
    check: number(1, true),
    default: 4,
    description: 'Streams read at the same time',
    reference: 'How many streams run side by side.',
  }),
  setting({
    key: 'models',
    type: 'boolean',
    check: bool,
    default: false,
    description:
      'After a successful sync into DuckDB or Postgres, rebuild the CRM model views (funnel, stage durations, lead conversion, managers)',
    reference:
      'After a successful sync into DuckDB or Postgres, rebuild the model views (`deals_enriched`, `funnel_conversion`, …) over the synced tables; see docs/MODELS.md. `tap-bitrix24 models` rebuilds them on demand.',
  }),
  setting({
    key: 'models_schema',
    type: 'string',
    check: sqlName,
    default: 'mart',
    description: 'The database schema the model views are created in',
    reference: 'The database schema the model views are created in (letters, digits and `_`).',
  }),
  setting({
    key: 'memory_limit_mb',
    type: 'integer',
    check: number(128, true),
    default: DEFAULT_MEMORY_LIMIT_MB,
    description:
      'Memory, in MB, for the destination database (DuckDB memory_limit; one DuckDB thread per 64 MB, up to the CPU count). DuckDB spills past it to <file>.tmp',
    reference:
      "DuckDB's `memory_limit` in MB, and its `threads` (one per 64 MB, at most the CPU count); DuckDB evicts and spills to `<file>.tmp` beyond it, so its share of a sync's memory does not grow with the portal (bench/RESULTS.md has the whole process's peak).",
  }),
  setting({
    key: 'ca_file',
    type: 'string',
    check: text,
    description: 'Extra CA certificate (PEM file) to trust, for a self-signed portal or the emulator',
    reference: 'An extra trusted CA certificate (PEM) for a portal with a private certificate.',
  }),
] as const;

type Declared = (typeof CONFIG_SETTINGS)[number];
type ValueOf<S> = S extends Setting<string, infer T> ? T : never;
type Defaulted = Extract<Declared, { default: unknown }>;

/**
 * A checked configuration, one property per declared key: keys with a default are always set,
 * the others only when given.
 */
export type TapConfig = {
  [S in Defaulted as S['key']]: ValueOf<S>;
} & {
  [S in Exclude<Declared, Defaulted> as S['key']]?: ValueOf<S>;
};

/** A default as the documentation shows it: bare words, JSON for the rest, — for none. */
export function defaultText(setting: Setting): string {
  if (!('default' in setting)) return '—';
  const value = setting.default;
  return typeof value === 'string' && value !== '' ? value : JSON.stringify(value);
}
