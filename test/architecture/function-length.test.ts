/**
 * No function under src/ has a body over 80 lines: a longer one does several things at once, and a
 * reader has to hold all of them to change any. Functions, methods, constructors, accessors and
 * arrow functions all count; the length is the lines from the body's first to its last character.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { it } from 'node:test';
import ts from 'typescript';
import { SRC, sourceFiles } from './source-files.js';

const MAX_BODY_LINES = 80;

/** Functions allowed to be longer for good, by file (relative to src/) and name, with the reason. */
const EXEMPT: ReadonlyArray<{ file: string; name: string; reason: string }> = [];

/** TEMPORARY: files being rewritten elsewhere; this list is to be emptied once they land. */
const TEMPORARILY_EXEMPT_FILES: readonly string[] = [];

interface LongFunction {
  file: string;
  line: number;
  name: string;
  lines: number;
}

/** The name a reader would search for: the declared name, or the variable/property holding it. */
function functionName(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) {
    return parent.name.getText(source);
  }
  return '(anonymous)';
}

/** Every function-like node with a body in one file's text, with its body's length in lines. */
export function functionLengths(file: string, text: string): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const fn = node as ts.FunctionLikeDeclaration;
      const body = node.body as ts.Node;
      const first = source.getLineAndCharacterOfPosition(body.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(body.getEnd()).line;
      const line = source.getLineAndCharacterOfPosition(fn.getStart(source)).line + 1;
      found.push({ file, line, name: functionName(fn, source), lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

let measured: LongFunction[] | undefined;
/** Every function under src/, measured once for the tests below. */
function srcFunctions(): LongFunction[] {
  measured ??= sourceFiles(SRC).flatMap((file) => functionLengths(file, readFileSync(file, 'utf8')));
  return measured;
}

function isExempt(fn: LongFunction): boolean {
  const file = relative(SRC, fn.file);
  return TEMPORARILY_EXEMPT_FILES.includes(file) || EXEMPT.some((e) => e.file === file && e.name === fn.name);
}

it('measures function bodies in lines (the check itself works)', () => {
  const body = Array.from({ length: 81 }, (_, i) => `  const v${i} = ${i};`).join('\n');
  const text = [
    'export function long(): void {',
    body,
    '}',
    'class Portal {',
    '  constructor() {}',
    '  call(): number {',
    '    return 1;',
    '  }',
    '}',
    'const arrow = () => {',
    '  return 2;',
    '};',
    'const table = { method: function () { return 3; } };',
  ].join('\n');
  const lengths = functionLengths('sample.ts', text).map((f) => [f.name, f.line, f.lines]);
  assert.deepEqual(lengths, [
    ['long', 1, 83],
    ['constructor', 85, 1],
    ['call', 86, 3],
    ['arrow', 90, 3],
    ['method', 93, 1],
  ]);
});

it(`no function under src/ has a body over ${MAX_BODY_LINES} lines`, () => {
  const files = sourceFiles(SRC);
  const all = srcFunctions();
  assert.ok(all.length > files.length, `measured ${all.length} functions in ${files.length} files`);
  const tooLong = all
    .filter((fn) => fn.lines > MAX_BODY_LINES && !isExempt(fn))
    .map((fn) => `src/${relative(SRC, fn.file)}:${fn.line} ${fn.name} (${fn.lines} lines)`);
  assert.deepEqual(tooLong, []);
});

it('every exemption names a function that exists and is still too long', () => {
  const all = srcFunctions();
  for (const e of EXEMPT) {
    const fn = all.find((f) => relative(SRC, f.file) === e.file && f.name === e.name);
    assert.ok(fn && fn.lines > MAX_BODY_LINES, `exemption ${e.file} ${e.name} is stale: remove it`);
  }
  for (const file of TEMPORARILY_EXEMPT_FILES) {
    const long = all.filter((f) => relative(SRC, f.file) === file && f.lines > MAX_BODY_LINES);
    assert.ok(long.length > 0, `temporary exemption ${file} is stale: remove it`);
  }
});
