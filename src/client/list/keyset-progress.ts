/**
 * A keyset read ends only at an empty page or at proof of its end, so a portal that keeps
 * answering pages without moving (the same IDs again, IDs outside the bound asked for) would
 * loop forever and repeat rows. Every page must lie wholly beyond the last ID seen, in the
 * direction read; otherwise the read stops with an error instead of writing duplicates.
 */
import { ArgumentError } from '../errors.js';
import { type MethodProfile, rowId } from './method-profiles.js';

function checkedIds(
  rows: readonly Record<string, unknown>[],
  profile: MethodProfile,
  method: string,
  beyond: (id: number, previous: number) => boolean,
  previous: number | undefined,
  asked: string,
): number {
  let last = previous;
  for (const row of rows) {
    const id = rowId(row, profile);
    if (id === undefined) {
      throw new ArgumentError({
        code: 'NO_ID',
        method,
        description: `rows carry no numeric ${profile.idField}`,
      });
    }
    if (last !== undefined && !beyond(id, last)) {
      throw new ArgumentError({
        code: 'KEYSET_NOT_ADVANCING',
        method,
        description: `the portal answered ${profile.idField} ${id} when asked for rows ${asked} ${last}; stopping so no row is read twice`,
      });
    }
    last = id;
  }
  return last as number;
}

/** The page's last ID, after checking every row's ID is numeric and ascends past `previous`. */
export function advancedLastId(
  rows: readonly Record<string, unknown>[],
  profile: MethodProfile,
  previous: number | undefined,
  method: string,
): number {
  return checkedIds(rows, profile, method, (id, prev) => id > prev, previous, 'after');
}

/** The page's lowest ID, after checking every row's ID is numeric and descends below `below`. */
export function descendedLastId(
  rows: readonly Record<string, unknown>[],
  profile: MethodProfile,
  below: number,
  method: string,
): number {
  return checkedIds(rows, profile, method, (id, prev) => id < prev, below, 'below');
}
