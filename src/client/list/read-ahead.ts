/**
 * How far a windowed list reads ahead of its caller: per list (`ReadAhead`, by how fast the caller
 * takes rows) and across every list the process reads at once (`heldRows`, by memory).
 */

/**
 * How many windows of one list are read at once: all the slots while the caller waits for rows
 * (the portal is the bottleneck), fewer while the caller takes longer over a window's rows than a
 * window takes to read (the caller is, e.g. a database write): each finished window waiting for
 * it holds about a batch of rows (~12 MB of heap for 2,500 deals of ~60 fields), so reading
 * further ahead only held memory.
 */
export class ReadAhead {
  private wanted: number;

  constructor(readonly slots: number) {
    this.wanted = slots;
  }

  get windows(): number {
    return this.wanted;
  }

  /**
   * The caller took a finished window that took `readMs` to read: `callerWaited` when it had to
   * wait for it, `callerMs` the time it spent over the previous window's rows.
   */
  taken(readMs: number, callerWaited: boolean, callerMs: number): void {
    if (callerWaited) this.wanted = Math.min(this.slots, this.wanted + 1);
    else if (callerMs > readMs) this.wanted = Math.max(1, this.wanted - 1);
  }
}

/** How many bounds of values arrived and expected together a process may hold. */
const IN_FLIGHT_BOUNDS = 3;

/**
 * Values (rows x fields) read and not yet handed to a caller, across every list of the process. A
 * sync reads four or more wide lists at once, each up to `parallelism` windows ahead of a caller
 * that writes to a database; each finished window waiting holds about a batch of rows (~12 MB of
 * heap for 2,500 deals). Past the bound a list reads its next window only once its caller has
 * taken the last one, so every list still moves.
 *
 * A window counts its expected values from its start (`reserve`), turned into held values as its
 * pages arrive: counted only on arrival, every list of a sync started all its windows in the first
 * second, before any row had arrived, and together they held several times the bound.
 */
export class HeldRows {
  private held = 0;
  private expected = 0;

  /** Values past which lists start no further windows; a process may change it. */
  constructor(public limit: number) {}

  /** Values arrived and not yet handed on. */
  get values(): number {
    return this.held;
  }

  /** Values expected by windows still reading, not yet arrived. */
  get reserved(): number {
    return this.expected;
  }

  /**
   * Past the bound in values arrived, or in values arrived and expected together past
   * `IN_FLIGHT_BOUNDS` times it: expected values are only a guess, and a list under a rate limit
   * reads fast only with several windows at once (capping them at the bound itself made a
   * rate-limited four-list export about 8 % slower; at three times it, no slower measured).
   */
  get full(): boolean {
    return this.held >= this.limit || this.held + this.expected >= IN_FLIGHT_BOUNDS * this.limit;
  }

  reserve(values: number): void {
    this.expected += values;
  }

  /** `values` arrived, of which `expected` had been reserved. */
  add(values: number, expected = 0): void {
    this.held += values;
    this.unreserve(expected);
  }

  unreserve(values: number): void {
    this.expected = Math.max(0, this.expected - values);
  }

  release(values: number): void {
    this.held = Math.max(0, this.held - values);
  }
}

/** 500,000 values: ~30 MB of parsed rows, about three windows of 2,500 wide CRM rows. */
export const heldRows = new HeldRows(500_000);

/** The values a page holds: its rows times the fields of its first row. */
export function pageValues(rows: readonly Record<string, unknown>[]): number {
  const first = rows[0];
  return first === undefined ? 0 : rows.length * Object.keys(first).length;
}
