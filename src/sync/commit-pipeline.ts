/**
 * One stream's way from pages read to rows committed. Consecutive small pages are gathered into
 * one batch, since each commit has a fixed cost far above its rows'; a batch goes to the load with
 * the state of its last page, so the state committed never covers unwritten rows. A batch is
 * written while the next pages are read and normalised (the database works on its own threads),
 * but writes stay one at a time and in order, so each commit's state covers exactly the rows
 * committed before it.
 */
import type { StreamLoad } from '../destinations/destination.js';
import type { RecordPage, StreamState } from '../streams/stream.js';
import type { StreamBookmark } from './stream-bookmark.js';

/** A batch is committed once it holds this many rows, values (rows × fields) or milliseconds. */
export interface CommitLimits {
  rows: number;
  values: number;
  ms: number;
}

export class CommitPipeline {
  private records: Record<string, unknown>[] = [];
  private values = 0;
  /** The state of the batch's last page; undefined while no page is gathered. */
  private lastPageState: StreamState | undefined;
  private gatheredSince = 0;
  private extractedAt = new Date();
  private writing: Promise<void> | undefined;
  /**
   * Rows handed to `flush` and not yet committed: counted from the moment they leave the batch,
   * so rows read never seem to drop while a batch waits for the write before it.
   */
  private flushedRows = 0;
  /** Rows durable in the destination. */
  private committedRows = 0;

  constructor(
    private readonly load: StreamLoad,
    private readonly bookmark: StreamBookmark,
    private readonly limits: CommitLimits,
    /** Called after each batch is committed. */
    private readonly onCommit: () => void,
  ) {}

  get committed(): number {
    return this.committedRows;
  }

  /** Rows read so far: committed, being written, or gathered. */
  get read(): number {
    return this.committedRows + this.flushedRows + this.records.length;
  }

  /** Gathers a page; true once the batch reached a limit, so it is time to `flush`. */
  add(page: RecordPage): boolean {
    if (this.lastPageState === undefined) {
      this.gatheredSince = performance.now();
      this.extractedAt = new Date();
    }
    this.lastPageState = page.state;
    const records = page.records;
    for (const record of records) this.records.push(record);
    if (records.length > 0) this.values += records.length * fieldCount(records[0]);
    return (
      this.records.length >= this.limits.rows ||
      this.values >= this.limits.values ||
      performance.now() - this.gatheredSince >= this.limits.ms
    );
  }

  /** Starts writing the gathered pages; with `durable`, also waits until they are committed. */
  async flush(durable: boolean): Promise<void> {
    if (this.lastPageState !== undefined) {
      const batch = {
        records: this.records,
        state: this.bookmark.batchState(this.lastPageState),
        extractedAt: this.extractedAt,
      };
      this.records = [];
      this.values = 0;
      this.lastPageState = undefined;
      this.flushedRows += batch.records.length;
      await this.settle();
      // Only an upsert commits state with a batch, so only it has reason to commit no rows.
      if (batch.records.length > 0 || this.bookmark.mode === 'upsert') {
        const write = this.load.write(batch).then(() => {
          this.committedRows += batch.records.length;
          this.flushedRows -= batch.records.length;
          this.onCommit();
        });
        // Awaited by the next flush or settle; this only keeps a failure from being unhandled.
        write.catch(() => undefined);
        this.writing = write;
      }
    }
    if (durable) await this.settle();
  }

  /** Waits for the write under way, if any (and rethrows its failure). */
  async settle(): Promise<void> {
    const pending = this.writing;
    this.writing = undefined;
    if (pending) await pending;
  }
}

/** Fields of a record (records of a page share their shape). */
function fieldCount(record: Record<string, unknown> | undefined): number {
  let n = 0;
  for (const _ in record) n++;
  return Math.max(1, n);
}
