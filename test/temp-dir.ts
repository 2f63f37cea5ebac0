/**
 * Temporary folders for tests, removed when the test file's process ends (each test file runs in
 * its own process under node:test), whether its tests passed or failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
process.once('exit', () => {
  // 'exit' handlers must be synchronous: rmSync is.
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the system temp folder, named `<prefix>XXXXXX`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
