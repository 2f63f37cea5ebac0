/**
 * One request through every gate, in order: the method's operating budget, the portal's request
 * bucket, the credential (a fresh token), the transport; then the answer is read, its `time`
 * recorded, and failures sorted into repeat-after-a-wait or fail-now.
 */

import { readAnswer } from './answer.js';
import type { Credentials, PreparedCall } from './credentials/credentials.js';
import { AuthError, OperatingLimitError, RateLimitError } from './errors.js';
import type { OperatingBudget } from './limits/operating-budget.js';
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

export class Caller {
  constructor(private readonly parts: CallerParts) {}

  private log(level: 'debug' | 'warn', msg: string, fields: Record<string, unknown>): void {
    this.parts.logger[level](msg, redactFields(fields) as Record<string, unknown>);
  }

  async request<T>(method: string, params: BitrixParams, options: RequestOptions): Promise<CallResponse<T>> {
    const { credentials, transport, bucket, budget, stats } = this.parts;
    const innerMethods = options.budgetMethods ?? [];
    let failures = 0;
    let rateLimited = 0;
    let operatingLimited = 0;
    let authRecovered = false;
    for (;;) {
      const weight = options.commands ?? 1;
      const billedTo = budget.billedTo(method, innerMethods);
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
      let prepared: PreparedCall;
      try {
        prepared = await credentials.prepare(method);
      } catch (error) {
        admission.settle();
        throw error;
      }
      const body = prepared.auth === undefined ? params : { ...params, auth: prepared.auth };
      stats.requests++;
      const perMethod = methodCounters(stats, method);
      perMethod.calls++;
      try {
        const raw = await transport.postJson(prepared.url, body, method, options.signal);
        if (raw.url !== prepared.url) {
          this.log('warn', 'the portal moved; following it', { method, to: new URL(raw.url).origin });
          credentials.moved(prepared.url, raw.url, method);
        }
        const answer = readAnswer<T>(raw, method);
        budget.observe(method, answer.time);
        if (method !== 'batch' || budget.batchBilled)
          budget.recordCost(method, answer.time?.processing, weight);
        perMethod.operatingSeconds = budget.operatingSeconds(method);
        admission.settle();
        return answer;
      } catch (error) {
        admission.settle();
        if (options.signal?.aborted) throw error;
        if (error instanceof AuthError && !authRecovered && (await credentials.recover(error, prepared))) {
          authRecovered = true;
          continue;
        }
        if (error instanceof RateLimitError && rateLimited < RATE_LIMIT_RETRIES) {
          rateLimited++;
          stats.retries++;
          bucket.congested();
          this.log('debug', 'rate limited; waiting', { method, attempt: rateLimited });
          await sleep(backoffMs(Math.min(rateLimited, 4), 500), options.signal);
          continue;
        }
        if (error instanceof OperatingLimitError && operatingLimited < OPERATING_LIMIT_RETRIES) {
          operatingLimited++;
          stats.retries++;
          budget.park(method);
          this.log('warn', 'operating time limit; parking the method until its reset', { method });
          continue;
        }
        if (
          mayRetry(error, options.kind) &&
          !(error instanceof RateLimitError) &&
          failures < this.parts.maxRetries
        ) {
          failures++;
          stats.retries++;
          this.log('debug', 'transient failure; retrying', { method, attempt: failures, error });
          await sleep(backoffMs(failures), options.signal);
          continue;
        }
        throw error;
      }
    }
  }
}
