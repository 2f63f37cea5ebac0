/**
 * Step 1 of the wizard: reach the portal with the credentials as typed (server.time, scope,
 * discovery) and say, in plain words, what is wrong when it does not work.
 */
import { Bitrix24Client, type ClientLogger } from '../client/index.js';
import { discoverStreams, isSelectedByDefault } from '../streams/index.js';
import type { StreamGroup } from '../streams/stream.js';
import { ConfigError, checkConfig, clientOptionsFrom, streamOptionsFrom } from '../sync/config.js';
import { explainFailure } from '../sync/explain-failure.js';
import { DEFAULT_LAYER } from '../sync/plan.js';

export interface CheckedStream {
  name: string;
  /** A smart process's own title, shown beside the stream name. */
  title?: string;
  group: StreamGroup;
  /** Whether the wizard ticks it for a new source: the stream's declared default. */
  selectedByDefault: boolean;
  description: string;
  replicationKey?: string;
  /** Set when the stream can only be read one way (e.g. full table for `*_fields`). */
  forcedMethod?: 'INCREMENTAL' | 'FULL_TABLE';
  parent?: string;
  columns: number;
  suggested: { layer: string; folder: string; table: string };
}

export interface PortalCheck {
  ok: true;
  portalTime: string;
  scopes: string[];
  streams: CheckedStream[];
  unavailable: { name: string; reason: string; group: StreamGroup }[];
}

export interface PortalCheckFailure {
  ok: false;
  error: string;
  field?: string;
}

const quiet: ClientLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Discovery names config keys; in the console those are step 1's options. */
const OPTION_LABELS: Record<string, string> = {
  enable_deal_comments: '"Deal comments stream"',
  enable_deal_products: '"Deal products stream"',
  extract_deal_contacts: '"Extract deal contacts"',
};

function consoleReason(reason: string): string {
  const turnedOff = /^turned off; set (\w+): true to read it$/.exec(reason);
  const label = turnedOff ? OPTION_LABELS[turnedOff[1]] : undefined;
  return label ? `turned off; tick ${label} in step 1 to read it` : reason;
}

/** Why the first calls failed, pointing at the fix, in the words `check` and `sync` use. */
export function explainAccessError(error: unknown): string {
  return explainFailure(error);
}

export async function checkPortal(
  config: Record<string, unknown>,
): Promise<PortalCheck | PortalCheckFailure> {
  let client: Bitrix24Client | undefined;
  try {
    const tap = checkConfig(config);
    client = new Bitrix24Client({
      ...clientOptionsFrom(tap),
      logger: quiet,
      maxRetries: 1,
      timeoutMs: 15_000,
    });
    const portalTime = await client.serverTime();
    const scopes = await client.scopes();
    const discovery = await discoverStreams(client, streamOptionsFrom(tap), quiet);
    return {
      ok: true,
      portalTime,
      scopes,
      streams: discovery.streams.map((s) => ({
        name: s.name,
        ...(s.title ? { title: s.title } : {}),
        group: s.group,
        selectedByDefault: isSelectedByDefault(s),
        description: s.description,
        ...(s.replicationKey !== undefined ? { replicationKey: s.replicationKey } : {}),
        ...(s.forcedReplicationMethod ? { forcedMethod: s.forcedReplicationMethod } : {}),
        ...(s.parent ? { parent: s.parent } : {}),
        columns: Object.keys((s.schema as { properties?: object }).properties ?? {}).length,
        suggested: { layer: DEFAULT_LAYER, folder: s.group, table: s.name },
      })),
      unavailable: discovery.unavailable.map((u) => ({
        name: u.name,
        reason: consoleReason(u.reason),
        group: u.declaration.group,
      })),
    };
  } catch (error) {
    return {
      ok: false,
      error: explainAccessError(error),
      ...(error instanceof ConfigError ? { field: error.key } : { field: 'access' }),
    };
  } finally {
    await client?.close();
  }
}
