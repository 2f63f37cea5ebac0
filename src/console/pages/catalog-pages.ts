/** The catalog of a source (layers, folders, tables, columns, row counts, relations) and one table's preview. */
import type { CatalogModel, CatalogTable, TablePreview } from '../catalog.js';
import type { StoredSource } from '../source-store.js';
import { relationDiagramSvg, relationsAmong } from '../table-diagram.js';
import { formatTime, html, page, postButton, type Raw, raw, streamLabel } from './layout.js';

function grouped(tables: CatalogTable[]): Map<string, Map<string, CatalogTable[]>> {
  const out = new Map<string, Map<string, CatalogTable[]>>();
  for (const t of tables) {
    const layer = out.get(t.layer) ?? new Map<string, CatalogTable[]>();
    const folder = layer.get(t.folder) ?? [];
    folder.push(t);
    layer.set(t.folder, folder);
    out.set(t.layer, layer);
  }
  return out;
}

/** The models section: each view with the question it answers, linked to its preview. */
function modelsSection(source: StoredSource, models: readonly CatalogModel[]): Raw | string {
  if (models.length === 0) return '';
  return html`<h2>Models in <code>${models[0]!.schema}</code></h2>
<p class="hint">Views over the tables above that answer the usual CRM questions; rebuilt after each run when the source has <code>models</code> on, or by <code>tap-bitrix24 models</code>.</p>
<table class="grid models"><thead><tr><th>Model</th><th>Question it answers</th><th>Columns</th></tr></thead><tbody>
${models.map(
  (
    m,
  ) => html`<tr data-model="${m.name}"><td><a href="/sources/${source.id}/models/${encodeURIComponent(m.name)}"><code>${m.name}</code></a></td>
<td>${m.question}</td>
<td><details><summary>${m.columns.length} columns</summary>${m.columns.map((c) => html`<div><code>${c.name}</code> <span class="muted">${c.type}</span></div>`)}</details></td></tr>`,
)}</tbody></table>`;
}

export function catalogPage(
  source: StoredSource,
  tables: CatalogTable[],
  csrf: string,
  databasePath: string,
  notice?: string,
  models: readonly CatalogModel[] = [],
): string {
  const byStream = new Map(tables.map((t) => [t.stream, t]));
  const svg = relationDiagramSvg(
    relationsAmong(tables.map((t) => t.stream)),
    (s) => byStream.get(s)?.table ?? s,
    (s) => byStream.get(s)?.folder ?? '',
  );
  const sections: Raw[] = [];
  for (const [layer, folders] of grouped(tables)) {
    sections.push(html`<h2>Layer <code>${layer}</code></h2>`);
    for (const [folder, list] of folders) {
      sections.push(html`<h3>Folder ${folder}</h3>
<table class="grid catalog" data-folder="${folder}"><thead><tr><th>Table</th><th>Stream</th><th>Sync type</th><th class="num">Rows</th><th>Columns</th><th>Last sync</th><th>Last verification</th></tr></thead><tbody>
${list.map(
  (
    t,
  ) => html`<tr data-stream="${t.stream}" data-sync-type="${t.syncType}"><td><a href="/sources/${source.id}/tables/${encodeURIComponent(t.stream)}"><code>${t.table}</code></a></td>
<td>${streamLabel(t.stream, source.streamTitles)}</td><td>${t.syncType}</td><td class="num rows">${t.rows}</td>
<td><details><summary>${t.columns.length} columns</summary>${t.columns.map((c) => html`<div><code>${c.name}</code> <span class="muted">${c.type}</span></div>`)}</details></td>
<td>${formatTime(t.lastSyncAt)}</td><td class="verification">${verificationCell(t)}</td></tr>`,
)}</tbody></table>`);
    }
  }
  return page({
    title: `Catalog of ${source.name}`,
    csrf,
    body: html`<h1>Catalog of ${source.name}</h1>
<p class="muted">${source.description} · <code>${databasePath}</code></p>
<p class="actions">${postButton(`/sources/${source.id}/run`, 'Run now', csrf)} ${postButton(`/sources/${source.id}/verify`, 'Verify against the portal', csrf)} <a href="/sources/${source.id}/runs">Runs</a> <a href="/sources/${source.id}/edit">Edit</a></p>
${notice ? html`<div class="notice">${notice}</div>` : ''}
${lastVerification(tables)}
${tables.length === 0 && !notice ? html`<div class="notice">No tables yet: run the source to fill them.</div>` : ''}
${svg ? html`<h2>How the tables relate</h2><div class="scroll">${raw(svg)}</div><p class="hint">Each arrow is a reference column (hover it to see which).</p>` : ''}
${sections}
${modelsSection(source, models)}`,
  });
}

