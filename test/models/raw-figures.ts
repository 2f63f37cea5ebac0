/**
 * The figures the models must show, computed here from the raw rows with plain TypeScript: the
 * independent second computation the model tests compare the views against.
 */

export type Row = Record<string, unknown>;

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** An id where 0 and NULL both mean none. */
export const id = (v: unknown): number | null => (num(v) === 0 ? null : num(v));
export const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
export const utcMonth = (epoch: number): string => `${new Date(epoch * 1000).toISOString().slice(0, 7)}-01`;

export type Semantic = 'won' | 'lost' | 'open';

export function statusSemantic(row: Row): Semantic {
  const extra = json(row.EXTRA) as { SEMANTICS?: string } | null;
  if (row.SEMANTICS === 'S' || extra?.SEMANTICS === 'success') return 'won';
  if (row.SEMANTICS === 'F' || extra?.SEMANTICS === 'failure') return 'lost';
  return 'open';
}

export function semanticOfId(value: unknown): Semantic | null {
  return value === 'S' ? 'won' : value === 'F' ? 'lost' : value === 'P' ? 'open' : null;
}

export interface Stage {
  funnel: number;
  id: string;
  name: string;
  sort: number;
  semantic: Semantic;
}

/** Deal stages by `funnel|stage`, from status_list rows. */
export function dealStages(status: Row[]): Map<string, Stage> {
  const out = new Map<string, Stage>();
  for (const s of status) {
    const entity = String(s.ENTITY_ID);
    if (entity !== 'DEAL_STAGE' && !entity.startsWith('DEAL_STAGE_')) continue;
    const funnel = entity === 'DEAL_STAGE' ? 0 : Number(s.CATEGORY_ID);
    const stage = {
      funnel,
      id: String(s.STATUS_ID),
      name: String(s.NAME),
      sort: Number(s.SORT),
      semantic: statusSemantic(s),
    };
    out.set(`${funnel}|${stage.id}`, stage);
  }
  return out;
}

export interface Deal {
  id: number;
  funnel: number;
  stage: string;
  semantic: Semantic;
  amount: number;
  user: number | null;
  lead: number | null;
  created: number | null;
  closed: number | null;
}

export function deals(raw: Row[], stages: Map<string, Stage>): Deal[] {
  return raw.map((d) => {
    const funnel = num(d.CATEGORY_ID) ?? 0;
    const semantic =
      stages.get(`${funnel}|${d.STAGE_ID}`)?.semantic ?? semanticOfId(d.STAGE_SEMANTIC_ID) ?? 'open';
    const closedAt = num(d.MOVED_TIME) ?? num(d.DATE_MODIFY);
    return {
      id: Number(d.ID),
      funnel,
      stage: String(d.STAGE_ID),
      semantic,
      amount: num(d.OPPORTUNITY) ?? 0,
      user: id(d.ASSIGNED_BY_ID),
      lead: id(d.LEAD_ID),
      created: num(d.DATE_CREATE),
      closed: semantic === 'open' ? null : closedAt,
    };
  });
}

/** Adds `value` to the number at `key` (created at 0). */
export function add(map: Map<string, number>, key: string, value = 1): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

export interface FunnelRow {
  entered: number;
  won: number;
  lost: number;
  wonAmount: number;
  reached: Map<string, number>;
}

/** Per `funnel|month`: deals entered, won, lost, won amount, and deals that reached each stage. */
export function funnelFigures(list: Deal[], history: Row[]): Map<string, FunnelRow> {
  const visited = new Map<number, Set<string>>();
  for (const h of history) {
    const set = visited.get(Number(h.OWNER_ID)) ?? new Set<string>();
    set.add(String(h.STAGE_ID));
    visited.set(Number(h.OWNER_ID), set);
  }
  const out = new Map<string, FunnelRow>();
  for (const d of list) {
    if (d.created === null) continue;
    const key = `${d.funnel}|${utcMonth(d.created)}`;
    const row = out.get(key) ?? { entered: 0, won: 0, lost: 0, wonAmount: 0, reached: new Map() };
    row.entered++;
    if (d.semantic === 'won') {
      row.won++;
      row.wonAmount += d.amount;
    }
    if (d.semantic === 'lost') row.lost++;
    for (const stage of new Set([...(visited.get(d.id) ?? []), d.stage])) add(row.reached, stage);
    out.set(key, row);
  }
  return out;
}

