/**
 * The client's side of the per-method operating-time limit (FACTS §2.3). Every answer, and every
 * sub-result of a batch, reports the method's accumulated `operating` seconds and when its oldest
 * one-minute basket drops (`operating_reset_at`). Above `operatingTimeThreshold` the method waits
 * for that reset; approaching it, calls are spaced out; after a 429 only that method is parked
 * until its reset while every other method goes on.
 */
import { PortalClock } from './portal-clock.js';
import { sleep } from './sleep.js';

/** Fraction of the threshold from which calls of a method are spaced out. */
const SLOW_ZONE = 0.8;
/** Longest spacing in the slow zone, in portal seconds. */
const SLOW_ZONE_MAX_SECONDS = 5;
/** After a 429 with no known reset: the next basket drops within a minute. */
const UNKNOWN_RESET_SECONDS = 60;

interface MethodBudget {
  operating: number;
  resetAt?: number;
  parkedUntil?: number;
}

export interface OperatingReading {
  operating?: number;
  operating_reset_at?: number;
  finish?: number;
}

export class OperatingBudget {
  readonly clock = new PortalClock();
  private readonly methods = new Map<string, MethodBudget>();
  /**
   * A cheap call (server.time) whose answer feeds the clock. Used once before a long wait when the
   * clock's rate is still unknown: on an accelerated emulator a wait of 600 portal seconds may
   * be one real second, and guessing rate 1 would sleep ten minutes.
   */
  probe?: () => Promise<void>;

  constructor(
    private readonly threshold: number,
    private readonly limit: number,
  ) {}

  private budget(method: string): MethodBudget {
    let budget = this.methods.get(method);
    if (!budget) {
      budget = { operating: 0 };
      this.methods.set(method, budget);
    }
    return budget;
  }

  /** Records a method's `time` from an answer or a batch sub-result. */
  observe(method: string, time: OperatingReading | undefined): void {
    if (!time) return;
    if (time.finish) this.clock.observe(time.finish);
    if (time.operating === undefined) return;
    const budget = this.budget(method);
    budget.operating = time.operating;
    if (time.operating_reset_at) budget.resetAt = time.operating_reset_at;
  }

  operatingSeconds(method: string): number {
    return this.methods.get(method)?.operating ?? 0;
  }

  /** The portal refused `method` with 429: park it (alone) until its oldest basket drops. */
  park(method: string): void {
    const budget = this.budget(method);
    const now = this.clock.now() ?? Date.now() / 1000;
    const until = budget.resetAt && budget.resetAt > now ? budget.resetAt : now + UNKNOWN_RESET_SECONDS;
    budget.parkedUntil = Math.max(budget.parkedUntil ?? 0, until);
    budget.operating = Math.max(budget.operating, this.limit);
  }

  /** Local ms `method` must wait before its next call (0: go now). */
  delayFor(method: string): number {
    const budget = this.methods.get(method);
    if (!budget) return 0;
    const now = this.clock.now();
    if (now === undefined) return 0;
    if (budget.parkedUntil !== undefined) {
      if (budget.parkedUntil > now) return this.clock.msUntil(budget.parkedUntil);
      budget.parkedUntil = undefined;
      budget.operating = 0;
    }
    const limit = Math.min(this.threshold, this.limit);
    if (budget.operating >= limit) {
      if (budget.resetAt !== undefined && budget.resetAt > now) return this.clock.msUntil(budget.resetAt);
      // The reset passed: the next answer tells the new total.
      budget.operating = 0;
      return 0;
    }
    if (budget.operating >= limit * SLOW_ZONE && budget.resetAt !== undefined && budget.resetAt > now) {
      const pressure = (budget.operating - limit * SLOW_ZONE) / (limit * (1 - SLOW_ZONE));
      const seconds = Math.min(SLOW_ZONE_MAX_SECONDS, budget.resetAt - now) * pressure;
      return this.clock.msUntil(now + seconds);
    }
    return 0;
  }

  /** Waits until every method in `methods` may be called; resolves with the ms waited. */
  async admit(methods: Iterable<string>, signal?: AbortSignal): Promise<number> {
    const started = Date.now();
    let probed = false;
    for (;;) {
      let delay = 0;
      for (const method of methods) delay = Math.max(delay, this.delayFor(method));
      if (delay <= 0) return Date.now() - started;
      if (delay > 1_000 && this.probe && !probed && !this.clock.measured()) {
        probed = true;
        await sleep(100, signal);
        await this.probe().catch(() => {});
        continue;
      }
      await sleep(Math.min(delay, 60_000), signal);
    }
  }
}
