/**
 * The portal's request-rate limit, a leaky bucket (50 burst drained at 2/s; enterprise 250 and
 * 5/s; counted per portal, `settings/performance/limits.md`): each request adds one, the level
 * drains `drainPerSecond` per emulated second, and a request arriving while the level is at the
 * burst size is refused with 503 QUERY_LIMIT_EXCEEDED. A `batch` is one request.
 */
import type { Clock } from '../clock.js';

export type Plan = 'standard' | 'enterprise' | 'unlimited';

export const PLAN_LIMITS: Record<Plan, { burst: number; drainPerSecond: number } | null> = {
  standard: { burst: 50, drainPerSecond: 2 },
  enterprise: { burst: 250, drainPerSecond: 5 },
  unlimited: null,
};

export class RequestBucket {
  private level = 0;
  private lastMs: number;
  private readonly limits: { burst: number; drainPerSecond: number } | null;

  constructor(
    plan: Plan,
    private readonly clock: Clock,
  ) {
    this.limits = PLAN_LIMITS[plan];
    this.lastMs = clock.now();
  }

  /** Admits one request (true) or refuses it (false) without counting it. */
  admit(): boolean {
    if (this.limits === null) return true;
    const now = this.clock.now();
    this.level = Math.max(0, this.level - ((now - this.lastMs) / 1000) * this.limits.drainPerSecond);
    this.lastMs = now;
    if (this.level >= this.limits.burst) return false;
    this.level += 1;
    return true;
  }

  /** Current fill level, for stats. */
  currentLevel(): number {
    if (this.limits === null) return 0;
    const drained = ((this.clock.now() - this.lastMs) / 1000) * this.limits.drainPerSecond;
    return Math.max(0, this.level - drained);
  }

  reset(): void {
    this.level = 0;
    this.lastMs = this.clock.now();
  }
}
