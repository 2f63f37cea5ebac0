/**
 * The CLI loads DuckDB's native library only when it opens a DuckDB file: the library takes about
 * 50 MB of a process's memory, which Singer mode (rows go to stdout) never needs. Checked in a
 * child process through the memory mappings the kernel lists for it (Linux).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** Runs the CLI with `args` in a child process; whether DuckDB's library was mapped when it exited. */
function duckDbLoaded(args: string[], preload = ''): boolean {
  const script = `
    import { readFileSync } from 'node:fs';
    process.on('exit', () => {
      const mapped = /duckdb/i.test(readFileSync('/proc/self/maps', 'utf8'));
      process.stderr.write('DUCKDB_MAPPED=' + mapped + '\\n');
    });
    ${preload}
    process.argv = [process.argv[0], 'tap-bitrix24', ...${JSON.stringify(args)}];
    await import(${JSON.stringify(main)});
  `;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  assert.match(result.stderr, /DUCKDB_MAPPED=/, `the child reported nothing: ${result.stderr}`);
  return result.stderr.includes('DUCKDB_MAPPED=true');
}

it('does not load DuckDB for Singer mode (--about) or --help', () => {
  assert.equal(duckDbLoaded(['--about']), false);
  assert.equal(duckDbLoaded(['--help']), false);
});

it('the check sees DuckDB once something loads it', () => {
  assert.equal(duckDbLoaded(['--about'], "await import('@duckdb/node-api');"), true);
});
