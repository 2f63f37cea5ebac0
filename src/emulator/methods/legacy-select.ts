/**
 * Legacy `select`: `*` = every standard non-multiple field, `UF_*` = every non-multiple user field,
 * names pick single fields; multifields (PHONE, EMAIL, WEB, IM) only when named. Default `*` + `UF_*`.
 */
import type { Row } from '../portal/collection.js';
import type { StdField } from '../portal/descriptors/std-field.js';
import type { UserFieldDef } from '../portal/user-fields.js';

export interface Projection {
  keys: Set<string>;
}

export function legacyProjection(select: string[], std: StdField[], ufs: UserFieldDef[]): Projection {
  const wanted = select.length ? select : ['*', 'UF_*'];
  const keys = new Set<string>();
  for (const raw of wanted) {
    const name = raw.toUpperCase();
    if (name === '*') {
      for (const f of std) if (!f[3].includes('m')) keys.add(f[0]);
    } else if (name === 'UF_*') {
      for (const u of ufs) if (!u.multiple) keys.add(u.name);
    } else {
      keys.add(name);
    }
  }
  return { keys };
}

export function project(row: Row, p: Projection): Row {
  const out: Row = {};
  for (const k of Object.keys(row)) if (p.keys.has(k)) out[k] = row[k];
  return out;
}
