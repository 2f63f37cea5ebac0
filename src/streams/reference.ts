/**
 * The connector's reference doc, generated from the stream declarations (committed as
 * docs/REFERENCE.md; a test keeps the two equal). With a Discovery it also lists the portal's
 * own streams (one per smart process) and what is unavailable there.
 */

import { STREAM_FAMILIES } from './catalog.js';
import { type StreamDeclaration, syncTypeOf } from './declaration.js';
import type { Discovery } from './stream.js';

/** Static metadata of every stream family, for `--about` and docs without a portal. */
export const STREAM_DECLARATIONS: readonly StreamDeclaration[] = STREAM_FAMILIES.map(
  (family) => family.declaration,
);

const OPTIONS: [string, string, string][] = [
  ['webhook_url', '—', 'Incoming webhook, `https://PORTAL/rest/USER_ID/CODE/`.'],
  [
    'oauth',
    '—',
    '`{client_id, client_secret, portal_url, refresh_token, token_file?}` instead of a webhook.',
  ],
  [
    'extract_deal_contacts',
    'false',
    'Add `CONTACT_IDS` (integer array) to each deal, via `crm.deal.contact.items.get` in batches of 50 deals.',
  ],
  ['enable_deal_comments', 'false', 'Make the `deal_comments` stream available.'],
  ['enable_deal_products', 'false', 'Make the `deal_products` stream available.'],
  [
    'deal_category_ids',
    '[]',
    'Only deals of these funnels (`@CATEGORY_ID`), also for deal stage history, comments and products; empty = all.',
  ],
  ['start_date', '—', 'Lower bound of the replication key for the first incremental run.'],
  [
    'lookback_seconds',
    '300',
    'The next incremental run re-reads this many seconds before the bookmark (late commits, equal timestamps).',
  ],
  [
    'operating_time_threshold',
    '200',
    "Seconds of a method's operating time per 10 minutes from which the tap paces that method: its calls are spread so the budget is spent no faster than the portal refills it (never refused).",
  ],
  ['plan', 'standard', 'Request bucket: standard 50 burst / 2 per s, enterprise 250 / 5.'],
  [
    'streams',
    '{}',
    'Per stream: `selected`, `sync_type` (`INCREMENTAL`/`FULL_TABLE`), `layer`, `folder`, `table`.',
  ],
  ['table_prefix', '""', 'Prefix for every table name.'],
  ['history_days', '0', 'Keep earlier versions of rows for this many days (0 = off); see docs/HISTORY.md.'],
  [
    'full_sync_every_days',
    '0',
    'Every N days an incremental stream is read whole and rows gone from the portal get `_sdc_deleted_at` (0 = never).',
  ],
  ['schedule', '—', 'A cron expression for `tap-bitrix24 schedule` (e.g. `0 3 * * *`).'],
  ['max_concurrency', '4', 'How many streams run side by side.'],
  ['ca_file', '—', 'An extra trusted CA certificate (PEM) for a portal with a private certificate.'],
];

const MODEL = `\`\`\`mermaid
erDiagram
  companies ||--o{ contacts : "COMPANY_ID"
  companies ||--o{ deals : "COMPANY_ID"
  contacts }o--o{ deals : "CONTACT_IDS"
  leads |o--o{ deals : "LEAD_ID"
  leads }o--o| contacts : "CONTACT_ID"
  leads }o--o| companies : "COMPANY_ID"
  deals ||--o{ deal_products : "OWNER_ID"
  product ||--o{ deal_products : "PRODUCT_ID"
  deals ||--o{ deal_comments : "ENTITY_ID"
  deals ||--o{ deal_stage_history : "OWNER_ID"
  leads ||--o{ lead_stage_history : "OWNER_ID"
  activities }o--|| deals : "OWNER_TYPE_ID=2, OWNER_ID"
  activities }o--|| contacts : "OWNER_TYPE_ID=3, OWNER_ID"
  spa_types ||--o{ spa_N : "entityTypeId"
  spa_N ||--o{ spa_stage_history_N : "OWNER_ID"
  spa_N }o--o| companies : "companyId"
  spa_N }o--o| contacts : "contactId"
  status_list ||--o{ deals : "STAGE_ID (ENTITY_ID DEAL_STAGE*)"
  users ||--o{ deals : "ASSIGNED_BY_ID"
  departments ||--o{ users : "UF_DEPARTMENT"
  calls }o--o| activities : "CRM_ACTIVITY_ID"
\`\`\``;

