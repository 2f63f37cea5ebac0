/**
 * A keyset read ends only at a short page, so a portal that keeps answering full pages without
 * moving forward (the same IDs again, IDs at or below the `>ID` asked for) would loop forever
 * and repeat rows. Every page must lie wholly after the last ID seen; otherwise the read stops
 * with an error instead of writing duplicates.
 */
import { ArgumentError } from '../errors.js';
import { type MethodProfile, rowId } from './method-profiles.js';

/** The page's last ID, after checking every row's ID is numeric and beyond `previous`. */
export function advancedLastId(
  rows: readonly Record<string, unknown>[],
  profile: MethodProfile,
  previous: number | undefined,
  method: string,
): number {
  let last: number | undefined;
  for (const row of rows) {
    const id = rowId(row, profile);
    if (id === undefined) {
      throw new ArgumentError({
        code: 'NO_ID',
        method,
        description: `rows carry no numeric ${profile.idField}`,
      });
    }
    if (previous !== undefined && id <= previous) {
      throw new ArgumentError({
        code: 'KEYSET_NOT_ADVANCING',
        method,
        description: `the portal answered ${profile.idField} ${id} when asked for rows after ${previous}; stopping so no row is read twice`,
      });
    }
    last = id;
  }
  return last as number;
}
