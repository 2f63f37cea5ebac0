/**
 * How the CLI's shebang line runs it (`#!/usr/bin/env -S NAME=value … node --flag …`): the
 * environment it sets and the node flags, for measuring the CLI as it runs.
 */
import { readFileSync } from 'node:fs';

function shebangWords(): string[] {
  const bin = readFileSync(new URL('../../bin/tap-bitrix24.js', import.meta.url), 'utf8');
  return (bin.split('\n')[0] ?? '').split(/\s+/);
}

export function cliNodeFlags(): string[] {
  return shebangWords().filter((word) => word.startsWith('--'));
}

/** The variables the shebang sets before node starts (the C allocator's settings). */
export function cliEnvironment(): Record<string, string> {
  const pairs = shebangWords()
    .filter((word) => /^[A-Z_][A-Z0-9_]*=/.test(word))
    .map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]);
  return Object.fromEntries(pairs);
}
