/** crm.status dictionaries: the simple ones, and the rows of every funnel's stages. */
import type { Row } from './collection.js';
import { DEAL_FUNNELS, type Funnel, LEAD_STAGES, type SpaType, type Stage } from './funnels.js';

const SIMPLE_DICTIONARIES: Record<string, [string, string][]> = {
  SOURCE: [
    ['CALL', 'Call'],
    ['EMAIL', 'E-Mail'],
    ['WEB', 'Website'],
    ['ADVERTISING', 'Реклама'],
    ['PARTNER', 'Partner'],
    ['TRADE_SHOW', 'Messe'],
    ['OTHER', 'Other'],
  ],
  CONTACT_TYPE: [
    ['CLIENT', 'Clients'],
    ['SUPPLIER', 'Suppliers'],
    ['PARTNER', 'Partners'],
    ['OTHER', 'Other'],
  ],
  COMPANY_TYPE: [
    ['CUSTOMER', 'Client'],
    ['SUPPLIER', 'Supplier'],
    ['COMPETITOR', 'Competitor'],
    ['PARTNER', 'Partner'],
    ['OTHER', 'Other'],
  ],
  EMPLOYEES: [
    ['EMPLOYEES_1', 'less than 50'],
    ['EMPLOYEES_2', '50-250'],
    ['EMPLOYEES_3', '250-500'],
    ['EMPLOYEES_4', 'over 500'],
  ],
  INDUSTRY: [
    ['IT', 'Information Technology'],
    ['TELECOM', 'Telecommunication'],
    ['MANUFACTURING', 'Производство'],
    ['BANKING', 'Banking'],
    ['OTHER', 'Other'],
  ],
  DEAL_TYPE: [
    ['SALE', 'Sales'],
    ['COMPLEX', 'Complex sale'],
    ['GOODS', 'Merchandise sales'],
    ['SERVICES', 'Service sales'],
    ['SERVICE', 'After-sales service'],
  ],
  HONORIFIC: [
    ['HNR_EN_1', 'Mr.'],
    ['HNR_EN_2', 'Mrs.'],
    ['HNR_EN_3', 'Ms.'],
    ['HNR_EN_4', 'Dr.'],
  ],
  CALL_LIST: [
    ['IN_WORK', 'In progress'],
    ['SUCCESS', 'Successful'],
    ['WRONG_NUMBER', 'Wrong number'],
    ['STOP_CALLING', 'Do not call'],
  ],
};

/** Status ids of a dictionary, for row generation (crm_status fields). */
const dictionaryIdLists = new Map<string, readonly string[]>();

/** Ids of a simple dictionary; memoised (read-only) because every generated row draws from them. */
export function dictionaryIds(entityId: string): readonly string[] {
  let ids = dictionaryIdLists.get(entityId);
  if (!ids) {
    ids = (SIMPLE_DICTIONARIES[entityId] ?? []).map(([id]) => id);
    dictionaryIdLists.set(entityId, ids);
  }
  return ids;
}

const COLORS = ['#39A8EF', '#2FC6F6', '#55D0E0', '#47E4C2', '#FFA900', '#7BD500', '#FF5752'];

