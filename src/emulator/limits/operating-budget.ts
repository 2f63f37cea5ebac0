/**
 * The per-(credential, method) operating-time limit (`settings/performance/limits.md`: a method's
 * server time per app or webhook, over ten one-minute baskets): execution seconds are summed in
 * one-minute baskets; a basket opens at the first call after the previous basket's minute ended
 * and is dropped ten minutes after it opened. The check runs before a call: the call that crosses
 * the limit completes, the next one is refused with 429 OPERATION_TIME_LIMIT until enough baskets
 * drop. `operating_reset_at` is when the oldest basket drops.
 */
import type { Clock } from '../clock.js';

const BASKET_MS = 60_000;
const WINDOW_MS = 600_000;

interface Basket {
  openedAt: number;
  seconds: number;
}

export interface OperatingState {
  /** Seconds accumulated over the live baskets. */
  operating: number;
  /** Unix seconds when the oldest basket drops. */
  resetAt: number;
}

export class OperatingBudget {
  private readonly baskets = new Map<string, Basket[]>();

  constructor(
    private readonly limitSeconds: number,
    private readonly clock: Clock,
  ) {}

  private live(key: string, now: number): Basket[] {
    const list = this.baskets.get(key);
    if (!list) return [];
    while (list.length > 0 && list[0].openedAt + WINDOW_MS <= now) list.shift();
    return list;
  }

  /** True when the next call under `key` may run. */
  allows(key: string): boolean {
    return this.state(key).operating <= this.limitSeconds;
  }

  /** Adds `seconds` of execution time to the current basket of `key`. */
  bill(key: string, seconds: number): void {
    if (seconds <= 0) return;
    const now = this.clock.now();
    let list = this.live(key, now);
    if (!this.baskets.has(key)) {
      list = [];
      this.baskets.set(key, list);
    }
    const last = list[list.length - 1];
    if (last && now < last.openedAt + BASKET_MS) last.seconds += seconds;
    else list.push({ openedAt: now, seconds });
  }

  state(key: string): OperatingState {
    const now = this.clock.now();
    const list = this.live(key, now);
    let operating = 0;
    for (const basket of list) operating += basket.seconds;
    const oldest = list.length > 0 ? list[0].openedAt : now;
    return { operating, resetAt: Math.floor((oldest + WINDOW_MS) / 1000) };
  }

  reset(): void {
    this.baskets.clear();
  }
}
