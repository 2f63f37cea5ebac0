/**
 * What the setup wizard sends, checked on the server: every rule the browser shows (the
 * description's 140 characters, a valid cron expression, identifiers) is enforced here too, and
 * the connector part goes through the connector's own `checkConfig`.
 */
import { ConfigError, checkConfig } from '../sync/config.js';
import { cronProblem } from '../sync/cron-expression.js';
import { restoreSecrets } from './secret-mask.js';
import type { SourceTrigger, StoredSource, TriggerPreset } from './source-store.js';

export const DESCRIPTION_MAX = 140;

export const TRIGGER_PRESETS: Record<Exclude<TriggerPreset, 'cron'>, string | undefined> = {
  manual: undefined,
  hourly: '0 * * * *',
  daily: '0 3 * * *',
};

export class DraftError extends Error {
  constructor(
    /** The wizard field at fault, e.g. `description`, `trigger.cron`, `access.webhook_url`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'DraftError';
  }
}

export interface AccessDraft {
  kind?: 'webhook' | 'oauth';
  webhook_url?: string;
  client_id?: string;
  client_secret?: string;
  portal_url?: string;
  refresh_token?: string;
}

export interface OptionsDraft {
  extract_deal_contacts?: boolean;
  enable_deal_comments?: boolean;
  enable_deal_products?: boolean;
  operating_time_threshold?: number | string;
  deal_category_ids?: number[] | string;
  plan?: string;
}

export interface StreamDraft {
  selected?: boolean;
  sync_type?: 'INCREMENTAL' | 'FULL_TABLE';
  layer?: string;
  folder?: string;
  table?: string;
}

export interface SourceDraft {
  name?: string;
  description?: string;
  trigger?: { preset?: string; cron?: string };
  access?: AccessDraft;
  options?: OptionsDraft;
  streams?: Record<string, StreamDraft>;
  /** Titles of the streams that stand for portal objects, from the portal check. */
  stream_titles?: Record<string, unknown>;
  table_prefix?: string;
  history_days?: number | string;
  full_sync_every_days?: number | string;
  /** Rebuild the model views after each run (config `models`). */
  models?: boolean;
}

function wholeNumber(value: unknown, field: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new DraftError(field, `${field}: expected a whole number ≥ 0`);
  return n;
}

function categoryIds(value: OptionsDraft['deal_category_ids']): number[] {
  if (Array.isArray(value)) return value.map(Number);
  if (!value || value.trim() === '') return [];
  const ids = value
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  if (ids.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new DraftError('options.deal_category_ids', 'deal category IDs: whole numbers separated by commas');
  }
  return ids;
}

/** The connection part of a config: credentials and the options discovery depends on. */
export function accessConfig(
  access: AccessDraft | undefined,
  options: OptionsDraft | undefined,
  stored?: Record<string, unknown>,
): Record<string, unknown> {
  const a = access ?? {};
  const o = options ?? {};
  const out: Record<string, unknown> = {
    extract_deal_contacts: o.extract_deal_contacts === true,
    enable_deal_comments: o.enable_deal_comments === true,
    enable_deal_products: o.enable_deal_products === true,
    operating_time_threshold: wholeNumber(
      o.operating_time_threshold,
      'options.operating_time_threshold',
      200,
    ),
    deal_category_ids: categoryIds(o.deal_category_ids),
  };
  if (o.plan) out.plan = o.plan;
  if (a.kind === 'oauth') {
    const oauth: Record<string, unknown> = {
      client_id: a.client_id?.trim() ?? '',
      client_secret: a.client_secret ?? '',
      portal_url: a.portal_url?.trim() ?? '',
    };
    if (a.refresh_token) oauth.refresh_token = a.refresh_token;
    out.oauth = oauth;
  } else {
    const url = a.webhook_url?.trim() ?? '';
    if (url === '') throw new DraftError('access.webhook_url', 'Paste the incoming webhook URL');
    out.webhook_url = url;
  }
  const restored = restoreSecrets(out, stored);
  if (
    typeof restored.webhook_url === 'string' &&
    !/^https?:\/\/[^/]+\/rest\/\d+\/[^/]+\/?$/.test(restored.webhook_url)
  ) {
    throw new DraftError(
      'access.webhook_url',
      'This is not an incoming webhook URL. It looks like https://your-portal.bitrix24.com/rest/1/abc123def456/ (Developer resources → Other → Incoming webhook).',
    );
  }
  return restored;
}

export function checkTrigger(trigger: SourceDraft['trigger']): SourceTrigger {
  const preset = (trigger?.preset ?? 'manual') as TriggerPreset;
  if (preset === 'cron') {
    const cron = trigger?.cron?.trim() ?? '';
    const problem = cronProblem(cron);
    if (problem) throw new DraftError('trigger.cron', problem);
    return { preset, cron };
  }
  if (!(preset in TRIGGER_PRESETS)) throw new DraftError('trigger.preset', `unknown trigger ${preset}`);
  const cron = TRIGGER_PRESETS[preset];
  return cron ? { preset, cron } : { preset };
}

const TITLE_MAX = 200;

/** The titles of streams the draft lists; anything else in `stream_titles` is dropped. */
function streamTitles(draft: SourceDraft): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [stream, title] of Object.entries(draft.stream_titles ?? {}))
    if (typeof title === 'string' && title.trim() && draft.streams?.[stream])
      out[stream] = [...title.trim()].slice(0, TITLE_MAX).join('');
  return Object.keys(out).length ? out : undefined;
}

/** A complete, checked source from a wizard draft; `existing` supplies id, dates and stored secrets. */
export function sourceFromDraft(
  draft: SourceDraft,
  newId: (name: string) => string,
  existing?: StoredSource,
): StoredSource {
  const name = draft.name?.trim() ?? '';
  if (name === '') throw new DraftError('name', 'Give the source a name');
  const description = draft.description ?? '';
  if ([...description].length > DESCRIPTION_MAX) {
    throw new DraftError('description', `The description is limited to ${DESCRIPTION_MAX} characters`);
  }
  const trigger = checkTrigger(draft.trigger);
  const streams: Record<string, StreamDraft> = {};
  for (const [stream, s] of Object.entries(draft.streams ?? {})) {
    const entry: StreamDraft = { selected: s.selected === true };
    if (s.sync_type) entry.sync_type = s.sync_type;
    for (const key of ['layer', 'folder', 'table'] as const) {
      const value = s[key]?.trim();
      if (value) entry[key] = value;
    }
    streams[stream] = entry;
  }
  if (!Object.values(streams).some((s) => s.selected))
    throw new DraftError('streams', 'Select at least one stream');
  const config: Record<string, unknown> = {
    ...accessConfig(draft.access, draft.options, existing?.config),
    streams,
    table_prefix: draft.table_prefix?.trim() ?? '',
    history_days: wholeNumber(draft.history_days, 'history_days', 0),
    full_sync_every_days: wholeNumber(draft.full_sync_every_days, 'full_sync_every_days', 0),
  };
  if (trigger.cron) config.schedule = trigger.cron;
  if (draft.models === true) config.models = true;
  try {
    checkConfig(config);
  } catch (error) {
    if (error instanceof ConfigError) throw new DraftError(error.key, error.message);
    throw error;
  }
  const now = new Date().toISOString();
  const titles = streamTitles(draft);
  return {
    id: existing?.id ?? newId(name),
    name,
    description,
    trigger,
    config,
    ...(titles ? { streamTitles: titles } : {}),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
}
