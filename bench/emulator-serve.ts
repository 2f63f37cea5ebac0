/**
 * The emulator's own CPU per row served, isolated from the connector's: a full sync
 * (`syncPortal`, `sync --full`'s engine, default config, plan unlimited) runs once against an
 * emulator through a recording proxy; then the recorded requests (the connector's exact batches
 * of keyset commands, selects and windows) are replayed against fresh emulator processes, four in
 * flight, and each emulator's CPU over the replay is read from /proc. `--before DIR` names
 * another source tree (e.g. main's `src`, extracted with `git archive`) whose emulator is measured
 * interleaved with this one's; the answers of both are then compared, `time` fields left out
 * (they tell the emulated clock).
 *
 *   npx tsx bench/emulator-serve.ts [--scale 20000] [--runs 3] [--before /tmp/before/src] [--prof DIR]
 *                                   [--emulator-flags=--max-semi-space-size=32] [--concurrency 4]
 *
 * Prints one JSON line per replay and a summary: emulator CPU-seconds per 100,000 rows served
 * (median and range), requests, rows, the emulator's RSS after the replay, and whether the
 * answers matched.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkConfig } from '../src/sync/config.js';
import { syncPortal } from '../src/sync/run.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    before: { type: 'string' },
    /** Directory for `--cpu-prof` profiles of each replayed emulator. */
    prof: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    /** Node flags of the emulator processes, e.g. "--max-semi-space-size=64". */
    'emulator-flags': { type: 'string', default: '' },
  },
});

const child = fileURLToPath(new URL('./lib/emulator-child.ts', import.meta.url));
const ownSrc = fileURLToPath(new URL('../src', import.meta.url));

interface Recorded {
  method: string;
  /** Path after `/rest/USER/CODE/`. */
  path: string;
  contentType: string | undefined;
  body: Buffer;
}

interface RunningChild {
  process: ChildProcess;
  origin: string;
  restPath: string;
}

async function startChild(root: string, prof?: string): Promise<RunningChild> {
  const flags = [
    ...values['emulator-flags'].split(/\s+/).filter(Boolean),
    ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []),
  ];
  const proc = spawn(
    process.execPath,
    [...flags, '--import', 'tsx', child, '--root', root, '--scale', values.scale],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
  const url = await new Promise<URL>((resolve, reject) => {
    lines.on('line', (line) => {
      // Later lines (e.g. --trace-gc in the flags) go to stderr, so the pipe never fills.
      if (line.startsWith('{"webhook_url"'))
        resolve(new URL((JSON.parse(line) as { webhook_url: string }).webhook_url));
      else process.stderr.write(`${line}\n`);
    });
    proc.once('exit', () => reject(new Error('the emulator exited before printing its webhook URL')));
  });
  return { process: proc, origin: url.origin, restPath: url.pathname };
}

