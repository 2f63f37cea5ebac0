/**
 * An emulator in a process of its own, for measuring the emulator alone: imports `startEmulator`
 * from the source tree given (`--root`, default this repository's src; another tree measures
 * another version of the emulator), prints its connection JSON on one line, and exits cleanly on
 * SIGTERM so that `--cpu-prof` writes its profile.
 *
 *   node --import tsx bench/lib/emulator-child.ts --scale 20000 [--root /path/to/src] [--now MS]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: new URL('../../src', import.meta.url).pathname },
    scale: { type: 'string', default: '20000' },
    now: { type: 'string', default: String(Date.UTC(2026, 11, 1)) },
    'time-scale': { type: 'string', default: '100000' },
  },
});

const module = (await import(pathToFileURL(resolve(values.root, 'emulator/index.ts')).href)) as {
  startEmulator(options: EmulatorOptions): Promise<RunningEmulator>;
};
// The portal's data is generated from its clock's now, which runs `time-scale` times faster than
// real time: frozen while the portal is made, two emulators hold the same data to the byte.
const realNow = performance.now.bind(performance);
const frozen = realNow();
performance.now = () => frozen;
const emulator = await module.startEmulator({
  scale: Number(values.scale),
  plan: 'unlimited',
  timeScale: Number(values['time-scale']),
  now: Number(values.now),
});
performance.now = realNow;
process.on('SIGTERM', () => {
  void emulator.close().finally(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify(emulator.connectionInfo())}\n`);
