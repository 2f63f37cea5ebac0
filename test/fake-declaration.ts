/**
 * A declaration for the hand-made streams of unit tests: every `Stream` carries its family's
 * declaration (list method, relations, default selection), and these fakes belong to none.
 */
import type { StreamDeclaration } from '../src/streams/declaration.js';
import { STREAM_DECLARATIONS } from '../src/streams/index.js';

export function fakeDeclaration(name: string, extra: Partial<StreamDeclaration> = {}): StreamDeclaration {
  return {
    name,
    group: 'crm',
    description: name,
    method: `test.${name}.list`,
    keyProperties: ['ID'],
    validReplicationKeys: [],
    scopes: ['crm'],
    mainFields: [],
    ...extra,
  };
}

/** The real declaration of a declared stream name (`deals`), else a fake one for a made-up name. */
export function declarationFor(name: string): StreamDeclaration {
  return STREAM_DECLARATIONS.find((d) => d.name === name) ?? fakeDeclaration(name);
}
