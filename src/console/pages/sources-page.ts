/** The Sources page: each source with its last run, next run and status, and what to do with it. */
import type { RunRecord } from '../run-manager.js';
import type { StoredSource } from '../source-store.js';
import { formatTime, html, page, postButton, type Raw } from './layout.js';

export interface SourceRow {
  source: StoredSource;
  lastRun?: RunRecord;
  nextRun?: Date;
}

export function triggerText(source: StoredSource): string {
  switch (source.trigger.preset) {
    case 'manual':
      return 'by hand';
    case 'hourly':
      return 'hourly';
    case 'daily':
      return 'daily at 03:00';
    default:
      return `cron ${source.trigger.cron}`;
  }
}

function statusBadge(run: RunRecord | undefined): Raw {
  const status = run?.status ?? 'never';
  const text = status === 'never' ? 'never run' : status;
  return html`<span class="status ${status}">${text}</span>`;
}

export function sourcesPage(rows: SourceRow[], csrf: string, notice?: string): string {
  const body =
    rows.length === 0
      ? html`<div class="card"><p>No sources yet. A source is one Bitrix24 portal: its access, the streams to read, where they land and when.</p><a class="button" href="/sources/new">Add a source</a></div>`
      : html`<table class="grid" id="sources">
<thead><tr><th>Source</th><th>Trigger</th><th>Last run</th><th>Next run</th><th>Status</th><th></th></tr></thead>
<tbody>${rows.map(
          (r) => html`<tr data-source="${r.source.id}">
<td><a href="/sources/${r.source.id}/catalog"><b>${r.source.name}</b></a><div class="hint">${r.source.description}</div></td>
<td>${triggerText(r.source)}</td>
<td>${r.lastRun ? html`<a href="/runs/${r.lastRun.id}">${formatTime(r.lastRun.startedAt)}</a>` : '—'}</td>
<td>${r.nextRun ? formatTime(r.nextRun.toISOString()) : '—'}</td>
<td>${statusBadge(r.lastRun)}${r.lastRun?.status === 'failed' && r.lastRun.error ? html`<div class="hint">${r.lastRun.error}</div>` : ''}</td>
<td><div class="actions">${postButton(`/sources/${r.source.id}/run`, 'Run now', csrf)}
<a href="/sources/${r.source.id}/edit">Edit</a>
<a href="/sources/${r.source.id}/runs">Runs</a>
<a href="/sources/${r.source.id}/catalog">Catalog</a>
<a href="/sources/${r.source.id}/delete">Delete</a></div></td>
</tr>`,
        )}</tbody></table>`;
  return page({
    title: 'Sources',
    csrf,
    nav: 'sources',
    body: html`<h1>Sources</h1>${notice ? html`<div class="notice">${notice}</div>` : ''}${body}`,
  });
}

export function deletePage(source: StoredSource, csrf: string, databasePath: string): string {
  return page({
    title: `Delete ${source.name}`,
    csrf,
    body: html`<h1>Delete ${source.name}</h1>
<form method="post" action="/sources/${source.id}/delete" class="card">
<input type="hidden" name="_csrf" value="${csrf}">
<p>This removes the source's settings, schedule and run history from the console.</p>
<p>Its tables stay in <code>${databasePath}</code> unless you also tick the box below.</p>
<label class="check"><input type="checkbox" name="drop_tables" value="yes" id="drop_tables"> Also delete its tables (the DuckDB file) — this cannot be undone</label>
<div class="actions"><button class="danger" type="submit">Delete source</button> <a href="/sources">Cancel</a></div>
</form>`,
  });
}
