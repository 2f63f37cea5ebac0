#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=262144 MALLOC_TRIM_THRESHOLD_=1048576 node --max-old-space-size=384 --max-semi-space-size=8
// The JavaScript heap of a sync holds a bounded number of rows (a few pages per stream); without a
// cap V8 sizes the heap from the machine's RAM and collects late, so on a large machine a sync's
// heap grew to 350-500 MB of mostly garbage. 384 MB leaves room for many streams at once. The
// young generation is 8 MB semi-spaces (V8's default 16): rows live for one page's commit, and
// the smaller young generation kept the process ~40 MB smaller. The C allocator's settings keep
// the native memory Node frees returnable: glibc raises its mmap threshold as large blocks are
// freed, after which they come from heaps it rarely gives back, and makes an arena per thread.
// Together: a scale-20,000 sync peaked at ~410 MB instead of ~460 (bench/RESULTS.md). DuckDB
// allocates through the jemalloc built into its library, which these settings do not reach.
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