const MODEL_TEXT = [
  'Companies and contacts are the clients; a deal belongs to at most one company (`COMPANY_ID`) and to any number of contacts (`CONTACT_IDS`, with `extract_deal_contacts`; `CONTACT_ID` is only the first).',
  'A lead is an unqualified request; converting it creates a contact, a company and/or a deal, which keep `LEAD_ID`.',
  'Activities (calls, meetings, e-mails, tasks) hang off any CRM record by `OWNER_TYPE_ID` (1 lead, 2 deal, 3 contact, 4 company, or a smart process entityTypeId) and `OWNER_ID`.',
  'Product rows (`deal_products`) link deals to catalog products (`product`); stage history records each move of a deal, lead or smart-process item through its funnel.',
  'Smart processes are portal-defined entity types (`spa_types`); each has its own items table `spa_<entityTypeId>`, field list and stage history. Their items link to companies and contacts (`companyId`, `contactId`) and to parents by `parentId<entityTypeId>` fields.',
  'Stage, status, source and type codes (`STAGE_ID`, `STATUS_ID`, `SOURCE_ID`, `TYPE_ID`) are decoded by `status_list` (`ENTITY_ID` + `STATUS_ID`); enumeration user fields by the `items` of the `*_fields` streams.',
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function streamRow(d: StreamDeclaration): string {
  const rk =
    d.validReplicationKeys.length > 0
      ? d.validReplicationKeys.map((k) => (k === d.replicationKey ? `**${k}**` : k)).join(', ')
      : '—';
  const extra = d.enabledBy ? ` (only with \`${d.enabledBy}\`)` : '';
  return `| \`${d.name}\` | \`${d.method}\` | ${d.keyProperties.join(', ')} | ${rk} | ${syncTypeOf(d)} | ${d.scopes.join(' / ')} | ${cell(d.description)}${extra} |`;
}

function streamSection(d: StreamDeclaration): string[] {
  const lines = [`### \`${d.name}\``, '', cell(d.description), ''];
  lines.push(`- method: \`${d.method}\`${d.fieldsMethod ? `; fields from \`${d.fieldsMethod}\`` : ''}`);
  lines.push(`- key: ${d.keyProperties.map((k) => `\`${k}\``).join(', ')}`);
  lines.push(
    `- sync: ${syncTypeOf(d)}${d.replicationKey ? `, replication key \`${d.replicationKey}\`` : ''}${
      d.validReplicationKeys.length > 1
        ? ` (also valid: ${d.validReplicationKeys
            .filter((k) => k !== d.replicationKey)
            .map((k) => `\`${k}\``)
            .join(', ')})`
        : ''
    }`,
  );
  lines.push(`- scope: ${d.scopes.map((s) => `\`${s}\``).join(' or ')}`);
  if (d.parent) lines.push(`- read per record of \`${d.parent}\`, 50 records a batch request`);
  if (d.enabledBy) lines.push(`- available only with \`${d.enabledBy}: true\``);
  lines.push(`- main fields: ${d.mainFields.map((f) => `\`${f}\``).join(', ')}`);
  if (d.note) lines.push(`- note: ${d.note}`);
  lines.push('');
  return lines;
}

export function streamReferenceMarkdown(discovery?: Discovery): string {
  const lines = [
    '# tap-bitrix24 reference',
    '',
    '<!-- Generated by streamReferenceMarkdown() in src/streams/reference.ts; do not edit by hand. -->',
    '',
    '## Configuration',
    '',
    '| key | default | meaning |',
    '|---|---|---|',
    ...OPTIONS.map(([key, def, meaning]) => `| \`${key}\` | ${def} | ${cell(meaning)} |`),
    '',
    'Every key can also come from an environment variable `TAP_BITRIX24_<KEY>`.',
    '',
    '## Streams',
    '',
    'Replication keys in bold are the default. Incremental streams read `replication key >= bookmark − lookback_seconds` in ID order; the bookmark is the largest value read, capped at the portal clock at the start of the run, and is committed with the rows it covers.',
    '',
    '| stream | method | key | replication key | sync | scope | description |',
    '|---|---|---|---|---|---|---|',
    ...STREAM_DECLARATIONS.map(streamRow),
    '',
  ];
  for (const d of STREAM_DECLARATIONS) lines.push(...streamSection(d));
  if (discovery) {
    lines.push('## This portal', '', '| stream | key | replication key |', '|---|---|---|');
    for (const s of discovery.streams)
      lines.push(`| \`${s.name}\` | ${s.keyProperties.join(', ')} | ${s.replicationKey ?? '—'} |`);
    lines.push('');
    if (discovery.unavailable.length > 0) {
      lines.push('Unavailable here:', '');
      for (const u of discovery.unavailable) lines.push(`- \`${u.name}\`: ${cell(u.reason)}`);
      lines.push('');
    }
  }
  lines.push('## Data model', '', ...MODEL_TEXT.map((t) => `- ${t}`), '', MODEL, '');
  return lines.join('\n');
}
