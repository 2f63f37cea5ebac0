/**
 * The sync engine: reads each selected stream page by page and hands every page to the
 * destination together with the state that is true once the page is durable, before asking the
 * stream for more. So state never runs ahead of rows, and a run killed at any moment resumes from
 * its last checkpoint. Consecutive small pages are committed together (see `commitEvery`), since
 * each commit has a fixed cost far above its rows'.
 *
 * How each load mode reads:
 * - upsert (INCREMENTAL): the stream gets its saved state (bookmark and any `resume`) and each
 *   page's state is committed with the page.
 * - replace (FULL_TABLE, or `replace` for `--full`): staging rows do not survive a crash, so the
 *   stream reads from scratch (it gets no state) and the saved state is left untouched until
 *   `finish` swaps the table in. An incremental stream read this way keeps its method, so it
 *   ends with a proper bookmark.
 * - full_scan (additional full sync): same reasoning; the stream gets no state and
 *   `fullScan: {keysOnly: false}`, so it re-reads every row whole — rows are refreshed and the
 *   destination marks unseen keys deleted at `finish`. One read serves both purposes, which costs
 *   fewer requests than a keys-only scan followed by an incremental read.
 */
import { type Bitrix24Client, type RequestTally, tallyRequests } from '../client/index.js';
import type {
  Destination,
  LoadMode,
  StreamLoad,
  StreamTable,
  TapState,
} from '../destinations/destination.js';
import type {
  RecordPage,
  ReplicationMethod,
  Stream,
  StreamLogger,
  StreamOptions,
  StreamState,
  UnavailableStream,
} from '../streams/stream.js';
import { fullScanDue, LAST_FULL_SCAN_KEY, readsWhole } from './full-sync-cadence.js';
import { pool, startPriority } from './stream-pool.js';

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
   * gathered (default 5000 rows, 150,000 values, 2000 ms); `{ rows: 1 }` commits every page on
   * its own.
   */
  commitEvery?: { rows?: number; values?: number; ms?: number };
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

function withoutResume(state: StreamState | undefined): StreamState {
  const { resume: _resume, ...rest } = state ?? {};
  return rest;
}

function modeFor(
  selection: StreamSelection,
  saved: StreamState | undefined,
  input: SyncInput,
  now: string,
): LoadMode {
  if (selection.replicationMethod === 'FULL_TABLE' || selection.replace) return 'replace';
  if (selection.fullScan || fullScanDue(saved, input.fullSyncEveryDays ?? 0, now)) return 'full_scan';
  return 'upsert';
}

/** How often a running stream reports progress even when no page arrived. */
const PROGRESS_EVERY_MS = 500;

