/** crm.status.*, crm.type.*, crm.category.list, crm.duplicate.findbycomm and small CRM dictionaries. */
import { arrayCollection, type Collection, type Row } from '../portal/collection.js';
import { stdDescriptor } from '../portal/descriptors/std-field.js';
import {
  categoryFields,
  crmTypeFields,
  multifieldFields,
  statusFields,
} from '../portal/descriptors/std-fields.js';
import type { Funnel } from '../portal/funnels.js';
import type { Portal } from '../portal/portal.js';
import { SINGLE_CALL_SECONDS } from '../query/cost.js';
import { type MethodDefinition, MethodError } from './contract.js';
import { listOutcome } from './list-method.js';
import { legacyFilter, orderParam, param, startParam } from './params.js';

const descriptors = (fields: typeof statusFields) =>
  Object.fromEntries(fields.map((f) => [f[0], stdDescriptor(f)]));

const OWNER_TYPES: Row[] = [
  { ID: 1, NAME: 'Lead', SYMBOL_CODE: 'LEAD', SYMBOL_CODE_SHORT: 'L' },
  { ID: 2, NAME: 'Deal', SYMBOL_CODE: 'DEAL', SYMBOL_CODE_SHORT: 'D' },
  { ID: 3, NAME: 'Contact', SYMBOL_CODE: 'CONTACT', SYMBOL_CODE_SHORT: 'C' },
  { ID: 4, NAME: 'Company', SYMBOL_CODE: 'COMPANY', SYMBOL_CODE_SHORT: 'CO' },
  { ID: 5, NAME: 'Invoice (old version)', SYMBOL_CODE: 'INVOICE', SYMBOL_CODE_SHORT: 'I' },
  { ID: 31, NAME: 'Invoice', SYMBOL_CODE: 'SMART_INVOICE', SYMBOL_CODE_SHORT: 'SI' },
  { ID: 7, NAME: 'Quote', SYMBOL_CODE: 'QUOTE', SYMBOL_CODE_SHORT: 'Q' },
  { ID: 8, NAME: 'Billing Details', SYMBOL_CODE: 'REQUISITE', SYMBOL_CODE_SHORT: 'RQ' },
];

const CURRENCIES: Row[] = [
  ['RUB', '1.0000', 'Y', 'Russian Rouble', '# ₽'],
  ['USD', '90.1200', 'N', 'US Dollar', '$#'],
  ['EUR', '98.3100', 'N', 'Euro', '# €'],
].map(([c, amount, base, name, fmt], i) => ({
  CURRENCY: c,
  AMOUNT_CNT: '1',
  AMOUNT: amount,
  SORT: String((i + 1) * 100),
  BASE: base,
  FULL_NAME: name,
  LID: 'en',
  FORMAT_STRING: fmt,
  DEC_POINT: '.',
  THOUSANDS_SEP: ' ',
  DECIMALS: '2',
  DATE_UPDATE: '2024-01-29T12:28:40+03:00',
}));

function categoryRow(f: Funnel, entityTypeId: number): Row {
  const row: Row = { id: f.id, name: f.name, sort: f.sort, entityTypeId, isDefault: f.isDefault ? 'Y' : 'N' };
  if (!f.isDefault) Object.assign(row, { originId: '', originatorId: '' });
  return row;
}

function typeRow(t: Portal['spaTypes'][number], now: number): Row {
  const created = new Date(now - 400 * 86400000).toISOString().slice(0, 19);
  return {
    id: t.id,
    title: t.title,
    code: '',
    createdBy: 1,
    entityTypeId: t.entityTypeId,
    customSectionId: null,
    isCategoriesEnabled: 'Y',
    isStagesEnabled: 'Y',
    isBeginCloseDatesEnabled: 'Y',
    isClientEnabled: 'Y',
    isUseInUserfieldEnabled: 'Y',
    isLinkWithProductsEnabled: 'N',
    isMycompanyEnabled: 'Y',
    isDocumentsEnabled: 'N',
    isSourceEnabled: 'Y',
    isObserversEnabled: 'Y',
    isRecyclebinEnabled: 'Y',
    isAutomationEnabled: 'Y',
    isBizProcEnabled: 'N',
    isSetOpenPermissions: 'Y',
    isPaymentsEnabled: 'N',
    isCountersEnabled: 'N',
    createdTime: `${created}+03:00`,
    updatedTime: `${created}+03:00`,
    updatedBy: 1,
  };
}

/** Phone/e-mail → ids index of one entity, rebuilt when the collection changes. */
class CommunicationIndex {
  private built = -1;
  private map = new Map<string, number[]>();
  constructor(private readonly col: Collection) {}
  lookup(type: 'PHONE' | 'EMAIL', value: string): number[] {
    if (this.built !== this.col.version) this.build();
    return this.map.get(`${type}:${normalise(type, value)}`) ?? [];
  }
  private build(): void {
    this.map.clear();
    for (let id = 1; id <= this.col.maxId; id++) {
      const row = this.col.row(id);
      if (!row) continue;
      for (const type of ['PHONE', 'EMAIL'] as const)
        for (const m of (row[type] as Row[] | undefined) ?? []) {
          const key = `${type}:${normalise(type, String(m.VALUE))}`;
          const list = this.map.get(key) ?? [];
          if (!list.includes(id)) list.push(id);
          this.map.set(key, list);
        }
    }
    this.built = this.col.version;
  }
}

