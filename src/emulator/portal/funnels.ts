/** Funnels and their stages: deal funnels, the lead funnel, smart-process types and their pipelines. */

export interface Stage {
  statusId: string;
  name: string;
  /** P in progress, S success, F failure. */
  semantic: 'P' | 'S' | 'F';
}

export interface Funnel {
  id: number;
  name: string;
  sort: number;
  isDefault: boolean;
  /** crm.status ENTITY_ID of its stages. */
  entityId: string;
  /** The language all its stage names are in. */
  language: StageLanguage;
  stages: Stage[];
}

export interface SpaType {
  id: number;
  entityTypeId: number;
  title: string;
  funnels: Funnel[];
}

/** Languages a funnel's stages are named in; one funnel uses one language throughout. */
export type StageLanguage = 'en' | 'ru' | 'de';

const STAGE_IDS: [string, Stage['semantic']][] = [
  ['NEW', 'P'],
  ['PREPARATION', 'P'],
  ['PREPAYMENT_INVOICE', 'P'],
  ['EXECUTING', 'P'],
  ['FINAL_INVOICE', 'P'],
  ['WON', 'S'],
  ['LOSE', 'F'],
];

/** Stage names by language, in STAGE_IDS order (the names a portal set up in that language shows). */
export const STAGE_NAMES: Record<StageLanguage, readonly string[]> = {
  en: [
    'New',
    'Document preparation',
    'Prepayment invoice',
    'In progress',
    'Final invoice',
    'Deal won',
    'Deal lost',
  ],
  ru: [
    'Новая',
    'Подготовка документов',
    'Счёт на предоплату',
    'В работе',
    'Финальный счёт',
    'Сделка успешна',
    'Сделка провалена',
  ],
  de: [
    'Neu',
    'Dokumentenvorbereitung',
    'Vorauszahlungsrechnung',
    'In Bearbeitung',
    'Schlussrechnung',
    'Gewonnen',
    'Verloren',
  ],
};

export const LEAD_STAGES: Stage[] = [
  { statusId: 'NEW', name: 'Unassigned', semantic: 'P' },
  { statusId: 'IN_PROCESS', name: 'In progress', semantic: 'P' },
  { statusId: 'PROCESSED', name: 'Processed', semantic: 'P' },
  { statusId: 'CONVERTED', name: 'Good lead', semantic: 'S' },
  { statusId: 'JUNK', name: 'Junk lead', semantic: 'F' },
];

/** The funnel's stages: `prefix:ID` status ids (none for the default deal funnel), named in `language`. */
function funnelStages(prefix: string, language: StageLanguage): Stage[] {
  return STAGE_IDS.map(([id, semantic], i) => ({
    statusId: prefix ? `${prefix}:${id}` : id,
    name: STAGE_NAMES[language][i],
    semantic,
  }));
}

export const DEAL_FUNNELS: Funnel[] = [
  {
    id: 0,
    name: 'General',
    sort: 600,
    isDefault: true,
    entityId: 'DEAL_STAGE',
    language: 'en',
    stages: funnelStages('', 'en'),
  },
  {
    id: 1,
    name: 'Оптовые продажи',
    sort: 200,
    isDefault: false,
    entityId: 'DEAL_STAGE_1',
    language: 'ru',
    stages: funnelStages('C1', 'ru'),
  },
  {
    id: 2,
    name: 'Partner programme',
    sort: 400,
    isDefault: false,
    entityId: 'DEAL_STAGE_2',
    language: 'en',
    stages: funnelStages('C2', 'en'),
  },
  {
    id: 3,
    name: 'Ausschreibungen',
    sort: 500,
    isDefault: false,
    entityId: 'DEAL_STAGE_3',
    language: 'de',
    stages: funnelStages('C3', 'de'),
  },
];

/**
 * Bitrix24 gives smart processes even entityTypeIds: first the original dynamic range 128–190
 * (DYNAMIC_128 … DYNAMIC_190, 32 types), then the newer range from 1030 (crm.type.list examples
 * show 1226, 1236, 1246, 1256).
 */
export function spaEntityTypeId(index: number): number {
  return index < 32 ? 128 + index * 2 : 1030 + (index - 32) * 2;
}

const SPA_TITLES: [string, StageLanguage][] = [
  ['Equipment Procurement', 'en'],
  ['Договоры', 'ru'],
  ['Service Tickets 🛠', 'en'],
  ['Partner Onboarding', 'en'],
];
const PIPELINE_NAMES: Record<StageLanguage, [string, string]> = {
  en: ['General', 'Second pipeline'],
  ru: ['Общая', 'Вторая воронка'],
  de: ['Allgemein', 'Zweite Pipeline'],
};

export function spaTypes(count: number): SpaType[] {
  return Array.from({ length: count }, (_, i) => {
    const entityTypeId = spaEntityTypeId(i);
    const [baseTitle, language] = SPA_TITLES[i % SPA_TITLES.length];
    const funnels = [0, 1].map((k): Funnel => {
      const catId = 10 + i * 2 + k;
      return {
        id: catId,
        name: PIPELINE_NAMES[language][k],
        sort: 500,
        isDefault: k === 0,
        entityId: `DYNAMIC_${entityTypeId}_STAGE_${catId}`,
        language,
        stages: funnelStages(`DT${entityTypeId}_${catId}`, language),
      };
    });
    // Titles repeat past the fourth type, numbered so the console's list stays tellable apart.
    const title = i < SPA_TITLES.length ? baseTitle : `${baseTitle} ${Math.floor(i / SPA_TITLES.length) + 1}`;
    return { id: 30 + i, entityTypeId, title, funnels };
  });
}