/** Runs the selected streams into the destination; never throws for one stream's failure. */
export async function runSync(input: SyncInput): Promise<SyncSummary> {
  const { client, destination, logger, signal } = input;
  const startedMs = performance.now();
  const requestsAtStart = client.stats().requests;
  const runStartedAt = await client.serverTime();
  // The bookmarks of these selections' tables: a database keeps one per target table, so another
  // configuration loading the same streams into other tables never lends this run its bookmarks.
  const tapState: TapState = await destination.loadState(input.selections.map((s) => s.table));
  const summaries = new Map<string, StreamSummary>();
  const commitRows = input.commitEvery?.rows ?? 5000;
  // Memory held per stream is about twice this (one gathering, one being written), whatever the
  // portal's size: a deal of 100 fields takes ~40x the memory of a stage-history row of 8 fields,
  // so a bound in rows alone let wide streams hold hundreds of MB; a wide row's commit is
  // costlier too, so fewer rows per commit add little commit overhead.
  const commitValues = input.commitEvery?.values ?? 150_000;
  const commitMs = input.commitEvery?.ms ?? 2000;

  const emit = (p: SyncProgress) => input.onProgress?.(p);
  // One per run: what streams read in common is read once (a deal-ID scan for every per-deal stream).
  const shared = new Map<string, unknown>();
  const prepared: StreamSelection[] = [];
  for (const selection of input.selections) {
    emit({ stream: selection.stream.name, rows: 0, requests: 0, limitWaitMs: 0, phase: 'waiting' });
    try {
      await destination.prepare(selection.table);
      prepared.push(selection);
    } catch (error) {
      const message = errorMessage(error);
      logger.warn('cannot prepare table', { stream: selection.stream.name, error: message });
      summaries.set(selection.stream.name, failed(selection.stream.name, 0, message));
      emit({
        stream: selection.stream.name,
        rows: 0,
        requests: 0,
        limitWaitMs: 0,
        phase: 'failed',
        error: message,
      });
    }
  }

  const runOne = async (selection: StreamSelection): Promise<StreamSummary> => {
    const name = selection.stream.name;
    if (signal?.aborted) {
      return { stream: name, rows: 0, requests: 0, seconds: 0, rowsMarkedDeleted: 0, status: 'skipped' };
    }
    const saved = tapState.bookmarks[name] as StreamState | undefined;
    const mode = modeFor(selection, saved, input, runStartedAt);
    const t0 = performance.now();
    let rows = 0;
    let requests = 0;
    let waitMs = 0;
    const tally: RequestTally = { requests: 0, limitWaitMs: 0 };
    let progressTimer: NodeJS.Timeout | undefined;
    let load: StreamLoad | undefined;
    try {
      const active = await destination.begin(selection.table, mode);
      load = active;
      const whole = mode !== 'upsert' || readsWhole(saved);
      const readState = mode === 'upsert' ? saved : undefined;
      // In replace and full_scan modes nothing durable happens before `finish`, so the saved
      // state is what stays true for each page (a crash restarts the whole read).
      const pageState = (page: StreamState): StreamState =>
        mode === 'upsert' ? keepCadence(page, saved) : withoutResume(saved);
      logger.info('stream started', { stream: name, mode });
      emit({ stream: name, rows, requests, limitWaitMs: waitMs, phase: 'running' });
      const pages = selection.stream
        .read({
          client,
          options: input.options,
          replicationMethod: selection.replicationMethod,
          ...(selection.replicationKey !== undefined ? { replicationKey: selection.replicationKey } : {}),
          ...(readState !== undefined ? { state: readState } : {}),
          runStartedAt,
          ...(selection.selectedProperties ? { selectedProperties: selection.selectedProperties } : {}),
          ...(mode === 'full_scan' ? { fullScan: { keysOnly: false } } : {}),
          logger,
          shared,
          ...(signal ? { signal } : {}),
        })
        [Symbol.asyncIterator]();
      let lastState: StreamState = saved ?? {};
      // Small pages are gathered into one transaction (a commit costs far more than its rows);
      // the state committed with them is the last page's, so it never covers unwritten rows.
      let buffer: Record<string, unknown>[] = [];
      let bufferValues = 0;
      let buffered = false;
      let bufferSince = 0;
      let extractedAt = new Date();
      // A write runs while the next pages are read and normalised (the database works on its own
      // threads), but writes stay one at a time and in order, so each commit's state covers
      // exactly the rows committed before it.
      let writing: Promise<void> | undefined;
      let writingRows = 0;
      // Progress is reported on every page and on a timer, not only on commits: one request may
      // bring 50 pages, and on a slow or rate-limited portal the waits are what a person watches.
      const report = () =>
        emit({
          stream: name,
          rows: rows + writingRows + buffer.length,
          requests: tally.requests,
          limitWaitMs: tally.limitWaitMs,
          phase: 'running',
        });
      progressTimer = setInterval(report, PROGRESS_EVERY_MS);
      progressTimer.unref();
      const settle = async () => {
        const pending = writing;
        writing = undefined;
        if (pending) await pending;
      };
      /** Starts writing the gathered pages; with `durable`, also waits until they are committed. */
      const flush = async (durable: boolean) => {
        if (buffered) {
          const records = buffer;
          const state = pageState(lastState);
          const at = extractedAt;
          buffer = [];
          bufferValues = 0;
          buffered = false;
          await settle();
          if (records.length > 0 || mode === 'upsert') {
            writingRows = records.length;
            const write = active.write(records, state, at).then(() => {
              rows += records.length;
              writingRows = 0;
              emit({ stream: name, rows, requests, limitWaitMs: waitMs, phase: 'running' });
            });
            // Awaited by the next flush or settle; this only keeps a failure from being unhandled.
            write.catch(() => undefined);
            writing = write;
          }
        }
        if (durable) await settle();
      };
      for (;;) {
        if (signal?.aborted) {
          if (mode === 'upsert') await flush(true);
          else await settle();
          throw new SyncAbortedError();
        }
        let next: IteratorResult<RecordPage>;
        try {
          // The tally follows this stream's async context, so streams running side by side
          // never count each other's requests.
          next = await tallyRequests(tally, () => pages.next());
        } catch (error) {
          // Pages read before the failure are good: keep them, so the next run resumes after them.
          if (mode === 'upsert') await flush(true);
          else await settle();
          throw error;
        } finally {
          requests = tally.requests;
          waitMs = tally.limitWaitMs;
        }
        if (next.done) break;
        if (!buffered) {
          buffered = true;
          bufferSince = performance.now();
          extractedAt = new Date();
        }
        lastState = next.value.state;
        const records = next.value.records;
        for (const record of records) buffer.push(record);
        if (records.length > 0) bufferValues += records.length * fieldCount(records[0]);
        report();
        if (
          buffer.length >= commitRows ||
          bufferValues >= commitValues ||
          performance.now() - bufferSince >= commitMs
        )
          await flush(false);
      }
      await flush(true);
      const finalState: StreamState = {
        ...withoutResume(mode === 'upsert' ? keepCadence(lastState, saved) : lastState),
      };
      if (whole && selection.replicationMethod === 'INCREMENTAL')
        finalState[LAST_FULL_SCAN_KEY] = runStartedAt;
      clearInterval(progressTimer);
      const result = await active.finish(finalState);
      const seconds = (performance.now() - t0) / 1000;
      logger.info('stream finished', {
        stream: name,
        rows,
        requests,
        seconds,
        deleted: result.rowsMarkedDeleted,
      });
      emit({ stream: name, rows, requests, limitWaitMs: waitMs, phase: 'done' });
      return {
        stream: name,
        rows,
        requests,
        seconds,
        rowsMarkedDeleted: result.rowsMarkedDeleted,
        status: 'ok',
        mode,
      };
    } catch (error) {
      clearInterval(progressTimer);
      const message = errorMessage(error);
      if (load) await load.abort().catch(() => undefined);
      logger.warn('stream failed', { stream: name, error: message });
      emit({ stream: name, rows, requests, limitWaitMs: waitMs, phase: 'failed', error: message });
      return { ...failed(name, requests, message), rows, seconds: (performance.now() - t0) / 1000, mode };
    }
  };

  const methodOf = input.methodOf ?? ((s: Stream) => s.declaration.method);
  const results = await pool(
    [...prepared].sort((a, b) => startPriority(a.stream) - startPriority(b.stream)),
    Math.max(1, input.concurrency ?? 4),
    (s) => methodOf(s.stream),
    runOne,
  );
  for (const r of results) summaries.set(r.stream, r);
  const streams = [
    ...input.selections.map((s) => summaries.get(s.stream.name)!),
    ...(input.unavailable ?? []).map(
      (u): StreamSummary => ({ ...failed(u.name, 0, u.reason), status: 'unavailable' }),
    ),
  ];
  return {
    streams,
    seconds: (performance.now() - startedMs) / 1000,
    requests: client.stats().requests - requestsAtStart,
    ok: streams.every((s) => s.status === 'ok'),
  };
}

/** Fields of a record (records of a page share their shape). */
function fieldCount(record: Record<string, unknown> | undefined): number {
  let n = 0;
  for (const _ in record) n++;
  return Math.max(1, n);
}

/** Keeps the engine's own keys (the full-sync cadence) that a stream's state does not carry. */
function keepCadence(state: StreamState, saved: StreamState | undefined): StreamState {
  const last = saved?.[LAST_FULL_SCAN_KEY];
  return last !== undefined && state[LAST_FULL_SCAN_KEY] === undefined
    ? { ...state, [LAST_FULL_SCAN_KEY]: last }
    : state;
}

function failed(stream: string, requests: number, error: string): StreamSummary {
  return { stream, rows: 0, requests, seconds: 0, rowsMarkedDeleted: 0, status: 'failed', error };
}

/** One line, as the summary, the console and the logs show a stream's failure. */
function errorMessage(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').trim();
}
