/**
 * What reading lists to their ends costs, and whether anything is read past them: one
 * limits-on sync (plan standard, operating limit on, the emulator's clock at --time-scale) of
 * --only into a fresh DuckDB file, against an in-process emulator with --variant. Prints one JSON
 * line: wall seconds, requests and batch commands the emulator served, operating seconds billed,
 * batch commands that ran with an unresolved `$result[...]` reference and how many of those
 * answered rows (rows read past a list's end), and rows per stream against the portal's truth.
 *
 *   npx tsx bench/list-ends.ts [--scale 10000] [--only deals,contacts,companies,leads] [--variant literal-refs] [--time-scale 1] [--incremental] [--categories 0]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from '../src/emulator/index.js';
import { checkConfig } from '../src/sync/config.js';
import { syncPortal } from '../src/sync/run.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '10000' },
    only: { type: 'string', default: 'deals,contacts,companies,leads' },
    variant: { type: 'string', default: '' },
    'time-scale': { type: 'string', default: '1' },
    /** A first incremental sync (read by replication-key windows) instead of `sync --full`. */
    incremental: { type: 'boolean', default: false },
    /** deal_category_ids, comma-separated: deals of some funnels only (a filter matching a fraction of IDs). */
    categories: { type: 'string', default: '' },
  },
});

const LISTS: Record<string, string> = {
  deals: 'crm.deal.list',
  contacts: 'crm.contact.list',
  companies: 'crm.company.list',
  leads: 'crm.lead.list',
  users: 'user.get',
  activities: 'crm.activity.list',
};

const only = values.only.split(',').filter(Boolean);
const emulator = await startEmulator({
  scale: Number(values.scale),
  timeScale: Number(values['time-scale']),
  variants: values.variant,
});
const dir = await mkdtemp(join(tmpdir(), 'tap-bench-list-ends-'));
try {
  const started = performance.now();
  const { summary } = await syncPortal({
    config: checkConfig({
      webhook_url: emulator.webhookUrl,
      ...(values.categories ? { deal_category_ids: values.categories.split(',').map(Number) } : {}),
    }),
    target: join(dir, 'bench.duckdb'),
    only,
    full: !values.incremental,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const wall = (performance.now() - started) / 1000;
  const stats = emulator.stats();
  const truth = emulator.truth();
  const streams = Object.fromEntries(
    summary.streams.map((s) => [
      s.stream,
      { rows: s.rows, visible: truth[LISTS[s.stream] ?? '']?.visible.length ?? null },
    ]),
  );
  const operating = Object.values(stats.operating_seconds).reduce((a, b) => a + b, 0);
  process.stdout.write(
    `${JSON.stringify({
      scale: Number(values.scale),
      variant: values.variant || 'none',
      sync: values.incremental ? 'incremental' : 'full',
      ok: summary.ok,
      wall_seconds: Math.round(wall * 10) / 10,
      requests: stats.requests_total,
      batch_commands: stats.batch_commands,
      operating_seconds: Math.round(operating * 10) / 10,
      unresolved_ref_commands: stats.unresolved_ref_commands,
      past_end_commands_with_rows: stats.past_end_commands_with_rows,
      streams,
    })}\n`,
  );
} finally {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
}
