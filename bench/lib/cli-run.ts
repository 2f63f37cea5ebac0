/**
 * The command line as a user runs it, in its own process with its own node flags: Singer mode
 * (`tap-bitrix24 --config config.json`, stdout read by a stand-in target that counts RECORD lines
 * and keeps nothing) or `tap-bitrix24 sync --config config.json --full --to FILE`. The peak RSS is
 * the kernel's high-water mark of the process (VmHWM), read until it exits; an RSS trace is kept
 * every second.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cliEnvironment, cliNodeFlags } from './cli-flags.js';

export interface CliRun {
  ok: boolean;
  /** RECORD lines (Singer mode) or rows the sync's summary reports. */
  records: number;
  seconds: number;
  peakRssMiB: number;
  cpuSeconds: number;
  /** RSS in MiB once a second. */
  rssTraceMiB: number[];
}

const binary = fileURLToPath(new URL('../../bin/tap-bitrix24.js', import.meta.url));

/** A field of /proc/<pid>/status in MiB (kB there), or undefined once the process is gone. */
function statusMiB(pid: number, field: string): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export type CliMode = { kind: 'singer' } | { kind: 'sync'; to: string; full: boolean };

export async function cliRun(
  config: Record<string, unknown>,
  dir: string,
  mode: CliMode,
  nodeFlags: string[] = cliNodeFlags(),
): Promise<CliRun> {
  const configPath = join(dir, 'cli-config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const args =
    mode.kind === 'singer'
      ? ['--config', configPath]
      : ['sync', '--config', configPath, '--to', mode.to, '--json', ...(mode.full ? ['--full'] : [])];
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, binary, ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, ...cliEnvironment(), LOG_LEVEL: 'warn' },
  });
  const pid = child.pid as number;
  let peak = 0;
  let cpu = 0;
  const trace: number[] = [];
  const sample = () => {
    peak = Math.max(peak, statusMiB(pid, 'VmHWM') ?? 0);
    cpu = cpuSeconds(pid) ?? cpu;
  };
  const sampler = setInterval(sample, 200);
  const tracer = setInterval(() => trace.push(Math.round(statusMiB(pid, 'VmRSS') ?? 0)), 1000);
  let records = 0;
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for await (const line of createInterface({ input: child.stdout })) {
    if (mode.kind === 'sync') output.push(line);
    else if (line.startsWith('{"type":"RECORD"')) records++;
    // The last samples before exit: the process is still there while its stdout drains.
    else if (line.startsWith('{"type":"STATE"')) sample();
  }
  const code = await exited;
  clearInterval(sampler);
  clearInterval(tracer);
  if (mode.kind === 'sync') records = syncRows(output.join('\n'));
  return {
    ok: code === 0,
    records,
    seconds: (performance.now() - started) / 1000,
    peakRssMiB: Math.round(peak),
    cpuSeconds: cpu,
    rssTraceMiB: trace,
  };
}

/** Rows the sync's JSON summary reports, summed over its streams; 0 if there is none. */
function syncRows(text: string): number {
  const start = text.indexOf('{');
  if (start < 0) return 0;
  try {
    const summary = JSON.parse(text.slice(start)) as { streams?: { rows?: number }[] };
    return (summary.streams ?? []).reduce((n, s) => n + (s.rows ?? 0), 0);
  } catch {
    return 0;
  }
}