const normalise = (type: string, v: string) =>
  type === 'PHONE' ? v.replace(/\D/g, '') : v.trim().toLowerCase();

const scopes = ['crm'];

/** A method answering a fixed dictionary, in one call's time. */
function small(name: string, result: () => unknown): MethodDefinition {
  return { name, scopes, handle: () => ({ result: result(), cost: SINGLE_CALL_SECONDS }) };
}

export function crmDictionaryMethods(portal: Portal): MethodDefinition[] {
  return [
    ...statusMethods(portal),
    ...fieldDictionaryMethods(portal),
    ...typeAndCategoryMethods(portal),
    ...duplicateMethods(portal),
  ];
}

function statusMethods(portal: Portal): MethodDefinition[] {
  const statuses = arrayCollection('status_list', 'ID', portal.statuses);
  return [
    {
      name: 'crm.status.list',
      scopes,
      handle: (params) =>
        listOutcome({
          col: statuses,
          filter: legacyFilter(params),
          order: orderParam(params, true),
          start: 0,
          pageSize: 100000,
          shape: (r) => r,
        }),
    },
    small('crm.status.fields', () => descriptors(statusFields)),
    small('crm.status.entity.types', () => portal.statusEntityTypes),
  ];
}

function fieldDictionaryMethods(portal: Portal): MethodDefinition[] {
  return [
    small('crm.type.fields', () => ({ fields: descriptors(crmTypeFields) })),
    small('crm.category.fields', () => ({ fields: descriptors(categoryFields) })),
    small('crm.multifield.fields', () => descriptors(multifieldFields)),
    small('crm.enum.ownertype', () => [
      ...OWNER_TYPES,
      ...portal.spaTypes.map((t) => ({
        ID: t.entityTypeId,
        NAME: t.title,
        SYMBOL_CODE: `DYNAMIC_${t.entityTypeId}`,
        SYMBOL_CODE_SHORT: `T${t.entityTypeId.toString(16)}`,
      })),
    ]),
    {
      name: 'crm.currency.list',
      scopes,
      handle: () => ({ result: CURRENCIES, total: CURRENCIES.length, cost: SINGLE_CALL_SECONDS }),
    },
  ];
}

function typeAndCategoryMethods(portal: Portal): MethodDefinition[] {
  return [
    {
      name: 'crm.type.list',
      scopes,
      handle: (params) => {
        const col = arrayCollection(
          'spa_types',
          'id',
          portal.spaTypes.map((t) => typeRow(t, portal.now)),
        );
        return listOutcome(
          { col, filter: legacyFilter(params), order: [], start: startParam(params), shape: (r) => r },
          (types) => ({ types }),
        );
      },
    },
    {
      name: 'crm.category.list',
      scopes,
      handle: (params) => {
        const entityTypeId = Number(param(params, 'entityTypeId'));
        const funnels =
          entityTypeId === 2
            ? portal.dealFunnels
            : portal.spaTypes.find((t) => t.entityTypeId === entityTypeId)?.funnels;
        if (!funnels) throw new MethodError('NOT_FOUND', 'Entity type not found', 400);
        const categories = [...funnels]
          .sort((a, b) => a.sort - b.sort || a.id - b.id)
          .map((f) => categoryRow(f, entityTypeId));
        return { result: { categories }, total: categories.length, cost: SINGLE_CALL_SECONDS };
      },
    },
  ];
}

function duplicateMethods(portal: Portal): MethodDefinition[] {
  const indexes = {
    CONTACT: new CommunicationIndex(portal.crm.contact),
    COMPANY: new CommunicationIndex(portal.crm.company),
    LEAD: new CommunicationIndex(portal.crm.lead),
  };
  return [
    {
      name: 'crm.duplicate.findbycomm',
      scopes,
      handle: (params) => {
        const type = String(param(params, 'type') ?? '').toUpperCase();
        if (type !== 'PHONE' && type !== 'EMAIL')
          throw new MethodError('', 'Communication type is not specified or not supported.', 400);
        const raw = param(params, 'values');
        const values = (
          Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw) : [raw]
        )
          .map(String)
          .slice(0, 20);
        const wanted = String(param(params, 'entity_type') ?? '').toUpperCase();
        const result: Record<string, number[]> = {};
        for (const [entity, index] of Object.entries(indexes)) {
          if (wanted && wanted !== entity) continue;
          const ids = [...new Set(values.flatMap((v) => index.lookup(type, v)))].sort((a, b) => a - b);
          if (ids.length) result[entity] = ids;
        }
        // PHP serialises an empty map as [].
        return { result: Object.keys(result).length ? result : [], cost: SINGLE_CALL_SECONDS * 2 };
      },
    },
  ];
}
