/**
 * End-to-end sync speed with the limits off: an emulator portal in its own process (plan
 * unlimited, a huge time scale so modelled costs vanish), one `sync --full` (or, with
 * --incremental, a first incremental sync) with `syncPortal` into a fresh DuckDB file (or --to),
 * and where the CPU went.
 *
 *   npx tsx bench/sync-throughput.ts [--scale 100000] [--concurrency 4] [--only deals,contacts] [--to postgres://…] [--incremental] [--emulator-nice 10] [--memory-limit-mb 256] [--singer | --cli] [--node-flags "--max-old-space-size=256"]
 *   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/sync-throughput.ts   # profile the connector
 *   node --max-semi-space-size=64 --import tsx bench/sync-throughput.ts   # a larger young generation: ~7% less connector CPU (GC)
 *
 * The emulator stands in for a portal, which runs on its own servers; here it shares the machine and
 * took about a third of all CPU time. It runs at a lower CPU priority (nice 10, `--emulator-nice 0`
 * for equal), so that on a small machine it yields to the connector rather than competing with
 * it. The connector's own work is the same either way; on 2 vCPUs, equal priority measured ~10 %
 * fewer rows/s (bench/RESULTS.md).
 *
 * `--cli` runs the command line's `sync --full` in its own process instead of `syncPortal` in this
 * one: what a user's process takes (its heap cap, its peak RSS), the figure the memory targets mean.
 *
 * Prints one JSON line: rows, wall rows/s, rows per CPU-second of the connector process, the
 * emulator's CPU seconds over the same interval (a busy emulator means the measurement is capped
 * by it, not by us), the connector's peak RSS and an RSS trace, and per-stream rows and seconds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckDbSettings } from '../src/destinations/index.js';
import { checkConfig } from '../src/sync/config.js';
import { syncPortal } from '../src/sync/run.js';
import { cliRun } from './lib/cli-run.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '100000' },
    only: { type: 'string', default: '' },
    to: { type: 'string', default: '' },
    /** Streams at once; the config's default (max_concurrency) when not given. */
    concurrency: { type: 'string', default: '' },
    'time-scale': { type: 'string', default: '100000' },
    /** A first incremental sync (each page commits with its state) instead of `sync --full`. */
    incremental: { type: 'boolean', default: false },
    /** The emulator's niceness: 10 yields to the connector, 0 competes with it on equal terms. */
    'emulator-nice': { type: 'string', default: '10' },
    /** The tap in Singer mode (its own process, stdout to a counting stand-in target) instead. */
    singer: { type: 'boolean', default: false },
    /** The command line's `sync --full` in its own process (the CLI's own node flags) instead. */
    cli: { type: 'boolean', default: false },
    /** Node flags for the --singer / --cli process instead of the CLI's shebang flags, e.g. "--max-old-space-size=256". */
    'node-flags': { type: 'string' },
    /** Config `memory_limit_mb`; the config's default when not given. */
    'memory-limit-mb': { type: 'string', default: '' },
    /** A file to write the full memory trace to: one line per sample (seconds, RSS, heap used, MiB). */
    'trace-file': { type: 'string', default: '' },
  },
});

const binary = fileURLToPath(new URL('../bin/tap-bitrix24.js', import.meta.url));

