/**
 * The Singer catalog: what `--discover` prints, and what `--catalog` hands back with the user's
 * choices (selected streams and fields, replication method and key). Parsing is strict about
 * shape, naming the path inside the catalog that is wrong, and lenient about streams the portal
 * no longer offers (a withdrawn scope must not fail a scheduled run).
 */
import type { JsonSchema } from '../schema/index.js';
import { syncTypeOf } from '../streams/declaration.js';
import {
  type Discovery,
  isSelectedByDefault,
  type ReplicationMethod,
  type Stream,
} from '../streams/stream.js';

export type Breadcrumb = [] | ['properties', string];

export interface CatalogMetadataEntry {
  breadcrumb: string[];
  metadata: Record<string, unknown>;
}

export interface CatalogEntry {
  tap_stream_id: string;
  stream: string;
  schema: JsonSchema;
  key_properties: string[];
  replication_key?: string;
  replication_method?: ReplicationMethod;
  metadata: CatalogMetadataEntry[];
  /** Legacy Singer catalogs put `selected` on the entry itself. */
  selected?: boolean;
}

export interface Catalog {
  streams: CatalogEntry[];
}

export class CatalogError extends Error {
  readonly path: string;
  constructor(source: string, path: string, problem: string, fix: string) {
    super(`catalog ${source}: ${path ? `at ${path}: ` : ''}${problem}. ${fix}`);
    this.name = 'CatalogError';
    this.path = path;
  }
}

export const REDISCOVER =
  'Run `tap-bitrix24 --config CONFIG --discover > catalog.json` to get a valid catalog.';

/** The declared sync type: the same rule the reference doc and the planner apply. */
export function defaultReplicationMethod(stream: Stream): ReplicationMethod {
  return syncTypeOf(stream);
}

export function propertyNames(schema: JsonSchema): string[] {
  const properties = (schema as { properties?: Record<string, unknown> }).properties;
  return properties ? Object.keys(properties) : [];
}

export function catalogFromDiscovery(discovery: Discovery): Catalog {
  return { streams: discovery.streams.map(catalogEntry) };
}

function catalogEntry(stream: Stream): CatalogEntry {
  const method = defaultReplicationMethod(stream);
  const replicationKey = method === 'INCREMENTAL' ? stream.replicationKey : undefined;
  const selectedByDefault = isSelectedByDefault(stream);
  const automatic = new Set<string>([...stream.keyProperties, ...(replicationKey ? [replicationKey] : [])]);
  const root: Record<string, unknown> = {
    inclusion: 'available',
    'table-key-properties': [...stream.keyProperties],
    'valid-replication-keys': [...stream.validReplicationKeys],
    'replication-method': method,
    'selected-by-default': selectedByDefault,
    selected: selectedByDefault,
  };
  if (replicationKey) root['replication-key'] = replicationKey;
  if (stream.forcedReplicationMethod) root['forced-replication-method'] = stream.forcedReplicationMethod;
  const metadata: CatalogMetadataEntry[] = [{ breadcrumb: [], metadata: root }];
  for (const name of propertyNames(stream.schema)) {
    metadata.push({
      breadcrumb: ['properties', name],
      metadata: { inclusion: automatic.has(name) ? 'automatic' : 'available', 'selected-by-default': true },
    });
  }
  const entry: CatalogEntry = {
    tap_stream_id: stream.name,
    stream: stream.name,
    schema: stream.schema,
    key_properties: [...stream.keyProperties],
    replication_method: method,
    metadata,
  };
  if (replicationKey) entry.replication_key = replicationKey;
  return entry;
}

/** Checks a catalog's shape, naming the first wrong path. */
export function parseCatalog(text: string, source: string): Catalog {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CatalogError(source, '', `is not valid JSON (${(error as Error).message})`, REDISCOVER);
  }
  if (!isObject(raw))
    throw new CatalogError(source, '', 'must be a JSON object {"streams": [...]}', REDISCOVER);
  if (!Array.isArray(raw.streams)) {
    throw new CatalogError(source, 'streams', 'must be an array of stream entries', REDISCOVER);
  }
  raw.streams.forEach((entry: unknown, i: number) => {
    checkEntry(entry, `streams[${i}]`, source);
  });
  return raw as unknown as Catalog;
}

function checkEntry(entry: unknown, path: string, source: string): void {
  if (!isObject(entry)) throw new CatalogError(source, path, 'must be an object', REDISCOVER);
  if (typeof entry.tap_stream_id !== 'string' && typeof entry.stream !== 'string') {
    throw new CatalogError(
      source,
      `${path}.tap_stream_id`,
      'is missing (a stream name is needed)',
      REDISCOVER,
    );
  }
  if (entry.metadata === undefined) entry.metadata = [];
  if (!Array.isArray(entry.metadata)) {
    throw new CatalogError(
      source,
      `${path}.metadata`,
      'must be an array of {breadcrumb, metadata}',
      REDISCOVER,
    );
  }
  entry.metadata.forEach((item: unknown, j: number) => {
    const at = `${path}.metadata[${j}]`;
    if (!isObject(item)) throw new CatalogError(source, at, 'must be an object', REDISCOVER);
    if (!Array.isArray(item.breadcrumb) || !item.breadcrumb.every((part) => typeof part === 'string')) {
      throw new CatalogError(
        source,
        `${at}.breadcrumb`,
        'must be an array of strings ([] for the stream)',
        REDISCOVER,
      );
    }
    if (!isObject(item.metadata))
      throw new CatalogError(source, `${at}.metadata`, 'must be an object', REDISCOVER);
  });
  if (entry.key_properties !== undefined && !Array.isArray(entry.key_properties)) {
    throw new CatalogError(
      source,
      `${path}.key_properties`,
      'must be an array of property names',
      REDISCOVER,
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
