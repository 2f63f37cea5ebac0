/**
 * The package's library entry: the typed client (also at `tap-bitrix24/client`), and the sync
 * path for programs that run a sync themselves.
 */
export * from './client/index.js';
export { discoverStreams } from './streams/index.js';
export { checkConfig, loadConfig, type TapConfig } from './sync/config.js';
export { syncPortal } from './sync/run.js';
