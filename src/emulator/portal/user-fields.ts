/**
 * Custom (UF_*) fields: one of every documented user-field type on each CRM entity, plus multiple
 * variants, with descriptors shaped like crm.company.fields / crm.item.fields examples and values
 * encoded as read answers encode them (money "300|RUB", address "text|lat;lng|id", files as
 * `{id, showUrl, downloadUrl}`, enumerations as item IDs).
 */

import { formatDateTime, formatLocalMidnight } from './datetime.js';
import type { FieldDescriptor } from './descriptors/std-field.js';
import { addressText, pickAddress } from './places.js';
import type { RowRandom } from './random.js';
import { sampleText } from './text.js';

export interface UserFieldDef {
  /** Legacy name, e.g. UF_CRM_STRING or UF_CRM_130_STRING. */
  name: string;
  /** crm.item name, e.g. ufCrmString or ufCrm130_String. */
  camelName: string;
  type: string;
  multiple: boolean;
  label: string;
  settings: Record<string, unknown>;
  items?: { ID: string; VALUE: string }[];
}

const KINDS: [string, string, boolean, string][] = [
  ['STRING', 'string', false, 'Comment line'],
  ['STRINGS', 'string', true, 'Tags'],
  ['INTEGER', 'integer', false, 'Seats'],
  ['DOUBLE', 'double', false, 'Score'],
  ['BOOLEAN', 'boolean', false, 'Is VIP'],
  ['ENUM', 'enumeration', false, 'Segment'],
  ['ENUMS', 'enumeration', true, 'Interests'],
  ['DATETIME', 'datetime', false, 'Next call'],
  ['DATE', 'date', false, 'Contract date'],
  ['MONEY', 'money', false, 'Budget'],
  ['URL', 'url', false, 'Landing page'],
  ['ADDRESS', 'address', false, 'Delivery address'],
  ['ADDRESSES', 'address', true, 'Other addresses'],
  ['FILE', 'file', false, 'Contract scan'],
  ['FILES', 'file', true, 'Attachments'],
  ['EMPLOYEE', 'employee', false, 'Account manager'],
  ['STATUS', 'crm_status', false, 'Source (dictionary)'],
  ['SECTION', 'iblock_section', false, 'Catalog section'],
  ['ELEMENT', 'iblock_element', false, 'Catalog element'],
  ['CRM', 'crm', false, 'Related record'],
  ['CRMS', 'crm', true, 'Related records'],
];

const SETTINGS: Record<string, Record<string, unknown>> = {
  string: { SIZE: 20, ROWS: 1, REGEXP: '', MIN_LENGTH: 0, MAX_LENGTH: 0, DEFAULT_VALUE: '' },
  integer: { SIZE: 20, MIN_VALUE: 0, MAX_VALUE: 0, DEFAULT_VALUE: null },
  double: { PRECISION: 2, SIZE: 20, MIN_VALUE: 0, MAX_VALUE: 0, DEFAULT_VALUE: null },
  boolean: { DEFAULT_VALUE: 0, DISPLAY: 'CHECKBOX', LABEL: ['', ''] },
  enumeration: { DISPLAY: 'LIST', LIST_HEIGHT: 1, CAPTION_NO_VALUE: '', SHOW_NO_VALUE: 'Y' },
  datetime: { DEFAULT_VALUE: { TYPE: 'NONE', VALUE: '' }, USE_SECOND: 'Y', USE_TIMEZONE: 'N' },
  date: { DEFAULT_VALUE: { TYPE: 'NONE', VALUE: '' } },
  money: { DEFAULT_VALUE: '' },
  url: { POPUP: 'Y', SIZE: 20, MIN_LENGTH: 0, MAX_LENGTH: 0, DEFAULT_VALUE: '', ROWS: 1 },
  address: { SHOW_MAP: 'Y' },
  file: {
    SIZE: 20,
    LIST_WIDTH: 0,
    LIST_HEIGHT: 0,
    MAX_SHOW_SIZE: 0,
    MAX_ALLOWED_SIZE: 0,
    EXTENSIONS: [],
    TARGET_BLANK: 'Y',
  },
  employee: {},
  crm_status: { ENTITY_TYPE: 'SOURCE' },
  iblock_section: {
    IBLOCK_TYPE_ID: '',
    IBLOCK_ID: 14,
    DEFAULT_VALUE: '',
    DISPLAY: 'LIST',
    LIST_HEIGHT: 1,
    ACTIVE_FILTER: 'N',
  },
  iblock_element: {
    IBLOCK_TYPE_ID: '',
    IBLOCK_ID: 14,
    DEFAULT_VALUE: '',
    DISPLAY: 'LIST',
    LIST_HEIGHT: 1,
    ACTIVE_FILTER: 'N',
  },
  crm: { LEAD: 'N', CONTACT: 'Y', COMPANY: 'Y', DEAL: 'N' },
};