/** All crm.status rows (ID, ENTITY_ID, STATUS_ID, … as in crm.status.list.json). */
export function statusRows(spa: SpaType[]): Row[] {
  const rows: Row[] = [];
  const push = (
    entityId: string,
    statusId: string,
    name: string,
    sort: number,
    category: number | null,
    semantic?: Stage['semantic'],
    color?: string,
  ) => {
    const semantics = semantic === 'S' ? 'S' : semantic === 'F' ? 'F' : null;
    const row: Row = {
      ID: String(rows.length + 1),
      ENTITY_ID: entityId,
      STATUS_ID: statusId,
      NAME: name,
      NAME_INIT: sort === 10 ? name : '',
      SORT: String(sort),
      SYSTEM: sort === 10 || semantics ? 'Y' : 'N',
      CATEGORY_ID: category === null ? null : String(category),
      COLOR: color ?? null,
      SEMANTICS: semantics,
    };
    if (semantic)
      row.EXTRA = {
        SEMANTICS: semantic === 'S' ? 'success' : semantic === 'F' ? 'failure' : 'process',
        COLOR: color,
      };
    rows.push(row);
  };
  const pushFunnel = (f: Funnel, category: number | null) => {
    for (const [i, s] of f.stages.entries())
      push(f.entityId, s.statusId, s.name, (i + 1) * 10, category, s.semantic, COLORS[i % COLORS.length]);
  };
  for (const [i, s] of LEAD_STAGES.entries())
    push('STATUS', s.statusId, s.name, (i + 1) * 10, null, s.semantic, COLORS[i]);
  for (const [entityId, items] of Object.entries(SIMPLE_DICTIONARIES))
    for (const [i, [id, name]] of items.entries()) push(entityId, id, name, (i + 1) * 10, null);
  for (const f of DEAL_FUNNELS) pushFunnel(f, f.id === 0 ? null : f.id);
  for (const t of spa) for (const f of t.funnels) pushFunnel(f, f.id);
  return rows;
}

/** crm.status.entity.types, shaped like the official example. */
export function statusEntityTypes(spa: SpaType[]): Row[] {
  const semanticInfo = (f: Funnel) => ({
    START_FIELD: f.stages[0].statusId,
    FINAL_SUCCESS_FIELD: f.stages[f.stages.length - 2].statusId,
    FINAL_UNSUCCESS_FIELD: f.stages[f.stages.length - 1].statusId,
    FINAL_SORT: 0,
  });
  const out: Row[] = [
    {
      ID: 'STATUS',
      NAME: 'Lead stages',
      SEMANTIC_INFO: {
        START_FIELD: 'NEW',
        FINAL_SUCCESS_FIELD: 'CONVERTED',
        FINAL_UNSUCCESS_FIELD: 'JUNK',
        FINAL_SORT: 0,
      },
      ENTITY_TYPE_ID: 1,
    },
    { ID: 'SOURCE', NAME: 'Sources' },
    { ID: 'CONTACT_TYPE', NAME: 'Contact type' },
    { ID: 'COMPANY_TYPE', NAME: 'Company type' },
    { ID: 'EMPLOYEES', NAME: 'Number of employees' },
    { ID: 'INDUSTRY', NAME: 'Industry' },
    { ID: 'DEAL_TYPE', NAME: 'Deal type' },
  ];
  for (const f of DEAL_FUNNELS) {
    if (f.id === 0)
      out.push({
        ID: f.entityId,
        NAME: 'General deal stages',
        SEMANTIC_INFO: semanticInfo(f),
        FIELD_ATTRIBUTE_SCOPE: '',
        ENTITY_TYPE_ID: 2,
        CATEGORY_ID: 0,
      });
    else
      out.push({
        ID: f.entityId,
        NAME: `${f.name} deal stages`,
        PARENT_ID: 'DEAL_STAGE',
        SEMANTIC_INFO: semanticInfo(f),
        PREFIX: `C${f.id}`,
        FIELD_ATTRIBUTE_SCOPE: `category_${f.id}`,
        ENTITY_TYPE_ID: 2,
        CATEGORY_ID: String(f.id),
      });
  }
  out.push({ ID: 'HONORIFIC', NAME: 'Inquiries' }, { ID: 'CALL_LIST', NAME: 'Call statuses' });
  for (const t of spa)
    for (const f of t.funnels)
      out.push({
        ID: f.entityId,
        NAME: `${t.title} (${f.name})`,
        SEMANTIC_INFO: [],
        PREFIX: `DT${t.entityTypeId}_${f.id}`,
        FIELD_ATTRIBUTE_SCOPE: `category_${f.id}`,
        ENTITY_TYPE_ID: t.entityTypeId,
        IS_ENABLED: true,
        CATEGORY_ID: f.id,
        CATEGORY_NAME: f.name,
        CATEGORY_SORT: f.sort,
        IS_DEFAULT_CATEGORY: f.isDefault,
      });
  return out;
}
