/**
 * Lists whose fields are declared here rather than described by the portal (users, departments,
 * calls, open lines, stage history, dictionaries). The declared descriptors go through the same
 * schema machinery as portal ones; where the portal names its fields (`user.fields`,
 * `department.fields` answer a flat name → title map), the names come from it and the types from
 * the declared hint table.
 */
import type { BitrixParams } from '../../client/index.js';
import { flatFieldMap } from '../../schema/index.js';
import type { FieldDescriptor, FieldMap, StreamDeclaration } from '../declaration.js';
import { DeclaredStream } from '../machinery/declared-stream.js';
import { alwaysKept, type StreamFamily } from '../machinery/family.js';
import { listSource } from '../machinery/list-source.js';
import type { PortalCatalog } from '../machinery/portal-catalog.js';
import { RecordTyper } from '../machinery/typed-records.js';
import type { StreamOptions } from '../stream.js';

export interface FixedListDeclaration extends Omit<StreamDeclaration, 'method' | 'keyProperties'> {
  list: string;
  key: string;
  /** Declared field descriptors (types of the columns). */
  fields: FieldMap;
  /** A flat `*.fields` method (FIELD → title) naming the portal's fields, and type hints for them. */
  namedBy?: { method: string; hints: Record<string, Partial<FieldDescriptor>> };
  params?: BitrixParams;
  filter?: (options: StreamOptions) => Record<string, unknown>;
  filterParam?: 'filter' | 'FILTER';
}

export function fixedList(d: FixedListDeclaration): StreamFamily {
  const declaration: StreamDeclaration = {
    ...d,
    method: d.list,
    fieldsMethod: d.namedBy?.method,
    keyProperties: [d.key],
  };
  return {
    declaration,
    describeCalls: () => (d.namedBy ? [{ method: d.namedBy.method }] : []),
    async discover(portal) {
      const fields = d.namedBy ? await namedFields(portal, d.namedBy, d.fields) : d.fields;
      const typer = new RecordTyper(d.name, fields, alwaysKept(declaration));
      const source = listSource({
        method: d.list,
        idField: d.key,
        params: () => ({ ...(d.params ?? {}) }),
        filter: (ctx) => d.filter?.(ctx.options) ?? {},
        filterParam: d.filterParam,
      });
      return new DeclaredStream(declaration, typer, source);
    },
  };
}

/** The portal's field names typed by the hints; declared fields the portal does not name stay. */
async function namedFields(
  portal: PortalCatalog,
  namedBy: NonNullable<FixedListDeclaration['namedBy']>,
  declared: FieldMap,
): Promise<FieldMap> {
  const titles = await portal.describe({ method: namedBy.method });
  const flat: Record<string, string> = {};
  if (typeof titles === 'object' && titles !== null && !Array.isArray(titles)) {
    for (const [name, title] of Object.entries(titles)) flat[name] = typeof title === 'string' ? title : name;
  }
  return { ...declared, ...flatFieldMap(flat, { ...declared, ...namedBy.hints }) };
}