/** Starts the emulator and resolves with its webhook URL once it printed its JSON line. */
async function startEmulator(): Promise<{ child: ChildProcess; webhookUrl: string }> {
  const child = spawn(
    process.execPath,
    [
      binary,
      'emulator',
      '--scale',
      values.scale,
      '--plan',
      'unlimited',
      '--time-scale',
      values['time-scale'],
      '--port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (!line.trim().startsWith('{')) continue;
    const info = JSON.parse(line) as { webhook_url?: string };
    if (info.webhook_url) return { child, webhookUrl: info.webhook_url };
  }
  throw new Error('the emulator exited before printing its webhook URL');
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * DuckDB's own account of its memory (`duckdb_memory()`), sampled through a second handle on the
 * sync's database (same settings, as DuckDB's instance cache requires); the largest total seen and
 * the largest tags at that moment.
 */
function duckDbMemory(path: string, memoryLimitMb: number) {
  let peak = { total: 0, tags: {} as Record<string, number> };
  const trace: number[] = [];
  let connection: DuckDBConnection | undefined;
  let instance: DuckDBInstance | undefined;
  let busy = false;
  const sample = async () => {
    if (busy || !existsSync(path)) return;
    busy = true;
    try {
      instance ??= await DuckDBInstance.fromCache(path, duckDbSettings(memoryLimitMb));
      connection ??= await instance.connect();
      const reader = await connection.runAndReadAll(
        'SELECT tag, memory_usage_bytes AS bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0',
      );
      const rows = reader.getRowObjectsJson() as { tag: string; bytes: string }[];
      const tags = Object.fromEntries(rows.map((r) => [r.tag, Math.round(Number(r.bytes) / 2 ** 20)]));
      const total = Object.values(tags).reduce((a, b) => a + b, 0);
      trace.push(total);
      if (total > peak.total) peak = { total, tags };
    } catch {
      // The file is being created or closed: the next sample will do.
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void sample(), 500);
  return {
    async stop() {
      clearInterval(timer);
      connection?.closeSync();
      instance?.closeSync();
      const step = Math.max(1, Math.ceil(trace.length / 12));
      return { ...peak, trace: trace.filter((_, i) => i % step === 0) };
    },
  };
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const generationStarted = performance.now();
const { child, webhookUrl } = await startEmulator();
const emulatorNice = Number(values['emulator-nice']);
setPriority(child.pid as number, emulatorNice);
const generationSeconds = (performance.now() - generationStarted) / 1000;
const dir = await mkdtemp(join(tmpdir(), 'tap-bitrix24-sync-bench-'));
try {
  if (values.singer || values.cli) await ownProcess();
  else await connector();
} finally {
  child.kill();
  await rm(dir, { recursive: true, force: true });
}

/** The CLI in its own process, as a user runs it: Singer mode or `sync --full` into a DuckDB file. */
async function ownProcess(): Promise<void> {
  const run = await cliRun(
    {
      webhook_url: webhookUrl,
      plan: 'unlimited',
      ...(values.concurrency ? { max_concurrency: Number(values.concurrency) } : {}),
      ...(values['memory-limit-mb'] ? { memory_limit_mb: Number(values['memory-limit-mb']) } : {}),
    },
    dir,
    values.singer
      ? { kind: 'singer' }
      : { kind: 'sync', to: values.to || join(dir, 'bench.duckdb'), full: true },
    values['node-flags'] === undefined ? undefined : values['node-flags'].split(/\s+/).filter(Boolean),
  );
  const step = Math.max(1, Math.ceil(run.rssTraceMiB.length / 12));
  console.log(
    JSON.stringify({
      scale: Number(values.scale),
      mode: values.singer ? 'singer' : 'cli sync --full',
      ok: run.ok,
      rows: run.records,
      seconds: Number(run.seconds.toFixed(2)),
      rowsPerSecond: Math.round(run.records / run.seconds),
      connectorCpuSeconds: Number(run.cpuSeconds.toFixed(2)),
      peakRssMiB: run.peakRssMiB,
      rssTraceMiB: run.rssTraceMiB.filter((_, i) => i % step === 0),
    }),
  );
}

async function connector(): Promise<void> {
  const config = checkConfig({
    webhook_url: webhookUrl,
    plan: 'unlimited',
    ...(values.concurrency ? { max_concurrency: Number(values.concurrency) } : {}),
    ...(values['memory-limit-mb'] ? { memory_limit_mb: Number(values['memory-limit-mb']) } : {}),
  });
  const target = values.to || join(dir, 'bench.duckdb');
  const duckDb = target.startsWith('postgres') ? undefined : duckDbMemory(target, config.memory_limit_mb);
  let peakRss = process.memoryUsage().rss;
  const rssTrace: number[] = [];
  const fullTrace: string[] = [];
  const traceStarted = performance.now();
  // Where the memory is at the peak: the JS heap, buffers outside it, the rest (DuckDB, code).
  let atPeak = process.memoryUsage();
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    if (usage.rss > peakRss) atPeak = usage;
    peakRss = Math.max(peakRss, usage.rss);
    rssTrace.push(Math.round(usage.rss / 2 ** 20));
    const at = ((performance.now() - traceStarted) / 1000).toFixed(1);
    fullTrace.push(`${at} ${Math.round(usage.rss / 2 ** 20)} ${Math.round(usage.heapUsed / 2 ** 20)}`);
  }, 250);
  const emulatorCpuStarted = processCpuSeconds(child.pid as number);
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  const result = await syncPortal({
    config,
    target,
    full: !values.incremental,
    // With a trace file, when each stream finished goes into it too (`# seconds stream`).
    logger: values['trace-file']
      ? {
          ...quiet,
          info(message: string, fields?: Record<string, unknown>) {
            if (message !== 'stream finished') return;
            const at = ((performance.now() - traceStarted) / 1000).toFixed(1);
            fullTrace.push(`# ${at} ${String(fields?.stream)} finished`);
          },
        }
      : quiet,
    ...(values.only ? { only: values.only.split(',') } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const emulatorCpuSeconds = processCpuSeconds(child.pid as number) - emulatorCpuStarted;
  clearInterval(sampler);
  if (values['trace-file']) writeFileSync(values['trace-file'], `${fullTrace.join('\n')}\n`);
  const duckDbPeak = await duckDb?.stop();
  const rows = result.summary.streams.reduce((n, s) => n + s.rows, 0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // A sparse trace is enough to see whether memory grows with rows.
  const step = Math.max(1, Math.ceil(rssTrace.length / 12));
  console.log(
    JSON.stringify({
      scale: Number(values.scale),
      emulatorStartSeconds: Number(generationSeconds.toFixed(1)),
      ok: result.summary.ok,
      rows,
      seconds: Number(seconds.toFixed(2)),
      rowsPerSecond: Math.round(rows / seconds),
      connectorCpuSeconds: Number(cpuSeconds.toFixed(2)),
      rowsPerCpuSecond: Math.round(rows / cpuSeconds),
      emulatorCpuSeconds: Number(emulatorCpuSeconds.toFixed(2)),
      emulatorNice,
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      atPeakMiB: {
        heapUsed: Math.round(atPeak.heapUsed / 2 ** 20),
        heapTotal: Math.round(atPeak.heapTotal / 2 ** 20),
        external: Math.round(atPeak.external / 2 ** 20),
        arrayBuffers: Math.round(atPeak.arrayBuffers / 2 ** 20),
      },
      ...(duckDbPeak ? { duckDbPeakMiB: duckDbPeak } : {}),
      rssTraceMiB: rssTrace.filter((_, i) => i % step === 0),
      requests: result.summary.requests,
      streams: result.summary.streams
        .filter((s) => s.rows > 0 || s.status !== 'ok')
        .map((s) => ({
          stream: s.stream,
          rows: s.rows,
          seconds: Number(s.seconds.toFixed(2)),
          status: s.status,
          ...(s.error ? { error: s.error } : {}),
        })),
    }),
  );
}
