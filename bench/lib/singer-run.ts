/**
 * The tap in Singer mode as a runner calls it (`tap-bitrix24 --config config.json`, the CLI in its
 * own process), its stdout read by a stand-in target that counts RECORD lines and keeps nothing.
 * The tap's peak RSS is the kernel's high-water mark of its process (VmHWM), read until it exits.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cliNodeFlags } from './cli-flags.js';

export interface SingerRun {
  ok: boolean;
  records: number;
  seconds: number;
  peakRssMiB: number;
  cpuSeconds: number;
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

export async function singerRun(config: Record<string, unknown>, dir: string): Promise<SingerRun> {
  const configPath = join(dir, 'singer-config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const started = performance.now();
  const child = spawn(process.execPath, [...cliNodeFlags(), binary, '--config', configPath], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  const pid = child.pid as number;
  let peak = 0;
  let cpu = 0;
  const sample = () => {
    peak = Math.max(peak, statusMiB(pid, 'VmHWM') ?? 0);
    cpu = cpuSeconds(pid) ?? cpu;
  };
  const sampler = setInterval(sample, 200);
  let records = 0;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith('{"type":"RECORD"')) records++;
    // The last samples before exit: the process is still there while its stdout drains.
    else if (line.startsWith('{"type":"STATE"')) sample();
  }
  const code = await exited;
  clearInterval(sampler);
  return {
    ok: code === 0,
    records,
    seconds: (performance.now() - started) / 1000,
    peakRssMiB: Math.round(peak),
    cpuSeconds: cpu,
  };
}
