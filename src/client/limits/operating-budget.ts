/**
 * The client's side of the operating-time limit (a method's server seconds per credential over ten
 * minutes; past the limit the next call gets 429 OPERATION_TIME_LIMIT). Every answer, and every
 * sub-result of a batch, reports the accumulated `operating` seconds of what it was billed to and
 * when the oldest one-minute basket drops (`operating_reset_at`).
 *
 * The guard paces instead of stopping:
 * - Below the pace line a method runs freely. From the pace line on, its calls are spread so the
 *   budget is spent no faster than the portal refills it: a call expected to bill `c` seconds
 *   waits `c × 600 / stop` after the previous one, the rate at which a method can run for ever
 *   without a refusal. The pace line is the user's `operatingTimeThreshold` (config key
 *   `operating_time_threshold`), capped at the stop line. Pacing at the threshold's own rate
 *   instead would leave most of the budget unused: at the default 200 s a long export took 2.4
 *   times the floor the limit allows.
 * - At the stop line (the portal's limit minus a margin, never the user's threshold) the method
 *   waits only until its oldest basket drops, then sends ONE call and lets its answer tell the new
 *   total before the next goes: spending follows the baskets as they expire.
 * - Only a real 429 parks a method (alone) until its reset; every other method goes on.
 * - Projections count calls already on their way (admitted, no answer yet) at the method's
 *   observed cost per command (a batch of 50 weighs 50), so several concurrent readers cannot
 *   overshoot together.
 *
 * Batch billing: the docs bill each batch command to its own method, but some portals bill the
 * whole batch to `batch` (the batch's own `time.operating` is non-zero and every inner result
 * carries the batch's running total). Once seen, inner results no longer feed their methods'
 * budgets (the totals are not theirs), and `batch` is guarded at the stop line: the user's
 * per-method threshold would stop every stream for most of a window although the portal allows
 * far more.
 */
import { PortalClock } from './portal-clock.js';
import { sleep } from './sleep.js';

/** After a 429 with no known reset: the next basket drops within a minute. */
const UNKNOWN_RESET_SECONDS = 60;
/** Part of the portal's limit kept free at the stop line, at least. */
const STOP_MARGIN = 0.05;
/**
 * `operating_reset_at` is whole seconds, rounded down: the basket may still be there at that
 * second, and a call sent then would find the budget as full as before.
 */
const RESET_GRACE_SECONDS = 1;
/** How often a method waiting for an answer already on its way looks again, in local ms. */
const AWAIT_READING_MS = 50;

interface MethodBudget {
  operating: number;
  resetAt?: number;
  parkedUntil?: number;
  /** Seconds one command of the method bills: a slowly decaying recent peak. */
  cost: number;
  /** Commands admitted whose answer has not come back. */
  inFlight: number;
  /** Portal seconds before which no paced call may start. */
  nextAt: number;
  /** The reading is older than a basket reset: only one call may go until an answer tells more. */
  stale: boolean;
}

export interface OperatingReading {
  operating?: number;
  operating_reset_at?: number;
  finish?: number;
  processing?: number;
}

/** What `admit` hands back: the ms waited, and `settle` to call once the request is over. */
export interface Admission {
  waitedMs: number;
  settle(): void;
}

