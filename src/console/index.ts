/** The web console: setup wizard, sources, runs and catalog over the connector's own sync engine. */
export type { CatalogColumn, CatalogTable, TablePreview } from './catalog.js';
export type { ConsoleServices } from './console-routes.js';
export type { RunRecord } from './run-manager.js';
export {
  type ConsoleOptions,
  ConsoleSetupError,
  DEFAULT_CONSOLE_PORT,
  defaultDataDir,
  type RunningConsole,
  startConsole,
} from './server.js';
export { DESCRIPTION_MAX, DraftError, type SourceDraft } from './source-draft.js';
export type { StoredSource } from './source-store.js';
