/** Counters of what the emulator served, read through `/_emulator/stats` and `stats()`. */

export interface Stats {
  requests_total: number;
  requests_by_method: Record<string, number>;
  batch_requests: number;
  batch_commands: number;
  rows_returned: number;
  rejections: Record<string, number>;
  operating_seconds: Record<string, number>;
  faults: Record<string, number>;
  http_statuses: Record<string, number>;
  /** Batch commands that ran with a `$result[...]` reference that resolved to nothing. */
  unresolved_ref_commands: number;
  /** Of those, the ones that answered one or more rows: rows read past a list's end. */
  past_end_commands_with_rows: number;
}

function bump(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

/** Rows in a method result: a list, or the list inside a documented wrapper (`items`, …). */
export function rowCount(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  if (result !== null && typeof result === 'object') {
    for (const key of ['items', 'types', 'categories', 'productRows']) {
      const inner = (result as Record<string, unknown>)[key];
      if (Array.isArray(inner)) return inner.length;
    }
  }
  return 0;
}

export class StatsRecorder {
  private stats: Stats = StatsRecorder.empty();

  private static empty(): Stats {
    return {
      requests_total: 0,
      requests_by_method: {},
      batch_requests: 0,
      batch_commands: 0,
      rows_returned: 0,
      rejections: {},
      operating_seconds: {},
      faults: {},
      http_statuses: {},
      unresolved_ref_commands: 0,
      past_end_commands_with_rows: 0,
    };
  }

  request(method: string | null): void {
    this.stats.requests_total++;
    if (method) bump(this.stats.requests_by_method, method);
  }

  batch(commands: number): void {
    this.stats.batch_requests++;
    this.stats.batch_commands += commands;
  }

  /** A method ran: its rows and billed seconds. */
  methodRan(method: string, result: unknown, billedSeconds: number): void {
    this.stats.rows_returned += rowCount(result);
    if (billedSeconds > 0) bump(this.stats.operating_seconds, method, billedSeconds);
  }

  /** A batch command ran with an unresolved reference and answered `rows` rows. */
  unresolvedCommand(rows: number): void {
    this.stats.unresolved_ref_commands++;
    if (rows > 0) this.stats.past_end_commands_with_rows++;
  }

  rejection(code: string | number): void {
    bump(this.stats.rejections, String(code));
  }

  fault(kind: string): void {
    bump(this.stats.faults, kind);
  }

  status(code: number): void {
    bump(this.stats.http_statuses, String(code));
  }

  snapshot(): Stats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = StatsRecorder.empty();
  }
}
