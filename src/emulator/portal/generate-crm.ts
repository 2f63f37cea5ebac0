/** The four legacy CRM collections: deals, contacts, companies, leads. */
import { Collection, type Row } from './collection.js';
import type { PortalCounts } from './counts.js';
import { legacyRow } from './crm-rows.js';
import { formatDateTime, formatLocalMidnight } from './datetime.js';
import { type DealProductPlan, dealProductTotals } from './deal-products.js';
import { companyFields, contactFields, dealFields, leadFields } from './descriptors/std-fields.js';
import { DEAL_FUNNELS, LEAD_STAGES } from './funnels.js';
import { hash32, type RowRandom, streamCode } from './random.js';
import { birthDate, dealTitle, leadTitle } from './text.js';
import { buildTimeline, stagePath, stageTimes } from './timeline.js';
import type { UserFieldDef } from './user-fields.js';

export const ENTITY_CODE = { lead: 1, deal: 2, contact: 3, company: 4 } as const;
export type LegacyEntity = keyof typeof ENTITY_CODE;

export const STD_FIELDS = {
  deal: dealFields,
  contact: contactFields,
  company: companyFields,
  lead: leadFields,
};

export interface CrmGenInput {
  seed: number;
  now: number;
  counts: PortalCounts;
  userFields: Record<LegacyEntity, UserFieldDef[]>;
  dealProducts: DealProductPlan;
}

const DAY_MS = 86400000;

/**
 * OPPORTUNITY, TAX_VALUE and IS_MANUAL_OPPORTUNITY: the product rows' sums when the deal has
 * products, else an amount typed by hand whose included VAT (20 %, or none) is part of it.
 */
function dealAmounts(row: Row, r: RowRandom, products: { rows: number; amount: number; tax: number }): void {
  if (products.rows > 0) {
    row.OPPORTUNITY = products.amount.toFixed(2);
    row.TAX_VALUE = products.tax.toFixed(2);
    row.IS_MANUAL_OPPORTUNITY = 'N';
    return;
  }
  const amount = r.int(0, 5000000) / 100;
  row.OPPORTUNITY = amount.toFixed(2);
  row.TAX_VALUE = (r.chance(0.5) ? Math.round((amount * 100 * 20) / 120) / 100 : 0).toFixed(2);
  row.IS_MANUAL_OPPORTUNITY = 'Y';
}

function assignedColumn(seed: number, stream: number, n: number, users: number): Float64Array {
  const a = new Float64Array(n);
  // A few managers own most records, as on real portals.
  for (let i = 0; i < n; i++) {
    const h = hash32(seed, stream, i, 11);
    a[i] = 1 + ((h & 3) === 0 ? h % users : (h >>> 4) % Math.min(users, 5));
  }
  return a;
}

type SpecialFields = Parameters<typeof legacyRow>[0]['special'];

/** One legacy collection: its timeline and hot columns up front, rows generated on demand. */
function legacyCollection(
  g: CrmGenInput,
  entity: LegacyEntity,
  n: number,
  extraHot: Record<string, Float64Array>,
  special: SpecialFields,
): Collection {
  const { seed, now, counts } = g;
  const stream = streamCode(entity);
  const { created, modified } = buildTimeline(seed, stream, n, now);
  const hot = { ASSIGNED_BY_ID: assignedColumn(seed, stream, n, counts.users), ...extraHot };
  const ctx = {
    seed,
    now,
    counts,
    stream,
    fields: STD_FIELDS[entity],
    userFields: g.userFields[entity],
    created,
    modified,
    hot,
    special,
  };
  return new Collection({
    name: entity,
    idField: 'ID',
    size: n,
    hot: { ...hot, DATE_CREATE: created, DATE_MODIFY: modified },
    timeColumns: ['DATE_CREATE', 'DATE_MODIFY'],
    generate: (i) => legacyRow(ctx, i, ENTITY_CODE[entity]),
  });
}

/** Each deal's funnel: half in the general one, the rest spread over three more. */
function dealCategories(seed: number, deals: number): Float64Array {
  const dealStream = streamCode('deal');
  const category = new Float64Array(deals);
  for (let i = 0; i < deals; i++) {
    const h = hash32(seed, dealStream, i, 12) % 10;
    category[i] = h < 5 ? 0 : h < 8 ? 1 : h < 9 ? 2 : 3;
  }
  return category;
}

