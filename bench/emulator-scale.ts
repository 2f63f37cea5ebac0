/**
 * Emulator portal at scale: generation time, resident memory, and the real time of a keyset and
 * an offset page over the largest collection. Each scale runs in a fresh process so RSS is its own.
 * Run: npx tsx bench/emulator-scale.ts
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildMethodTable, generatePortal, portalSummary } from '../src/emulator/methods/index.js';

const ctx = { scopes: new Set(['crm']), userId: 1, authType: 'webhook' as const, now: () => Date.now() };

function measure(scale: number): Record<string, number> {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const portal = generatePortal({ seed: 1, scale, now: Date.now() });
  const genMs = performance.now() - t0;
  const summary = portalSummary(portal);
  const rows = Object.entries(summary)
    .filter(([k]) => !k.endsWith('_fields'))
    .reduce((n, [, v]) => n + v, 0);
  const methods = buildMethodTable(portal);
  const list = methods.get('crm.deal.list');
  if (!list) throw new Error('crm.deal.list missing');
  const t1 = performance.now();
  const keyset = list.handle(
    {
      select: ['ID', 'TITLE', 'DATE_MODIFY'],
      filter: { '>ID': String(Math.floor(scale / 2)) },
      order: { ID: 'ASC' },
      start: -1,
    },
    ctx,
  );
  const keysetMs = performance.now() - t1;
  const t2 = performance.now();
  const offset = list.handle({ start: 50 }, ctx);
  const offsetMs = performance.now() - t2;
  const t3 = performance.now();
  list.handle({ filter: { '%TITLE': 'deal' }, select: ['ID'], start: -1 }, ctx);
  const unindexedMs = performance.now() - t3;
  return {
    scale,
    rows,
    generate_ms: Math.round(genMs),
    rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    rss_delta_mb: Math.round((process.memoryUsage().rss - rss0) / 1e6),
    keyset_page_ms: Number(keysetMs.toFixed(2)),
    keyset_cost_s: Number(keyset.cost.toFixed(3)),
    offset_page_ms: Number(offsetMs.toFixed(1)),
    offset_cost_s: Number(offset.cost.toFixed(2)),
    like_scan_ms: Math.round(unindexedMs),
  };
}

const one = process.argv.indexOf('--one');
if (one >= 0) {
  console.log(JSON.stringify(measure(Number(process.argv[one + 1]))));
} else {
  const self = fileURLToPath(import.meta.url);
  const results = [1000, 10000, 100000].map(
    (scale) =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', self, '--one', String(scale)], {
          encoding: 'utf8',
        }),
      ) as Record<string, number>,
  );
  console.table(results);
}
