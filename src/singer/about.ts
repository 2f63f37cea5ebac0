/**
 * `--about`: what the tap is, what it can do and how it is configured, in the Meltano SDK's
 * shape (`settings` is the config's JSON Schema, secrets marked `secret` / `writeOnly`).
 * Capabilities list only what is implemented; meltano.yml must declare the same list.
 */

import { CONFIG_SETTINGS, type SettingType } from '../sync/settings.js';

export const CAPABILITIES = ['catalog', 'discover', 'state', 'about', 'test', 'activate-version'] as const;

export interface SettingDescription {
  name: string;
  type: SettingType;
  /** JSON Schema of array items, where type is array. */
  items?: { type: string };
  enum?: readonly string[];
  format?: string;
  default?: unknown;
  description: string;
  secret?: boolean;
}

/** Every config key the tap accepts, from the one declaration in src/sync/settings.ts. */
export const SETTINGS: readonly SettingDescription[] = CONFIG_SETTINGS.map((setting) => ({
  // In this order because `--about --format json` prints the properties as they come.
  name: setting.key,
  type: setting.type,
  ...(setting.items ? { items: setting.items } : {}),
  ...(setting.enum ? { enum: setting.enum } : {}),
  ...(setting.format ? { format: setting.format } : {}),
  ...('default' in setting ? { default: setting.default } : {}),
  description: setting.description,
  ...(setting.secret ? { secret: true } : {}),
}));

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
