/** The generated portal: every collection, dictionary and custom-field set, built from (seed, scale, now). */
import type { Collection, Row } from './collection.js';
import { countsFor, type PortalCounts } from './counts.js';
import { PORTAL_OFFSET } from './datetime.js';
import { buildDealProductRows, dealProductPlan } from './deal-products.js';
import { statusEntityTypes, statusRows } from './dictionaries.js';
import { DEAL_FUNNELS, type Funnel, LEAD_STAGES, type SpaType, spaTypes } from './funnels.js';
import { buildActivities, buildDealComments, buildStageHistory } from './generate-children.js';
import { buildCrmCollections, ENTITY_CODE, type LegacyEntity } from './generate-crm.js';
import {
  buildCalls,
  buildDepartments,
  buildOpenLines,
  buildProducts,
  buildUsers,
  productName,
} from './generate-directory.js';
import { buildSpaItems, type SpaCollection } from './generate-spa.js';
import { streamCode } from './random.js';
import { buildTimeline } from './timeline.js';
import { type UserFieldDef, userFieldsFor } from './user-fields.js';

export interface Portal {
  readonly seed: number;
  readonly scale: number;
  /** Emulated ms since epoch at generation; every generated instant lies before it. */
  readonly now: number;
  readonly timezoneOffset: string;
  readonly counts: PortalCounts;
  readonly crm: Record<LegacyEntity, Collection>;
  readonly userFields: Record<LegacyEntity, UserFieldDef[]>;
  readonly activities: Collection;
  readonly products: Collection;
  readonly dealHistory: Collection;
  readonly leadHistory: Collection;
  readonly dealComments: Collection;
  readonly dealProducts: Collection;
  readonly spa: SpaCollection[];
  readonly spaHistory: Map<number, Collection>;
  readonly statuses: Row[];
  readonly statusEntityTypes: Row[];
  readonly dealFunnels: Funnel[];
  readonly spaTypes: SpaType[];
  readonly users: Collection;
  readonly departments: Row[];
  readonly calls: Collection;
  readonly openLines: Row[];
}

export interface PortalOptions {
  seed: number;
  scale: number;
  now: number;
  /** How many smart-process types (each adds 3 streams); 2 by default. */
  spaTypes?: number;
}

export function generatePortal(opts: PortalOptions): Portal {
  const { seed, now } = opts;
  const counts = countsFor(opts.scale, opts.spaTypes);
  const userFields = Object.fromEntries(
    (Object.keys(ENTITY_CODE) as LegacyEntity[]).map((e) => [e, userFieldsFor(ENTITY_CODE[e])]),
  ) as Record<LegacyEntity, UserFieldDef[]>;
  const dealProducts = dealProductPlan(seed, counts.deals);
  const crm = buildCrmCollections({ seed, now, counts, userFields, dealProducts });
  const owner = (entity: LegacyEntity, funnel: (i: number) => Funnel) => ({
    stream: entity,
    count: crm[entity].maxId,
    created: crm[entity].hot.DATE_CREATE,
    modified: crm[entity].hot.DATE_MODIFY,
    funnel,
  });
  const category = crm.deal.hot.CATEGORY_ID;
  const dealOwner = owner('deal', (i) => DEAL_FUNNELS.find((f) => f.id === category[i]) ?? DEAL_FUNNELS[0]);
  const leadFunnel: Funnel = {
    id: 0,
    name: 'Leads',
    sort: 0,
    isDefault: true,
    entityId: 'STATUS',
    language: 'en',
    stages: LEAD_STAGES,
  };
  const types = spaTypes(counts.spaTypes);
  const spa = types.map((t) =>
    buildSpaItems(seed, now, counts, t, userFieldsFor(t.entityTypeId, t.entityTypeId)),
  );
  const spaHistory = new Map<number, Collection>();
  for (const s of spa) {
    const funnel = (i: number) => s.type.funnels.find((f) => f.id === s.category[i]) ?? s.type.funnels[0];
    spaHistory.set(
      s.type.entityTypeId,
      buildStageHistory(
        `spa_stage_history_${s.type.entityTypeId}`,
        seed,
        { stream: s.items.name, count: s.items.maxId, created: s.created, modified: s.modified, funnel },
        false,
      ),
    );
  }
  const activityTimes = buildTimeline(seed, streamCode('activity'), counts.activities, now);
  return {
    seed,
    scale: opts.scale,
    now,
    timezoneOffset: PORTAL_OFFSET,
    counts,
    crm,
    userFields,
    activities: buildActivities({ seed, now, counts, ...activityTimes }),
    products: buildProducts(seed, now, counts),
    dealHistory: buildStageHistory('deal_stage_history', seed, dealOwner, false),
    leadHistory: buildStageHistory(
      'lead_stage_history',
      seed,
      owner('lead', () => leadFunnel),
      true,
    ),
    dealComments: buildDealComments(seed, dealOwner, counts.users),
    dealProducts: buildDealProductRows(seed, dealProducts, crm.deal.hot.DATE_CREATE, counts.products, (id) =>
      productName(seed, id),
    ),
    spa,
    spaHistory,
    statuses: statusRows(types),
    statusEntityTypes: statusEntityTypes(types),
    dealFunnels: DEAL_FUNNELS,
    spaTypes: types,
    users: buildUsers(seed, now, counts),
    departments: buildDepartments(counts),
    calls: buildCalls(seed, now, counts),
    openLines: buildOpenLines(counts),
  };
}
