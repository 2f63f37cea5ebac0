/**
 * Which staged column, or which constant, fills each column of a table that pages are appended
 * to straight through the driver's appender (DuckDB): worked out once per load, applied per page.
 */
import type { ColumnKind } from './columns.js';
import type { StagedPage, StagedValue } from './record-values.js';
import type { AppendColumn } from './sql-driver.js';

type Source = number | '_sdc_extracted_at' | '_sdc_synced_at' | null;

export class AppendPlan {
  private readonly kinds: ColumnKind[];
  private readonly sources: Source[];

  /**
   * `target`: the appended table's columns in their order; `staged`: the columns a staged page
   * carries, in its order. A target column no page carries gets NULL, except the load metadata.
   */
  constructor(
    target: readonly (readonly [string, ColumnKind])[],
    staged: readonly (readonly [string, ColumnKind])[],
  ) {
    const position = new Map(staged.map(([name], index) => [name, index]));
    this.kinds = target.map(([, kind]) => kind);
    this.sources = target.map(([name]): Source => {
      const index = position.get(name);
      if (index !== undefined) return index;
      return name === '_sdc_extracted_at' || name === '_sdc_synced_at' ? name : null;
    });
  }

  /** The page's values per target column. */
  columns(page: StagedPage, extractedAt: Date, syncedAt: Date): AppendColumn[] {
    const constant = (value: StagedValue) => new Array<StagedValue>(page.rowCount).fill(value);
    return this.sources.map((source, c): AppendColumn => {
      if (typeof source === 'number') return [this.kinds[c], page.columns[source]];
      if (source === '_sdc_extracted_at') return [this.kinds[c], constant(extractedAt.getTime())];
      if (source === '_sdc_synced_at') return [this.kinds[c], constant(syncedAt.getTime())];
      return [this.kinds[c], constant(null)];
    });
  }
}