/** A table's last verification: its status and the portal's count against the table's rows. */
function verificationCell(t: CatalogTable): Raw {
  const v = t.verification;
  if (!v) return html`<span class="muted">never</span>`;
  const label = v.status === 'not_counted' ? 'not counted' : v.status;
  const counts = v.portal === null ? (v.note ?? '') : `portal ${v.portal}, warehouse ${v.warehouse ?? 0}`;
  return html`<span class="status ${v.status}">${label}</span><div class="hint">${counts} · ${formatTime(v.verifiedAt)}</div>`;
}

/**
 * The source's last verification as a whole: when, and how many tables matched the portal's
 * count, drifted, or could not be counted. Written by `tap-bitrix24 verify` or `sync --verify`.
 */
function lastVerification(tables: CatalogTable[]): Raw {
  const checked = tables.flatMap((t) => (t.verification ? [t.verification] : []));
  if (checked.length === 0) {
    return html`<p class="muted" id="verification">Not verified yet: <code>tap-bitrix24 verify</code> compares each table with the portal's own count.</p>`;
  }
  const latest = checked
    .map((v) => v.verifiedAt)
    .sort()
    .at(-1)!;
  const tally = (status: string) => checked.filter((v) => v.status === status).length;
  return html`<p id="verification">Last verification ${formatTime(latest)}: ${tally('ok')} ok, ${tally('drift')} with drift, ${tally('failed')} failed, ${tally('not_counted')} not counted.</p>`;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

export function tablePage(
  source: StoredSource,
  table: CatalogTable,
  preview: TablePreview,
  csrf: string,
): string {
  return page({
    title: table.table,
    csrf,
    body: html`<h1><a href="/sources/${source.id}/catalog">${source.name}</a> / <code>${table.layer}.${table.table}</code></h1>
${source.streamTitles?.[table.stream] ? html`<p class="muted">${source.streamTitles[table.stream]} (stream <code>${table.stream}</code>)</p>` : ''}
<div class="kpis"><div>Rows<b>${table.rows}</b></div><div>Columns<b>${table.columns.length}</b></div><div>Sync type<b>${table.syncType}</b></div><div>Last sync<b>${formatTime(table.lastSyncAt)}</b></div></div>
<h2>First ${preview.rows.length} rows</h2>
<div class="scroll"><table class="grid" id="preview"><thead><tr>${preview.columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
<tbody>${preview.rows.map((r) => html`<tr>${r.map((v) => html`<td>${cellText(v)}</td>`)}</tr>`)}</tbody></table></div>
<h2>Columns</h2>
<table class="grid"><thead><tr><th>Column</th><th>Type</th><th>Title</th></tr></thead><tbody>${table.columns.map((c) => html`<tr><td><code>${c.name}</code></td><td>${c.type}</td><td>${c.title ?? ''}</td></tr>`)}</tbody></table>`,
  });
}

/** One model view: the question it answers, its first rows and its columns. */
export function modelPage(
  source: StoredSource,
  model: CatalogModel,
  preview: TablePreview,
  csrf: string,
): string {
  return page({
    title: model.name,
    csrf,
    body: html`<h1><a href="/sources/${source.id}/catalog">${source.name}</a> / <code>${model.schema}.${model.name}</code></h1>
<p>${model.question}</p>
<h2>First ${preview.rows.length} rows</h2>
<div class="scroll"><table class="grid" id="preview"><thead><tr>${preview.columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
<tbody>${preview.rows.map((r) => html`<tr>${r.map((v) => html`<td>${cellText(v)}</td>`)}</tr>`)}</tbody></table></div>
<h2>Columns</h2>
<table class="grid"><thead><tr><th>Column</th><th>Type</th></tr></thead><tbody>${model.columns.map((c) => html`<tr><td><code>${c.name}</code></td><td>${c.type}</td></tr>`)}</tbody></table>`,
  });
}
