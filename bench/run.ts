/**
 * The speed benchmark (issue "Speed: at the floor the limits allow, ahead of every other client").
 *
 *   npm run bench -- --quick     # < 2 minutes; ends with one JSON line of headline numbers
 *   npm run bench                # larger portals, batch billing, growth to 1M rows
 *
 * Writes bench/results.json (everything measured) and bench/charts/*.svg. See bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { lineChart, type Series } from './lib/charts.js';
import {
  ALL_PEERS,
  childReduction,
  type OursRun,
  oursRun,
  type PeerRun,
  peerRuns,
  resetPostgres,
  type ThroughputRun,
  throughputRun,
} from './lib/experiments.js';
import { operatingRatio, wastedCommands } from './lib/floor.js';
import type { PeerName } from './lib/peer-child.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    pg: {
      type: 'string',
      default: process.env.TAP_BITRIX24_TEST_PG_URL ?? 'postgres://tap:tap@127.0.0.1:54329/tap_test',
    },
    'time-scale': { type: 'string', default: '' },
  },
});
const quick = values.quick;
// Real CPU time (ours and the emulator's) counts time-scale times over in portal seconds, so the
// floor runs use a low scale; peers need a larger portal before the request bucket binds.
const floorTimeScale = Number(values['time-scale'] || (quick ? 6 : 3));
/**
 * Peer comparisons, smallest first; the headline speedup is the largest size's. Offset paging
 * pays a COUNT per page and one page per request binds the bucket, so the gap grows with size;
 * the larger size runs at a higher time scale to stay within minutes (which penalises us: our
 * CPU time, DuckDB writes included, counts that many times over).
 */
const peerSizes: { scale: number; timeScale: number; peers: PeerName[] }[] = quick
  ? [{ scale: 2000, timeScale: 4, peers: [...ALL_PEERS] }]
  : [
      { scale: 10000, timeScale: 2, peers: [...ALL_PEERS] },
      { scale: 50000, timeScale: 10, peers: ['b24jssdk', '2bad', 'offset'] },
    ];