/** UF fields of an entity; `spaTypeId` switches to the UF_CRM_<typeId>_ naming of smart processes. */
export function userFieldsFor(entityCode: number, spaTypeId?: number): UserFieldDef[] {
  return KINDS.map(([code, type, multiple, label], i) => {
    const name = spaTypeId ? `UF_CRM_${spaTypeId}_${code}` : `UF_CRM_${code}`;
    const tail = code.charAt(0) + code.slice(1).toLowerCase();
    const def: UserFieldDef = {
      name,
      camelName: spaTypeId ? `ufCrm${spaTypeId}_${tail}` : `ufCrm${tail}`,
      type,
      multiple,
      label,
      settings: SETTINGS[type],
    };
    if (type === 'enumeration') {
      const base = entityCode * 100 + i * 10;
      def.items = ['Retail', 'Wholesale', 'Партнёр', 'Großkunde', '大客户'].map((v, k) => ({
        ID: String(base + k),
        VALUE: v,
      }));
    }
    return def;
  });
}

export function userFieldDescriptor(f: UserFieldDef, forItem: boolean): FieldDescriptor {
  const d: FieldDescriptor = {
    type: f.type,
    isRequired: false,
    isReadOnly: false,
    isImmutable: false,
    isMultiple: f.multiple,
    isDynamic: true,
    title: forItem ? f.label : f.name,
  };
  if (f.items) d.items = f.items;
  d.listLabel = f.label;
  d.formLabel = f.label;
  d.filterLabel = f.label;
  d.settings = f.settings;
  if (forItem) d.upperName = f.name;
  return d;
}

export interface UserFieldContext {
  rnd: RowRandom;
  /** The record's entity type (1 lead, 2 deal, 3 contact, 4 company, a smart process's id). */
  entityTypeId: number;
  id: number;
  now: number;
  users: number;
  contacts: number;
  companies: number;
  /** crm.item encodes integers and doubles as JSON numbers. */
  numeric: boolean;
}

const STATUSES = ['CALL', 'WEB', 'EMAIL', 'ADVERTISING', 'PARTNER'];
const LEGACY_ENTITY: Record<number, string> = { 1: 'lead', 2: 'deal', 3: 'contact', 4: 'company' };

/**
 * A file of this record's field: its links name the record's entity, id and field. Ids are unique
 * across the portal (owner type, owner id, and the file's place among the row's files).
 */
function fileValue(c: UserFieldContext, field: string, slot: number): Record<string, unknown> {
  const fileId = c.entityTypeId * 100000000 + c.id * 8 + slot;
  const legacy = LEGACY_ENTITY[c.entityTypeId];
  if (legacy) {
    // The crm.lead.get example's links, with the record's own entity in the component path.
    const q = `ownerId=${c.id}&fieldName=${field}&dynamic=Y&fileId=${fileId}`;
    const path = `/bitrix/components/bitrix/crm.${legacy}.show/show_file.php`;
    return { id: fileId, showUrl: `${path}?${q}`, downloadUrl: `${path}?auth=&${q}` };
  }
  // Our assumption: a smart-process item's file is served by the crm.controller.item.getFile action.
  const q = `entityTypeId=${c.entityTypeId}&id=${c.id}&fieldName=${field}&fileId=${fileId}`;
  const path = '/bitrix/services/main/ajax.php?action=crm.controller.item.getFile&SITE_ID=s1';
  return { id: fileId, showUrl: `${path}&${q}`, downloadUrl: `${path}&auth=&${q}` };
}

