/** The benchmark's experiments: floor ratio, peers, throughput, growth. Each returns plain data. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Plan } from '../../src/emulator/index.js';
import { cliEnvironment, cliNodeFlags } from './cli-flags.js';
import { type Billing, type Floor, syncFloor } from './floor.js';
import { type ChildReport, type Measurement, measure } from './measure.js';
import type { OursJob } from './ours-child.js';
import type { PeerName } from './peer-child.js';

export const ENTITY_STREAMS = ['deals', 'contacts', 'companies', 'leads'];
export const ENTITY_METHODS = ['crm.deal.list', 'crm.contact.list', 'crm.company.list', 'crm.lead.list'];
export const PEER_SELECT = ['*', 'UF_*'];
export const SEED = 1;

const run = promisify(execFile);

const scratch = mkdtempSync(join(tmpdir(), 'tap-bitrix24-bench-'));
// The DuckDB files of a growth run reach gigabytes; nothing in them is kept.
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
let files = 0;
const duckdbTarget = () => join(scratch, `run-${++files}.duckdb`);

export interface OursReport extends ChildReport {
  ok: boolean;
  requests: number;
  streams: {
    stream: string;
    rows: number;
    requests: number;
    seconds: number;
    status: string;
    error?: string;
  }[];
  limitWaitMs: Record<string, number>;
}

export interface OursRun {
  label: string;
  plan: Plan;
  billing: Billing;
  scale: number;
  timeScale: number;
  threshold: number;
  m: Measurement<OursReport>;
  floor: Floor;
  ratio: number;
}

export async function oursRun(o: {
  label: string;
  plan: Plan;
  billing?: Billing;
  scale: number;
  timeScale: number;
  threshold?: number;
  concurrency?: number;
  children?: boolean;
  only?: string[];
  target?: string;
  warp?: boolean;
  tls?: boolean;
  /** Emulator variants (`literal-refs`, `short-pages`, …); none is the documented behaviour. */
  variants?: string;
}): Promise<OursRun> {
  const billing = o.billing ?? 'inner';
  const threshold = o.threshold ?? 200;
  const m = await measure<OursReport>(
    'ours-child.ts',
    {
      seed: SEED,
      scale: o.scale,
      plan: o.plan,
      timeScale: o.timeScale,
      batchBilling: billing,
      tls: o.tls === true,
      ...(o.variants ? { variants: o.variants } : {}),
    },
    (e): OursJob => ({
      webhookUrl: e.webhookUrl,
      ...(e.caFile ? { caFile: e.caFile } : {}),
      target: o.target ?? duckdbTarget(),
      plan: o.plan,
      operatingTimeThreshold: threshold,
      concurrency: o.concurrency ?? 4,
      children: o.children !== false,
      ...(o.only ? { only: o.only } : {}),
    }),
    o.warp !== false,
  );
  const floor = syncFloor(m.reads, o.plan, billing);
  const ratio = floor.floorSeconds > 0 ? m.portalSeconds / floor.floorSeconds : Number.NaN;
  return {
    label: o.label,
    plan: o.plan,
    billing,
    scale: o.scale,
    timeScale: o.timeScale,
    threshold,
    m,
    floor,
    ratio,
  };
}

export interface PeerRun {
  peer: PeerName | 'ours';
  m: Measurement;
  requests: number;
  operatingSeconds: number;
  rowsPerSecond: number;
}

function summarise(peer: PeerRun['peer'], m: Measurement): PeerRun {
  const operatingSeconds = Object.values(m.stats.operating_seconds).reduce((s, v) => s + v, 0);
  return {
    peer,
    m,
    requests: m.stats.requests_total,
    operatingSeconds,
    rowsPerSecond: m.report.rows / m.portalSeconds,
  };
}

export type PeerFields = 'same' | 'masks';

/** deals + contacts + companies + leads with all fields, every client on the same portal and plan. */
export const ALL_PEERS = ['b24jssdk', '2bad', 'offset'] as const satisfies readonly PeerName[];

export async function peerRuns(
  scale: number,
  timeScale: number,
  plan: Plan,
  peers: readonly PeerName[] = ALL_PEERS,
  variants?: string,
  /** `same`: peers also name the multiple fields we read (like for like); `masks`: `*` and `UF_*` only. */
  peerFields: PeerFields = 'same',
): Promise<{ runs: PeerRun[]; floor: Floor }> {
  const emulator = { seed: SEED, scale, plan, timeScale, tls: true, ...(variants ? { variants } : {}) };
  const runs: PeerRun[] = [];
  const ours = await oursRun({
    label: 'ours',
    plan,
    scale,
    timeScale,
    children: false,
    only: ENTITY_STREAMS,
    tls: true,
    ...(variants ? { variants } : {}),
  });
  runs.push(summarise('ours', ours.m));
  for (const peer of peers) {
    const m = await measure('peer-child.ts', emulator, (e) => ({
      peer,
      webhookUrl: e.webhookUrl,
      methods: ENTITY_METHODS,
      select: PEER_SELECT,
      multipleFields: peerFields === 'same',
    }));
    runs.push(summarise(peer, m));
  }
  return { runs, floor: ours.floor };
}

