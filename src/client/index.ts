/**
 * The Bitrix24 client: every row the connector moves goes through it. Parts: credentials
 * (webhook, OAuth), transport, limits (a request bucket per portal, an operating budget per
 * method), retries, batch, list engines (chained keyset, keyset, offset), writes.
 */
import { runBatch } from './batch.js';
import { type CallManyResult, callMany } from './call-many.js';
import { Caller } from './caller.js';
import type { Credentials } from './credentials/credentials.js';
import { OAuthCredentials } from './credentials/oauth.js';
import { WebhookCredentials } from './credentials/webhook.js';
import { ConfigError } from './errors.js';
import { OperatingBudget } from './limits/operating-budget.js';
import { bucketFor, type RequestBucket } from './limits/request-bucket.js';
import type { ListContext } from './list/engine.js';
import { keysetPages } from './list/keyset.js';
import { keysetWindowPages } from './list/keyset-windows.js';
import { isReadMethod, profileFor } from './list/method-profiles.js';
import { offsetPages } from './list/offset.js';
import type {
  BatchCommand,
  BatchResponse,
  BitrixParams,
  CallResponse,
  ClientLogger,
  ClientOptions,
  ClientStats,
  ListOptions,
} from './options.js';
import { silentLogger } from './options.js';
import { redact, redactFields } from './redact.js';
import { Transport } from './transport.js';

export { MAX_BATCH_COMMANDS } from './batch.js';
export { encodeBatchCommand, encodeBatchQuery, resultRef } from './batch-encoding.js';
export type { CallManyResult } from './call-many.js';
export { type AuthorizeOptions, type AuthorizeResult, authorizeApp } from './credentials/authorize.js';
export { readTokenFile, type SavedTokens } from './credentials/token-file.js';
export * from './errors.js';
export { type MethodProfile, profileFor } from './list/method-profiles.js';
export type * from './options.js';
export { redact } from './redact.js';
export {
  type CrmEntity,
  createDeal,
  createLead,
  type DealFields,
  deleteEntity,
  findContactsByPhone,
  type LeadFields,
  updateEntity,
} from './writes.js';

// Kept in step with package.json by hand: the client may not import the CLI's version module.
const VERSION = '0.1.0';
/** How long one request waits for the portal's answer before it fails (and may be retried). */
export const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULTS = {
  timeoutMs: DEFAULT_TIMEOUT_MS,
  maxRetries: 8,
  operatingTimeThreshold: 200,
  operatingLimit: 480,
  listParallelism: 4,
};

/** A logger whose every message and field is redacted before it leaves the client. */
function redactingLogger(logger: ClientLogger): ClientLogger {
  const wrap =
    (fn: ClientLogger['info']): ClientLogger['info'] =>
    (msg, fields) =>
      fn(redact(msg), fields ? (redactFields(fields) as Record<string, unknown>) : undefined);
  return {
    debug: wrap(logger.debug),
    info: wrap(logger.info),
    warn: wrap(logger.warn),
    error: wrap(logger.error),
  };
}

export { currentTally, type RequestTally, tallyRequests } from './request-tally.js';

export class Bitrix24Client {
  private readonly transport: Transport;
  private readonly credentials: Credentials;
  private readonly bucket: RequestBucket;
  private readonly budget: OperatingBudget;
  private readonly caller: Caller;
  private readonly maxRetries: number;
  private readonly counters: ClientStats = {
    requests: 0,
    batchCommands: 0,
    retries: 0,
    bucketWaitMs: 0,
    operatingWaitMs: 0,
    byMethod: {},
  };

