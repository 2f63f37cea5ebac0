/** Every stream of the Bitrix24 CRM source, declared as data and discovered from the portal. */

export { STREAM_FAMILIES } from './catalog.js';
export type { StreamDeclaration } from './declaration.js';
export { isNameSelectedByDefault } from './default-selection.js';
export { discoverStreams } from './discovery.js';
export type { StreamFamily } from './machinery/family.js';
export { StreamUnavailable } from './machinery/portal-catalog.js';
export { STREAM_DECLARATIONS, streamReferenceMarkdown } from './reference.js';
export { StateError } from './state-error.js';
export type * from './stream.js';
export { isSelectedByDefault } from './stream.js';
