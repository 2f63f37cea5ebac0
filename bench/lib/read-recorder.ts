/**
 * Records what the emulated portal served, method by method: distinct rows, fields per row, calls
 * and modelled cost. Installed by wrapping the running emulator's method table, so it sees every
 * call (plain or inside `batch`) whichever client made it. The floor is computed from these rows,
 * not from how the client chose to page them.
 */
import type { MethodOutcome, Params, RunningEmulator } from '../../src/emulator/index.js';

export interface MethodReads {
  method: string;
  /** Paged list method (the answer carries `total`), as opposed to a one-entity read. */
  list: boolean;
  calls: number;
  rows: number;
  /** Largest field count of a row served (the cost model prices each field). */
  fields: number;
  /** Σ modelled cost of the calls the client actually made, emulated seconds. */
  costSeconds: number;
  /** Calls that served no row (a page past a list's end, a parent without children). */
  emptyCalls: number;
}

const WRAPPERS = ['items', 'types', 'categories', 'productRows'] as const;

function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  if (result !== null && typeof result === 'object') {
    for (const key of WRAPPERS) {
      const inner = (result as Record<string, unknown>)[key];
      if (Array.isArray(inner)) return inner as Record<string, unknown>[];
    }
  }
  return [];
}

interface Tally {
  list: boolean;
  calls: number;
  ids: Set<number>;
  anonymousRows: number;
  fields: number;
  cost: number;
  empty: number;
}

export class ReadRecorder {
  private readonly tallies = new Map<string, Tally>();

  constructor(emulator: RunningEmulator) {
    for (const [name, definition] of emulator.methods) {
      if (name === 'batch') continue;
      emulator.methods.set(name, {
        ...definition,
        handle: (params: Params, ctx) => {
          const outcome = definition.handle(params, ctx);
          this.note(name, params, outcome);
          return outcome;
        },
      });
    }
  }

  private note(method: string, params: Params, outcome: MethodOutcome): void {
    let tally = this.tallies.get(method);
    if (!tally) {
      tally = { list: false, calls: 0, ids: new Set(), anonymousRows: 0, fields: 0, cost: 0, empty: 0 };
      this.tallies.set(method, tally);
    }
    tally.calls++;
    tally.cost += outcome.cost;
    if (outcome.total !== undefined) tally.list = true;
    const rows = rowsOf(outcome.result);
    if (rows.length === 0) tally.empty++;
    // One method can serve several collections (crm.item.list, crm.stagehistory.list by entity type).
    const collection = Number(params.entityTypeId ?? params.ENTITY_TYPE_ID ?? 0) || 0;
    if (rows.length > 0) tally.fields = Math.max(tally.fields, Object.keys(rows[0]).length);
    for (const row of rows) {
      const id = Number(row.ID ?? row.id);
      // Rows without an own ID (a deal's contact bindings) are counted, not deduplicated.
      if (Number.isFinite(id) && (row.ID !== undefined || row.id !== undefined))
        tally.ids.add(collection * 1e10 + id);
      else tally.anonymousRows++;
    }
  }

  reads(): MethodReads[] {
    return [...this.tallies].map(([method, t]) => ({
      method,
      list: t.list,
      calls: t.calls,
      rows: t.ids.size + t.anonymousRows,
      fields: t.fields,
      costSeconds: t.cost,
      emptyCalls: t.empty,
    }));
  }

  reset(): void {
    this.tallies.clear();
  }
}
