/**
 * One product-mode sync from a config: connect, discover, plan, run into the destination, close.
 * Shared by `sync`, `schedule`, `demo` and the console, so they behave the same.
 */
import { Bitrix24Client, type ClientLogger, type ClientOptions } from '../client/index.js';
import { openDestination } from '../destinations/open.js';
import { buildModels, type ModelsSummary } from '../models/index.js';
import { discoverStreams } from '../streams/index.js';
import type { StreamLogger, UnavailableStream } from '../streams/stream.js';
import { clientOptionsFrom, streamOptionsFrom, type TapConfig } from './config.js';
import { runSync, type SyncInput, type SyncProgress, type SyncSummary } from './engine.js';
import { planSync, streamsToDiscover, streamTarget } from './plan.js';

/** The default destination: a DuckDB file in the working directory. */
export const DEFAULT_TARGET = 'bitrix24.duckdb';

export interface SyncRunOptions {
  config: TapConfig;
  /** A DuckDB file path or a postgres:// URL. */
  target?: string;
  only?: readonly string[];
  full?: boolean;
  logger: StreamLogger & ClientLogger;
  onProgress?: (p: SyncProgress) => void;
  signal?: AbortSignal;
  /** Laid over the config's client options, for settings a config cannot express (a short timeout). */
  clientOverrides?: Omit<ClientOptions, 'logger'>;
  /** Smaller commits make more durable points to resume from, at the cost of more transactions. */
  commitEvery?: SyncInput['commitEvery'];
  /**
   * Awaited once the streams are discovered and planned, before the destination opens, so the
   * portal can change between what discovery saw and what the run reads.
   */
  beforeRun?: () => Promise<void> | void;
}

export interface SyncRunResult {
  summary: SyncSummary;
  unavailable: UnavailableStream[];
  destination: string;
  /** With config `models`: the views rebuilt after a sync whose streams all ended ok. */
  models?: ModelsSummary;
  /** Why the models were not rebuilt, when `models` is on (a failed stream, or the build's error). */
  modelsNotBuilt?: string;
}

/** The models' options under a configuration: its schema and where it put each stream. */
export function modelsOptionsFrom(config: TapConfig) {
  return { schema: config.models_schema, targetOf: (stream: string) => streamTarget(config, stream) };
}

export async function syncPortal(options: SyncRunOptions): Promise<SyncRunResult> {
  const { config, logger } = options;
  const client = new Bitrix24Client({ ...clientOptionsFrom(config), ...options.clientOverrides, logger });
  try {
    const streamOptions = streamOptionsFrom(config);
    const only = options.only ? { only: options.only } : {};
    const discovery = await discoverStreams(client, streamOptions, logger, streamsToDiscover(config, only));
    const { selections, unavailable: wanted } = planSync(discovery, config, {
      ...only,
      full: options.full === true,
    });
    await options.beforeRun?.();
    const destination = await openDestination(options.target ?? DEFAULT_TARGET, {
      memoryLimitMb: config.memory_limit_mb,
    });
    try {
      const summary = await runSync({
        client,
        selections,
        destination,
        options: streamOptions,
        logger,
        unavailable: wanted,
        concurrency: config.max_concurrency,
        fullSyncEveryDays: config.full_sync_every_days,
        ...(options.commitEvery ? { commitEvery: options.commitEvery } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const result: SyncRunResult = {
        summary,
        unavailable: discovery.unavailable,
        destination: destination.description,
      };
      if (!config.models) return result;
      if (!summary.ok) {
        // Views over a half-refreshed set of tables would mix old and new; the last build stays.
        return { ...result, modelsNotBuilt: 'a stream did not finish; the models were left as they were' };
      }
      try {
        return { ...result, models: await buildModels(destination, modelsOptionsFrom(config)) };
      } catch (error) {
        return { ...result, modelsNotBuilt: error instanceof Error ? error.message : String(error) };
      }
    } finally {
      await destination.close();
    }
  } finally {
    await client.close();
  }
}
