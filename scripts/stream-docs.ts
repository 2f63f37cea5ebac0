/** Rewrites the docs generated from the stream declarations: docs/REFERENCE.md and README's diagram. */
import { readFileSync, writeFileSync } from 'node:fs';
import { readmeWithDataModel, referenceDoc } from '../src/streams/stream-docs.js';

const root = new URL('..', import.meta.url);
const readme = new URL('README.md', root);
writeFileSync(readme, readmeWithDataModel(readFileSync(readme, 'utf8')));
writeFileSync(new URL('docs/REFERENCE.md', root), referenceDoc());
