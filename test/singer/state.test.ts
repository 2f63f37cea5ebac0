import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseState, readStateFile, StateError } from '../../src/singer/state.js';
import { tempDir } from '../temp-dir.js';

const bookmark = { replication_key: 'DATE_MODIFY', replication_key_value: '2026-01-02T03:04:05+03:00' };

describe('--state parsing', () => {
  it('reads the Singer shape, keeping extra top-level keys', () => {
    const state = parseState(
      JSON.stringify({ bookmarks: { deals: bookmark }, currently_syncing: null }),
      's',
    );
    assert.deepEqual(state, { bookmarks: { deals: bookmark }, currently_syncing: null });
  });

  it('unwraps Meltano shapes and reads the flat legacy shape', () => {
    const expected = { bookmarks: { deals: bookmark } };
    assert.deepEqual(
      parseState(JSON.stringify({ value: { bookmarks: { deals: bookmark } } }), 's'),
      expected,
    );
    assert.deepEqual(
      parseState(JSON.stringify({ singer_state: { bookmarks: { deals: bookmark } } }), 's'),
      expected,
    );
    assert.deepEqual(parseState(JSON.stringify({ deals: bookmark }), 's'), expected);
  });

  it('treats an empty file or {} as no state', () => {
    assert.deepEqual(parseState('', 's'), { bookmarks: {} });
    assert.deepEqual(parseState('{}', 's'), { bookmarks: {} });
  });

  it('rejects invalid state, naming the problem', () => {
    const bad: [string, RegExp][] = [
      ['{oops', /state s\.json: is not valid JSON/],
      ['[1]', /must be a JSON object/],
      ['{"bookmarks": []}', /"bookmarks" must be an object/],
      ['{"bookmarks": {"deals": 5}}', /"bookmarks\.deals" must be an object/],
      [
        '{"bookmarks": {"deals": {"replication_key_value": 17}}}',
        /"bookmarks\.deals\.replication_key_value" must be a string/,
      ],
      ['{"deals": "x"}', /"deals" must be an object/],
    ];
    for (const [text, message] of bad) {
      assert.throws(
        () => parseState(text, 's.json'),
        (e) => e instanceof StateError && message.test(e.message) && /leave --state out/.test(e.message),
        text,
      );
    }
  });

  it('reads a file and reports a missing one', () => {
    const dir = tempDir('tap-state-');
    const path = join(dir, 'state.json');
    writeFileSync(path, JSON.stringify({ bookmarks: { leads: bookmark } }));
    assert.deepEqual(readStateFile(path).bookmarks.leads, bookmark);
    assert.throws(() => readStateFile(join(dir, 'missing.json')), /missing\.json: cannot be read \(ENOENT\)/);
  });
});