export class OperatingBudget {
  readonly clock = new PortalClock();
  private readonly methods = new Map<string, MethodBudget>();
  /** The portal bills whole batches to `batch` (seen in an answer). */
  batchBilled = false;
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
      budget = { operating: 0, cost: 0, inFlight: 0, nextAt: 0, stale: false };
      this.methods.set(method, budget);
    }
    return budget;
  }

  /** Records the `time` of an answer (a single call, or a batch as a whole). */
  observe(method: string, time: OperatingReading | undefined): void {
    if (!time) return;
    if (time.finish) this.clock.observe(time.finish);
    if (time.operating === undefined) return;
    if (method === 'batch' && time.operating > 0) this.batchBilled = true;
    const budget = this.budget(method);
    budget.operating = time.operating;
    budget.stale = false;
    if (time.operating_reset_at) budget.resetAt = time.operating_reset_at;
  }

  /** Records the `time` of one batch command; under batch billing its total is the batch's. */
  observeInner(method: string, time: OperatingReading | undefined): void {
    if (!time) return;
    if (this.batchBilled) {
      if (time.finish) this.clock.observe(time.finish);
      return;
    }
    this.observe(method, time);
  }

  /** Seconds `commands` commands of `method` billed in one request. */
  recordCost(method: string, seconds: number | undefined, commands = 1): void {
    if (seconds === undefined || !(seconds >= 0) || commands < 1) return;
    const budget = this.budget(method);
    // The recent peak, slowly forgotten: pages of one list cost alike, a cheap one proves little.
    budget.cost = Math.max(seconds / commands, budget.cost * 0.98);
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

  /** The budgets a request of `method` naming `inner` commands is billed to. */
  billedTo(method: string, inner: Iterable<string>): string[] {
    if (method !== 'batch') return [method];
    return this.batchBilled ? ['batch'] : ['batch', ...inner];
  }

  private lines(method: string): { pace: number; stop: number } {
    const stop = this.limit * (1 - STOP_MARGIN);
    if (method === 'batch' && this.batchBilled) return { pace: stop, stop };
    return { pace: Math.min(this.threshold, stop), stop };
  }

  /** Local ms `method` must wait before its next call (0: go now). */
  delayFor(method: string, weight = 1): number {
    const budget = this.methods.get(method);
    if (!budget) return 0;
    const now = this.clock.now();
    if (now === undefined) return 0;
    if (budget.parkedUntil !== undefined) {
      if (budget.parkedUntil > now) return this.clock.msUntil(budget.parkedUntil);
      budget.parkedUntil = undefined;
      budget.stale = true;
    }
    const { pace, stop } = this.lines(method);
    const resetAt = budget.resetAt === undefined ? undefined : budget.resetAt + RESET_GRACE_SECONDS;
    if (resetAt !== undefined && resetAt <= now) {
      // The oldest basket dropped. Below the stop line the old total is a safe overestimate
      // until the next answer; at the stop line the total is unknown, so one call finds it out.
      if (budget.operating >= stop) budget.stale = true;
      budget.resetAt = undefined;
    }
    if (budget.stale) return budget.inFlight > 0 ? AWAIT_READING_MS : 0;
    const projected = budget.operating + budget.inFlight * budget.cost;
    // Would this call (with those on their way) carry the method past the stop line?
    if (projected + weight * budget.cost > stop) {
      const alone = budget.operating + weight * budget.cost;
      if (alone > stop && resetAt !== undefined && resetAt > now) return this.clock.msUntil(resetAt);
      // Over only with the calls on their way: their answers tell whether there is room.
      return budget.inFlight > 0 ? AWAIT_READING_MS : 0;
    }
    if (projected >= pace && budget.nextAt > now) return this.clock.msUntil(budget.nextAt);
    return 0;
  }

  /** Takes the call's place: counts it in flight and, in the pace zone, moves the next start on. */
  private enter(method: string, weight: number): void {
    const budget = this.budget(method);
    const now = this.clock.now() ?? Date.now() / 1000;
    const { pace, stop } = this.lines(method);
    if (budget.operating + budget.inFlight * budget.cost >= pace && pace > 0) {
      budget.nextAt = Math.max(now, budget.nextAt) + (weight * budget.cost * 600) / stop;
    }
    if (budget.stale) budget.operating = Math.max(budget.operating, stop);
    budget.inFlight += weight;
  }

  private leave(method: string, weight: number): void {
    const budget = this.methods.get(method);
    if (budget) budget.inFlight = Math.max(0, budget.inFlight - weight);
  }

  /** Waits until every method in `methods` may be called, then counts the call in flight. */
  async admit(methods: readonly string[], signal?: AbortSignal, weight = 1): Promise<Admission> {
    const started = Date.now();
    let probed = false;
    let waited = false;
    for (;;) {
      let delay = 0;
      for (const method of methods) delay = Math.max(delay, this.delayFor(method, weight));
      if (delay <= 0) break;
      waited = true;
      if (delay > 1_000 && this.probe && !probed && !this.clock.measured()) {
        probed = true;
        await sleep(100, signal);
        await this.probe().catch(() => {});
        continue;
      }
      await sleep(Math.min(delay, 60_000), signal);
    }
    for (const method of methods) this.enter(method, weight);
    let settled = false;
    return {
      waitedMs: waited ? Date.now() - started : 0,
      settle: () => {
        if (settled) return;
        settled = true;
        for (const method of methods) this.leave(method, weight);
      },
    };
  }
}
