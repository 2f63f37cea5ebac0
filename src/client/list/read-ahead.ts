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

/**
 * Values (rows x fields) read and not yet handed to a caller, across every list of the process. A
 * sync reads four or more wide lists at once, each up to `parallelism` windows ahead of a caller
 * that writes to a database; each finished window waiting holds about a batch of rows (~12 MB of
 * heap for 2,500 deals). Past the bound a list reads its next window only once its caller has
 * taken the last one, so every list still moves. Rows are counted as they arrive, not when a window
 * starts: while the portal is the bottleneck callers take rows as they come, nothing piles up, and
 * every list keeps its windows in flight.
 */
export class HeldRows {
  private held = 0;

  /** Values past which lists start no further windows; a process may change it. */
  constructor(public limit: number) {}

  get values(): number {
    return this.held;
  }

  get full(): boolean {
    return this.held >= this.limit;
  }

  add(values: number): void {
    this.held += values;
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
