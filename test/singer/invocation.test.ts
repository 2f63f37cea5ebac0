import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { aboutInfo, aboutMarkdown, CAPABILITIES, SETTINGS } from '../../src/singer/about.js';
import { isSingerArgs, parseSingerArgs, UsageError } from '../../src/singer/invocation.js';

describe('Singer flags', () => {
  it('recognises flag-only invocations and leaves subcommands alone', () => {
    assert.equal(isSingerArgs(['--config', 'c.json', '--discover']), true);
    assert.equal(isSingerArgs(['--about']), true);
    assert.equal(isSingerArgs(['--test=schema', '--config', 'c']), true);
    assert.equal(isSingerArgs(['sync', '--config', 'c.json']), false);
    assert.equal(isSingerArgs(['--version']), false);
    assert.equal(isSingerArgs([]), false);
  });

  it('parses repeatable --config (ENV means the environment only), --properties, --state', () => {
    const inv = parseSingerArgs([
      '--config',
      'a.json',
      '--config=b.json',
      '--config',
      'ENV',
      '--properties',
      'cat.json',
      '--state',
      's.json',
    ]);
    assert.deepEqual(inv, {
      action: 'sync',
      configPaths: ['a.json', 'b.json'],
      catalogPath: 'cat.json',
      statePath: 's.json',
      format: 'json',
    });
    assert.deepEqual(parseSingerArgs(['--config', 'ENV', '--discover']).configPaths, []);
    assert.equal(parseSingerArgs(['--config', 'c', '--catalog=x.json']).catalogPath, 'x.json');
  });

  it('parses --test, --test=schema and --about --format', () => {
    assert.equal(parseSingerArgs(['--config', 'c', '--test']).action, 'test');
    assert.equal(parseSingerArgs(['--config', 'c', '--test=schema']).action, 'test-schema');
    assert.equal(parseSingerArgs(['--config', 'c', '--test', 'schema']).action, 'test-schema');
    assert.deepEqual(parseSingerArgs(['--about', '--format=markdown']), {
      action: 'about',
      configPaths: [],
      format: 'markdown',
    });
    assert.equal(parseSingerArgs(['--about']).format, 'text');
  });

  it('rejects bad usage with a usage line', () => {
    for (const args of [
      ['--discover'],
      ['--config'],
      ['--config', 'c', '--bogus'],
      ['--about', '--format', 'xml'],
      ['--config', 'c', '--discover', '--test'],
      ['--config', 'c', '--test=records'],
    ]) {
      assert.throws(
        () => parseSingerArgs(args),
        (e) => e instanceof UsageError && /Usage: tap-bitrix24/.test(e.message),
        args.join(' '),
      );
    }
  });
});

describe('--about', () => {
  it('declares the implemented capabilities and every config key with type and secret flag', () => {
    const info = aboutInfo('1.2.3');
    assert.equal(info.name, 'tap-bitrix24');
    assert.equal(info.version, '1.2.3');
    assert.deepEqual(info.capabilities, [
      'catalog',
      'discover',
      'state',
      'about',
      'test',
      'activate-version',
    ]);
    for (const key of [
      'webhook_url',
      'oauth',
      'extract_deal_contacts',
      'enable_deal_comments',
      'enable_deal_products',
      'operating_time_threshold',
      'deal_category_ids',
      'start_date',
      'plan',
      'streams',
      'table_prefix',
    ]) {
      assert.ok(info.settings.properties[key], key);
      assert.ok(info.settings.properties[key]!.type, key);
      assert.ok(info.settings.properties[key]!.description, key);
    }
    assert.equal(info.settings.properties.webhook_url!.secret, true);
    assert.equal(info.settings.properties.plan!.default, 'standard');
    assert.equal(info.settings.properties.plan!.secret, undefined);
  });

  it('renders Markdown with capabilities, a settings table and the stream reference', () => {
    const md = aboutMarkdown('1.0.0', '## Streams\n\n| deals |');
    for (const c of CAPABILITIES) assert.ok(md.includes(`\`${c}\``));
    assert.equal(md.split('\n').filter((l) => l.startsWith('| `')).length, SETTINGS.length);
    assert.ok(md.trimEnd().endsWith('| deals |'));
    // A reference with its own configuration table is not given a second one.
    const withConfig = aboutMarkdown('1.0.0', '# Ref\n\n## Configuration\n\n| `plan` |');
    assert.equal(withConfig.includes('## Settings'), false);
    assert.ok(withConfig.includes('`activate-version`'));
  });
});

describe('meltano.yml', () => {
  it('declares the same capabilities and settings as --about', () => {
    const yml = readFileSync(new URL('../../meltano.yml', import.meta.url), 'utf8');
    const block = yml.slice(yml.indexOf('capabilities:'), yml.indexOf('settings:'));
    const declared = [...block.matchAll(/^\s+- ([a-z-]+)$/gm)].map((m) => m[1]);
    assert.deepEqual(declared, [...CAPABILITIES]);
    const settings = [...yml.matchAll(/^\s+- name: ([a-z_]+)$/gm)]
      .map((m) => m[1])
      .filter((n) => n !== 'dev');
    assert.deepEqual(
      settings,
      SETTINGS.map((s) => s.name),
    );
    for (const s of SETTINGS.filter((x) => x.secret)) {
      assert.match(yml, new RegExp(`- name: ${s.name}\\n\\s+kind: \\w+\\n\\s+sensitive: true`), s.name);
    }
  });
});