export interface StageStay {
  stage: string;
  entered: number;
  left: number | null;
  semantic: Semantic;
}

/** Each deal's stage history in order (time, then id), with when each stay ended. */
export function stageStays(history: Row[], stages: Map<string, Stage>): Map<string, StageStay> {
  const byDeal = new Map<number, Row[]>();
  for (const h of history) {
    const list = byDeal.get(Number(h.OWNER_ID)) ?? [];
    list.push(h);
    byDeal.set(Number(h.OWNER_ID), list);
  }
  const out = new Map<string, StageStay>();
  for (const [deal, rows] of byDeal) {
    rows.sort((a, b) => Number(a.CREATED_TIME) - Number(b.CREATED_TIME) || Number(a.ID) - Number(b.ID));
    rows.forEach((h, i) => {
      const funnel = num(h.CATEGORY_ID) ?? 0;
      out.set(`${deal}|${i + 1}`, {
        stage: String(h.STAGE_ID),
        entered: Number(h.CREATED_TIME),
        left: i + 1 < rows.length ? Number(rows[i + 1]!.CREATED_TIME) : null,
        semantic:
          stages.get(`${funnel}|${h.STAGE_ID}`)?.semantic ?? semanticOfId(h.STAGE_SEMANTIC_ID) ?? 'open',
      });
    });
  }
  return out;
}

export interface LeadGroup {
  leads: number;
  converted: number;
  deals: number;
  days: number[];
  success: number;
}

/** Per `source|month` of lead creation: leads, those a deal names (LEAD_ID), their deals and days to the first. */
export function leadFigures(leads: Row[], rawDeals: Row[]): Map<string, LeadGroup> {
  const firstDeal = new Map<number, { deals: number; at: number }>();
  for (const d of rawDeals) {
    const lead = id(d.LEAD_ID);
    if (lead === null) continue;
    const known = firstDeal.get(lead);
    firstDeal.set(lead, {
      deals: (known?.deals ?? 0) + 1,
      at: Math.min(known?.at ?? Infinity, Number(d.DATE_CREATE)),
    });
  }
  const groups = new Map<string, LeadGroup>();
  for (const l of leads) {
    const key = `${str(l.SOURCE_ID) || ''}|${l.DATE_CREATE === null ? '' : utcMonth(Number(l.DATE_CREATE))}`;
    const g = groups.get(key) ?? { leads: 0, converted: 0, deals: 0, days: [], success: 0 };
    g.leads++;
    const conversion = firstDeal.get(Number(l.ID));
    if (conversion) {
      g.converted++;
      g.deals += conversion.deals;
      g.days.push((conversion.at - Number(l.DATE_CREATE)) / 86400);
    }
    if (l.STATUS_SEMANTIC_ID === 'S') g.success++;
    groups.set(key, g);
  }
  return groups;
}

/** Per `user|month`: deals created and still open (and amount), closed won/lost (and won amount), activities done. */
export function managerFigures(list: Deal[], activities: Row[]): Map<string, Map<string, number>> {
  const figures = new Map<string, Map<string, number>>();
  const at = (user: number | null, time: number | null) => {
    const key = `${user ?? ''}|${time === null ? '' : utcMonth(time)}`;
    const m = figures.get(key) ?? new Map<string, number>();
    figures.set(key, m);
    return m;
  };
  for (const d of list) {
    const created = at(d.user, d.created);
    add(created, 'deals_created');
    if (d.semantic === 'open') {
      add(created, 'open_deals');
      add(created, 'open_amount', d.amount);
    }
    if (d.closed !== null) {
      add(at(d.user, d.closed), `deals_${d.semantic}`);
      if (d.semantic === 'won') add(at(d.user, d.closed), 'won_amount', d.amount);
    }
  }
  for (const a of activities)
    if (a.COMPLETED === true)
      add(at(id(a.RESPONSIBLE_ID), num(a.END_TIME) ?? num(a.CREATED)), 'activities_done');
  return figures;
}
