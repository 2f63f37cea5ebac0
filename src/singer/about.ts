/**
 * `--about`: what the tap is, what it can do and how it is configured, in the Meltano SDK's
 * shape (`settings` is the config's JSON Schema, secrets marked `secret` / `writeOnly`).
 * Capabilities list only what is implemented; meltano.yml must declare the same list.
 */

export const CAPABILITIES = ['catalog', 'discover', 'state', 'about', 'test', 'activate-version'] as const;

export interface SettingDescription {
  name: string;
  type: 'string' | 'boolean' | 'integer' | 'array' | 'object';
  /** JSON Schema of array items, where type is array. */
  items?: { type: string };
  enum?: readonly string[];
  format?: string;
  default?: unknown;
  description: string;
  secret?: boolean;
}

/** Every config key the tap accepts (DESIGN.md section 4 and the run options). */
export const SETTINGS: readonly SettingDescription[] = [
  {
    name: 'webhook_url',
    type: 'string',
    description: 'Incoming webhook URL, https://PORTAL/rest/USER_ID/CODE/ (or use oauth)',
    secret: true,
  },
  {
    name: 'oauth',
    type: 'object',
    description:
      'OAuth app credentials instead of a webhook: {client_id, client_secret, portal_url, refresh_token, token_file?, token_url?}',
    secret: true,
  },
  {
    name: 'extract_deal_contacts',
    type: 'boolean',
    default: false,
    description: 'Add CONTACT_IDS to each deal',
  },
  {
    name: 'enable_deal_comments',
    type: 'boolean',
    default: false,
    description: 'Make the deal_comments stream available',
  },
  {
    name: 'enable_deal_products',
    type: 'boolean',
    default: false,
    description: 'Make the deal_products stream available',
  },
  {
    name: 'operating_time_threshold',
    type: 'integer',
    default: 200,
    description:
      "Seconds of a method's operating time per 10 minutes from which the tap paces that method: its calls are spread so the budget is spent no faster than the portal refills it (never refused)",
  },
  {
    name: 'deal_category_ids',
    type: 'array',
    items: { type: 'integer' },
    default: [],
    description: 'Only deals of these funnels (categories); empty means all',
  },
  {
    name: 'start_date',
    type: 'string',
    format: 'date-time',
    description: 'Lower bound of the replication key for the first incremental run',
  },
  {
    name: 'plan',
    type: 'string',
    enum: ['standard', 'enterprise', 'unlimited'],
    default: 'standard',
    description:
      "The portal's plan, which sets the request bucket (standard 50 burst / 2 per s, enterprise 250 / 5)",
  },
  {
    name: 'streams',
    type: 'object',
    default: {},
    description: 'Per stream: selected, sync_type (INCREMENTAL/FULL_TABLE), layer, folder, table',
  },
  { name: 'table_prefix', type: 'string', default: '', description: 'Prefix for every table name' },
  {
    name: 'lookback_seconds',
    type: 'integer',
    default: 300,
    description: 'Seconds subtracted from the bookmark on the next incremental run (late commits, ties)',
  },
  {
    name: 'history_days',
    type: 'integer',
    default: 0,
    description: 'Keep earlier versions of rows for this many days (database destinations)',
  },
  {
    name: 'full_sync_every_days',
    type: 'integer',
    default: 0,
    description: 'Read incremental streams whole every N days to mark deleted records (0 = never)',
  },
  { name: 'schedule', type: 'string', description: 'Cron expression for `tap-bitrix24 schedule`' },
  { name: 'max_concurrency', type: 'integer', default: 4, description: 'Streams read at the same time' },
  {
    name: 'ca_file',
    type: 'string',
    description: 'Extra CA certificate (PEM file) to trust, for a self-signed portal or the emulator',
  },
];

export interface AboutInfo {
  name: string;
  description: string;
  version: string;
  capabilities: string[];
  settings: { type: 'object'; properties: Record<string, Record<string, unknown>>; required: string[] };
  env_var_prefix: string;
}

export function aboutInfo(version: string): AboutInfo {
  const properties: Record<string, Record<string, unknown>> = {};
  for (const setting of SETTINGS) {
    const { name, secret, ...schema } = setting;
    properties[name] = secret ? { ...schema, secret: true, writeOnly: true } : { ...schema };
  }
  return {
    name: 'tap-bitrix24',
    description:
      'Bitrix24 CRM: contacts, companies, deals, leads, activities, products, pipelines and stage history, ' +
      'smart processes, users, departments, calls and open lines, with custom fields typed.',
    version,
    capabilities: [...CAPABILITIES],
    settings: { type: 'object', properties, required: [] },
    env_var_prefix: 'TAP_BITRIX24_',
  };
}

export function aboutText(version: string): string {
  const info = aboutInfo(version);
  const lines = [
    `${info.name} ${info.version}`,
    info.description,
    '',
    `Capabilities: ${info.capabilities.join(', ')}`,
    `Settings (also from env ${info.env_var_prefix}<KEY>):`,
    ...SETTINGS.map((s) => `  ${s.name}${s.secret ? ' (secret)' : ''}: ${s.description}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Capabilities (and settings, unless the stream reference already has its configuration table)
 * as Markdown, followed by the streams engineer's generated reference.
 */
export function aboutMarkdown(version: string, streamReference: string): string {
  const info = aboutInfo(version);
  const header = [
    `# ${info.name} ${info.version}`,
    '',
    info.description,
    '',
    '## Capabilities',
    '',
    ...info.capabilities.map((c) => `- \`${c}\``),
    '',
  ];
  const settings = /^## Configuration/m.test(streamReference) ? [] : settingsMarkdown(info.env_var_prefix);
  return [...header, ...settings, streamReference.trim(), ''].join('\n');
}

function settingsMarkdown(envPrefix: string): string[] {
  const rows = SETTINGS.map((s) => {
    const value = s.default === undefined ? '' : `\`${JSON.stringify(s.default)}\``;
    return `| \`${s.name}\` | ${s.type} | ${value} | ${s.secret ? 'yes' : ''} | ${s.description.replaceAll('|', '\\|')} |`;
  });
  return [
    '## Settings',
    '',
    `Every key can also be set by the environment variable \`${envPrefix}<KEY>\` (upper case).`,
    '',
    '| setting | type | default | secret | description |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ];
}
