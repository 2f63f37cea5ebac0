/** The node flags on the CLI's shebang line (`#!/usr/bin/env -S node --flag …`), for measuring it as it runs. */
import { readFileSync } from 'node:fs';

export function cliNodeFlags(): string[] {
  const bin = readFileSync(new URL('../../bin/tap-bitrix24.js', import.meta.url), 'utf8');
  const shebang = bin.split('\n')[0] ?? '';
  return shebang.split(/\s+/).filter((word) => word.startsWith('--'));
}
