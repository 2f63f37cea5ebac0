/** Every stream of the Bitrix24 CRM source, declared as data and discovered from the portal. */

export { STREAM_DECLARATIONS, STREAM_FAMILIES } from './catalog.js';
export type { StreamDeclaration, StreamRelation } from './declaration.js';
export { discoverStreams } from './discovery.js';
export type { StreamFamily } from './machinery/family.js';
export { StreamUnavailable } from './machinery/portal-catalog.js';
export { streamReferenceMarkdown } from './reference.js';
export { dataModelMermaid, relationsAmongStreams, type StreamLink } from './relations.js';
export { StateError } from './state-error.js';
export type * from './stream.js';
export { isSelectedByDefault } from './stream.js';
