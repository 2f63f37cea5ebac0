/**
 * One stream's part of a sync: begin its load, read it page by page through the commit pipeline,
 * and finish the load (or abort it). Every page goes to the destination together with the state
 * that is true once it is durable, before the stream is asked for more, so state never runs ahead
 * of rows and a run killed at any moment resumes from its last checkpoint.
 */
import { type Bitrix24Client, type RequestTally, tallyRequests } from '../client/index.js';
import type { Destination, StreamLoad } from '../destinations/destination.js';
import type { RecordPage, StreamLogger, StreamOptions, StreamState } from '../streams/stream.js';
import { type CommitLimits, CommitPipeline } from './commit-pipeline.js';
import type { StreamBookmark } from './stream-bookmark.js';
import {
  errorMessage,
  type StreamSelection,
  type StreamSummary,
  SyncAbortedError,
  type SyncProgress,
} from './sync-shapes.js';

/** What every stream of one run shares. */
export interface RunContext {
  client: Bitrix24Client;
  destination: Destination;
  options: StreamOptions;
  logger: StreamLogger;
  signal?: AbortSignal;
  /** The portal's time when the run started: the bookmark's horizon. */
  runStartedAt: string;
  /** What streams read in common is read once (a deal-ID scan for every per-deal stream). */
  shared: Map<string, unknown>;
  limits: CommitLimits;
  emit(progress: SyncProgress): void;
}

/** How often a running stream reports progress even when no page arrived. */
const PROGRESS_EVERY_MS = 500;

export class StreamRun {
  private readonly name: string;
  private readonly startedMs = performance.now();
  /** This stream's requests: the tally follows its async context, so streams side by side never mix. */
  private readonly tally: RequestTally = { requests: 0, limitWaitMs: 0 };
  private load: StreamLoad | undefined;
  private pipeline: CommitPipeline | undefined;
  private progressTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: RunContext,
    private readonly selection: StreamSelection,
    private readonly bookmark: StreamBookmark,
  ) {
    this.name = selection.stream.name;
  }

  /** Runs the stream; never throws: a failure is the summary's. */
  async execute(): Promise<StreamSummary> {
    try {
      return await this.loadStream();
    } catch (error) {
      return this.failed(error);
    }
  }

  private async loadStream(): Promise<StreamSummary> {
    const { mode } = this.bookmark;
    const load = await this.run.destination.begin(this.selection.table, mode);
    this.load = load;
    const pipeline = new CommitPipeline(load, this.bookmark, this.run.limits, () => this.report());
    this.pipeline = pipeline;
    this.run.logger.info('stream started', { stream: this.name, mode });
    this.report();
    // Progress is reported on every page and on a timer, not only on commits: one request may
    // bring 50 pages, and on a slow or rate-limited portal the waits are what a person watches.
    this.progressTimer = setInterval(() => this.report(), PROGRESS_EVERY_MS);
    this.progressTimer.unref();
    const last = await this.readPages(pipeline);
    await pipeline.flush(true);
    clearInterval(this.progressTimer);
    const result = await load.finish(this.bookmark.finalState(last));
    const summary = this.summary('ok');
    summary.rowsMarkedDeleted = result.rowsMarkedDeleted;
    this.run.logger.info('stream finished', {
      stream: this.name,
      rows: summary.rows,
      requests: summary.requests,
      seconds: summary.seconds,
      deleted: result.rowsMarkedDeleted,
    });
    this.emit('done');
    return summary;
  }

  /** Reads every page into the pipeline; the last page's state (the saved one if none came). */
  private async readPages(pipeline: CommitPipeline): Promise<StreamState> {
    const pages = this.pages();
    let last = this.bookmark.initial;
    for (;;) {
      if (this.run.signal?.aborted) {
        await this.keepWhatWasRead(pipeline);
        throw new SyncAbortedError();
      }
      let next: IteratorResult<RecordPage>;
      try {
        next = await tallyRequests(this.tally, () => pages.next());
      } catch (error) {
        // Pages read before the failure are good: keep them, so the next run resumes after them.
        await this.keepWhatWasRead(pipeline);
        throw error;
      }
      if (next.done) return last;
      last = next.value.state;
      const due = pipeline.add(next.value);
      this.report();
      if (due) await pipeline.flush(false);
    }
  }

  /**
   * Before giving up: an upsert commits what was gathered, since its state is durable with it;
   * the other modes lose their staging anyway, so they only let the write under way end.
   */
  private async keepWhatWasRead(pipeline: CommitPipeline): Promise<void> {
    if (this.bookmark.mode === 'upsert') await pipeline.flush(true);
    else await pipeline.settle();
  }

  private pages(): AsyncIterator<RecordPage> {
    const { selection, run, bookmark } = this;
    const readState = bookmark.readState;
    return selection.stream
      .read({
        client: run.client,
        options: run.options,
        replicationMethod: selection.replicationMethod,
        ...(selection.replicationKey !== undefined ? { replicationKey: selection.replicationKey } : {}),
        ...(readState !== undefined ? { state: readState } : {}),
        runStartedAt: run.runStartedAt,
        ...(selection.selectedProperties ? { selectedProperties: selection.selectedProperties } : {}),
        ...(bookmark.mode === 'full_scan' ? { fullScan: { keysOnly: false } } : {}),
        logger: run.logger,
        shared: run.shared,
        ...(run.signal ? { signal: run.signal } : {}),
      })
      [Symbol.asyncIterator]();
  }

  private async failed(error: unknown): Promise<StreamSummary> {
    clearInterval(this.progressTimer);
    const message = errorMessage(error);
    if (this.load) await this.load.abort().catch(() => undefined);
    this.run.logger.warn('stream failed', { stream: this.name, error: message });
    this.emit('failed', message);
    const { mode, ...summary } = this.summary('failed');
    return { ...summary, error: message, mode };
  }

  private summary(status: 'ok' | 'failed'): StreamSummary {
    return {
      stream: this.name,
      rows: this.pipeline?.committed ?? 0,
      requests: this.tally.requests,
      seconds: (performance.now() - this.startedMs) / 1000,
      rowsMarkedDeleted: 0,
      status,
      mode: this.bookmark.mode,
    };
  }

  /**
   * Reports rows read (committed, being written, or gathered), on every page, every commit and
   * the timer: the count only grows while the stream runs, as the console shows it.
   */
  private report(): void {
    this.run.emit({
      stream: this.name,
      rows: this.pipeline?.read ?? 0,
      requests: this.tally.requests,
      limitWaitMs: this.tally.limitWaitMs,
      phase: 'running',
    });
  }

  private emit(phase: 'done' | 'failed', error?: string): void {
    this.run.emit({
      stream: this.name,
      rows: this.pipeline?.committed ?? 0,
      requests: this.tally.requests,
      limitWaitMs: this.tally.limitWaitMs,
      phase,
      ...(error !== undefined ? { error } : {}),
    });
  }
}
