/**
 * Child process: one full sync with our connector (syncPortal: discover, plan, runSync) and one
 * JSON line on stdout ({ rows, seconds, summary, timeline, peakRssMb, limitWaitMs }).
 *
 *   tsx bench/lib/ours-child.ts '{"webhookUrl":"…","target":"/tmp/x.duckdb","plan":"standard",…}'
 */

import { checkConfig } from '../../src/sync/config.js';
import type { SyncProgress } from '../../src/sync/engine.js';
import { syncPortal } from '../../src/sync/run.js';
import { RowTimeline } from './row-timeline.js';
import { TIME_WARP } from './time-warp.js';

export interface OursJob {
  webhookUrl: string;
  caFile?: string;
  target: string;
  plan: 'standard' | 'enterprise' | 'unlimited';
  operatingTimeThreshold: number;
  concurrency: number;
  /** Child streams (deal contacts, products, comments) on. */
  children: boolean;
  only?: string[];
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as OursJob;
  const config = checkConfig({
    webhook_url: job.webhookUrl,
    plan: job.plan,
    operating_time_threshold: job.operatingTimeThreshold,
    max_concurrency: job.concurrency,
    extract_deal_contacts: job.children,
    enable_deal_comments: job.children,
    enable_deal_products: job.children,
    ...(job.caFile ? { ca_file: job.caFile } : {}),
  });
  const timeline = new RowTimeline();
  const perStream = new Map<string, SyncProgress>();
  const onProgress = (p: SyncProgress) => {
    perStream.set(p.stream, p);
    let rows = 0;
    for (const s of perStream.values()) rows += s.rows;
    if (rows !== timeline.rows) timeline.set(rows);
  };
  const started = performance.now();
  const result = await syncPortal({
    config,
    target: job.target,
    full: true,
    logger: quiet,
    onProgress,
    ...(job.only ? { only: job.only } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  const limitWaitMs: Record<string, number> = {};
  for (const [stream, p] of perStream) if (p.limitWaitMs > 0) limitWaitMs[stream] = Math.round(p.limitWaitMs);
  const rows = result.summary.streams.reduce((n, s) => n + s.rows, 0);
  process.stdout.write(
    `${JSON.stringify({
      rows,
      seconds,
      ok: result.summary.ok,
      streams: result.summary.streams.map((s) => ({
        stream: s.stream,
        rows: s.rows,
        requests: s.requests,
        seconds: Number(s.seconds.toFixed(2)),
        status: s.status,
        ...(s.error ? { error: s.error } : {}),
      })),
      requests: result.summary.requests,
      limitWaitMs,
      timeline: timeline.points(),
      peakRssMb: RowTimeline.peakRssMb(),
      warp: TIME_WARP,
    })}\n`,
  );
}

await main();
process.exit(0);
