/**
 * When to repeat a request and how long to wait. Reads are repeated on anything transient (503,
 * 5xx, HTML, resets, timeouts, malformed JSON); writes only on answers Bitrix gives before running
 * the method (rate and operating limits, an expired token), never blindly. Auth, scope, not-found
 * and argument errors fail at once.
 */
import { Bitrix24Error, OperatingLimitError, RateLimitError } from './errors.js';

export type CallKind = 'read' | 'write';

/** Rate-limit refusals are always safe and common under load: they get their own, larger allowance. */
export const RATE_LIMIT_RETRIES = 30;

/** True when `error` may be repeated for a call of this kind. */
export function mayRetry(error: unknown, kind: CallKind): boolean {
  if (error instanceof RateLimitError || error instanceof OperatingLimitError) return true;
  if (kind === 'write') return false;
  return error instanceof Bitrix24Error && error.retryable;
}

/** Exponential backoff with full jitter in [base/2, base]: spreads retries of concurrent calls. */
export function backoffMs(attempt: number, baseMs = 100, capMs = 8_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
