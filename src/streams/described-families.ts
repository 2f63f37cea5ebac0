/**
 * Which stream families a discovery describes. A run that reads some streams needs only their
 * families' describe calls, plus the family of each one's parent (a per-deal stream goes with
 * deals when deals cannot be served): every describe call costs the portal operating time (a
 * `*.fields` call 0.04 s, crm.type.list and one crm.item.fields per smart process more), so a
 * run of deals alone asks crm.deal.fields and nothing else. `--discover` and `check` list every
 * stream, so they describe every family.
 */
import { STREAM_FAMILIES } from './catalog.js';
import type { StreamFamily } from './machinery/family.js';
import { declarationNamed } from './relations.js';

/**
 * The families of `streams` (names such as `deals`, `spa_128`, or a family's own templated name
 * `spa_{entityTypeId}`) and of their parents. Every family when `streams` is absent, or when one
 * of its names belongs to no family: a typo is then reported against every stream the portal
 * offers, with the closest name as a hint, exactly as a full discovery would.
 */
export function familiesToDescribe(
  streams: readonly string[] | undefined,
  families: readonly StreamFamily[] = STREAM_FAMILIES,
): ReadonlySet<StreamFamily> {
  const every = new Set(families);
  if (streams === undefined) return every;
  const wanted = new Set<StreamFamily>();
  const add = (name: string): boolean => {
    const family = familyOf(name, families);
    if (family === undefined) return false;
    if (wanted.has(family)) return true;
    wanted.add(family);
    const { parent } = family.declaration;
    return parent === undefined || add(parent);
  };
  for (const name of streams) if (!add(name)) return every;
  return wanted;
}

/** The family a stream name belongs to: by its declared name, or as one object of a per-object family. */
function familyOf(
  name: string,
  families: readonly StreamFamily[] = STREAM_FAMILIES,
): StreamFamily | undefined {
  const exact = families.find((family) => family.declaration.name === name);
  if (exact) return exact;
  const found = declarationNamed(
    name,
    families.map((family) => family.declaration),
  );
  return found && families.find((family) => family.declaration === found.declaration);
}
