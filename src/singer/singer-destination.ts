/**
 * The Singer "destination": the sync engine writes to it as to a database, and it speaks Singer on
 * stdout instead. The target is the one that stores rows, so a page's STATE is emitted right after
 * the page's RECORDs: a target commits state only once it has flushed the records before it.
 */
import type {
  Destination,
  LoadMode,
  LoadSummary,
  StreamLoad,
  StreamTable,
  TapState,
} from '../destinations/destination.js';
import { propertyNames } from './catalog.js';
import { type MessageWriter, type RecordMessage, rfc3339 } from './messages.js';

export interface SingerDestinationOptions {
  writer: MessageWriter;
  /** State from `--state`, already normalised. */
  state?: TapState;
  /** Replication key per stream, announced as SCHEMA's `bookmark_properties`. */
  bookmarkProperties?: ReadonlyMap<string, string>;
  /** Called when a stream's load ends, with the number of records it emitted. */
  onStreamDone?: (stream: string, records: number) => void;
  /** Table versions for FULL_TABLE streams; a clock in tests. */
  now?: () => number;
}

export class SingerDestination implements Destination {
  readonly kind = 'singer' as const;
  readonly description = 'Singer messages on stdout';
  private readonly writer: MessageWriter;
  private readonly state: TapState;
  private readonly bookmarkProperties: ReadonlyMap<string, string>;
  private readonly onStreamDone?: (stream: string, records: number) => void;
  private readonly now: () => number;
  private lastVersion = 0;

  constructor(options: SingerDestinationOptions) {
    this.writer = options.writer;
    this.state = structuredClone(options.state ?? { bookmarks: {} });
    this.bookmarkProperties = options.bookmarkProperties ?? new Map();
    this.onStreamDone = options.onStreamDone;
    this.now = options.now ?? Date.now;
  }

  async loadState(): Promise<TapState> {
    return structuredClone(this.state);
  }

  /** The whole state as last emitted. */
  currentState(): TapState {
    return structuredClone(this.state);
  }

  /** SCHEMA, restricted to the selected properties (the table's schema is already projected). */
  async prepare(table: StreamTable): Promise<void> {
    const key = this.bookmarkProperties.get(table.stream);
    await this.writer.write({
      type: 'SCHEMA',
      stream: table.stream,
      schema: table.schema,
      key_properties: [...table.keyProperties],
      ...(key && table.replicationMethod === 'INCREMENTAL' ? { bookmark_properties: [key] } : {}),
    });
  }

  async begin(table: StreamTable, mode: LoadMode): Promise<StreamLoad> {
    // Versions must grow even when two full-table streams begin within the same millisecond.
    let version: number | undefined;
    if (mode === 'replace') {
      this.lastVersion = Math.max(this.now(), this.lastVersion + 1);
      version = this.lastVersion;
    }
    const properties = propertyNames(table.schema);
    const keep = properties.length > 0 ? new Set(properties) : undefined;
    let records = 0;
    const emitState = async (streamState: Record<string, unknown>): Promise<void> => {
      this.state.bookmarks[table.stream] = structuredClone(streamState);
      await this.writer.write({ type: 'STATE', value: structuredClone(this.state) });
    };
    return {
      write: async ({ records: rows, state: streamState, extractedAt }) => {
        const timeExtracted = rfc3339(extractedAt);
        const stream = table.stream;
        await this.writer.writeAll(
          (function* (): Generator<RecordMessage> {
            for (const row of rows) {
              const record = keep ? pick(row, keep) : row;
              yield version === undefined
                ? { type: 'RECORD', stream, record, time_extracted: timeExtracted }
                : { type: 'RECORD', stream, record, time_extracted: timeExtracted, version };
            }
          })(),
        );
        records += rows.length;
        await emitState(streamState);
      },
      finish: async (streamState): Promise<LoadSummary> => {
        if (version !== undefined) {
          await this.writer.write({ type: 'ACTIVATE_VERSION', stream: table.stream, version });
        }
        await emitState(streamState);
        this.onStreamDone?.(table.stream, records);
        return { rowsWritten: records, rowsMarkedDeleted: 0 };
      },
      // Records already emitted cannot be taken back; without ACTIVATE_VERSION the target keeps
      // the previous version of a full table, and the bookmark stays at the last emitted STATE.
      abort: async () => {
        this.onStreamDone?.(table.stream, records);
      },
    };
  }

  /** Not applicable: the rows live in the target, which a tap cannot query. Always -1. */
  async countRows(_table: StreamTable): Promise<number> {
    return -1;
  }

  async close(): Promise<void> {
    await this.writer.flush();
  }
}

/** The row's selected properties: the row itself when it has no others (the usual case). */
function pick(row: Record<string, unknown>, keep: ReadonlySet<string>): Record<string, unknown> {
  for (const name in row) if (!keep.has(name)) return onlyKept(row, keep);
  return row;
}

function onlyKept(row: Record<string, unknown>, keep: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in row) if (keep.has(name)) out[name] = row[name];
  return out;
}
