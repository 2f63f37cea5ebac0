/**
 * A collection of rows that are generated on demand. Row i (0-based) has id i+1; a few "hot"
 * columns (used for filtering and ordering) live in typed arrays; writes go to an override map and
 * deletes to a set, so at scale 100 000 the portal holds arrays, not millions of objects.
 */
export type Row = Record<string, unknown>;

export interface CollectionSpec {
  name: string;
  /** Key of the id in rows: `ID` for legacy methods, `id` for crm.item-style ones. */
  idField: string;
  size: number;
  /** Hot columns by output field name; datetimes are kept as ms since epoch. */
  hot: Record<string, Float64Array>;
  /** Hot columns that are datetimes (kept in ms) rather than plain numbers. */
  timeColumns?: readonly string[];
  /** Hot column by which rows are sorted (child tables: the owner id) to find a range fast. */
  sortedBy?: string;
  generate(index: number): Row;
}

/** A small fixed list (statuses, departments…) as a collection, so list methods share one engine. */
export function arrayCollection(name: string, idField: string, rows: Row[]): Collection {
  return new Collection({ name, idField, size: rows.length, hot: {}, generate: (i) => rows[i] });
}

export class Collection {
  readonly name: string;
  readonly idField: string;
  readonly hot: Record<string, Float64Array>;
  readonly timeColumns: ReadonlySet<string>;
  readonly sortedBy?: string;
  private readonly size: number;
  private readonly generate: (index: number) => Row;
  private readonly overrides = new Map<number, Row>();
  private readonly deleted = new Set<number>();
  private nextId: number;
  /** Bumped by every write, so derived indexes know when to rebuild. */
  version = 0;

  constructor(spec: CollectionSpec) {
    this.name = spec.name;
    this.idField = spec.idField;
    this.size = spec.size;
    this.hot = spec.hot;
    this.timeColumns = new Set(spec.timeColumns ?? []);
    this.sortedBy = spec.sortedBy;
    this.generate = spec.generate;
    this.nextId = spec.size + 1;
  }

  get maxId(): number {
    return this.nextId - 1;
  }

  /** Live rows (generated minus deleted plus added). */
  get count(): number {
    let added = 0;
    for (const id of this.overrides.keys()) if (id > this.size) added++;
    return this.size - this.deletedGenerated() + added;
  }

  private deletedGenerated(): number {
    let n = 0;
    for (const id of this.deleted) if (id <= this.size) n++;
    return n;
  }

  exists(id: number): boolean {
    if (!Number.isInteger(id) || id < 1 || id >= this.nextId || this.deleted.has(id)) return false;
    return id <= this.size || this.overrides.has(id);
  }

  row(id: number): Row | undefined {
    if (!this.exists(id)) return undefined;
    return this.overrides.get(id) ?? this.generate(id - 1);
  }

  /** A hot column's value for a row, honouring writes; NaN when the row has none. */
  hotValue(id: number, field: string): number {
    const o = this.overrides.get(id);
    if (o) return Number(o[`\u0000${field}`] ?? Number.NaN);
    const arr = this.hot[field];
    return arr ? arr[id - 1] : Number.NaN;
  }

  isHot(field: string): boolean {
    return field in this.hot || field === this.idField;
  }

  /** Stores a full row; `hotValues` keeps the hot columns of the written row. */
  put(id: number, row: Row, hotValues: Record<string, number>): void {
    const stored: Row = { ...row };
    for (const [k, v] of Object.entries(hotValues)) stored[`\u0000${k}`] = v;
    Object.defineProperty(stored, '__hidden', { value: true, enumerable: false });
    for (const k of Object.keys(hotValues))
      Object.defineProperty(stored, `\u0000${k}`, { enumerable: false });
    this.overrides.set(id, stored);
    this.version++;
  }

  allocateId(): number {
    return this.nextId++;
  }

  remove(id: number): boolean {
    if (!this.exists(id)) return false;
    this.deleted.add(id);
    this.overrides.delete(id);
    this.version++;
    return true;
  }

  /** Index range [lo, hi) of generated rows whose sortedBy column equals `value`. */
  sortedRange(value: number): [number, number] {
    const arr = this.hot[this.sortedBy ?? ''];
    const bound = (strict: boolean) => {
      let lo = 0;
      let hi = this.size;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (strict ? arr[mid] <= value : arr[mid] < value) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    return [bound(false), bound(true)];
  }
}
