/**
 * The client's side of Bitrix's request-rate limit, a leaky bucket per portal (full → 503
 * QUERY_LIMIT_EXCEEDED; a `batch` counts as one request): standard 50 burst / 2 per s, enterprise
 * 250 / 5. Every request of every client talking to the same portal from this process takes a token
 * from the same bucket, in arrival order, so concurrent streams never push the portal into 503s. A
 * 503 anyway (another process, another app on the same IP) fills the bucket so everyone slows down.
 */
import type { Plan } from '../options.js';
import { sleep } from './sleep.js';

export const PLAN_RATES: Record<Plan, { burst: number; drainPerSecond: number } | null> = {
  standard: { burst: 50, drainPerSecond: 2 },
  enterprise: { burst: 250, drainPerSecond: 5 },
  unlimited: null,
};

export class RequestBucket {
  private level = 0;
  private updatedAt = Date.now();
  private tail: Promise<unknown> = Promise.resolve();
  private readonly capacity: number;
  private readonly drainPerMs: number;

  constructor(readonly plan: Plan) {
    const rate = PLAN_RATES[plan];
    // One below the portal's threshold: our clock and the portal's never agree exactly.
    this.capacity = rate ? rate.burst - 1 : Number.POSITIVE_INFINITY;
    this.drainPerMs = rate ? rate.drainPerSecond / 1000 : 0;
  }

  private drain(): void {
    const now = Date.now();
    this.level = Math.max(0, this.level - (now - this.updatedAt) * this.drainPerMs);
    this.updatedAt = now;
  }

  /** Waits for a slot (first come, first served); resolves with the ms waited. */
  take(signal?: AbortSignal): Promise<number> {
    if (this.capacity === Number.POSITIVE_INFINITY) return Promise.resolve(0);
    const turn = this.tail.then(() => this.acquire(signal));
    this.tail = turn.catch(() => {});
    return turn;
  }

  private async acquire(signal?: AbortSignal): Promise<number> {
    const started = Date.now();
    this.drain();
    while (this.level + 1 > this.capacity) {
      await sleep(Math.ceil((this.level + 1 - this.capacity) / this.drainPerMs), signal);
      this.drain();
    }
    this.level += 1;
    return Date.now() - started;
  }

  /** The portal said QUERY_LIMIT_EXCEEDED: treat the bucket as full. */
  congested(): void {
    if (this.capacity === Number.POSITIVE_INFINITY) return;
    this.drain();
    this.level = Math.max(this.level, this.capacity);
  }
}

const shared = new Map<string, RequestBucket>();

/** The one bucket of a portal (by origin) and plan, shared by every client in this process. */
export function bucketFor(portalKey: string, plan: Plan): RequestBucket {
  const key = `${portalKey}|${plan}`;
  let bucket = shared.get(key);
  if (!bucket) {
    bucket = new RequestBucket(plan);
    shared.set(key, bucket);
  }
  return bucket;
}