/** Address value "text|lat;lng|location id", the text and the coordinates of one place. */
function addressValue(r: RowRandom): string {
  const a = pickAddress(r);
  const locationId = r.int(500, 900);
  if (r.chance(0.5)) return `${addressText(a)}|${a.lat.toFixed(6)};${a.lng.toFixed(6)}|${locationId}`;
  const p = a.place;
  return `, , ${p.city}, ${p.province}, ${p.country}|;|${locationId}`;
}

function oneValue(f: UserFieldDef, c: UserFieldContext, fileSlot: number): unknown {
  const r = c.rnd;
  switch (f.type) {
    case 'string':
      return sampleText(r);
    case 'integer':
      return c.numeric ? r.int(1, 500) : String(r.int(1, 500));
    case 'double': {
      const v = Math.round(r.next() * 100000) / 100;
      return c.numeric ? v : String(v);
    }
    case 'boolean':
      return r.chance(0.5);
    case 'enumeration': {
      const id = r.pick(f.items ?? []).ID;
      return c.numeric ? Number(id) : id;
    }
    case 'datetime':
      return formatDateTime(c.now - r.int(0, 400) * 86400000 - r.int(0, 86399) * 1000);
    case 'date':
      return formatLocalMidnight(c.now - r.int(0, 900) * 86400000);
    case 'money':
      return `${r.int(1, 9000)}|${r.pick(['RUB', 'EUR', 'USD'])}`;
    case 'url':
      return `https://example.com/p/${c.id}?utm=${r.int(1, 99)}`;
    case 'address':
      return addressValue(r);
    case 'file':
      return fileValue(c, f.name, fileSlot);
    case 'employee':
    case 'iblock_section':
    case 'iblock_element': {
      const v = f.type === 'employee' ? r.int(1, c.users) : r.int(1, 40);
      return c.numeric ? v : String(v);
    }
    case 'crm_status':
      return r.pick(STATUSES);
    case 'crm':
      return r.chance(0.6) ? `C_${r.int(1, c.contacts)}` : `CO_${r.int(1, c.companies)}`;
    default:
      return null;
  }
}

/** Writes UF values of one row into `row` (empty ones as null, [] or omitted like a real portal). */
export function fillUserFields(
  row: Record<string, unknown>,
  defs: UserFieldDef[],
  c: UserFieldContext,
  camel: boolean,
): void {
  let files = 0;
  // Each file of the row takes the next of its 8 id slots (a row has at most 1 + 3 files).
  const slot = (f: UserFieldDef) => (f.type === 'file' ? files++ : 0);
  for (const f of defs) {
    const key = camel ? f.camelName : f.name;
    const empty = c.rnd.chance(0.3);
    if (f.multiple) {
      // A multiple field holds each value once (a multi-select cannot pick an option twice);
      // files are distinct by their id slot already.
      const values: unknown[] = [];
      for (let n = empty ? 0 : c.rnd.int(1, 3); n > 0; n--) {
        const v = oneValue(f, c, slot(f));
        if (f.type === 'file' || !values.includes(v)) values.push(v);
      }
      row[key] = values;
    } else if (empty) {
      // An empty single file field is left out of the row altogether (crm.lead.get example).
      if (f.type !== 'file') row[key] = f.type === 'boolean' ? false : null;
    } else {
      row[key] = oneValue(f, c, slot(f));
    }
  }
}
