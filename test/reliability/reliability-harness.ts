/**
 * One sync through the product path (`syncPortal`) with a client the test configures (a short
 * timeout, OAuth), plus hooks that fire between planning and the run or mid-run, so faults can be
 * injected at a known point. Everything is real: the client over loopback HTTP, the emulator,
 * DuckDB files.
 */
import { checkConfig } from '../../src/sync/config.js';
import type { SyncProgress, SyncSummary } from '../../src/sync/engine.js';
import { type SyncRunOptions, syncPortal } from '../../src/sync/run.js';
import type { TableSnapshot } from '../sync/table-snapshot.js';
import { tempDir as removedAtExit } from '../temp-dir.js';

export interface CapturedLog {
  lines: string[];
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** A logger that keeps every line (message and fields), so tests can search it for secrets. */
export function capturingLogger(): CapturedLog {
  const lines: string[] = [];
  const keep = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push(
      `${level} ${msg} ${fields ? JSON.stringify(fields, (_k, v) => (v instanceof Error ? v.message : v)) : ''}`,
    );
  };
  return { lines, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

export function tempDir(prefix: string): string {
  return removedAtExit(`tap-rel-${prefix}-`);
}

export interface SyncOnceOptions {
  config: Record<string, unknown>;
  target: string;
  only: readonly string[];
  client?: SyncRunOptions['clientOverrides'];
  /** Called once, after discovery and planning, before the engine starts. */
  beforeRun?: () => Promise<void> | void;
  /** Called once, at the first progress report with durable rows: mid-run. */
  midRun?: () => Promise<void> | void;
  /** Called at every page boundary (a page made durable); not awaited, so it races the next read. */
  onPage?: (p: SyncProgress) => void;
  logger?: CapturedLog;
  full?: boolean;
}

export interface SyncOnceResult {
  summary: SyncSummary;
  logger: CapturedLog;
  midRunFired: boolean;
}

export async function syncOnce(options: SyncOnceOptions): Promise<SyncOnceResult> {
  const logger = options.logger ?? capturingLogger();
  let midRunFired = false;
  let midRun: Promise<void> | undefined;
  const { summary } = await syncPortal({
    config: checkConfig(options.config),
    target: options.target,
    only: options.only,
    full: options.full,
    logger,
    clientOverrides: options.client,
    beforeRun: options.beforeRun,
    // Every page its own commit: more progress reports, more points where a fault can land.
    commitEvery: { rows: 1 },
    onProgress: (p) => {
      if (p.phase === 'running' && p.rows > 0) options.onPage?.(p);
      if (!midRunFired && p.rows > 0 && options.midRun) {
        midRunFired = true;
        midRun = Promise.resolve(options.midRun());
      }
    },
  });
  await midRun;
  return { summary, logger, midRunFired };
}

/** The tables of two runs, compared table by table with a readable message. */
export function tableDifferences(
  got: Record<string, TableSnapshot>,
  want: Record<string, TableSnapshot>,
  tables: readonly string[] = Object.keys(want),
): string[] {
  const problems: string[] = [];
  for (const table of tables) {
    const g = got[table];
    const w = want[table];
    if (!g || !w) {
      problems.push(`${table}: ${g ? 'missing in the reference' : 'missing'}`);
      continue;
    }
    if (g.rows.length !== w.rows.length)
      problems.push(`${table}: ${g.rows.length} rows, want ${w.rows.length}`);
    const wanted = new Set(w.rows);
    const extra = g.rows.filter((r) => !wanted.has(r));
    if (extra.length > 0)
      problems.push(`${table}: ${extra.length} rows differ, e.g. ${extra[0]!.slice(0, 200)}`);
    if (JSON.stringify(g.deleted) !== JSON.stringify(w.deleted))
      problems.push(`${table}: deleted keys ${JSON.stringify(g.deleted)}, want ${JSON.stringify(w.deleted)}`);
  }
  return problems;
}

/** A small seeded PRNG, so a failing random schedule can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
