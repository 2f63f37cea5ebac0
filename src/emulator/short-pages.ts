/**
 * The `short-pages` variant: list pages shorter than the page size in the middle of a list, as
 * real portals answer them.
 *  - Some methods cap a page below the 50 rows asked for (user.get at 25, crm.contact.list at
 *    35); `next` still counts from the cap, so an offset reader moves on correctly.
 *  - Rows the credential may not see: a fixed subset (about 3 %, by a seeded hash of the method
 *    and the row ID) is removed from every list page AFTER the LIMIT, as a portal filtering by
 *    access rights after its SQL does. Those rows are never in any list answer, while `total`
 *    (when counted) still includes them, as a COUNT run before the access filter would.
 * The default portal does neither: `apply` is then never called.
 */
import type { MethodOutcome, Params } from './methods/contract.js';
import { startParam } from './methods/params.js';
import { hash32, streamCode } from './portal/random.js';

interface ListShape {
  idField: string;
  wrapper?: string;
}

const CRM: ListShape = { idField: 'ID' };

/** The lists the access filter applies to: the ones read by ID, with their row shape. */
export const ACCESS_FILTERED_LISTS: Record<string, ListShape> = {
  'crm.deal.list': CRM,
  'crm.contact.list': CRM,
  'crm.company.list': CRM,
  'crm.lead.list': CRM,
  'crm.activity.list': CRM,
  'crm.product.list': CRM,
  'crm.timeline.comment.list': CRM,
  'crm.stagehistory.list': { idField: 'ID', wrapper: 'items' },
  'crm.item.list': { idField: 'id', wrapper: 'items' },
  'user.get': CRM,
  'voximplant.statistic.get': CRM,
};

/** Methods whose pages hold at most this many rows whatever the limit. */
export const PAGE_CAPS: Record<string, number> = { 'user.get': 25, 'crm.contact.list': 35 };

/** Rows hidden from the credential, per thousand. */
const HIDDEN_PER_MILLE = 30;

export class AccessFilter {
  constructor(private readonly seed: number) {}

  /** Whether `method` never shows the row `id` to this credential. */
  hidden(method: string, id: number): boolean {
    if (!(method in ACCESS_FILTERED_LISTS)) return false;
    return hash32(this.seed, streamCode(method), id, 0x5107) % 1000 < HIDDEN_PER_MILLE;
  }

  /** The answer a portal with capped pages and access-filtered rows gives for this page. */
  apply(method: string, params: Params, outcome: MethodOutcome): MethodOutcome {
    const shape = ACCESS_FILTERED_LISTS[method];
    const cap = PAGE_CAPS[method];
    if (!shape && cap === undefined) return outcome;
    const wrapped = shape?.wrapper !== undefined;
    const holder = outcome.result as Record<string, unknown> | null;
    const rows = wrapped ? holder?.[shape.wrapper as string] : outcome.result;
    if (!Array.isArray(rows)) return outcome;
    const out: MethodOutcome = { ...outcome };
    let page = rows as Record<string, unknown>[];
    if (cap !== undefined && page.length > cap) {
      page = page.slice(0, cap);
      const start = startParam(params);
      delete out.next;
      if (start >= 0 && out.total !== undefined && start + cap < out.total) out.next = start + cap;
    }
    if (shape) page = page.filter((row) => !this.hidden(method, Number(row[shape.idField])));
    out.result = wrapped ? { ...holder, [shape.wrapper as string]: page } : page;
    return out;
  }
}
