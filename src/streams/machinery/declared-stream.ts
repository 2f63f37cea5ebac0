/** A `Stream` out of a declaration, its record type and its page source. */
import type { BatchCommand } from '../../client/index.js';
import type { JsonSchema } from '../../schema/index.js';
import type { StreamDeclaration } from '../declaration.js';
import type { ReadContext, RecordPage, ReplicationMethod, Stream, StreamGroup } from '../stream.js';
import { isoSeconds, timeOf } from './bookmark-window.js';
import { keyedRead, type PageSource, type ReadRange } from './keyed-read.js';
import type { RecordTyper } from './typed-records.js';

export class DeclaredStream implements Stream {
  readonly name: string;
  readonly title?: string;
  readonly group: StreamGroup;
  readonly description: string;
  readonly keyProperties: readonly string[];
  readonly replicationKey?: string;
  readonly validReplicationKeys: readonly string[];
  readonly forcedReplicationMethod?: ReplicationMethod;
  readonly scopes: readonly string[];
  readonly parent?: string;
  readonly schema: JsonSchema;

  constructor(
    readonly declaration: StreamDeclaration,
    readonly typer: RecordTyper,
    private readonly source: PageSource,
    /** For families with one stream per portal object (smart processes): this stream's own text. */
    description?: string,
    /** And its title, as the portal names the object. */
    title?: string,
  ) {
    this.name = typer.streamName;
    if (title !== undefined) this.title = title;
    this.group = declaration.group;
    this.description = description ?? declaration.description;
    this.keyProperties = declaration.keyProperties;
    this.replicationKey = declaration.replicationKey;
    this.validReplicationKeys = declaration.validReplicationKeys;
    this.forcedReplicationMethod = declaration.forcedReplicationMethod;
    this.scopes = declaration.scopes;
    this.parent = declaration.parent;
    this.schema = typer.schema;
  }

  get notCountable(): string | undefined {
    if (this.source.count) return undefined;
    if (this.parent !== undefined) return `read per ${this.parent} record; no list answers its total`;
    if (this.declaration.method.endsWith('.fields'))
      return `${this.declaration.method} describes fields; it answers no total`;
    return `${this.declaration.method} answers no total to count by`;
  }

  /** The first-page request of a whole read from no bookmark: its `total` is the stream's size. */
  countRequest(ctx: ReadContext): BatchCommand | undefined {
    if (!this.source.count) return undefined;
    const key =
      ctx.replicationKey && this.validReplicationKeys.includes(ctx.replicationKey)
        ? ctx.replicationKey
        : this.replicationKey;
    const incremental = (this.forcedReplicationMethod ?? ctx.replicationMethod) === 'INCREMENTAL';
    const range: ReadRange = { keysOnly: true };
    // A first incremental read starts at `start_date`, and rows only move forward in time, so
    // the rows a warehouse holds are those modified since then.
    if (incremental && key !== undefined && ctx.options.start_date)
      range.lowerBound = { field: key, value: isoSeconds(timeOf(ctx.options.start_date)) };
    return this.source.count(range, ctx);
  }

  read(ctx: ReadContext): AsyncIterable<RecordPage> {
    const replicationMethod = this.forcedReplicationMethod ?? ctx.replicationMethod;
    const replicationKey =
      ctx.replicationKey && this.validReplicationKeys.includes(ctx.replicationKey)
        ? ctx.replicationKey
        : this.replicationKey;
    return keyedRead(
      { source: this.source, typer: this.typer, replicationKey },
      { ...ctx, replicationMethod, replicationKey },
    );
  }
}