async function stopChild(c: RunningChild): Promise<void> {
  const exited = new Promise((resolve) => c.process.once('exit', resolve));
  c.process.kill('SIGTERM');
  await exited;
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.split(/\s+/)[1]) / 1024);
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function send(origin: string, method: string, path: string, type: string | undefined, body: Buffer) {
  return new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    const url = new URL(path, origin);
    const headers: Record<string, string | number> = { 'content-length': body.length };
    if (type) headers['content-type'] = type;
    const req = request(url, { method, headers, agent }, (res) => {
      readAll(res).then((b) => resolve({ status: res.statusCode ?? 0, body: b }), reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One full sync through a proxy that keeps every REST request it forwards. */
async function record(): Promise<Recorded[]> {
  const emulator = await startChild(ownSrc);
  const recorded: Recorded[] = [];
  const proxy = createServer((req, res) => {
    void readAll(req).then(async (body) => {
      const path = (req.url ?? '/').slice(emulator.restPath.length);
      recorded.push({ method: req.method ?? 'GET', path, contentType: req.headers['content-type'], body });
      const answer = await send(
        emulator.origin,
        req.method ?? 'GET',
        `${emulator.restPath}${path}`,
        req.headers['content-type'],
        body,
      );
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as AddressInfo).port;
  const dir = await mkdtemp(join(tmpdir(), 'tap-bitrix24-emulator-serve-'));
  try {
    const config = checkConfig({
      webhook_url: `http://127.0.0.1:${port}${emulator.restPath}`,
      plan: 'unlimited',
    });
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const result = await syncPortal({ config, logger: quiet, target: join(dir, 'serve.duckdb'), full: true });
    if (!result.summary.ok)
      throw new Error(
        `the recording sync failed: ${JSON.stringify(result.summary.streams.filter((s) => s.status !== 'ok'))}`,
      );
  } finally {
    proxy.close();
    proxy.closeAllConnections();
    await stopChild(emulator);
    await rm(dir, { recursive: true, force: true });
  }
  return recorded;
}

/** The emulated clock's fields of `time` objects (the rest of an answer is the portal's data). */
const TIME_FIELDS =
  /"(start|finish|duration|processing|date_start|date_finish|operating_reset_at|operating)":("[^"]*"|[-+0-9.eE]+)/g;

async function replay(label: string, root: string, requests: Recorded[]) {
  const emulator = await startChild(root, values.prof);
  const pid = emulator.process.pid as number;
  const statsBefore = (await (await fetch(`${emulator.origin}/_emulator/stats`)).json()) as {
    rows_returned: number;
  };
  const cpu0 = cpuSeconds(pid);
  const started = performance.now();
  const hashes: string[] = new Array(requests.length);
  let next = 0;
  let bytes = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const r = requests[i];
      const answer = await send(
        emulator.origin,
        r.method,
        `${emulator.restPath}${r.path}`,
        r.contentType,
        r.body,
      );
      bytes += answer.body.length;
      // server.time answers the emulated clock itself.
      const text = /^server\.time/i.test(r.path)
        ? ''
        : answer.body.toString('utf8').replace(TIME_FIELDS, '"$1":0');
      hashes[i] = createHash('sha256').update(`${answer.status} ${text}`).digest('hex');
    }
  };
  await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  const stats = (await (await fetch(`${emulator.origin}/_emulator/stats`)).json()) as {
    rows_returned: number;
  };
  const rows = stats.rows_returned - statsBefore.rows_returned;
  const rss = rssMiB(pid);
  await stopChild(emulator);
  const line = {
    label,
    requests: requests.length,
    rows,
    answerMiB: Math.round(bytes / 2 ** 20),
    seconds: Number(seconds.toFixed(2)),
    emulatorCpuSeconds: Number(cpu.toFixed(2)),
    cpuSecondsPer100kRows: Number(((cpu / rows) * 100_000).toFixed(2)),
    rssMiB: rss,
  };
  console.log(JSON.stringify(line));
  return { ...line, hashes };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const requests = await record();
console.log(JSON.stringify({ recorded: requests.length, scale: Number(values.scale) }));
const versions: [string, string][] = values.before
  ? [
      ['before', values.before],
      ['after', ownSrc],
    ]
  : [['this', ownSrc]];
const results = new Map<string, Awaited<ReturnType<typeof replay>>[]>(versions.map(([l]) => [l, []]));
for (let run = 0; run < Number(values.runs); run++) {
  for (const [label, root] of versions) results.get(label)?.push(await replay(label, root, requests));
}
const all = [...results.values()].flat();
const identical = all.every((r) => r.hashes.every((h, i) => h === all[0].hashes[i]));
const summary = Object.fromEntries(
  [...results].map(([label, runs]) => {
    const per = runs.map((r) => r.cpuSecondsPer100kRows);
    return [
      label,
      {
        cpuSecondsPer100kRows: median(per),
        range: [Math.min(...per), Math.max(...per)],
        rows: runs[0].rows,
        rssMiB: median(runs.map((r) => r.rssMiB)),
      },
    ];
  }),
);
console.log(JSON.stringify({ summary, answersIdentical: identical }));
agent.destroy();