/**
 * Per-deal child streams (deal contacts, products, comments): HTTP requests our sync sends for
 * them, against one request per deal per stream. The summary's per-stream request counts are
 * deltas of one shared counter, so streams run one at a time here (concurrency 1) and deal
 * contacts, read inside the deals stream, are the deals stream's requests minus a deals-only run.
 * Parent-ID scans are counted as ours.
 */
export async function childReduction(scale: number): Promise<{
  deals: number;
  perDealRequests: number;
  ourRequests: number;
  reduction: number;
  byStream: Record<string, { ours: number; perDeal: number; reduction: number }>;
}> {
  const common = { plan: 'unlimited' as const, scale, timeScale: 1e6, warp: false, concurrency: 1 };
  const withChildren = await oursRun({
    ...common,
    label: 'children',
    only: ['deals', 'deal_products', 'deal_comments'],
  });
  const dealsOnly = await oursRun({ ...common, label: 'deals only', only: ['deals'], children: false });
  const find = (r: OursRun, name: string) => r.m.report.streams.find((x) => x.stream === name);
  const deals = find(withChildren, 'deals')?.rows ?? 0;
  const ours: Record<string, number> = {
    deal_contacts: (find(withChildren, 'deals')?.requests ?? 0) - (find(dealsOnly, 'deals')?.requests ?? 0),
    deal_products: find(withChildren, 'deal_products')?.requests ?? 0,
    deal_comments: find(withChildren, 'deal_comments')?.requests ?? 0,
  };
  const byStream = Object.fromEntries(
    Object.entries(ours).map(([k, v]) => [k, { ours: v, perDeal: deals, reduction: deals / Math.max(1, v) }]),
  );
  const ourRequests = Object.values(ours).reduce((a, b) => a + b, 0);
  return {
    deals,
    perDealRequests: deals * 3,
    ourRequests,
    reduction: (deals * 3) / Math.max(1, ourRequests),
    byStream,
  };
}

export async function resetPostgres(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('DROP SCHEMA IF EXISTS bitrix24 CASCADE; DROP SCHEMA IF EXISTS _tap CASCADE');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A limits-off sync as bench/sync-throughput.ts measured it. */
export interface ThroughputRun {
  label: string;
  ok: boolean;
  rows: number;
  seconds: number;
  peakRssMb: number;
  connectorCpuSeconds: number;
  /** Not measured for the command line in its own process. */
  emulatorCpuSeconds?: number;
  emulatorNice?: number;
}

/**
 * Limits off: unlimited plan, modelled costs shrunk to nothing; the default streams into a target.
 * Measured by bench/sync-throughput.ts, whose emulator runs in its own process at a lower CPU
 * priority, as a portal on its own servers would not compete with the connector for CPU.
 */
export async function throughputRun(
  scale: number,
  target: 'duckdb' | string,
  /** The command line's `sync --full` in its own process (what a user's process takes). */
  cli = false,
): Promise<ThroughputRun> {
  const script = fileURLToPath(new URL('../sync-throughput.ts', import.meta.url));
  const args = ['--import', 'tsx', script, '--scale', String(scale)];
  if (target !== 'duckdb') args.push('--to', target);
  if (cli) args.push('--cli');
  const { stdout } = await run(process.execPath, args, {
    // With the V8 flags and allocator settings the CLI runs with (bin/tap-bitrix24.js).
    env: { ...process.env, ...cliEnvironment(), NODE_OPTIONS: cliNodeFlags().join(' ') },
    maxBuffer: 16 * 2 ** 20,
  });
  const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    ok: boolean;
    rows: number;
    seconds: number;
    peakRssMiB: number;
    connectorCpuSeconds: number;
    emulatorCpuSeconds?: number;
    emulatorNice?: number;
  };
  return {
    label: `throughput ${target === 'duckdb' ? 'duckdb' : 'postgres'} ${scale}`,
    ok: report.ok,
    rows: report.rows,
    seconds: report.seconds,
    peakRssMb: report.peakRssMiB,
    connectorCpuSeconds: report.connectorCpuSeconds,
    emulatorCpuSeconds: report.emulatorCpuSeconds,
    emulatorNice: report.emulatorNice,
  };
}
