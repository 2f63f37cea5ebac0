/** Smart-process (SPA) items in crm.item encoding: camelCase keys, JSON numbers, null for empty. */
import { Collection, type Row } from './collection.js';
import type { PortalCounts } from './counts.js';
import { multifields } from './crm-rows.js';
import { formatDateTime, formatLocalMidnight } from './datetime.js';
import type { SpaType } from './funnels.js';
import { hash32, RowRandom, streamCode } from './random.js';
import { sampleText } from './text.js';
import { buildTimeline, stagePath, stageTimes } from './timeline.js';
import { fillUserFields, type UserFieldDef } from './user-fields.js';

export interface SpaCollection {
  type: SpaType;
  items: Collection;
  userFields: UserFieldDef[];
  created: Float64Array;
  modified: Float64Array;
  category: Float64Array;
}

/** What every item of one smart process is generated from: its timeline and hot columns. */
interface SpaItemContext {
  seed: number;
  now: number;
  counts: PortalCounts;
  type: SpaType;
  userFields: UserFieldDef[];
  stream: number;
  created: Float64Array;
  modified: Float64Array;
  category: Float64Array;
  assigned: Float64Array;
}

/** Item i (id i + 1); every value comes from the item's own random stream, read in a fixed order. */
function spaItemRow(ctx: SpaItemContext, i: number): Row {
  const { seed, counts, type, stream, created, modified, category, assigned } = ctx;
  const id = i + 1;
  const r = new RowRandom(seed, stream, id);
  const funnel = type.funnels.find((f) => f.id === category[i]) ?? type.funnels[0];
  const path = stagePath(seed, stream, id, funnel.stages.length, created[i], modified[i]);
  const times = stageTimes(seed, stream, id, path.length, created[i], modified[i]);
  const stage = funnel.stages[path[path.length - 1]];
  const begin = created[i] + r.int(0, 10) * 86400000;
  const row: Row = {
    id,
    xmlId: null,
    title: `${r.pick(['Заявка', 'Auftrag', 'Request', '申请'])} ${type.entityTypeId}-${id}`,
    createdBy: r.int(1, counts.users),
    updatedBy: r.int(1, counts.users),
    movedBy: r.int(1, counts.users),
    createdTime: formatDateTime(created[i]),
    updatedTime: formatDateTime(modified[i]),
    movedTime: formatDateTime(times[times.length - 1]),
    categoryId: category[i],
    opened: r.chance(0.8) ? 'Y' : 'N',
    stageId: stage.statusId,
    previousStageId: path.length > 1 ? funnel.stages[path[path.length - 2]].statusId : '',
    begindate: formatLocalMidnight(begin),
    closedate: formatLocalMidnight(begin + r.int(7, 60) * 86400000),
    companyId: r.chance(0.4) ? 0 : r.int(1, counts.companies),
    contactId: r.chance(0.3) ? 0 : r.int(1, counts.contacts),
    opportunity: r.int(0, 1000000) / 100,
    isManualOpportunity: r.chance(0.5) ? 'Y' : 'N',
    taxValue: 0,
    currencyId: r.pick(['RUB', 'EUR', 'USD']),
    mycompanyId: 0,
    sourceId: r.pick(['CALL', 'WEB', 'EMAIL', 'PARTNER']),
    sourceDescription: r.chance(0.5) ? null : sampleText(r),
    webformId: 0,
    assignedById: assigned[i],
    lastActivityBy: r.int(1, counts.users),
    lastActivityTime: formatDateTime(modified[i]),
    parentId2: r.chance(0.5) ? null : r.int(1, counts.deals),
    observers: r.chance(0.7) ? [] : [r.int(1, counts.users)],
    contactIds: [],
    entityTypeId: type.entityTypeId,
  };
  spaItemExtras(ctx, r, row, id);
  return row;
}

/** Contact ids, user fields and multifields (fm), drawn after the standard fields. */
function spaItemExtras(ctx: SpaItemContext, r: RowRandom, row: Row, id: number): void {
  const { now, counts, type, userFields } = ctx;
  if (row.contactId !== 0) row.contactIds = [row.contactId];
  fillUserFields(
    row,
    userFields,
    {
      rnd: r,
      entityTypeId: type.entityTypeId,
      id,
      now,
      users: counts.users,
      contacts: counts.contacts,
      companies: counts.companies,
      numeric: true,
    },
    true,
  );
  const mf = multifields(r, type.entityTypeId, id);
  row.fm = Object.values(mf)
    .flat()
    .map((m) => ({ id: Number(m.ID), valueType: m.VALUE_TYPE, value: m.VALUE, typeId: m.TYPE_ID }));
}

export function buildSpaItems(
  seed: number,
  now: number,
  counts: PortalCounts,
  type: SpaType,
  userFields: UserFieldDef[],
): SpaCollection {
  const streamName = `spa_${type.entityTypeId}`;
  const stream = streamCode(streamName);
  const n = counts.spaItems;
  const { created, modified } = buildTimeline(seed, stream, n, now);
  const category = new Float64Array(n);
  const assigned = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const h = hash32(seed, stream, i, 3);
    category[i] = type.funnels[h % 4 === 0 ? 1 : 0].id;
    assigned[i] = 1 + ((h >>> 5) % counts.users);
  }
  const ctx: SpaItemContext = {
    seed,
    now,
    counts,
    type,
    userFields,
    stream,
    created,
    modified,
    category,
    assigned,
  };
  const items = new Collection({
    name: streamName,
    idField: 'id',
    size: n,
    hot: { createdTime: created, updatedTime: modified, categoryId: category, assignedById: assigned },
    timeColumns: ['createdTime', 'updatedTime'],
    generate: (i) => spaItemRow(ctx, i),
  });
  return { type, items, userFields, created, modified, category };
}
