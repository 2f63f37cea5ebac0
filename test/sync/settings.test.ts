import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONFIG_SETTINGS, defaultText, type Setting } from '../../src/sync/settings.js';

// The files below are written by hand for people (and Meltano) to read; these tests hold them to
// the settings table, so a key added, renamed or re-defaulted there cannot be forgotten here.

function read(path: string): string {
  return readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
}

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  assert.ok(from >= 0, `no ${start}`);
  const to = text.indexOf(end, from + start.length);
  assert.ok(to >= 0, `no ${end} after ${start}`);
  return text.slice(from, to);
}

/** The setting kind Meltano needs for the same JSON Schema (Meltano's settings reference). */
function meltanoKind(setting: Setting): string {
  if (setting.enum) return 'options';
  if (setting.format === 'date-time') return 'date_iso8601';
  return setting.type;
}

interface DeclaredSetting {
  kind: string;
  sensitive: boolean;
  options: string[];
}

function expected(): Map<string, DeclaredSetting> {
  return new Map(
    CONFIG_SETTINGS.map((s) => [
      s.key,
      { kind: meltanoKind(s), sensitive: s.secret === true, options: [...(s.enum ?? [])] },
    ]),
  );
}

describe('the settings table', () => {
  it("README's configuration table lists exactly its keys, with their defaults", () => {
    const section = between(read('README.md'), '### Configuration', '\n### ');
    const listed = new Map<string, string>();
    // A row may cover several keys: | `enable_deal_comments` / `enable_deal_products` | false | … |
    for (const [, keys, shown] of section.matchAll(/^\| (`[a-z_]+`(?: \/ `[a-z_]+`)*) \| ([^|]+) \|/gm)) {
      for (const [, key] of keys!.matchAll(/`([a-z_]+)`/g)) {
        assert.ok(!listed.has(key!), `${key} listed twice`);
        listed.set(key!, shown!.trim().replaceAll('`', ''));
      }
    }
    assert.deepEqual([...listed.keys()].sort(), CONFIG_SETTINGS.map((s) => s.key).sort());
    for (const s of CONFIG_SETTINGS) assert.equal(listed.get(s.key), defaultText(s), s.key);
  });

  it('meltano.yml declares each key with its kind, sensitivity and plan options', () => {
    const block = between(read('meltano.yml'), '      settings:\n', '      config:\n');
    const declared = new Map<string, DeclaredSetting>();
    for (const entry of block.split(/^\s+- name: /m).slice(1)) {
      const [name] = entry.split('\n');
      declared.set(name!.trim(), {
        kind: /^\s+kind: (\w+)$/m.exec(entry)?.[1] ?? '',
        sensitive: /^\s+sensitive: true$/m.test(entry),
        options: [...entry.matchAll(/value: ([\w-]+)\}/g)].map((m) => m[1]!),
      });
    }
    assert.deepEqual([...declared.keys()], [...expected().keys()]);
    assert.deepEqual(declared, expected());
  });

  it("docs/MELTANO.md's plugin block declares the same settings", () => {
    const block = between(read('docs/MELTANO.md'), '      settings:\n', '      select:\n');
    const declared = new Map<string, DeclaredSetting>();
    for (const [, name, kind, rest] of block.matchAll(/^\s+- \{name: ([a-z_]+), kind: (\w+)(.*)\}$/gm)) {
      declared.set(name!, {
        kind: kind!,
        sensitive: rest!.includes('sensitive: true'),
        options: [...rest!.matchAll(/value: ([\w-]+)\}/g)].map((m) => m[1]!),
      });
    }
    assert.deepEqual([...declared.keys()], [...expected().keys()]);
    assert.deepEqual(declared, expected());
  });
});