function buildDeals(g: CrmGenInput): Collection {
  const { seed, counts } = g;
  const dealStream = streamCode('deal');
  const category = dealCategories(seed, counts.deals);
  return legacyCollection(
    g,
    'deal',
    counts.deals,
    { CATEGORY_ID: category },
    (i, r, row, created, modified) => {
      const funnel = DEAL_FUNNELS.find((f) => f.id === category[i]) ?? DEAL_FUNNELS[0];
      const path = stagePath(seed, dealStream, i + 1, funnel.stages.length, created, modified);
      const times = stageTimes(seed, dealStream, i + 1, path.length, created, modified);
      const stage = funnel.stages[path[path.length - 1]];
      const lastMove = times[times.length - 1];
      row.STAGE_ID = stage.statusId;
      row.STAGE_SEMANTIC_ID = stage.semantic;
      row.CLOSED = stage.semantic === 'P' ? 'N' : 'Y';
      row.TITLE = dealTitle(r, i + 1);
      dealAmounts(row, r, dealProductTotals(seed, g.dealProducts, i, counts.products));
      // BEGINDATE is the creation day; an open deal expects to close weeks later, a closed one
      // closed on the day of its last move.
      row.BEGINDATE = formatLocalMidnight(created);
      row.CLOSEDATE = formatLocalMidnight(row.CLOSED === 'Y' ? lastMove : created + r.int(7, 90) * DAY_MS);
      row.PROBABILITY = r.chance(0.3) ? null : String(r.int(0, 100));
      row.MOVED_TIME = formatDateTime(lastMove);
      row.LEAD_ID = r.chance(0.7) ? null : String(r.int(1, counts.leads));
      row.QUOTE_ID = null;
      row.LOCATION_ID = null;
      row.ORIGINATOR_ID = null;
      row.ORIGIN_ID = null;
    },
  );
}

function buildContacts(g: CrmGenInput): Collection {
  return legacyCollection(g, 'contact', g.counts.contacts, {}, (_i, r, row, created) => {
    row.BIRTHDATE = r.chance(0.5) ? '' : formatLocalMidnight(birthDate(r, created));
    row.PHOTO = null;
    // crm.contact.get returns FACE_ID although crm.contact.fields does not list it.
    row.FACE_ID = null;
    row.EXPORT = 'Y';
    row.ADDRESS_LOC_ADDR_ID = null;
  });
}

function buildCompanies(g: CrmGenInput): Collection {
  const { now } = g;
  return legacyCollection(g, 'company', g.counts.companies, {}, (_i, r, row) => {
    row.IS_MY_COMPANY = r.chance(0.01) ? 'Y' : 'N';
    row.LOGO = null;
    row.LAST_COMMUNICATION_TIME = r.chance(0.5)
      ? null
      : formatDateTime(now - r.int(1, 900) * 86400000)
          .replace('T', ' ')
          .slice(0, 19);
  });
}

function buildLeads(g: CrmGenInput): Collection {
  const { seed } = g;
  const leadStream = streamCode('lead');
  return legacyCollection(g, 'lead', g.counts.leads, {}, (i, r, row, created, modified) => {
    const path = stagePath(seed, leadStream, i + 1, LEAD_STAGES.length, created, modified);
    const times = stageTimes(seed, leadStream, i + 1, path.length, created, modified);
    const status = LEAD_STAGES[path[path.length - 1]];
    row.STATUS_ID = status.statusId;
    row.STATUS_SEMANTIC_ID = status.semantic;
    row.DATE_CLOSED = status.semantic === 'P' ? null : formatDateTime(times[times.length - 1]);
    row.TITLE = leadTitle(r, i + 1);
    row.BIRTHDATE = r.chance(0.7) ? '' : formatLocalMidnight(birthDate(r, created));
    row.COMPANY_TITLE = r.chance(0.5) ? null : row.COMPANY_TITLE;
    row.OPPORTUNITY = (r.int(0, 2000000) / 100).toFixed(2);
    row.MOVED_TIME = formatDateTime(times[times.length - 1]);
  });
}

export function buildCrmCollections(g: CrmGenInput): Record<LegacyEntity, Collection> {
  const deal = buildDeals(g);
  const contact = buildContacts(g);
  const company = buildCompanies(g);
  const lead = buildLeads(g);
  return { deal, contact, company, lead };
}
