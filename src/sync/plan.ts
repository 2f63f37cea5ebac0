/**
 * Turns discovered streams plus the config's `streams` section (and the command line's
 * `--streams` / `--full`) into what the engine runs: which streams, how, and into which table.
 */
import { isSelectedByDefault, type ReplicationMethod, type Stream } from '../streams/stream.js';
import { ConfigError, type TapConfig } from './config.js';
import { closestName } from './configured-streams.js';
import type { StreamSelection } from './engine.js';

/** The database schema tables go to unless a stream's `layer` says otherwise. */
/**
 * The default database schema: raw, as-loaded tables. Not `bitrix24`, which DuckDB could not tell
 * apart from the default file bitrix24.duckdb's own catalog name.
 */
export const DEFAULT_LAYER = 'raw';

export interface PlanOptions {
  /** Only these streams (the command line's `--streams`); unknown names are an error. */
  only?: readonly string[];
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

function methodFor(stream: Stream, config: TapConfig): ReplicationMethod {
  if (stream.forcedReplicationMethod) return stream.forcedReplicationMethod;
  const wanted = config.streams[stream.name]?.sync_type;
  if (wanted === 'INCREMENTAL' && stream.replicationKey === undefined) {
    throw new ConfigError(
      `streams.${stream.name}.sync_type`,
      `config.streams.${stream.name}.sync_type: ${stream.name} has no replication key, so only FULL_TABLE is possible`,
    );
  }
  return wanted ?? (stream.replicationKey !== undefined ? 'INCREMENTAL' : 'FULL_TABLE');
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

/**
 * Streams to run, in discovery order: those the config selects, else those its declaration
 * selects by default, or exactly `only`.
 */
export function planSync(
  streams: readonly Stream[],
  config: TapConfig,
  options: PlanOptions = {},
): StreamSelection[] {
  const byName = new Map(streams.map((s) => [s.name, s]));
  if (options.only) {
    const unknown = options.only.filter((name) => !byName.has(name));
    if (unknown.length > 0) {
      const guesses = unknown.flatMap((name) => {
        const guess = closestName(name, [...byName.keys()]);
        if (!guess) return [];
        return unknown.length === 1 ? [`\`${guess}\``] : [`\`${guess}\` for ${name}`];
      });
      const hint = guesses.length > 0 ? ` (did you mean ${guesses.join(', ')}?)` : '';
      throw new PlanError(
        `unknown or unavailable stream(s): ${unknown.join(', ')}${hint}; available: ${[...byName.keys()].join(', ')}`,
      );
    }
  }
  const only = options.only ? new Set(options.only) : undefined;
  const selections: StreamSelection[] = [];
  for (const stream of streams) {
    const entry = config.streams[stream.name] ?? {};
    if (only ? !only.has(stream.name) : !(entry.selected ?? isSelectedByDefault(stream))) continue;
    const replicationMethod = methodFor(stream, config);
    selections.push({
      stream,
      replicationMethod,
      ...(replicationMethod === 'INCREMENTAL' && stream.replicationKey !== undefined
        ? { replicationKey: stream.replicationKey }
        : {}),
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
    });
  }
  return selections;
}
