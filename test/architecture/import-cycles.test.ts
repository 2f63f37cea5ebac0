/**
 * No file under src/ imports a file that imports it back, directly or through others: a cycle
 * makes the order modules initialise in depend on which one is loaded first, and hides which part
 * builds on which. Type-only imports count too, since they tie the two files' designs together.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { it } from 'node:test';
import { SRC, sourceFiles } from './source-files.js';

/** The files a file imports or re-exports from, statically or with `import()`. */
export function importedFiles(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*'(\.[^']+)'/gm),
    ...text.matchAll(/^\s*import\s*'(\.[^']+)'/gm),
    ...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g),
  ].map((m) => m[1]!);
  return specs.map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
}

/** The strongly connected groups of more than one file (Tarjan), and files importing themselves. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    for (;;) {
      const member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
      if (member === file) break;
    }
    if (group.length > 1 || graph.get(file)!.includes(file)) cycles.push(group.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

it('finds a cycle when there is one (the check itself works)', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ]);
  assert.deepEqual(importCycles(graph), [['a', 'b', 'c']]);
});

it('no file under src/ imports a file that imports it back', () => {
  const files = sourceFiles(SRC);
  const graph = new Map(files.map((file) => [file, importedFiles(file)]));
  const edges = [...graph.values()].reduce((n, targets) => n + targets.length, 0);
  assert.ok(edges > files.length, `read ${edges} imports from ${files.length} files`);
  const cycles = importCycles(graph).map((group) => group.map((f) => relative(SRC, f)).join(' → '));
  assert.deepEqual(cycles, []);
});
