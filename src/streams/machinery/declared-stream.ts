/** A `Stream` out of a declaration, its record type and its page source. */
import type { JsonSchema } from '../../schema/index.js';
import type { StreamDeclaration } from '../declaration.js';
import type { ReadContext, RecordPage, ReplicationMethod, Stream, StreamGroup } from '../stream.js';
import { keyedRead, type PageSource } from './keyed-read.js';
import type { RecordTyper } from './typed-records.js';

export class DeclaredStream implements Stream {
  readonly name: string;
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
  ) {
    this.name = typer.streamName;
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