  constructor(options: ClientOptions) {
    if (Boolean(options.webhookUrl) === Boolean(options.oauth)) {
      throw new ConfigError('webhook_url', 'give exactly one of webhook_url or oauth');
    }
    this.maxRetries = options.maxRetries ?? DEFAULTS.maxRetries;
    this.transport = new Transport({
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      userAgent: options.userAgent ?? `tap-bitrix24/${VERSION}`,
      ca: options.ca,
      ...(options.maxAnswerBytes !== undefined ? { maxAnswerBytes: options.maxAnswerBytes } : {}),
    });
    this.credentials = options.webhookUrl
      ? new WebhookCredentials(options.webhookUrl)
      : new OAuthCredentials(options.oauth as NonNullable<ClientOptions['oauth']>, this.transport);
    this.bucket = bucketFor(this.credentials.portalKey(), options.plan ?? 'standard');
    this.budget = new OperatingBudget(
      options.operatingTimeThreshold ?? DEFAULTS.operatingTimeThreshold,
      options.operatingLimit ?? DEFAULTS.operatingLimit,
    );
    this.budget.probe = async () => {
      await this.call('server.time');
    };
    this.caller = new Caller({
      credentials: this.credentials,
      transport: this.transport,
      bucket: this.bucket,
      budget: this.budget,
      logger: redactingLogger(options.logger ?? silentLogger),
      stats: this.counters,
      maxRetries: this.maxRetries,
    });
  }

  /** A read: retried on 503/5xx/HTML/resets/timeouts with backoff + jitter. */
  call<T = unknown>(
    method: string,
    params: BitrixParams = {},
    signal?: AbortSignal,
  ): Promise<CallResponse<T>> {
    return this.caller.request<T>(method, params, { kind: isReadMethod(method) ? 'read' : 'write', signal });
  }

  /** A write: never blindly retried (only refusals Bitrix gives before running the method). */
  write<T = unknown>(method: string, params: BitrixParams = {}): Promise<CallResponse<T>> {
    return this.caller.request<T>(method, params, { kind: 'write' });
  }

  batch(
    commands: Record<string, BatchCommand>,
    options: { halt?: boolean; signal?: AbortSignal } = {},
  ): Promise<BatchResponse> {
    return runBatch(this.caller, this.budget, this.counters, commands, options);
  }

  /** Many independent reads packed 50 per batch; results in input order; per-command errors returned. */
  callMany<T = unknown>(calls: BatchCommand[]): AsyncIterable<CallManyResult<T>> {
    return callMany<T>(calls, (commands) => this.batch(commands), this.maxRetries);
  }

  /** Every row of a list, page by page, constant memory. */
  list<T = Record<string, unknown>>(
    method: string,
    params: BitrixParams = {},
    options: ListOptions = {},
  ): AsyncIterable<T[]> {
    const profile = profileFor(method);
    const context: ListContext = {
      method,
      params,
      profile,
      call: (m, p, signal) => this.call(m, p, signal),
      batch: (commands, signal) => this.batch(commands, { signal }),
      maxRetries: this.maxRetries,
      signal: options.signal,
    };
    const engine = options.engine ?? 'auto';
    const keyset = profile.keyset !== undefined;
    if (keyset && engine === 'auto') {
      const parallelism = options.parallelism ?? DEFAULTS.listParallelism;
      return keysetWindowPages(context, options.startAfterId, parallelism, options.snapshot) as AsyncIterable<
        T[]
      >;
    }
    if (keyset && engine === 'chained-keyset') {
      return keysetWindowPages(context, options.startAfterId, 1, options.snapshot) as AsyncIterable<T[]>;
    }
    if (keyset && engine === 'keyset')
      return keysetPages(context, options.startAfterId) as AsyncIterable<T[]>;
    return offsetPages(context) as AsyncIterable<T[]>;
  }

  /** The portal's clock (server.time), ISO 8601. */
  async serverTime(): Promise<string> {
    const answer = await this.call<string>('server.time');
    return String(answer.result);
  }

  /** Scopes granted to the credentials. */
  async scopes(): Promise<string[]> {
    const answer = await this.call<unknown>('scope');
    return Array.isArray(answer.result) ? answer.result.map(String) : [];
  }

  stats(): ClientStats {
    const byMethod: ClientStats['byMethod'] = {};
    for (const [m, s] of Object.entries(this.counters.byMethod)) byMethod[m] = { ...s };
    const tokenRefreshes = this.credentials instanceof OAuthCredentials ? this.credentials.refreshCount : 0;
    return { ...this.counters, byMethod, tokenRefreshes };
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
