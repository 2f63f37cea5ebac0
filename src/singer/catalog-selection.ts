/**
 * From a catalog to the streams a run syncs: which streams and properties are selected, and with
 * which replication method and key (without a catalog the config decides, through the planner
 * `sync` uses, src/sync/plan.ts). Checked against what
 * discovery offers now, so a stream whose scope was withdrawn is skipped with a warning, while a
 * selected stream the portal failed at discovery is kept as `unavailable`: the run reports it and
 * ends non-zero once the other streams are done.
 */
import type { JsonSchema } from '../schema/index.js';
import type { Discovery, ReplicationMethod, Stream, UnavailableStream } from '../streams/stream.js';
import {
  type Catalog,
  type CatalogEntry,
  CatalogError,
  defaultReplicationMethod,
  propertyNames,
  REDISCOVER,
} from './catalog.js';

/** What a catalog (or the defaults) says to sync for one stream. */
export interface CatalogSelection {
  stream: Stream;
  replicationMethod: ReplicationMethod;
  replicationKey?: string;
  /** Undefined when every property is selected. Always holds the key and replication key. */
  selectedProperties?: ReadonlySet<string>;
}

export interface CatalogResolution {
  selections: CatalogSelection[];
  warnings: string[];
  /** Selected streams whose discovery calls failed on the portal. */
  unavailable: UnavailableStream[];
}

/** Turns a catalog into the streams to sync, checked against what discovery offers now. */
export function selectionsFromCatalog(
  catalog: Catalog,
  discovery: Discovery,
  source: string,
): CatalogResolution {
  const offered = new Map(discovery.streams.map((stream) => [stream.name, stream]));
  const unavailable = new Map(discovery.unavailable.map((u) => [u.name, u]));
  const selections: CatalogSelection[] = [];
  const warnings: string[] = [];
  const failed: UnavailableStream[] = [];
  catalog.streams.forEach((entry, i) => {
    const { path, name, root, rootPath } = entryRoot(entry, i);
    if (!isStreamSelected(entry, root, `${rootPath}.selected`, source)) return;
    const stream = offered.get(name);
    if (!stream) {
      const gone = unavailable.get(name);
      if (gone?.cause === 'call_failed') failed.push(gone);
      const reason = gone?.reason ?? 'the portal does not offer it';
      warnings.push(`stream '${name}' is selected in the catalog but not available (${reason}); skipping it`);
      return;
    }
    const { method, key } = replicationOf(stream, entry, root, path, rootPath, source, warnings);
    const always = new Set<string>([...stream.keyProperties, ...(key ? [key] : [])]);
    const all = propertyNames(stream.schema);
    const chosen = all.filter((property) => always.has(property) || isPropertySelected(entry, property));
    const selection: CatalogSelection = { stream, replicationMethod: method };
    if (key) selection.replicationKey = key;
    if (chosen.length < all.length) selection.selectedProperties = new Set(chosen);
    selections.push(selection);
  });
  return { selections, warnings, unavailable: failed };
}

/**
 * The names of the streams a catalog selects, read before discovery: a run describes only their
 * families. A selection that is not true or false fails here, before any request.
 */
export function catalogSelectedStreams(catalog: Catalog, source: string): string[] {
  return catalog.streams.flatMap((entry, i) => {
    const { name, root, rootPath } = entryRoot(entry, i);
    return isStreamSelected(entry, root, `${rootPath}.selected`, source) ? [name] : [];
  });
}

/** A catalog entry's stream name and its root (empty breadcrumb) metadata, with their paths. */
function entryRoot(entry: CatalogEntry, i: number) {
  const path = `streams[${i}]`;
  const rootIndex = entry.metadata.findIndex((m) => m.breadcrumb.length === 0);
  return {
    path,
    name: entry.tap_stream_id ?? entry.stream,
    root: rootIndex >= 0 ? entry.metadata[rootIndex]!.metadata : {},
    rootPath: `${path}.metadata[${rootIndex}].metadata`,
  };
}

function isStreamSelected(
  entry: CatalogEntry,
  root: Record<string, unknown>,
  path: string,
  source: string,
): boolean {
  const selected = root.selected ?? entry.selected;
  if (selected === undefined) return root['selected-by-default'] === true;
  if (typeof selected !== 'boolean')
    throw new CatalogError(source, path, 'must be true or false', REDISCOVER);
  return selected;
}

function isPropertySelected(entry: CatalogEntry, property: string): boolean {
  const item = entry.metadata.find((m) => m.breadcrumb.length === 2 && m.breadcrumb[1] === property);
  // A property the catalog does not mention appeared after it was made: take it.
  if (!item) return true;
  const md = item.metadata;
  if (md.inclusion === 'automatic') return true;
  if (md.inclusion === 'unsupported') return false;
  if (typeof md.selected === 'boolean') return md.selected;
  if (typeof md['selected-by-default'] === 'boolean') return md['selected-by-default'];
  return true;
}

function replicationOf(
  stream: Stream,
  entry: CatalogEntry,
  root: Record<string, unknown>,
  path: string,
  rootPath: string,
  source: string,
  warnings: string[],
): { method: ReplicationMethod; key?: string } {
  const fromRoot = root['replication-method'];
  const requested = fromRoot ?? entry.replication_method;
  const methodPath = fromRoot !== undefined ? `${rootPath}.replication-method` : `${path}.replication_method`;
  if (requested !== undefined && requested !== 'INCREMENTAL' && requested !== 'FULL_TABLE') {
    throw new CatalogError(
      source,
      methodPath,
      `replication method ${JSON.stringify(requested)} is not supported`,
      'Use "INCREMENTAL" or "FULL_TABLE".',
    );
  }
  let method: ReplicationMethod = requested ?? defaultReplicationMethod(stream);
  if (stream.forcedReplicationMethod && method !== stream.forcedReplicationMethod) {
    warnings.push(
      `stream '${stream.name}' can only be read ${stream.forcedReplicationMethod}; ignoring ${method} at ${methodPath}`,
    );
    method = stream.forcedReplicationMethod;
  }
  if (method === 'FULL_TABLE') return { method };
  const keyFromRoot = root['replication-key'];
  const key = keyFromRoot ?? entry.replication_key ?? stream.replicationKey;
  const keyPath = keyFromRoot !== undefined ? `${rootPath}.replication-key` : `${path}.replication_key`;
  if (stream.validReplicationKeys.length === 0) {
    throw new CatalogError(
      source,
      methodPath,
      `stream '${stream.name}' has no replication key, so it cannot be INCREMENTAL`,
      'Set "replication-method" to "FULL_TABLE".',
    );
  }
  if (typeof key !== 'string' || !stream.validReplicationKeys.includes(key)) {
    throw new CatalogError(
      source,
      keyPath,
      `${JSON.stringify(key)} is not a replication key of '${stream.name}'`,
      `Use one of: ${stream.validReplicationKeys.join(', ')}.`,
    );
  }
  return { method, key };
}

/** The schema restricted to the selected properties (all of them when `selected` is undefined). */
export function projectSchema(schema: JsonSchema, selected: ReadonlySet<string> | undefined): JsonSchema {
  const object = schema as { properties?: Record<string, unknown>; required?: string[] };
  if (!selected || !object.properties) return schema;
  const properties = Object.fromEntries(
    Object.entries(object.properties).filter(([name]) => selected.has(name)),
  );
  const projected: Record<string, unknown> = { ...object, properties };
  if (object.required) projected.required = object.required.filter((name) => selected.has(name));
  return projected as JsonSchema;
}
