/**
 * The finish of one stream's load (stream-load.ts), in one transaction: a replace's staging rows
 * swapped in (earlier live rows archived to history first), or a full scan's unseen rows marked
 * deleted; history past its horizon pruned; comments and derived tables (table-finish.ts); and
 * the final bookmark with the table's catalog row, in one round trip.
 */
import { saveStateSql } from './bookkeeping.js';
import type { LoadMode, StreamTable } from './destination.js';
import type { LoadHost } from './load-host.js';
import type { PageStatements } from './page-statements.js';
import type { ReplaceStaging } from './replace-staging.js';
import type { SeenKeys } from './seen-keys.js';
import { qualified, timestampLiteral } from './sql-driver.js';

/** What a load brings to its finish. */
export interface FinishingLoad {
  host: LoadHost;
  table: StreamTable;
  mode: LoadMode;
  /** The load's start: a replace's archived rows stopped being valid then. */
  startedAt: Date;
  statements: PageStatements;
  /** The live table's history table (qualified), when it keeps history. */
  history: string | null;
  staging?: ReplaceStaging;
  seenKeys?: SeenKeys;
}

/** Finishes the load with `streamState` as its final bookmark; how many rows it marked deleted. */
export async function finishLoad(load: FinishingLoad, streamState: Record<string, unknown>): Promise<number> {
  const { host, table, staging, seenKeys, history } = load;
  const { driver } = host;
  const now = new Date();
  let rowsMarkedDeleted = 0;
  // On its own, before the transaction (see replace-staging.ts).
  await staging?.dropRepeatedKeys();
  const live = qualified(table.layer, table.table);
  const archive = history ? [load.statements.archiveAllSql(live, history, load.startedAt)] : [];
  const horizon = new Date(now.getTime() - table.historyDays * 86_400_000);
  const prune = history ? [`DELETE FROM ${history} WHERE _sdc_valid_to < ${timestampLiteral(horizon)}`] : [];
  await host.transaction(
    async () => {
      if (staging) {
        const swapped = staging.swappedColumns();
        if (swapped) host.catalog.replaced(table.layer, table.table, swapped);
      } else if (seenKeys) {
        rowsMarkedDeleted = await seenKeys.markUnseenDeleted(now);
      }
      await host.finishTables(table, staging !== undefined, now);
    },
    {
      opening: staging ? staging.swapInSql(archive) : [],
      closing: () => [
        ...prune,
        saveStateSql(driver, host.stateSchema, table, streamState),
        host.catalogEntrySql(table, load.mode, now),
      ],
    },
  );
  return rowsMarkedDeleted;
}
