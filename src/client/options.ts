/** The client's public types: options, answers, loggers and stats. */
import type { Bitrix24Error } from './errors.js';

export type BitrixParams = Record<string, unknown>;

export interface BitrixTime {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
  operating?: number;
  operating_reset_at?: number;
}

export interface CallResponse<T = unknown> {
  result: T;
  total?: number;
  next?: number;
  time?: BitrixTime;
}

export interface BatchCommand {
  method: string;
  params?: BitrixParams;
}

export interface BatchResponse {
  result: Record<string, unknown>;
  errors: Record<string, Bitrix24Error>;
  total: Record<string, number>;
  next: Record<string, number>;
  time: Record<string, BitrixTime>;
}

type LogFn = (msg: string, fields?: Record<string, unknown>) => void;
export interface ClientLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  portalUrl: string;
  refreshToken?: string;
  accessToken?: string;
  /** Unix ms when the access token expires. */
  expiresAt?: number;
  /** Where rotated tokens are saved (0600, atomically) before they are used. */
  tokenFile?: string;
  /** Default https://oauth.bitrix.info/oauth/token/ */
  tokenUrl?: string;
}

export type Plan = 'standard' | 'enterprise' | 'unlimited';

export interface ClientOptions {
  webhookUrl?: string;
  oauth?: OAuthOptions;
  /** Client-side request bucket (default standard: 50 burst, 2/s). */
  plan?: Plan;
  /** Seconds of a method's operating time per 10 min before the client pauses that method (default 200). */
  operatingTimeThreshold?: number;
  /** The portal's hard operating limit (default 480). */
  operatingLimit?: number;
  timeoutMs?: number;
  maxRetries?: number;
  userAgent?: string;
  logger?: ClientLogger;
  /** Extra trusted CA PEM (the emulator's --tls certificate). */
  ca?: string;
  /** Answers larger than this many bytes fail with ANSWER_TOO_LARGE (default 64 MiB). */
  maxAnswerBytes?: number;
}

export interface ListOptions {
  /**
   * auto: parallel chained-keyset windows where the method supports keyset, else the method's own
   * paging; chained-keyset: the same windows read one at a time.
   */
  engine?: 'auto' | 'chained-keyset' | 'keyset' | 'offset';
  /** Resume a keyset read after this ID. */
  startAfterId?: number;
  /**
   * Keyset windows of one list read at once by the `auto` engine (default 4; 1 reads one window
   * after another). Pages still come in ID order. The request bucket and operating budget are
   * shared, so more windows never push the portal past its limits.
   */
  parallelism?: number;
  /**
   * End the list at the largest ID its first request (the list's top page, ID descending) found,
   * instead of asking once more, after the last page, for rows added during the read: for a caller
   * that reads those later anyway (a sync, whose bookmark stops at the run's start). Taken only when
   * that page proved the portal honoured the order (two or more rows, IDs descending); otherwise
   * the list is asked again as without it. `auto` and `chained-keyset` engines.
   */
  snapshot?: boolean;
  signal?: AbortSignal;
}

export interface ClientStats {
  requests: number;
  batchCommands: number;
  retries: number;
  bucketWaitMs: number;
  operatingWaitMs: number;
  byMethod: Record<string, { calls: number; operatingSeconds: number }>;
  /** OAuth token refreshes made (0 for webhooks). */
  tokenRefreshes?: number;
}

export const silentLogger: ClientLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** The per-method counters of `stats`, created on first use. */
export function methodCounters(
  stats: ClientStats,
  method: string,
): { calls: number; operatingSeconds: number } {
  let counters = stats.byMethod[method];
  if (!counters) {
    counters = { calls: 0, operatingSeconds: 0 };
    stats.byMethod[method] = counters;
  }
  return counters;
}
