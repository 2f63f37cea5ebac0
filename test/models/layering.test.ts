/**
 * The models sit between the destinations and their callers: they read destinations (and schema),
 * and only sync, the CLI and the console call them. An import the other way would tie the
 * loading of rows to the views built over them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { it } from 'node:test';
import { SRC, sourceFiles } from '../architecture/source-files.js';

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => m[1]!);
}

it('models import only destinations and schema among the parts', () => {
  for (const file of sourceFiles(join(SRC, 'models'))) {
    for (const spec of importsOf(file)) {
      const part = relative(SRC, join(file, '..', spec)).split('/')[0];
      assert.ok(
        ['models', 'destinations', 'schema'].includes(part!),
        `${relative(SRC, file)} imports ${spec}`,
      );
    }
  }
});

it('only sync, cli and console import the models', () => {
  let callers = 0;
  for (const file of sourceFiles(SRC)) {
    const part = relative(SRC, file).split('/')[0];
    if (part === 'models') continue;
    const uses = importsOf(file).some(
      (spec) => relative(SRC, join(file, '..', spec)).split('/')[0] === 'models',
    );
    if (!uses) continue;
    callers++;
    assert.ok(['sync', 'cli', 'console'].includes(part!), `${relative(SRC, file)} imports the models`);
  }
  assert.ok(callers >= 3, `found ${callers} callers`);
});
