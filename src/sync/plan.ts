/**
 * The one planner: from discovered streams, the config's `streams` section and the command line's
 * `--streams`, which streams a run reads and how. `sync` (and everything built on it) and Singer
 * mode without a catalog both ask here, so the same config gives the same streams, the same sync
 * types and the same errors in both; `sync` then adds the table each stream lands in.
 */
import { STREAM_DECLARATIONS } from '../streams/catalog.js';
import { type StreamDeclaration, syncTypeOf } from '../streams/declaration.js';
import { declarationNamed, isPerObject } from '../streams/relations.js';
import {
  type Discovery,
  isSelectedByDefault,
  type ReplicationMethod,
  type Stream,
  type UnavailableStream,
} from '../streams/stream.js';
import { ConfigError, type TapConfig } from './config.js';
import { checkConfiguredStreams, closestName } from './configured-streams.js';
import type { StreamSelection } from './engine.js';

/**
 * The default database schema: raw, as-loaded tables. Not `bitrix24`, which DuckDB could not tell
 * apart from the default file bitrix24.duckdb's own catalog name.
 */
export const DEFAULT_LAYER = 'raw';

export interface PlanOptions {
  /** Only these streams (the command line's `--streams`); unknown names are an error. */
  only?: readonly string[];
}

export interface SyncPlanOptions extends PlanOptions {
  /**
   * Read everything this run and replace every table atomically. Incremental streams keep their
   * method (read from no bookmark), so they end the run with a fresh bookmark.
   */
  full?: boolean;
}

export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

/** One stream a run reads, and how. */
export interface PlannedStream {
  stream: Stream;
  replicationMethod: ReplicationMethod;
  /** Set for INCREMENTAL: the declared replication key. */
  replicationKey?: string;
}

export interface StreamPlan {
  streams: PlannedStream[];
  /** Streams the run wanted that discovery could not offer: the run reports them as failed. */
  unavailable: UnavailableStream[];
}

export interface SyncPlan {
  selections: StreamSelection[];
  unavailable: UnavailableStream[];
}

type StreamsConfig = Pick<TapConfig, 'streams'>;

/**
 * The streams a run under `config` may read, known from the declarations before any call: what
 * discovery describes (each describe call costs the portal operating time). Exactly `only` when
 * given; else every stream the config or its declared default selects, a per-object family
 * (`spa_{entityTypeId}`) by its templated name, since its streams are known only once the portal
 * lists its smart processes. Undefined (describe everything) when a name in `only` or under the
 * config's `streams` belongs to no stream: the planner then reports it against every stream the
 * portal offers, with the closest as a hint.
 */
export function streamsToDiscover(config: StreamsConfig, options: PlanOptions = {}): string[] | undefined {
  const named = [...(options.only ?? []), ...Object.keys(config.streams)];
  if (named.some((name) => declarationNamed(name) === undefined)) return undefined;
  if (options.only) return [...options.only];
  return STREAM_DECLARATIONS.filter((d) => selectsAny(d, config)).map((d) => d.name);
}

/** Whether the config (or the declared default) selects a stream of the family `d`. */
function selectsAny(d: StreamDeclaration, config: StreamsConfig): boolean {
  const byDefault = isSelectedByDefault({ declaration: d });
  if (!isPerObject(d)) return config.streams[d.name]?.selected ?? byDefault;
  // One stream per smart process: any of them the config leaves at the default or selects.
  if (byDefault) return true;
  return Object.entries(config.streams).some(
    ([name, entry]) => entry.selected === true && declarationNamed(name)?.declaration === d,
  );
}

/** The streams a run reads under `config`, in discovery order, or exactly `only`. */
export function planStreams(
  discovery: Discovery,
  config: StreamsConfig,
  options: PlanOptions = {},
): StreamPlan {
  checkConfiguredStreams(config.streams, discovery);
  const unavailable = wantedUnavailable(discovery.unavailable, config, options.only);
  const gone = new Set(unavailable.map((u) => u.name));
  const only = options.only?.filter((name) => !gone.has(name));
  const undescribed = (discovery.undescribed ?? []).filter((d) => !isPerObject(d)).map((d) => d.name);
  return { streams: chooseStreams(discovery.streams, config, only, undescribed), unavailable };
}

/** `planStreams`, each stream with the table it lands in. */
export function planSync(discovery: Discovery, config: TapConfig, options: SyncPlanOptions = {}): SyncPlan {
  const plan = planStreams(discovery, config, options);
  const selections = plan.streams.map(({ stream, replicationMethod, replicationKey }) => {
    const entry = config.streams[stream.name] ?? {};
    const selection: StreamSelection = {
      stream,
      replicationMethod,
      ...(replicationKey !== undefined ? { replicationKey } : {}),
      ...(options.full ? { replace: true } : {}),
      table: {
        stream: stream.name,
        ...streamTarget(config, stream.name),
        folder: entry.folder ?? stream.group,
        keyProperties: stream.keyProperties,
        schema: stream.schema,
        replicationMethod,
        historyDays: config.history_days,
      },
    };
    return selection;
  });
  return { selections, unavailable: plan.unavailable };
}

