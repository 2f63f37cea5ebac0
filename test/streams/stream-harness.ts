/**
 * Shared set-up for the stream tests: an emulated portal on loopback, a real client against it,
 * discovery, and a reader that drains a stream the way the sync engine does.
 */
import { Bitrix24Client } from '../../src/client/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { discoverStreams } from '../../src/streams/index.js';
import type {
  Discovery,
  ReadContext,
  RecordPage,
  Stream,
  StreamLogger,
  StreamOptions,
  StreamState,
} from '../../src/streams/stream.js';

export interface PortalUnderTest {
  emulator: RunningEmulator;
  client: Bitrix24Client;
  options: StreamOptions;
  logger: CollectingLogger;
  discovery: Discovery;
  close(): Promise<void>;
}

export class CollectingLogger implements StreamLogger {
  readonly warnings: { msg: string; fields?: Record<string, unknown> }[] = [];
  debug(): void {}
  info(): void {}
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.warnings.push({ msg, fields });
  }
}

export const DEFAULT_OPTIONS: StreamOptions = {
  extract_deal_contacts: false,
  enable_deal_comments: false,
  enable_deal_products: false,
  deal_category_ids: [],
  lookback_seconds: 300,
};

export async function openPortal(input: {
  seed?: number;
  scale?: number;
  scopes?: string[];
  options?: Partial<StreamOptions>;
}): Promise<PortalUnderTest> {
  const emulator = await startEmulator({
    seed: input.seed ?? 7,
    scale: input.scale ?? 200,
    plan: 'unlimited',
    timeScale: 1000,
    scopes: input.scopes,
  });
  const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
  const options = { ...DEFAULT_OPTIONS, ...input.options };
  const logger = new CollectingLogger();
  try {
    const discovery = await discoverStreams(client, options, logger);
    return {
      emulator,
      client,
      options,
      logger,
      discovery,
      close: async () => {
        await client.close();
        await emulator.close();
      },
    };
  } catch (error) {
    await client.close();
    await emulator.close();
    throw error;
  }
}

export function streamNamed(portal: PortalUnderTest, name: string): Stream {
  const stream = portal.discovery.streams.find((s) => s.name === name);
  if (!stream)
    throw new Error(
      `stream ${name} not discovered; unavailable: ${JSON.stringify(portal.discovery.unavailable)}`,
    );
  return stream;
}

export interface ReadResult {
  records: Record<string, unknown>[];
  states: StreamState[];
  pages: RecordPage[];
  finalState: StreamState;
}

export async function readStream(
  portal: PortalUnderTest,
  stream: Stream,
  overrides: Partial<ReadContext> & { stopAfterPages?: number } = {},
): Promise<ReadResult> {
  const { stopAfterPages, ...ctxOverrides } = overrides;
  const ctx: ReadContext = {
    client: portal.client,
    options: portal.options,
    replicationMethod:
      stream.forcedReplicationMethod ?? (stream.replicationKey ? 'INCREMENTAL' : 'FULL_TABLE'),
    replicationKey: stream.replicationKey,
    runStartedAt: await portal.client.serverTime(),
    logger: portal.logger,
    ...ctxOverrides,
  };
  const result: ReadResult = { records: [], states: [], pages: [], finalState: {} };
  for await (const page of stream.read(ctx)) {
    result.pages.push(page);
    result.records.push(...page.records);
    result.states.push(page.state);
    result.finalState = page.state;
    if (stopAfterPages !== undefined && result.pages.length >= stopAfterPages) break;
  }
  return result;
}

export function keyOf(stream: Stream, record: Record<string, unknown>): string {
  return stream.keyProperties.map((k) => String(record[k])).join('/');
}
