/**
 * The crash test at soak length: the same kill -9 property as test/reliability/crash-kill.test.ts
 * with many more rounds (default 30: 600 kill attempts). Usage: `npx tsx bench/crash-soak.ts [rounds]`.
 * A failing round prints the seed; replay it with TAP_BITRIX24_CRASH_SEED.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rounds = process.argv[2] ?? '30';
const started = Date.now();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', join(root, 'test', 'reliability', 'crash-kill.test.ts')],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TAP_BITRIX24_CRASH_ROUNDS: rounds } },
);
process.stdout.write(
  `crash soak: ${rounds} rounds in ${Math.round((Date.now() - started) / 1000)} s, exit ${result.status}\n`,
);
process.exitCode = result.status ?? 1;
