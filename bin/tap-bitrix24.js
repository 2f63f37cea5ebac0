#!/usr/bin/env -S node --max-old-space-size=384
// The JavaScript heap of a sync holds a bounded number of rows (a few pages per stream); without a
// cap V8 sizes the heap from the machine's RAM and collects late, so on a large machine a sync's
// heap grew to 350-500 MB of mostly garbage. 384 MB leaves room for many streams at once while
// the whole process, DuckDB included, fits a 1 GB machine (bench/RESULTS.md, memory). The young
// generation stays at V8's default (16 MB semi-spaces): 64 MB saved ~7 % CPU but took ~100 MB.
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
