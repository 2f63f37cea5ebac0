/**
 * The committed docs generated from the stream declarations: docs/REFERENCE.md whole, and the
 * README's data model diagram (the Mermaid block after a marker line). `npm run docs:streams`
 * rewrites both; a test regenerates them and compares, so the docs cannot drift from the code.
 */
import { streamReferenceMarkdown } from './reference.js';
import { dataModelMermaid } from './relations.js';

/** The line the README's generated diagram follows. */
export const DATA_MODEL_MARKER =
  '<!-- The diagram below is generated from the stream declarations: npm run docs:streams -->';

export class StreamDocsError extends Error {
  override readonly name = 'StreamDocsError';
}

/** The README with the Mermaid block after the marker replaced by the declared data model. */
export function readmeWithDataModel(readme: string): string {
  const at = readme.indexOf(DATA_MODEL_MARKER);
  if (at < 0) throw new StreamDocsError(`README.md: the line "${DATA_MODEL_MARKER}" is missing`);
  const start = readme.indexOf('```mermaid', at);
  const end = start < 0 ? -1 : readme.indexOf('\n```', start);
  if (start < 0 || end < 0) throw new StreamDocsError('README.md: no ```mermaid block follows the marker');
  return readme.slice(0, start) + dataModelMermaid() + readme.slice(end + '\n```'.length);
}

export function referenceDoc(): string {
  return streamReferenceMarkdown();
}
