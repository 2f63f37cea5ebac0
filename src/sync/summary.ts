/** The end-of-run summary as people read it: one row per stream, then the totals. */
import type { SyncSummary } from './engine.js';

function pad(cells: string[], widths: number[], right: ReadonlySet<number>): string {
  return cells
    .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
    .join('  ')
    .trimEnd();
}

export function formatSummaryTable(summary: SyncSummary): string {
  const header = ['stream', 'rows', 'requests', 'seconds', 'status'];
  const rows = summary.streams.map((s) => [
    s.stream,
    String(s.rows),
    String(s.requests),
    s.seconds.toFixed(1),
    s.status === 'ok' && s.rowsMarkedDeleted > 0 ? `ok (${s.rowsMarkedDeleted} marked deleted)` : s.status,
  ]);
  const total = [
    'total',
    String(summary.streams.reduce((n, s) => n + s.rows, 0)),
    String(summary.requests),
    summary.seconds.toFixed(1),
    summary.ok ? 'ok' : `${summary.streams.filter((s) => s.status !== 'ok').length} not ok`,
  ];
  const all = [header, ...rows, total];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const right = new Set([1, 2, 3]);
  const lines = [pad(header, widths, right), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) lines.push(pad(r, widths, right));
  lines.push(widths.map((w) => '-'.repeat(w)).join('  '), pad(total, widths, right));
  const outsideStreams = summary.requests - summary.streams.reduce((n, s) => n + s.requests, 0);
  if (outsideStreams > 0) {
    lines.push(`(the total includes ${outsideStreams} request(s) outside the streams: the portal clock)`);
  }
  const failures = summary.streams.filter((s) => s.status === 'failed' || s.status === 'unavailable');
  for (const f of failures) lines.push(`${f.stream} ${f.status}: ${f.error ?? 'unknown error'}`);
  return lines.join('\n');
}
