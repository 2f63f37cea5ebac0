/**
 * The sync engine: prepares the selected streams' tables, then runs the streams a few at a time
 * (stream-run.ts reads each one into its table, committing state with the rows it covers) and
 * sums them up. One stream's failure never stops the others, and never makes `runSync` throw.
 */
import type { TapState } from '../destinations/destination.js';
import type { Stream, StreamState } from '../streams/stream.js';
import { loadModeFor, StreamBookmark } from './stream-bookmark.js';
import { pool, startPriority } from './stream-pool.js';
import { type RunContext, StreamRun } from './stream-run.js';
import {
  errorMessage,
  failedSummary,
  type StreamSelection,
  type StreamSummary,
  type SyncInput,
  type SyncSummary,
} from './sync-shapes.js';

export type {
  CommitEvery,
  StreamSelection,
  StreamSummary,
  SyncInput,
  SyncProgress,
  SyncSummary,
} from './sync-shapes.js';
export { SyncAbortedError } from './sync-shapes.js';

/** Runs the selected streams into the destination; never throws for one stream's failure. */
export async function runSync(input: SyncInput): Promise<SyncSummary> {
  const startedMs = performance.now();
  const requestsAtStart = input.client.stats().requests;
  const run = runContext(input, await input.client.serverTime());
  // The bookmarks of these selections' tables: a database keeps one per target table, so another
  // configuration loading the same streams into other tables never lends this run its bookmarks.
  const tapState = await input.destination.loadState(input.selections.map((s) => s.table));
  const summaries = new Map<string, StreamSummary>();
  const prepared = await prepareTables(input, run, summaries);
  const methodOf = input.methodOf ?? ((s: Stream) => s.declaration.method);
  const results = await pool(
    [...prepared].sort((a, b) => startPriority(a.stream) - startPriority(b.stream)),
    Math.max(1, input.concurrency ?? 4),
    (s) => methodOf(s.stream),
    (selection) => runStream(run, selection, tapState, input.fullSyncEveryDays ?? 0),
  );
  for (const r of results) summaries.set(r.stream, r);
  const streams = [
    ...input.selections.map((s) => summaries.get(s.stream.name)!),
    ...(input.unavailable ?? []).map(
      (u): StreamSummary => ({ ...failedSummary(u.name, 0, u.reason), status: 'unavailable' }),
    ),
  ];
  return {
    streams,
    seconds: (performance.now() - startedMs) / 1000,
    requests: input.client.stats().requests - requestsAtStart,
    ok: streams.every((s) => s.status === 'ok'),
  };
}

function runContext(input: SyncInput, runStartedAt: string): RunContext {
  const { client, destination, options, logger, signal, commitEvery } = input;
  return {
    client,
    destination,
    options,
    logger,
    ...(signal ? { signal } : {}),
    runStartedAt,
    // One per run: what streams read in common is read once (a deal-ID scan for every per-deal stream).
    shared: new Map<string, unknown>(),
    limits: {
      rows: commitEvery?.rows ?? 5000,
      // Memory held per stream is about twice this (one gathering, one being written), whatever
      // the portal's size: a deal of 100 fields takes ~40x the memory of a stage-history row of 8
      // fields, so a bound in rows alone let wide streams hold hundreds of MB; a wide row's commit
      // is costlier too, so fewer rows per commit add little commit overhead (60,000 instead of
      // 150,000: a scale-20,000 sync's heap at its peak 175 MB instead of 228, no more CPU).
      values: commitEvery?.values ?? 60_000,
      ms: commitEvery?.ms ?? 2000,
    },
    emit: (progress) => input.onProgress?.(progress),
  };
}

/** Prepares each selection's table; a table that cannot be prepared fails its stream alone. */
async function prepareTables(
  input: SyncInput,
  run: RunContext,
  summaries: Map<string, StreamSummary>,
): Promise<StreamSelection[]> {
  const prepared: StreamSelection[] = [];
  for (const selection of input.selections) {
    const stream = selection.stream.name;
    run.emit({ stream, rows: 0, requests: 0, limitWaitMs: 0, phase: 'waiting' });
    try {
      await input.destination.prepare(selection.table);
      prepared.push(selection);
    } catch (error) {
      const message = errorMessage(error);
      input.logger.warn('cannot prepare table', { stream, error: message });
      summaries.set(stream, failedSummary(stream, 0, message));
      run.emit({ stream, rows: 0, requests: 0, limitWaitMs: 0, phase: 'failed', error: message });
    }
  }
  return prepared;
}

function runStream(
  run: RunContext,
  selection: StreamSelection,
  tapState: TapState,
  fullSyncEveryDays: number,
): Promise<StreamSummary> {
  const stream = selection.stream.name;
  if (run.signal?.aborted) {
    return Promise.resolve({
      stream,
      rows: 0,
      requests: 0,
      seconds: 0,
      rowsMarkedDeleted: 0,
      status: 'skipped',
    });
  }
  const saved = tapState.bookmarks[stream] as StreamState | undefined;
  const mode = loadModeFor(selection, saved, fullSyncEveryDays, run.runStartedAt);
  const bookmark = new StreamBookmark(mode, saved, selection.replicationMethod, run.runStartedAt);
  return new StreamRun(run, selection, bookmark).execute();
}
