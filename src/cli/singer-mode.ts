/**
 * Pure Singer mode: flag-only invocations (`--about`, `--discover`, `--catalog`, `--state`,
 * `--test`) as Meltano and other Singer runners call a tap. stdout carries Singer messages (or the
 * catalog, for --discover) and nothing else; logs and METRIC lines go to stderr. On failure the
 * last stderr line is `CRITICAL …` and the exit code is non-zero (set, never forced, so pending
 * stdout writes still reach the target).
 */
import { readFileSync } from 'node:fs';
import type { Bitrix24Client } from '../client/index.js';
import type { StreamTable } from '../destinations/destination.js';
import { aboutInfo, aboutMarkdown, aboutText } from '../singer/about.js';
import { type Catalog, CatalogError, catalogFromDiscovery, parseCatalog } from '../singer/catalog.js';
import {
  type CatalogSelection,
  catalogSelectedStreams,
  projectSchema,
  selectionsFromCatalog,
} from '../singer/catalog-selection.js';
import { isSingerArgs, parseSingerArgs, type SingerInvocation } from '../singer/invocation.js';
import { MessageWriter } from '../singer/messages.js';
import { SingerDestination } from '../singer/singer-destination.js';
import { readStateFile } from '../singer/state.js';
import type { Discovery, StreamOptions, UnavailableStream } from '../streams/stream.js';
import type { TapConfig } from '../sync/config.js';
import { explainFailure } from '../sync/explain-failure.js';
import { planStreams, streamsToDiscover } from '../sync/plan.js';
import { configSecrets, createLogger, type LogLevel, type TapLogger } from './logger.js';
import { VERSION } from './version.js';

export function isSingerInvocation(args: string[]): boolean {
  return isSingerArgs(args);
}

export async function runSingerMode(args: string[]): Promise<void> {
  const level = logLevel(process.env.LOG_LEVEL);
  let logger = createLogger({ level });
  try {
    const invocation = parseSingerArgs(args);
    if (invocation.action === 'about') {
      await printAbout(invocation.format);
      return;
    }
    const { loadConfig, clientOptionsFrom, streamOptionsFrom } = await import('../sync/config.js');
    const config = loadConfig(invocation.configPaths, process.env);
    logger = createLogger({ level, secrets: configSecrets(config) });
    const { Bitrix24Client } = await import('../client/index.js');
    const client = new Bitrix24Client({ ...clientOptionsFrom(config), logger });
    try {
      const options = streamOptionsFrom(config);
      if (invocation.action === 'test') await testConnection(client, logger);
      else if (invocation.action === 'discover') await discover(client, options, logger);
      else await sync(invocation, config, client, options, logger);
    } finally {
      await client.close();
    }
  } catch (error) {
    logger.critical(explainFailure(error), errorFields(error));
    process.exitCode = 1;
  }
}

async function printAbout(format: SingerInvocation['format']): Promise<void> {
  if (format === 'json') return writeText(`${JSON.stringify(aboutInfo(VERSION), null, 2)}\n`);
  if (format === 'text') return writeText(aboutText(VERSION));
  const { streamReferenceMarkdown } = await import('../streams/index.js');
  return writeText(aboutMarkdown(VERSION, streamReferenceMarkdown()));
}

async function testConnection(client: Bitrix24Client, logger: TapLogger): Promise<void> {
  const [scopes, time] = await Promise.all([client.scopes(), client.serverTime()]);
  logger.info('connection test passed', { scopes, server_time: time });
}

/**
 * Discovery logs each unavailable stream with its reason on stderr itself. `streams`: the streams
 * the run reads, whose families alone are described; absent, every stream (`--discover`).
 */
async function discoverAll(
  client: Bitrix24Client,
  options: StreamOptions,
  logger: TapLogger,
  streams?: readonly string[],
): Promise<Discovery> {
  const { discoverStreams } = await import('../streams/index.js');
  return discoverStreams(client, options, logger, streams);
}

async function discover(client: Bitrix24Client, options: StreamOptions, logger: TapLogger): Promise<void> {
  const discovery = await discoverAll(client, options, logger);
  await writeText(`${JSON.stringify(catalogFromDiscovery(discovery), null, 2)}\n`);
  logger.info(`discovered ${discovery.streams.length} streams`);
}