const floorScale = quick ? 1000 : 2000;
const throughputScale = quick ? 10000 : 100000;
const out = new URL('./', import.meta.url);
const log = (msg: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const round = (v: number, d = 2) => Number(v.toFixed(d));

function floorRow(r: OursRun) {
  return {
    label: r.label,
    plan: r.plan,
    billing: r.billing,
    scale: r.scale,
    time_scale: r.timeScale,
    operating_time_threshold: r.threshold,
    rows: r.m.report.rows,
    ok: r.m.report.ok,
    wall_portal_s: round(r.m.portalSeconds),
    floor_s: round(r.floor.floorSeconds),
    ratio: round(r.ratio),
    operating_ratio: round(operatingRatio(r.m.reads, r.m.stats.operating_seconds)),
    wasted_commands: wastedCommands(r.m.reads),
    floor_bound: r.floor.bound,
    floor_binding_method: r.floor.bindingMethod,
    floor_requests: r.floor.requests,
    floor_bucket_s: round(r.floor.bucketSeconds),
    floor_operating_s: round(r.floor.operatingFloorSeconds),
    requests: r.m.stats.requests_total,
    batch_commands: r.m.stats.batch_commands,
    rejections: r.m.stats.rejections,
    operating_seconds: Object.fromEntries(
      Object.entries(r.m.stats.operating_seconds)
        .filter(([, v]) => v >= 1)
        .map(([k, v]) => [k, round(v, 1)]),
    ),
    floor_operating_by_method: Object.fromEntries(
      r.floor.methods
        .filter((m) => m.operatingSeconds >= 1)
        .map((m) => [m.method, round(m.operatingSeconds, 1)]),
    ),
    limit_wait_ms: r.m.report.limitWaitMs,
    reads: r.m.reads
      .filter((x) => x.rows > 0)
      .map((x) => ({
        method: x.method,
        calls: x.calls,
        rows: x.rows,
        fields: x.fields,
        cost_s: round(x.costSeconds, 1),
        empty_calls: x.emptyCalls,
      })),
    streams: r.m.report.streams,
    peak_rss_mb: r.m.report.peakRssMb,
  };
}

function peerRow(p: PeerRun) {
  return {
    client: p.peer,
    rows: p.m.report.rows,
    requests: p.requests,
    operating_seconds: round(p.operatingSeconds, 1),
    wall_portal_s: round(p.m.portalSeconds),
    rows_per_s: round(p.rowsPerSecond, 1),
    peak_rss_mb: p.m.report.peakRssMb,
    errors: ((p.m.report.errors as string[] | undefined) ?? []).map((e) => e.split('\n')[0]),
  };
}

function rowsChart(runs: PeerRun[], floorSeconds: number, scale: number): string {
  const ours = runs[0];
  const rowsSeries = (points: [number, number][], warp: number, ts: number) =>
    points.map(([t, r]) => [warp > 1 ? t : t * ts, r] as [number, number]);
  const series: Series[] = runs.map((p) => ({
    name: p.peer === 'ours' ? 'tap-bitrix24' : p.peer,
    points: rowsSeries(p.m.report.timeline, Number(p.m.report.warp ?? 1), p.m.timeScale),
  }));
  series.push({
    name: 'floor',
    dashed: true,
    points: [
      [0, 0],
      [floorSeconds, ours.m.report.rows],
    ],
  });
  return lineChart(
    `Rows exported over time (scale ${scale}, standard plan)`,
    'portal seconds',
    'rows',
    series,
  );
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = {
    machine: {
      nproc: cpus().length,
      cpu: cpus()[0]?.model,
      memory_gb: round(totalmem() / 2 ** 30, 1),
      node: process.version,
    },
    quick,
    floor_time_scale: floorTimeScale,
    peer_sizes: peerSizes,
  };
  mkdirSync(new URL('charts/', out), { recursive: true });
  const resultsFile = new URL(quick ? 'results-quick.json' : 'results.json', out);
  const save = () => writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);

  log(`floor ratio: every stream, scale ${floorScale}, time scale ${floorTimeScale}`);
  const floorRuns: OursRun[] = [];
  for (const plan of ['standard', 'enterprise'] as const) {
    floorRuns.push(
      await oursRun({ label: `every stream ${plan}`, plan, scale: floorScale, timeScale: floorTimeScale }),
    );
  }
  if (!quick) {
    floorRuns.push(
      await oursRun({
        label: 'every stream standard, batch billing',
        plan: 'standard',
        billing: 'batch',
        scale: floorScale,
        timeScale: floorTimeScale,
      }),
    );
    floorRuns.push(
      await oursRun({
        label: 'every stream standard, threshold 470',
        plan: 'standard',
        scale: floorScale,
        timeScale: floorTimeScale,
        threshold: 470,
      }),
    );
    floorRuns.push(
      await oursRun({
        label: 'every stream standard, max_concurrency 12',
        plan: 'standard',
        scale: floorScale,
        timeScale: floorTimeScale,
        concurrency: 12,
      }),
    );
  }
  results.floor = floorRuns.map(floorRow);
  for (const r of floorRuns)
    log(
      `  ${r.label}: ${round(r.m.portalSeconds)} s vs floor ${round(r.floor.floorSeconds)} s → ${round(r.ratio)}x`,
    );
  log(`child streams: requests per deal, scale ${floorScale}`);
  const reduction = await childReduction(floorScale);
  results.child_requests = reduction;
  log(
    `  ${reduction.perDealRequests} per-deal requests vs ${reduction.ourRequests} → ${round(reduction.reduction, 1)}x`,
  );
  save();

  const peerResults = [];
  let speedup = Number.NaN;
  for (const size of peerSizes) {
    log(`peers: deals+contacts+companies+leads, scale ${size.scale}, time scale ${size.timeScale}, standard`);
    const peers = await peerRuns(size.scale, size.timeScale, 'standard', size.peers);
    const ours = peers.runs[0];
    const complete = peers.runs.filter((p) => p.peer !== 'ours' && p.m.report.rows === ours.m.report.rows);
    const bestPeer = complete.sort((a, b) => a.m.portalSeconds - b.m.portalSeconds)[0];
    speedup = bestPeer ? bestPeer.m.portalSeconds / ours.m.portalSeconds : Number.NaN;
    peerResults.push({
      scale: size.scale,
      time_scale: size.timeScale,
      plan: 'standard',
      floor_s: round(peers.floor.floorSeconds),
      runs: peers.runs.map(peerRow),
      best_complete_peer: bestPeer?.peer,
      speedup: round(speedup),
    });
    results.peers = peerResults;
    save();
    for (const p of peers.runs)
      log(
        `  ${p.peer}: ${p.m.report.rows} rows, ${round(p.m.portalSeconds)} s, ${p.requests} requests${(p.m.report.errors as string[] | undefined)?.length ? ' (incomplete)' : ''}`,
      );
    writeFileSync(
      new URL(`charts/rows-over-time${quick ? '-quick' : `-${size.scale}`}.svg`, out),
      rowsChart(peers.runs, peers.floor.floorSeconds, size.scale),
    );
  }

  log(`throughput: limits off, scale ${throughputScale}`);
  const throughput: ThroughputRun[] = [await throughputRun(throughputScale, 'duckdb')];
  if (await resetPostgres(values.pg)) throughput.push(await throughputRun(throughputScale, values.pg));
  else log('  postgres not reachable; skipped');
  // Memory at a fixed portal size (limits off, DuckDB, default settings), of the command line in
  // its own process: what a user's process takes.
  log('memory: limits off, scale 20000, the command line');
  const memory = await throughputRun(20000, 'duckdb', true);
  results.memory = { scale: 20000, rows: memory.rows, peak_rss_mb: memory.peakRssMb, ok: memory.ok };
  log(`  ${memory.rows} rows, peak RSS ${memory.peakRssMb} MB`);
  results.throughput = throughput.map((r) => ({
    label: r.label,
    rows: r.rows,
    seconds: round(r.seconds),
    rows_per_s: round(r.rows / r.seconds),
    peak_rss_mb: r.peakRssMb,
    connector_cpu_s: round(r.connectorCpuSeconds),
    emulator_cpu_s: r.emulatorCpuSeconds === undefined ? undefined : round(r.emulatorCpuSeconds),
    emulator_nice: r.emulatorNice,
    ok: r.ok,
  }));
  save();
  for (const r of throughput) log(`  ${r.label}: ${r.rows} rows in ${round(r.seconds)} s, ${r.peakRssMb} MB`);

  if (!quick) {
    const growth = [];
    for (const scale of [667, 6667, 66667]) {
      log(`growth: scale ${scale}`);
      const r = await throughputRun(scale, 'duckdb');
      growth.push({
        scale,
        rows: r.rows,
        seconds: round(r.seconds),
        peak_rss_mb: r.peakRssMb,
      });
      results.growth = growth;
      save();
    }
    results.growth = growth;
    writeFileSync(
      new URL('charts/growth.svg', out),
      lineChart('Time and memory against portal size (DuckDB, limits off)', 'rows', 'seconds | MB', [
        { name: 'seconds', points: growth.map((g) => [g.rows, g.seconds]) },
        { name: 'peak RSS MB', points: growth.map((g) => [g.rows, g.peak_rss_mb]) },
      ]),
    );
  }

  try {
    results.git = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  save();
  const duck = throughput[0];
  const headline = {
    floor_ratio_standard: round(floorRuns[0].ratio),
    floor_ratio_enterprise: round(floorRuns[1].ratio),
    speedup_vs_best_peer: round(speedup),
    child_request_reduction: round(reduction.reduction, 1),
    ingest_rows_per_s: Math.round(duck.rows / duck.seconds),
    peak_rss_mb: Math.max(...throughput.map((r) => r.peakRssMb)),
    peak_rss_mb_scale_20000: memory.peakRssMb,
    operating_ratio: round(operatingRatio(floorRuns[0].m.reads, floorRuns[0].m.stats.operating_seconds)),
    wasted_commands: wastedCommands(floorRuns[0].m.reads),
  };
  process.stdout.write(`${JSON.stringify(headline)}\n`);
}

await main();
