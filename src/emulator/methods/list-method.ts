/** The shared body of legacy list methods: parse, run, project, price. */
import type { Collection, Row } from '../portal/collection.js';
import { listCost } from '../query/cost.js';
import type { Group } from '../query/filter.js';
import { runList } from '../query/list.js';
import type { MethodOutcome } from './contract.js';

export interface ListCall {
  col: Collection;
  filter: Group;
  order: [string, boolean][];
  start: number;
  pageSize?: number;
  shape(row: Row): Row;
}

export function listOutcome(c: ListCall, wrap: (rows: Row[]) => unknown = (rows) => rows): MethodOutcome {
  const page = runList(c.col, { filter: c.filter, order: c.order, start: c.start, pageSize: c.pageSize });
  const rows: Row[] = [];
  for (const id of page.ids) {
    const row = c.col.row(id);
    if (row) rows.push(c.shape(row));
  }
  const fields = rows.length ? Object.keys(rows[0]).length : 0;
  const cost = listCost({
    rowsReturned: rows.length,
    fieldsPerRow: fields,
    counted: c.start >= 0,
    scanned: page.scanned,
    unindexed: page.unindexed,
  });
  const out: MethodOutcome = { result: wrap(rows), total: page.total, cost };
  if (page.next !== undefined) out.next = page.next;
  return out;
}