/**
 * The schema and table a stream lands in under `config`: its `layer` (default `raw`) and its
 * `table` (default the stream's name), after `table_prefix`. The plan and the models both ask here.
 */
export function streamTarget(
  config: Pick<TapConfig, 'streams' | 'table_prefix'>,
  stream: string,
): { layer: string; table: string } {
  const entry = config.streams[stream] ?? {};
  return { layer: entry.layer ?? DEFAULT_LAYER, table: config.table_prefix + (entry.table ?? stream) };
}

function chooseStreams(
  streams: readonly Stream[],
  config: StreamsConfig,
  only: readonly string[] | undefined,
  undescribed: readonly string[],
): PlannedStream[] {
  const byName = new Map(streams.map((s) => [s.name, s]));
  if (only) checkOnly(only, [...byName.keys()], undescribed);
  const wanted = only ? new Set(only) : undefined;
  const planned: PlannedStream[] = [];
  for (const stream of streams) {
    const entry = config.streams[stream.name] ?? {};
    if (wanted ? !wanted.has(stream.name) : !(entry.selected ?? isSelectedByDefault(stream))) continue;
    const replicationMethod = methodFor(stream, config);
    planned.push({
      stream,
      replicationMethod,
      ...(replicationMethod === 'INCREMENTAL' && stream.replicationKey !== undefined
        ? { replicationKey: stream.replicationKey }
        : {}),
    });
  }
  return planned;
}

/** `undescribed`: streams offered too, but not described for this run; named in the error only. */
function checkOnly(
  only: readonly string[],
  described: readonly string[],
  undescribed: readonly string[],
): void {
  const unknown = only.filter((name) => !described.includes(name));
  if (unknown.length === 0) return;
  const offered = [...described, ...undescribed];
  const guesses = unknown.flatMap((name) => {
    const guess = closestName(name, offered);
    if (!guess) return [];
    return unknown.length === 1 ? [`\`${guess}\``] : [`\`${guess}\` for ${name}`];
  });
  const hint = guesses.length > 0 ? ` (did you mean ${guesses.join(', ')}?)` : '';
  throw new PlanError(
    `unknown or unavailable stream(s): ${unknown.join(', ')}${hint}; available: ${offered.join(', ')}`,
  );
}

/**
 * The config's `sync_type`, else the declared default. A sync type the stream cannot be read with
 * (INCREMENTAL for a stream with no replication key, or against its forced method) is refused:
 * reading it another way than the config says would be a silent surprise.
 */
function methodFor(stream: Stream, config: StreamsConfig): ReplicationMethod {
  const wanted = config.streams[stream.name]?.sync_type;
  const only =
    stream.forcedReplicationMethod ?? (stream.replicationKey === undefined ? 'FULL_TABLE' : undefined);
  if (wanted !== undefined && only !== undefined && wanted !== only) {
    const key = `streams.${stream.name}.sync_type`;
    const why = stream.replicationKey === undefined ? 'it has no replication key' : 'its sync type is fixed';
    throw new ConfigError(
      key,
      `config.${key}: ${stream.name} can only be read ${only} (${why}); set sync_type to ${only} or remove it`,
    );
  }
  return wanted ?? syncTypeOf(stream);
}

/**
 * The unavailable streams this run wanted. Naming a stream the configuration rules out (scope not
 * granted, option off) is a usage error, raised before anything runs. A stream the portal failed
 * at discovery is this run's failure, reported next to the streams that did sync, unless the
 * config deselects it (or `--streams` leaves it out).
 */
function wantedUnavailable(
  unavailable: readonly UnavailableStream[],
  config: StreamsConfig,
  only: readonly string[] | undefined,
): UnavailableStream[] {
  if (only) {
    const ruledOut = unavailable.filter((u) => only.includes(u.name) && u.cause !== 'call_failed');
    if (ruledOut.length > 0) {
      throw new PlanError(
        `stream(s) not available: ${ruledOut.map((u) => `${u.name} (${u.reason})`).join('; ')}`,
      );
    }
    return unavailable.filter((u) => only.includes(u.name));
  }
  // A stream the run would have synced: selected by the config, else by its declared default.
  return unavailable.filter(
    (u) => u.cause === 'call_failed' && (config.streams[u.name]?.selected ?? isSelectedByDefault(u)),
  );
}
