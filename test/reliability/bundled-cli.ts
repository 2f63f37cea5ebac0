/**
 * The CLI bundled once into one ESM file (dependencies left external), for tests that start it
 * dozens of times: loading it takes ~0.3 s instead of ~1.5 s through tsx, which is what lets the
 * crash test afford 50+ kills. It sits two folders below the repository root, like dist/cli/main.js,
 * so it finds package.json and node_modules the way the built CLI does.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type CliResult, outcomeOf, ROOT } from '../cli/run-cli.js';

let bundled: string | undefined;

export function bundledCliPath(): string {
  if (bundled) return bundled;
  // esbuild arrives with tsx, which runs every test here.
  const esbuild = createRequire(import.meta.url)('esbuild') as {
    buildSync(options: Record<string, unknown>): unknown;
  };
  const dir = join(ROOT, 'node_modules', `.tap-reliability-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'main.mjs');
  esbuild.buildSync({
    entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: out,
    logLevel: 'error',
  });
  bundled = out;
  return out;
}

export function runBundledCli(args: string[]): Promise<CliResult> {
  return startBundledCli(args).done;
}

export function startBundledCli(args: string[]): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [bundledCliPath(), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, done: outcomeOf(child) };
}
