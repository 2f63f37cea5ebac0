/**
 * What a stream is to the rest of the connector. Streams are declared as data in this folder
 * (method, key, replication key, scope, how to page); `discoverStreams` turns the declarations
 * a portal supports into `Stream`s with schemas built from the portal's own `*.fields`.
 */
import type { BatchCommand, Bitrix24Client } from '../client/index.js';
import type { JsonSchema } from '../schema/index.js';
import type { ReplicationMethod, StreamDeclaration, StreamGroup } from './declaration.js';

export type { ReplicationMethod, StreamGroup };

/** A stream's bookmark, exactly as stored in Singer state under `bookmarks[stream]`. JSON only. */
export interface StreamState {
  replication_key?: string;
  replication_key_value?: string;
  /** Progress inside an unfinished run, so a killed run resumes where it stopped. */
  resume?: Record<string, string | number | null>;
  [extra: string]: unknown;
}

/** The connector options (configuration keys) a stream may read. */
export interface StreamOptions {
  extract_deal_contacts: boolean;
  enable_deal_comments: boolean;
  enable_deal_products: boolean;
  deal_category_ids: number[];
  start_date?: string;
  /** Seconds subtracted from the bookmark on the next incremental run (late commits, ties). */
  lookback_seconds: number;
}

export interface StreamLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export interface ReadContext {
  client: Bitrix24Client;
  options: StreamOptions;
  replicationMethod: ReplicationMethod;
  /** The replication key chosen in the catalog (one of `validReplicationKeys`). */
  replicationKey?: string;
  /** State from the previous run (or from an interrupted one, with `resume`). */
  state?: StreamState;
  /** The portal's clock when the run started: the bookmark is capped at it. ISO 8601. */
  runStartedAt: string;
  /** Properties selected in the catalog; key and replication key are always included. */
  selectedProperties?: ReadonlySet<string>;
  /**
   * Additional full sync: read an incremental stream whole. With `keysOnly` the stream may read
   * only its key properties (an ID-only scan), since the caller only needs to know what exists.
   */
  fullScan?: { keysOnly: boolean };
  logger: StreamLogger;
  signal?: AbortSignal;
  /**
   * What the streams of one run share, made once per run by the engine: e.g. one deal-ID scan
   * for every per-deal stream. Absent, each stream reads on its own.
   */
  shared?: Map<string, unknown>;
}

/** Records plus the state that is true once they are durable. */
export interface RecordPage {
  records: Record<string, unknown>[];
  state: StreamState;
}

export interface Stream {
  readonly name: string;
  /**
   * What people call the stream when it stands for one portal object: a smart process's own
   * title ("Equipment Procurement" for spa_128). Absent for the fixed streams, whose name says it.
   */
  readonly title?: string;
  readonly group: StreamGroup;
  readonly description: string;
  readonly keyProperties: readonly string[];
  /** The default replication key; undefined for full-table-only streams. */
  readonly replicationKey?: string;
  readonly validReplicationKeys: readonly string[];
  readonly forcedReplicationMethod?: ReplicationMethod;
  /** Any one of these scopes makes the stream available. */
  readonly scopes: readonly string[];
  /**
   * The family's declaration: its list method, relations and default selection are read here and
   * nowhere else. For a per-object stream (spa_128) it is the family's (`spa_{entityTypeId}`).
   */
  readonly declaration: StreamDeclaration;
  /** For child streams (deal_products, deal_comments…): the parent stream's name. */
  readonly parent?: string;
  /** The JSON Schema of one record, built at discovery. */
  readonly schema: JsonSchema;
  read(ctx: ReadContext): AsyncIterable<RecordPage>;
  /**
   * The request whose answer's `total` is how many rows a whole read of this stream holds (the
   * same filter, funnels and `start_date` as a read); undefined when the stream cannot be
   * counted that way, with `notCountable` saying why.
   */
  countRequest?(ctx: ReadContext): BatchCommand | undefined;
  /** Why `countRequest` has no request for this stream. */
  readonly notCountable?: string;
}

/**
 * Whether a stream starts selected when nobody chose: the one rule the Singer catalog, `sync`
 * and the console wizard all apply, read from the stream's declaration.
 */
export function isSelectedByDefault(stream: Pick<Stream, 'declaration'>): boolean {
  return stream.declaration.selectedByDefault !== false;
}

/**
 * Why a stream is left out. `not_granted` (the credentials lack its scope) and `turned_off` (its
 * option is off) are settled by configuration before any call; `call_failed` means the portal
 * refused or failed a call the stream needs (a method the edition lacks, access denied, errors
 * that outlasted the retries), so a run that wanted the stream did not get it.
 */
export type UnavailableCause = 'not_granted' | 'turned_off' | 'call_failed';

export interface UnavailableStream {
  name: string;
  /** The declaration of the stream's family, so a stream left out still says what it would be. */
  declaration: StreamDeclaration;
  /** One line, naming the method and the portal's answer. */
  reason: string;
  cause: UnavailableCause;
}

export interface Discovery {
  streams: Stream[];
  unavailable: UnavailableStream[];
  /**
   * Families granted and turned on that this discovery was not asked to describe (the run reads
   * none of their streams): their names are valid in a config, but no `Stream` exists for them.
   */
  undescribed?: StreamDeclaration[];
}
