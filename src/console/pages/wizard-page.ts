/**
 * The five-step setup wizard (access, streams, stream settings, source settings, review). The
 * steps are server-rendered sections; wizard.js fills steps 2 and 3 from the live portal check
 * and sends the finished draft to the API, which checks it again.
 */
import { DESCRIPTION_MAX } from '../source-draft.js';
import { html, page, type Raw, raw } from './layout.js';

export const WIZARD_STEPS = ['Access', 'Streams', 'Stream settings', 'Source settings', 'Review'] as const;

export interface WizardInitial {
  /** Set when editing. */
  id?: string;
  name?: string;
  description?: string;
  trigger?: { preset: string; cron?: string };
  /** The stored config with secrets masked. */
  config?: Record<string, unknown>;
}

function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Step 1: how the connector reaches the portal (webhook or OAuth app) and the options that shape requests. */
function accessStep(): Raw {
  return html`<section class="step card" data-step="1">
<h2>1. Access</h2>
<label class="check"><input type="radio" name="kind" value="webhook" checked> Incoming webhook</label>
<label class="check"><input type="radio" name="kind" value="oauth"> OAuth application</label>
<div id="webhook-fields">
<label for="webhook_url">Webhook URL</label>
<input type="text" id="webhook_url" autocomplete="off" spellcheck="false" placeholder="https://your-portal.bitrix24.com/rest/1/abc123def456/">
<div class="hint">Bitrix24 → Developer resources → Other → Incoming webhook. Give it the crm, user, department, telephony and imopenlines permissions you want to read.</div>
</div>
<div id="oauth-fields" hidden>
<label for="portal_url">Portal URL</label><input type="text" id="portal_url" placeholder="https://your-portal.bitrix24.com/">
<label for="client_id">Client ID</label><input type="text" id="client_id" autocomplete="off">
<label for="client_secret">Client secret</label><input type="password" id="client_secret" autocomplete="off">
<label for="refresh_token">Refresh token</label><input type="password" id="refresh_token" autocomplete="off">
<div class="hint">Get a refresh token with <code>tap-bitrix24 auth</code>.</div>
</div>
<h3>Options</h3>
<label class="check"><input type="checkbox" id="extract_deal_contacts"> Extract deal contacts (adds CONTACT_IDS to each deal)</label>
<label class="check"><input type="checkbox" id="enable_deal_comments"> Deal comments stream</label>
<label class="check"><input type="checkbox" id="enable_deal_products"> Deal products stream</label>
<label for="operating_time_threshold">Operating time threshold (seconds per method per 10 minutes)</label>
<input type="number" id="operating_time_threshold" min="1" value="200">
<div class="hint" id="operating-time-hint">Bitrix24 gives each method a budget of server time per 10 minutes and refuses calls past it; from this many seconds on, the connector slows that method down so it is never refused.</div>
<label for="deal_category_ids">Deal category IDs</label>
<input type="text" id="deal_category_ids" placeholder="all funnels; or e.g. 0, 3, 7">
<label for="plan">Bitrix24 plan (request limits)</label>
<select id="plan"><option value="standard">Standard (2 requests/s)</option><option value="enterprise">Enterprise (5 requests/s)</option><option value="unlimited">No client-side limit</option></select>
<div id="access-error" class="error" hidden role="alert"></div>
<div id="access-ok" class="notice" hidden></div>
<div class="wizard-nav"><a href="/sources">Cancel</a><button type="button" id="check">Check access and continue</button></div>
</section>`;
}

/** Step 2: which streams to read; wizard.js fills the groups from the portal check. */
function streamsStep(): Raw {
  return html`<section class="step card" data-step="2" hidden>
<h2>2. Streams</h2>
<div class="actions"><input type="search" id="stream-search" placeholder="Search streams by name or title" aria-label="Search streams">
<button type="button" class="secondary" id="select-all">Select all</button><button type="button" class="secondary" id="select-none">Clear</button>
<span class="counter" id="selected-count"></span></div>
<div id="stream-groups"></div>
<div id="streams-error" class="error" hidden role="alert"></div>
<div class="wizard-nav"><button type="button" class="secondary" data-back>Back</button><button type="button" id="to-settings">Next: stream settings</button></div>
</section>`;
}

