/**
 * One measured run: a fresh emulated portal (same seed and scale for every client, so each starts
 * with an empty request bucket and operating budget), a client in a child process (its own RSS;
 * NODE_EXTRA_CA_CERTS for HTTPS-only peers), the emulator's stats and the recorded reads.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type EmulatorOptions, type Stats, startEmulator } from '../../src/emulator/index.js';
import { type MethodReads, ReadRecorder } from './read-recorder.js';

export interface ChildReport {
  rows: number;
  seconds: number;
  timeline: [number, number][];
  peakRssMb: number;
  [key: string]: unknown;
}

export interface Measurement<R extends ChildReport = ChildReport> {
  report: R;
  stats: Stats;
  reads: MethodReads[];
  timeScale: number;
  /** Wall time in portal (emulated) seconds: real seconds × time scale. */
  portalSeconds: number;
}

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

function runChild(script: string, job: unknown, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', here(script), JSON.stringify(job)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(line);
      else reject(new Error(`${script} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

export async function measure<R extends ChildReport>(
  script: 'ours-child.ts' | 'peer-child.ts',
  emulatorOptions: EmulatorOptions,
  job: (emulator: { webhookUrl: string; caFile?: string }) => unknown,
  warp = true,
): Promise<Measurement<R>> {
  const emulator = await startEmulator(emulatorOptions);
  const recorder = new ReadRecorder(emulator);
  try {
    const timeScale = emulatorOptions.timeScale ?? 1;
    const env: NodeJS.ProcessEnv = { BENCH_TIME_WARP: String(warp ? timeScale : 1) };
    if (emulator.caFile) env.NODE_EXTRA_CA_CERTS = emulator.caFile;
    const line = await runChild(
      script,
      job({ webhookUrl: emulator.webhookUrl, caFile: emulator.caFile }),
      env,
    );
    const report = JSON.parse(line) as R;
    return {
      report,
      stats: emulator.stats(),
      reads: recorder.reads(),
      timeScale,
      // A warped child already measures in portal seconds.
      portalSeconds: warp ? report.seconds : report.seconds * timeScale,
    };
  } finally {
    await emulator.close();
  }
}
