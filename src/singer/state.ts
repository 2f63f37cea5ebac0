/**
 * Reading `--state`. The current shape is Singer's `{"bookmarks": {"<stream>": {...}}}`; older
 * shapes stay loadable: Meltano's wrappers (`{"singer_state": …}`, `{"value": …}`) and the flat
 * `{"<stream>": {...}}` some earlier taps wrote.
 */
import { readFileSync } from 'node:fs';
import type { TapState } from '../destinations/destination.js';
import { StateError } from '../streams/index.js';

export { StateError };

/** A state file or message that does not parse, with the fix a Singer user needs. */
function stateFileError(source: string, problem: string): StateError {
  return new StateError(
    `state ${source}`,
    problem,
    'Pass the last STATE message\'s "value" from a previous run, or leave --state out to start from scratch.',
  );
}

export function readStateFile(path: string): TapState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw stateFileError(
      path,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return parseState(text, path);
}

export function parseState(text: string, source: string): TapState {
  // Meltano hands an empty file when it has no state yet.
  if (text.trim() === '') return { bookmarks: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw stateFileError(source, `is not valid JSON (${(error as Error).message})`);
  }
  return normaliseState(raw, source);
}

export function normaliseState(raw: unknown, source: string): TapState {
  if (!isObject(raw)) throw stateFileError(source, 'must be a JSON object like {"bookmarks": {...}}');
  const unwrapped = unwrap(raw);
  if ('bookmarks' in unwrapped) {
    const { bookmarks, ...extra } = unwrapped;
    if (!isObject(bookmarks))
      throw stateFileError(source, '"bookmarks" must be an object keyed by stream name');
    return { ...extra, bookmarks: checkBookmarks(bookmarks, 'bookmarks', source) };
  }
  // Flat legacy shape: every top-level value is a stream's bookmark.
  const { currently_syncing: currentlySyncing, ...streams } = unwrapped;
  const state: TapState = { bookmarks: checkBookmarks(streams, '', source) };
  if (currentlySyncing !== undefined) state.currently_syncing = currentlySyncing;
  return state;
}

function unwrap(raw: Record<string, unknown>): Record<string, unknown> {
  for (const wrapper of ['singer_state', 'value']) {
    const inner = raw[wrapper];
    if (Object.keys(raw).length === 1 && isObject(inner)) return unwrap(inner);
  }
  return raw;
}

function checkBookmarks(
  bookmarks: Record<string, unknown>,
  prefix: string,
  source: string,
): Record<string, Record<string, unknown>> {
  const checked: Record<string, Record<string, unknown>> = {};
  for (const [stream, bookmark] of Object.entries(bookmarks)) {
    const path = prefix ? `${prefix}.${stream}` : stream;
    if (!isObject(bookmark))
      throw stateFileError(source, `"${path}" must be an object (the stream's bookmark)`);
    for (const field of ['replication_key', 'replication_key_value'] as const) {
      const value = bookmark[field];
      if (value !== undefined && value !== null && typeof value !== 'string') {
        throw stateFileError(source, `"${path}.${field}" must be a string, not ${JSON.stringify(value)}`);
      }
    }
    if (bookmark.resume !== undefined && bookmark.resume !== null && !isObject(bookmark.resume)) {
      throw stateFileError(source, `"${path}.resume" must be an object`);
    }
    checked[stream] = bookmark;
  }
  return checked;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
