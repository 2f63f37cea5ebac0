/**
 * What a sync run takes and gives back: the selections it reads, the progress it reports while
 * running, and the summary it ends with. Shared by the engine, the stream run and every caller
 * (CLI, console, Singer mode), so they live apart from the code that runs a sync.
 */
import type { Bitrix24Client } from '../client/index.js';
import type { Destination, LoadMode, StreamTable } from '../destinations/destination.js';
import type {
  ReplicationMethod,
  Stream,
  StreamLogger,
  StreamOptions,
  UnavailableStream,
} from '../streams/stream.js';

export interface StreamSelection {
  stream: Stream;
  replicationMethod: ReplicationMethod;
  replicationKey?: string;
  selectedProperties?: ReadonlySet<string>;
  table: StreamTable;
  /** Force an additional full sync of an incremental stream this run. */
  fullScan?: boolean;
  /** Read from scratch and swap the table in atomically (`sync --full`), keeping the method. */
  replace?: boolean;
}

export interface SyncProgress {
  stream: string;
  rows: number;
  requests: number;
  limitWaitMs: number;
  phase: 'waiting' | 'running' | 'done' | 'failed';
  error?: string;
}

export interface StreamSummary {
  stream: string;
  rows: number;
  requests: number;
  seconds: number;
  rowsMarkedDeleted: number;
  /** `unavailable`: wanted by this run, but discovery could not serve it (`error` says why). */
  status: 'ok' | 'failed' | 'skipped' | 'unavailable';
  error?: string;
  mode?: LoadMode;
}

export interface SyncSummary {
  streams: StreamSummary[];
  seconds: number;
  requests: number;
  ok: boolean;
}

/** When gathered pages are committed together; see `SyncInput.commitEvery`. */
export interface CommitEvery {
  rows?: number;
  values?: number;
  ms?: number;
}

export interface SyncInput {
  client: Bitrix24Client;
  selections: StreamSelection[];
  destination: Destination;
  options: StreamOptions;
  logger: StreamLogger;
  concurrency?: number;
  /** Days between additional full syncs of incremental streams (config `full_sync_every_days`); 0 = never. */
  fullSyncEveryDays?: number;
  /**
   * Commit pages together until this many rows, values (rows × fields) or milliseconds have
   * gathered (default 5000 rows, 60,000 values, 2000 ms); `{ rows: 1 }` commits every page on
   * its own.
   */
  commitEvery?: CommitEvery;
  /**
   * Streams this run wanted that discovery could not serve: reported in the summary as
   * `unavailable` with their reason (and so the run is not ok), never read.
   */
  unavailable?: readonly UnavailableStream[];
  /** The REST method a stream lists with (default: from the stream declarations). */
  methodOf?: (stream: Stream) => string | undefined;
  onProgress?: (p: SyncProgress) => void;
  signal?: AbortSignal;
}

export class SyncAbortedError extends Error {
  constructor() {
    super('sync aborted');
    this.name = 'SyncAbortedError';
  }
}

/** The summary of a stream that failed before or while it ran. */
export function failedSummary(stream: string, requests: number, error: string): StreamSummary {
  return { stream, rows: 0, requests, seconds: 0, rowsMarkedDeleted: 0, status: 'failed', error };
}

/** One line, as the summary, the console and the logs show a stream's failure. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').trim();
}