/** Step 3: per stream, the table it lands in (layer, folder, name) and how it syncs. */
function streamSettingsStep(): Raw {
  return html`<section class="step card" data-step="3" hidden>
<h2>3. Stream settings</h2>
<label for="table_prefix">Prefix for every table name</label>
<input type="text" id="table_prefix" placeholder="e.g. b24_" pattern="[A-Za-z0-9_]*">
<dl class="terms" id="settings-terms">
<dt>Layer</dt><dd>the database schema the table is written to, e.g. <code>raw</code>.</dd>
<dt>Folder</dt><dd>groups tables in this console's catalog; the database does not see it.</dd>
<dt>Sync type</dt><dd>INCREMENTAL reads only rows changed since the last run; FULL_TABLE reads every row and replaces the table, so rows deleted in Bitrix24 disappear.</dd>
</dl>
<div class="scroll"><table class="grid" id="stream-settings"><thead><tr><th>Stream</th><th title="The database schema the table is written to">Layer</th><th title="Groups tables in the console's catalog">Folder</th><th>Table name</th><th title="INCREMENTAL: only changed rows; FULL_TABLE: every row, table replaced">Sync type</th></tr></thead><tbody></tbody></table></div>
<div id="settings-error" class="error" hidden role="alert"></div>
<div class="wizard-nav"><button type="button" class="secondary" data-back>Back</button><button type="button" id="to-source">Next: source settings</button></div>
</section>`;
}

/** Step 4: the source itself: name, description, trigger, history, full syncs, models. */
function sourceSettingsStep(): Raw {
  return html`<section class="step card" data-step="4" hidden>
<h2>4. Source settings</h2>
<label for="name">Name</label><input type="text" id="name" maxlength="60" placeholder="e.g. Sales portal">
<label for="description">Description</label>
<textarea id="description" maxlength="${DESCRIPTION_MAX}" rows="2"></textarea>
<div class="counter"><span id="description-count">0</span> / ${DESCRIPTION_MAX}</div>
<label for="trigger">Trigger</label>
<select id="trigger"><option value="manual">By hand only</option><option value="hourly">Every hour</option><option value="daily">Every day at 03:00</option><option value="cron">Cron expression…</option></select>
<div id="cron-field" hidden><label for="cron">Cron expression</label><input type="text" id="cron" placeholder="*/30 * * * *"><div class="hint">minute hour day-of-month month day-of-week, in the console's local time</div></div>
<label for="history_days">History retention (days)</label><input type="number" id="history_days" min="0" value="0">
<div class="hint">Keep earlier versions of changed rows this many days, so a table can be read as of a past time. 0 keeps none.</div>
<label for="full_sync_every_days">Additional full sync every (days)</label><input type="number" id="full_sync_every_days" min="0" value="0">
<div class="hint">Read incremental streams whole on this cadence and mark rows deleted in the portal. 0 never.</div>
<label class="check"><input type="checkbox" id="models"> Build the models after each run</label>
<div class="hint">Views beside the tables that answer the usual questions: funnel conversion, time per stage, lead conversion, manager performance, enriched deals.</div>
<div id="source-error" class="error" hidden role="alert"></div>
<div class="wizard-nav"><button type="button" class="secondary" data-back>Back</button><button type="button" id="to-review">Next: review</button></div>
</section>`;
}

/** Step 5: the review, and create or save. */
function reviewStep(editing: boolean): Raw {
  return html`<section class="step card summary" data-step="5" hidden>
<h2>5. Review and ${editing ? 'save' : 'create'}</h2>
<dl id="review"></dl>
<div id="create-error" class="error" hidden role="alert"></div>
<div class="wizard-nav"><button type="button" class="secondary" data-back>Back</button><button type="button" id="create">${editing ? 'Save changes' : 'Create source'}</button></div>
</section>`;
}

export function wizardPage(initial: WizardInitial, csrf: string): string {
  const editing = initial.id !== undefined;
  const body = html`<h1>${editing ? `Edit ${initial.name}` : 'Add a source'}</h1>
<ol class="stepper" id="stepper">${WIZARD_STEPS.map((s, i) => html`<li data-step="${i + 1}"${raw(i === 0 ? ' class="current"' : '')}>${s}</li>`)}</ol>
<script type="application/json" id="initial">${raw(jsonForScript(initial))}</script>

${accessStep()}

${streamsStep()}

${streamSettingsStep()}

${sourceSettingsStep()}

${reviewStep(editing)}`;
  return page({
    title: editing ? 'Edit source' : 'Add a source',
    csrf,
    body,
    scripts: ['wizard.js'],
    nav: 'new',
  });
}
