/** A verification as people read it: one row per stream, then why any stream was not counted. */
import type { StreamVerification, VerifyReport } from './verify.js';

function cell(value: number | null): string {
  return value === null ? '—' : String(value);
}

function statusText(s: StreamVerification): string {
  if (s.status === 'not_counted') return 'not counted';
  return s.status;
}

export function formatVerifyTable(report: VerifyReport): string {
  const header = ['stream', 'portal', 'warehouse', 'missing', 'extra', 'status'];
  const rows = report.streams.map((s) => [
    s.stream,
    cell(s.portal),
    cell(s.warehouse),
    cell(s.missing),
    cell(s.extra),
    statusText(s),
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 1 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const drift = report.streams.filter((s) => s.status === 'drift');
  const failed = report.streams.filter((s) => s.status === 'failed');
  const counted = report.streams.filter((s) => s.portal !== null).length;
  lines.push(
    '',
    `${counted} stream(s) counted with ${report.countRequests} request(s) (${report.requests} with discovery); ` +
      (report.ok ? 'no drift' : `${drift.length} with drift, ${failed.length} failed`),
  );
  for (const s of report.streams) {
    if (s.note) lines.push(`${s.stream} ${statusText(s)}: ${s.note}`);
  }
  return lines.join('\n');
}
