/**
 * Legacy CRM lists (crm.deal.list, crm.contact.list, ...): schema from the portal's own
 * `*.fields`, so UF_* fields arrive with real types; `*` and `UF_*` plus the multifields, which a
 * portal returns only when named.
 */
import type { BitrixParams } from '../../client/index.js';
import type { JsonSchema } from '../../schema/index.js';
import type { FieldMap, StreamDeclaration } from '../declaration.js';
import { DeclaredStream } from '../machinery/declared-stream.js';
import { alwaysKept, type StreamFamily } from '../machinery/family.js';
import type { PageSource, ReadRange } from '../machinery/keyed-read.js';
import { listSource } from '../machinery/list-source.js';
import { RecordTyper } from '../machinery/typed-records.js';
import type { ReadContext, StreamOptions } from '../stream.js';

export interface CrmEntityDeclaration
  extends Omit<StreamDeclaration, 'method' | 'fieldsMethod' | 'keyProperties' | 'group'> {
  list: string;
  fields: string;
  key: string;
  /** The full select: masks (`*`, `UF_*`) and the names a portal returns only when named (PHONE, ...). */
  select: readonly string[];
  /** Fields `*.fields` lists that the list method never returns. */
  notListed?: readonly string[];
  filter?: (options: StreamOptions) => Record<string, unknown>;
  /** Computed properties, added to each page of raw rows before typing. */
  computed?: {
    enabled: (options: StreamOptions) => boolean;
    schema: Record<string, JsonSchema>;
    add: (rows: Record<string, unknown>[], ctx: ReadContext) => Promise<void>;
  };
}

export function crmEntity(d: CrmEntityDeclaration): StreamFamily {
  const declaration: StreamDeclaration = {
    ...d,
    group: 'crm',
    method: d.list,
    fieldsMethod: d.fields,
    keyProperties: [d.key],
  };
  return {
    declaration,
    describeCalls: () => [{ method: d.fields }],
    async discover(portal) {
      const described = await portal.fields({ method: d.fields });
      const fields: FieldMap = {};
      for (const [name, descriptor] of Object.entries(described)) {
        if (!d.notListed?.includes(name)) fields[name] = descriptor;
      }
      const computedOn = d.computed?.enabled(portal.options) === true;
      const typer = new RecordTyper(
        d.name,
        fields,
        alwaysKept(declaration),
        computedOn ? d.computed?.schema : {},
      );
      const base = listSource({
        method: d.list,
        idField: d.key,
        params: (range, ctx) => ({ select: selectFor(d, fields, range, ctx) }),
        filter: (ctx) => d.filter?.(ctx.options) ?? {},
      });
      const source: PageSource = computedOn && d.computed ? withComputed(base, d.computed.add) : base;
      return new DeclaredStream(declaration, typer, source);
    },
  };
}

function selectFor(
  d: CrmEntityDeclaration,
  fields: FieldMap,
  range: ReadRange,
  ctx: ReadContext,
): BitrixParams[string] {
  if (range.keysOnly) return [d.key];
  if (ctx.selectedProperties) {
    const wanted = new Set([...ctx.selectedProperties, d.key, ...d.validReplicationKeys]);
    return [...wanted].filter((name) => name in fields);
  }
  // `UF_*` leaves out multiple user fields and `*` the multifields: those must be named.
  const multiple = Object.entries(fields)
    .filter(([, f]) => f.isMultiple)
    .map(([name]) => name);
  return [...new Set([...d.select.filter((name) => name.includes('*') || name in fields), ...multiple])];
}

function withComputed(
  source: PageSource,
  add: (rows: Record<string, unknown>[], ctx: ReadContext) => Promise<void>,
): PageSource {
  const computed: PageSource = async function* (range, ctx) {
    for await (const page of source(range, ctx)) {
      if (!range.keysOnly) await add(page.records, ctx);
      yield page;
    }
  };
  if (source.count) computed.count = source.count;
  return computed;
}
