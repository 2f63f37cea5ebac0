/**
 * Modelled server time of a list call, in emulated seconds. Calibrated on the one measurement the
 * docs publish (settings/performance/huge-data.md, 2,387,743 leads):
 *  - keyset page (start = -1, 3 fields selected, `>ID`, order ID): 0.097 s
 *      = BASE 0.06 + 50 rows × (0.0006 + 0.00004 × 3) = 0.06 + 0.036 ≈ 0.096 s
 *  - offset page (start ≥ 0, so the server COUNTs the matching rows), ~60 fields: 49.9 s
 *      = 0.06 + 50 × (0.0006 + 0.00004 × 60) + 2,387,743 × COUNT_PER_ROW  → COUNT_PER_ROW ≈ 2.08e-5
 * Scanning rows without an index (filter or order on a plain column) adds SCAN_PER_ROW each.
 */
export const BASE_SECONDS = 0.06;
export const PER_ROW_SECONDS = 0.0006;
export const PER_FIELD_SECONDS = 0.00004;
export const COUNT_PER_ROW_SECONDS = 2.08e-5;
export const SCAN_PER_ROW_SECONDS = 2e-6;
/** A single-row read or write (get/add/update/delete, small dictionaries). */
export const SINGLE_CALL_SECONDS = 0.04;

export interface CostInput {
  rowsReturned: number;
  fieldsPerRow: number;
  counted: boolean;
  /** Rows matched or scanned while counting or sorting. */
  scanned: number;
  unindexed: boolean;
}

export function listCost(c: CostInput): number {
  let cost = BASE_SECONDS + c.rowsReturned * (PER_ROW_SECONDS + PER_FIELD_SECONDS * c.fieldsPerRow);
  if (c.counted) cost += c.scanned * COUNT_PER_ROW_SECONDS;
  if (c.unindexed) cost += c.scanned * SCAN_PER_ROW_SECONDS;
  return cost;
}
