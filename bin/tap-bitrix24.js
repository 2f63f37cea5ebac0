#!/usr/bin/env -S node --max-semi-space-size=64
// A larger young generation: rows are short-lived garbage, and scavenges were ~7% of a sync's
// CPU at the default size (bench/RESULTS.md, throughput).
// Runs the built CLI when `npm run build` has produced dist/, and the TypeScript sources through
// tsx otherwise, so a fresh clone works without a build step.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli', 'main.js');
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
}
