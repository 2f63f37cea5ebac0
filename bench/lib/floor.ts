/**
 * The physical floor of a sync (the bar the connector's speed is measured against): the least
 * time the request bucket and each method's operating budget allow for reading the same rows,
 * with the same fields, in keyset pages of 50 packed 50 commands to a `batch`:
 *   max((requests − burst) / drain, max over methods of operating seconds / budget × 600 s)
 * Operating seconds are priced with the emulator's own cost model (keyset: no COUNT, indexed).
 * One-entity reads (a deal's contacts) and lists the API only serves per parent (a deal's
 * comments and product rows: crm.timeline.comment.list's filter must name ENTITY_ID, product
 * rows are read per deal id) cannot be paged across parents; they count as the calls made, at
 * their modelled cost.
 */
import { PLAN_LIMITS, type Plan } from '../../src/emulator/limits/request-bucket.js';
import { listCost } from '../../src/emulator/query/cost.js';
import { PAGE_SIZE } from '../../src/emulator/query/list.js';
import type { MethodReads } from './read-recorder.js';

export const WINDOW_SECONDS = 600;
export const BATCH_SIZE = 50;
/** The emulator's modelled processing of the `batch` wrapper itself (src/emulator/batch.ts). */
const BATCH_OWN_SECONDS = 0.002;

/** List methods whose filter must name one parent, so a full read is at least one call per parent. */
export const PER_PARENT_LISTS: ReadonlySet<string> = new Set([
  'crm.timeline.comment.list',
  'crm.item.productrow.list',
]);

export type Billing = 'inner' | 'batch';

export interface MethodFloor {
  method: string;
  rows: number;
  fields: number;
  /** Keyset pages (list methods) or calls (one-entity reads) the floor needs. */
  commands: number;
  operatingSeconds: number;
}

export interface Floor {
  plan: Plan;
  billing: Billing;
  operatingLimit: number;
  commands: number;
  requests: number;
  bucketSeconds: number;
  /** The method whose budget binds (`batch` under batch billing). */
  bindingMethod: string;
  operatingFloorSeconds: number;
  floorSeconds: number;
  bound: 'requests' | 'operating';
  methods: MethodFloor[];
}

/** Σ cost of reading `rows` rows with `fields` fields each in keyset pages of 50. */
export function keysetCost(rows: number, fields: number): { pages: number; seconds: number } {
  const full = Math.floor(rows / PAGE_SIZE);
  const rest = rows - full * PAGE_SIZE;
  const page = (n: number) =>
    listCost({ rowsReturned: n, fieldsPerRow: fields, counted: false, scanned: n, unindexed: false });
  return { pages: full + (rest > 0 ? 1 : 0), seconds: full * page(PAGE_SIZE) + (rest > 0 ? page(rest) : 0) };
}

export function methodFloors(reads: readonly MethodReads[]): MethodFloor[] {
  return reads.map((r) => {
    if (!r.list || PER_PARENT_LISTS.has(r.method)) {
      return {
        method: r.method,
        rows: r.rows,
        fields: r.fields,
        commands: r.calls,
        operatingSeconds: r.costSeconds,
      };
    }
    const { pages, seconds } = keysetCost(r.rows, r.fields);
    // An empty list still costs one call to learn it is empty.
    return {
      method: r.method,
      rows: r.rows,
      fields: r.fields,
      commands: Math.max(1, pages),
      operatingSeconds:
        pages > 0
          ? seconds
          : listCost({ rowsReturned: 0, fieldsPerRow: 0, counted: false, scanned: 0, unindexed: false }),
    };
  });
}

export function syncFloor(
  reads: readonly MethodReads[],
  plan: Plan,
  billing: Billing,
  operatingLimit = 480,
): Floor {
  const methods = methodFloors(reads);
  const commands = methods.reduce((n, m) => n + m.commands, 0);
  const requests = Math.ceil(commands / BATCH_SIZE);
  const limits = PLAN_LIMITS[plan];
  const bucketSeconds = limits ? Math.max(0, (requests - limits.burst) / limits.drainPerSecond) : 0;
  let bindingMethod = 'batch';
  let operating = 0;
  if (billing === 'inner') {
    for (const m of methods) {
      if (m.operatingSeconds > operating) [operating, bindingMethod] = [m.operatingSeconds, m.method];
    }
  } else {
    operating = methods.reduce((s, m) => s + m.operatingSeconds, 0) + requests * BATCH_OWN_SECONDS;
  }
  const operatingFloorSeconds = (operating / operatingLimit) * WINDOW_SECONDS;
  const floorSeconds = Math.max(bucketSeconds, operatingFloorSeconds);
  return {
    plan,
    billing,
    operatingLimit,
    commands,
    requests,
    bucketSeconds,
    bindingMethod,
    operatingFloorSeconds,
    floorSeconds,
    bound: bucketSeconds >= operatingFloorSeconds ? 'requests' : 'operating',
    methods,
  };
}

/**
 * Operating seconds the run spent against those of the floor (`max(1, pages)` keyset pages of 50
 * per list, the calls made for per-parent reads): 1 means the portal worked no more than reading
 * the same rows by keyset needs; COUNTs, unindexed scans and extra pages raise it.
 */
export function operatingRatio(reads: readonly MethodReads[], spent: Record<string, number>): number {
  const floor = methodFloors(reads).reduce((s, m) => s + m.operatingSeconds, 0);
  // Under batch billing the emulator bills every command to `batch`; the sum is the same work.
  const total = Object.values(spent).reduce((s, seconds) => s + seconds, 0);
  return floor > 0 ? total / floor : Number.NaN;
}

/**
 * Commands that served nothing a keyset read needs: list calls that returned no row, beyond the
 * one call that learns an empty list is empty. Per-parent reads are not counted (a deal without
 * comments answers with none, and nothing tells that in advance).
 */
export function wastedCommands(reads: readonly MethodReads[]): number {
  return reads
    .filter((r) => r.list && !PER_PARENT_LISTS.has(r.method))
    .reduce((n, r) => n + Math.max(0, r.emptyCalls - (r.rows === 0 ? 1 : 0)), 0);
}
