/** A run's live view (progress per stream, then the summary) and a source's run history. */
import type { RunRecord } from '../run-manager.js';
import type { StoredSource } from '../source-store.js';
import { formatTime, html, page, postButton } from './layout.js';

export function runPage(run: RunRecord, source: StoredSource | undefined, csrf: string): string {
  const name = source?.name ?? run.sourceId;
  return page({
    title: `Run of ${name}`,
    csrf,
    scripts: ['run.js'],
    body: html`<h1>Run of <a href="/sources/${run.sourceId}/catalog">${name}</a></h1>
<div id="run" data-run="${run.id}" data-titles="${JSON.stringify(source?.streamTitles ?? {})}">
<div class="kpis"><div>Status<b id="run-status"><span class="status ${run.status}">${run.status}</span></b></div>
<div>Started<b>${formatTime(run.startedAt)}</b></div><div>Rows<b id="run-rows">0</b></div><div>Requests<b id="run-requests">0</b></div>
<div>Waited for limits<b id="run-wait">0 s</b></div><div>Seconds<b id="run-seconds">—</b></div></div>
<div id="run-error" class="error" hidden></div>
<table class="grid" id="run-streams"><thead><tr><th>Stream</th><th>Phase</th><th class="num">Rows</th><th class="num">Requests</th><th class="num">Waits for limits</th><th>Error</th></tr></thead><tbody></tbody></table>
</div>
<p class="actions"><a href="/sources/${run.sourceId}/runs">All runs of this source</a> <a href="/sources/${run.sourceId}/catalog">Catalog</a></p>`,
  });
}

export function runsPage(source: StoredSource, runs: RunRecord[], csrf: string): string {
  return page({
    title: `Runs of ${source.name}`,
    csrf,
    body: html`<h1>Runs of ${source.name}</h1>
<p class="actions">${postButton(`/sources/${source.id}/run`, 'Run now', csrf)} <a href="/sources/${source.id}/catalog">Catalog</a></p>
${
  runs.length === 0
    ? html`<p class="muted">No runs yet.</p>`
    : html`<table class="grid" id="runs"><thead><tr><th>Started</th><th>Trigger</th><th>Status</th><th class="num">Rows</th><th class="num">Requests</th><th class="num">Seconds</th><th>What went wrong</th></tr></thead><tbody>
${runs.map((r) => {
  const failed = r.summary?.streams.filter((s) => s.status === 'failed' || s.status === 'unavailable') ?? [];
  const label = (stream: string) => source.streamTitles?.[stream] ?? stream;
  return html`<tr><td><a href="/runs/${r.id}">${formatTime(r.startedAt)}</a></td><td>${r.trigger}</td><td><span class="status ${r.status}">${r.status}</span></td>
<td class="num">${r.summary ? r.summary.streams.reduce((n, s) => n + s.rows, 0) : '—'}</td>
<td class="num">${r.summary?.requests ?? '—'}</td><td class="num">${r.summary ? r.summary.seconds.toFixed(1) : '—'}</td>
<td>${r.error ?? ''}${failed.map((s) => html`<div class="hint">${label(s.stream)} ${s.status}: ${s.error ?? ''}</div>`)}</td></tr>`;
})}</tbody></table>`
}`,
  });
}

/** How long the run view waits after one answer of /api/runs/:id before asking again. */
export const RUN_POLL_MS = 500;

/** Polls /api/runs/:id twice a second and redraws the table; stops once the run has ended. */
export const RUN_JS = `
(function () {
  'use strict';
  var root = document.getElementById('run'); if (!root) return;
  var id = root.dataset.run;
  var titles = JSON.parse(root.dataset.titles || '{}');
  function streamCell(name) {
    var td = document.createElement('td');
    if (!titles[name]) { td.textContent = name; return td; }
    var small = document.createElement('span'); small.className = 'stream-name'; small.textContent = name;
    td.textContent = titles[name] + ' '; td.appendChild(small);
    return td;
  }
  var POLL_MS = ${RUN_POLL_MS};
  function cell(text, cls) { var td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; return td; }
  function badge(status) { var s = document.createElement('span'); s.className = 'status ' + status; s.textContent = status; return s; }
  function draw(run) {
    var rows = 0, requests = 0, wait = 0;
    var body = document.querySelector('#run-streams tbody'); body.textContent = '';
    var byName = {};
    Object.keys(run.progress).forEach(function (k) { byName[k] = run.progress[k]; });
    (run.summary ? run.summary.streams : []).forEach(function (s) {
      byName[s.stream] = { stream: s.stream, rows: s.rows, requests: s.requests, limitWaitMs: (byName[s.stream] || {}).limitWaitMs || 0,
        phase: s.status === 'ok' ? 'done' : s.status, error: s.error };
    });
    Object.keys(byName).forEach(function (k) {
      var p = byName[k]; rows += p.rows; requests += p.requests; wait += p.limitWaitMs || 0;
      var tr = document.createElement('tr'); tr.dataset.stream = p.stream;
      var phase = document.createElement('td'); phase.appendChild(badge(p.phase));
      tr.appendChild(streamCell(p.stream)); tr.appendChild(phase); tr.appendChild(cell(String(p.rows), 'num'));
      tr.appendChild(cell(String(p.requests), 'num')); tr.appendChild(cell(((p.limitWaitMs || 0) / 1000).toFixed(1) + ' s', 'num'));
      tr.appendChild(cell(p.error || ''));
      body.appendChild(tr);
    });
    document.getElementById('run-rows').textContent = rows;
    document.getElementById('run-requests').textContent = run.summary ? run.summary.requests : requests;
    document.getElementById('run-wait').textContent = (wait / 1000).toFixed(1) + ' s';
    // While running, the elapsed time ticks on every poll, so a slow portal still shows life.
    document.getElementById('run-seconds').textContent = run.summary ? run.summary.seconds.toFixed(1)
      : Math.max(0, (Date.now() - Date.parse(run.startedAt)) / 1000).toFixed(0);
    var status = document.getElementById('run-status'); status.textContent = ''; status.appendChild(badge(run.status));
    var err = document.getElementById('run-error'); err.textContent = run.error || ''; err.hidden = !run.error;
  }
  function poll() {
    fetch('/api/runs/' + encodeURIComponent(id)).then(function (r) { return r.json(); }).then(function (run) {
      draw(run);
      if (run.status === 'running') setTimeout(poll, POLL_MS);
    }).catch(function () { setTimeout(poll, POLL_MS); });
  }
  poll();
})();
`;