async function sync(
  invocation: SingerInvocation,
  config: TapConfig,
  client: Bitrix24Client,
  options: StreamOptions,
  logger: TapLogger,
): Promise<void> {
  // Bad catalog or state files fail before any request reaches the portal.
  const catalog = invocation.catalogPath ? readCatalog(invocation.catalogPath) : undefined;
  const state = invocation.statePath ? readStateFile(invocation.statePath) : { bookmarks: {} };
  const { selections, unavailable } = await selectStreams(
    catalog && invocation.catalogPath ? { catalog, path: invocation.catalogPath } : undefined,
    config,
    client,
    options,
    logger,
  );

  const abort = new AbortController();
  const stop = (signal: NodeJS.Signals): void => {
    logger.warn(`received ${signal}; stopping after the current page`);
    abort.abort();
  };
  const writer = new MessageWriter(process.stdout, { onClosed: () => abort.abort() });
  const destination = new SingerDestination({
    writer,
    state,
    bookmarkProperties: new Map(
      selections.flatMap((s) => (s.replicationKey ? [[s.stream.name, s.replicationKey]] : [])),
    ),
    onStreamDone: (stream, records) =>
      logger.metric({ type: 'counter', metric: 'record_count', value: records, tags: { stream } }),
  });
  if (invocation.action === 'test-schema') {
    for (const selection of selections) await destination.prepare(tableFor(selection));
    await destination.close();
    return;
  }

  const { runSync } = await import('../sync/engine.js');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const summary = await runSync({
      client,
      selections: selections.map((s) => ({ ...s, table: tableFor(s) })),
      destination,
      options,
      logger,
      unavailable,
      concurrency: config.max_concurrency,
      signal: abort.signal,
    });
    if (writer.isClosed) {
      logger.warn('the target closed stdout before the run ended; stopped early');
      return;
    }
    // The last line a target sees is the whole state, even when nothing was selected.
    await writer.write({ type: 'STATE', value: destination.currentState() });
    await destination.close();
    const failed = summary.streams.filter((s) => s.status === 'failed' || s.status === 'unavailable');
    logger.info(`sync finished in ${summary.seconds.toFixed(1)} s, ${summary.requests} requests`, {
      streams: summary.streams.map((s) => ({ stream: s.stream, rows: s.rows, status: s.status })),
    });
    if (abort.signal.aborted)
      throw new Error('the run was interrupted; the last STATE emitted marks where to resume');
    if (failed.length > 0 || !summary.ok) {
      throw new Error(
        `${failed.length} stream(s) failed or unavailable: ${failed.map((s) => `${s.stream} ${s.status} (${s.error ?? 'unknown error'})`).join('; ')}`,
      );
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * The streams a run reads: the catalog's selection, else the config's through the same planner as
 * `sync`. Only those are described (each describe call costs the portal operating time).
 */
async function selectStreams(
  catalog: { catalog: Catalog; path: string } | undefined,
  config: TapConfig,
  client: Bitrix24Client,
  options: StreamOptions,
  logger: TapLogger,
): Promise<{ selections: CatalogSelection[]; unavailable: UnavailableStream[] }> {
  if (catalog) {
    const wanted = catalogSelectedStreams(catalog.catalog, catalog.path);
    const discovery = await discoverAll(client, options, logger, wanted);
    const resolved = selectionsFromCatalog(catalog.catalog, discovery, catalog.path);
    for (const warning of resolved.warnings) logger.warn(warning);
    return { selections: resolved.selections, unavailable: resolved.unavailable };
  }
  const discovery = await discoverAll(client, options, logger, streamsToDiscover(config));
  const plan = planStreams(discovery, config);
  return { selections: plan.streams, unavailable: plan.unavailable };
}

function readCatalog(path: string) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CatalogError(
      path,
      '',
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      'Check the --catalog path.',
    );
  }
  return parseCatalog(text, path);
}

function tableFor(selection: CatalogSelection): StreamTable {
  const { stream } = selection;
  return {
    stream: stream.name,
    layer: '',
    folder: stream.group,
    table: stream.name,
    keyProperties: stream.keyProperties,
    schema: projectSchema(stream.schema, selection.selectedProperties),
    replicationMethod: selection.replicationMethod,
    historyDays: 0,
  };
}

/** Writes a whole document to stdout, waiting until it is flushed; a closed pipe is not an error. */
function writeText(text: string): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.once('error', () => resolve());
    process.stdout.write(text, () => resolve());
  });
}

function logLevel(value: string | undefined): LogLevel {
  const levels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
  const lower = value?.toLowerCase() as LogLevel | undefined;
  return lower && levels.includes(lower) ? lower : 'info';
}

function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return {};
  const fields: Record<string, unknown> = { error: error.name };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') fields.code = code;
  return fields;
}
