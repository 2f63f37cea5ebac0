/**
 * One request through every gate, in order: the method's operating budget, the portal's request
 * bucket, the credential (a fresh token), the transport; then the answer is read, its `time`
 * recorded, and failures sorted into repeat-after-a-wait or fail-now.
 */

import { readAnswer } from './answer.js';
import type { Credentials, PreparedCall } from './credentials/credentials.js';
import { AuthError, OperatingLimitError, RateLimitError } from './errors.js';
import type { Admission, OperatingBudget } from './limits/operating-budget.js';
import type { RequestBucket } from './limits/request-bucket.js';
import { sleep } from './limits/sleep.js';
import {
  type BitrixParams,
  type CallResponse,
  type ClientLogger,
  type ClientStats,
  methodCounters,
} from './options.js';
import { redactFields } from './redact.js';
import { currentTally } from './request-tally.js';
import { backoffMs, type CallKind, mayRetry, RATE_LIMIT_RETRIES } from './retry.js';
import type { Transport } from './transport.js';

/** After this many 429s in a row the method is given up on (each waits for a basket reset). */
const OPERATING_LIMIT_RETRIES = 20;

export interface CallerParts {
  credentials: Credentials;
  transport: Transport;
  bucket: RequestBucket;
  budget: OperatingBudget;
  logger: ClientLogger;
  stats: ClientStats;
  maxRetries: number;
}

export interface RequestOptions {
  kind: CallKind;
  /** A batch's inner methods: their operating budgets gate it too unless the portal bills `batch`. */
  budgetMethods?: string[];
  /** Commands the request carries (a batch's length): its weight against operating budgets. */
  commands?: number;
  signal?: AbortSignal;
}

/** How often this request has been repeated, per cause; each cause has its own limit. */
interface Attempts {
  failures: number;
  rateLimited: number;
  operatingLimited: number;
  authRecovered: boolean;
}

export class Caller {
  constructor(private readonly parts: CallerParts) {}

  private log(level: 'debug' | 'warn', msg: string, fields: Record<string, unknown>): void {
    this.parts.logger[level](msg, redactFields(fields) as Record<string, unknown>);
  }

  async request<T>(method: string, params: BitrixParams, options: RequestOptions): Promise<CallResponse<T>> {
    const attempts: Attempts = { failures: 0, rateLimited: 0, operatingLimited: 0, authRecovered: false };
    const weight = options.commands ?? 1;
    for (;;) {
      const { admission, prepared } = await this.passGates(method, options, weight);
      try {
        const answer = await this.send<T>(method, params, prepared, weight, options.signal);
        admission.settle();
        return answer;
      } catch (error) {
        admission.settle();
        if (options.signal?.aborted) throw error;
        if (!(await this.mayRepeat(error, method, options, attempts, prepared))) throw error;
      }
    }
  }

  /** The operating budget, the request bucket, then the credential; their waits are counted. */
  private async passGates(
    method: string,
    options: RequestOptions,
    weight: number,
  ): Promise<{ admission: Admission; prepared: PreparedCall }> {
    const { credentials, bucket, budget, stats } = this.parts;
    const billedTo = budget.billedTo(method, options.budgetMethods ?? []);
    const admission = await budget.admit(billedTo, options.signal, weight);
    const operatingWaitMs = admission.waitedMs;
    let bucketWaitMs: number;
    try {
      bucketWaitMs = await bucket.take(options.signal);
    } catch (error) {
      admission.settle();
      throw error;
    }
    stats.operatingWaitMs += operatingWaitMs;
    stats.bucketWaitMs += bucketWaitMs;
    const tally = currentTally();
    if (tally) {
      tally.requests++;
      tally.limitWaitMs += operatingWaitMs + bucketWaitMs;
    }
    try {
      return { admission, prepared: await credentials.prepare(method) };
    } catch (error) {
      admission.settle();
      throw error;
    }
  }

  /** Posts the call, follows a moved portal, reads the answer and records its operating time. */
  private async send<T>(
    method: string,
    params: BitrixParams,
    prepared: PreparedCall,
    weight: number,
    signal: AbortSignal | undefined,
  ): Promise<CallResponse<T>> {
    const { credentials, transport, budget, stats } = this.parts;
    const body = prepared.auth === undefined ? params : { ...params, auth: prepared.auth };
    stats.requests++;
    const perMethod = methodCounters(stats, method);
    perMethod.calls++;
    const raw = await transport.postJson(prepared.url, body, method, signal);
    if (raw.url !== prepared.url) {
      this.log('warn', 'the portal moved; following it', { method, to: new URL(raw.url).origin });
      credentials.moved(prepared.url, raw.url, method);
    }
    const answer = readAnswer<T>(raw, method);
    budget.observe(method, answer.time);
    if (method !== 'batch' || budget.batchBilled) budget.recordCost(method, answer.time?.processing, weight);
    perMethod.operatingSeconds = budget.operatingSeconds(method);
    return answer;
  }

  /**
   * Whether a failed call is worth repeating, after the wait its kind calls for: once after the
   * credential recovers, a few times after a 429, until the operating-limit reset, or with backoff.
   */
  private async mayRepeat(
    error: unknown,
    method: string,
    options: RequestOptions,
    attempts: Attempts,
    prepared: PreparedCall,
  ): Promise<boolean> {
    const { credentials, bucket, budget, stats } = this.parts;
    if (
      error instanceof AuthError &&
      !attempts.authRecovered &&
      (await credentials.recover(error, prepared))
    ) {
      attempts.authRecovered = true;
      return true;
    }
    if (error instanceof RateLimitError && attempts.rateLimited < RATE_LIMIT_RETRIES) {
      attempts.rateLimited++;
      stats.retries++;
      bucket.congested();
      this.log('debug', 'rate limited; waiting', { method, attempt: attempts.rateLimited });
      await sleep(backoffMs(Math.min(attempts.rateLimited, 4), 500), options.signal);
      return true;
    }
    if (error instanceof OperatingLimitError && attempts.operatingLimited < OPERATING_LIMIT_RETRIES) {
      attempts.operatingLimited++;
      stats.retries++;
      budget.park(method);
      this.log('warn', 'operating time limit; parking the method until its reset', { method });
      return true;
    }
    if (
      mayRetry(error, options.kind) &&
      !(error instanceof RateLimitError) &&
      attempts.failures < this.parts.maxRetries
    ) {
      attempts.failures++;
      stats.retries++;
      this.log('debug', 'transient failure; retrying', { method, attempt: attempts.failures, error });
      await sleep(backoffMs(attempts.failures), options.signal);
      return true;
    }
    return false;
  }
}
