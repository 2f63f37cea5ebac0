/**
 * The README's install lines, run as written on a fresh copy of the repository: `npm pack` builds
 * the package, `npm install -g` of the tarball (into a temporary prefix) puts the command on PATH,
 * the command answers `--help` and `--about`, and the README's client example runs from an app
 * that installed the tarball, against the emulator.
 *
 * Two lines are stood in for, to keep the test offline and fast: `git clone` is a copy of the
 * working tree's files (tracked and untracked, not ignored), and `npm ci` links this checkout's
 * node_modules. npm reads the temporary prefix and its offline cache preference from the
 * environment, so the install line itself runs unchanged.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { ROOT } from './run-cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The first fenced block of `lang` after `heading` in the README. */
function readmeBlock(heading: string, lang: string): string {
  const at = README.indexOf(heading);
  assert.ok(at >= 0, `README has ${heading}`);
  const block = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(README.slice(at));
  assert.ok(block, `a ${lang} block under ${heading}`);
  return block[1]!;
}

/** The block's command lines, without their comments. */
function commandLines(block: string): string[] {
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '');
}

describe('install from a clone, as the README says', { timeout: 240_000 }, () => {
  const temp = mkdtempSync(join(tmpdir(), 'tap-install-'));
  const clone = join(temp, 'tap-bitrix24');
  const prefix = join(temp, 'global');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
    npm_config_prefix: prefix,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ seed: 2, scale: 20, plan: 'unlimited' });
  });
  after(async () => {
    await emulator.close();
    rmSync(temp, { recursive: true, force: true });
  });

  const run = (line: string, cwd: string) => {
    const result = spawnSync('bash', ['-c', line], { cwd, env, encoding: 'utf8' });
    assert.equal(result.status, 0, `${line}\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };

  it('every line of the Install block works', () => {
    const lines = commandLines(readmeBlock('## Install', 'sh'));
    const outputs = new Map<string, string>();
    for (const line of lines) {
      if (line.startsWith('git clone ')) {
        assert.match(line, /&& cd tap-bitrix24$/);
        const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
          cwd: ROOT,
          encoding: 'utf8',
        });
        for (const file of files.split('\0').filter((f) => f !== '')) {
          mkdirSync(dirname(join(clone, file)), { recursive: true });
          try {
            cpSync(join(ROOT, file), join(clone, file));
          } catch (error) {
            // A tracked file deleted in the working tree is not part of the copy.
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          }
        }
      } else if (line === 'npm ci') {
        symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(clone, 'node_modules'));
      } else {
        outputs.set(line, run(line, clone));
      }
    }
    assert.deepEqual(
      [...outputs.keys()],
      [
        'npm pack',
        `npm install -g ./tap-bitrix24-${VERSION}.tgz`,
        'tap-bitrix24 --help',
        'tap-bitrix24 --about',
      ],
      'the block holds the lines this test knows how to run',
    );
    const bin = realpathSync(join(prefix, 'bin', 'tap-bitrix24'));
    assert.ok(!bin.startsWith(clone), `the command runs from the installed package, not the clone (${bin})`);
    assert.match(outputs.get('tap-bitrix24 --help')!, /Usage: tap-bitrix24[\s\S]*\bsync\b[\s\S]*\bquery\b/);
    assert.match(outputs.get('tap-bitrix24 --about')!, /tap-bitrix24/);
  });

  it('the client example runs from an app that installed the tarball', async () => {
    const app = join(temp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    const install = /`(npm install \/path\/to\/tap-bitrix24-[\d.]+\.tgz)`/.exec(README);
    assert.ok(install, 'README says how to install the client into an app');
    run(install[1]!.replace('/path/to/', `${clone}/`), app);
    // The README's example is plain JavaScript apart from the file name.
    writeFileSync(join(app, 'example.mjs'), readmeBlock('### The client', 'ts'));
    // Asynchronously: the emulator answering the example runs in this process.
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['example.mjs'], {
        cwd: app,
        env: { ...env, BITRIX24_WEBHOOK_URL: emulator.webhookUrl },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += String(d);
      });
      child.on('close', (code) => resolve({ code, stderr }));
    });
    assert.equal(result.code, 0, result.stderr);
    const calls = emulator.stats().requests_by_method;
    assert.ok((calls['crm.lead.add'] ?? 0) >= 1, `the example created a lead: ${JSON.stringify(calls)}`);
    assert.ok((calls['crm.deal.list'] ?? 0) + (calls.batch ?? 0) >= 1, 'and listed deals');
  });
});
