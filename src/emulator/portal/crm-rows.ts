/**
 * Rows of the legacy CRM entities (deal, contact, company, lead) in the encoding of
 * crm.*.list/get: numbers as strings, datetimes with the portal offset, Y/N chars, null for empty.
 */
import type { Row } from './collection.js';
import type { PortalCounts } from './counts.js';
import { formatDateTime, formatLocalMidnight } from './datetime.js';
import type { StdField } from './descriptors/std-field.js';
import { dictionaryIds } from './dictionaries.js';
import { addressText, pickAddress } from './places.js';
import { RowRandom } from './random.js';
import { companyTitle, personName, sampleText } from './text.js';
import { fillUserFields, type UserFieldDef } from './user-fields.js';

export interface EntityGenContext {
  seed: number;
  now: number;
  counts: PortalCounts;
  stream: number;
  fields: StdField[];
  userFields: UserFieldDef[];
  created: Float64Array;
  modified: Float64Array;
  /** Extra hot columns the row must agree with (e.g. CATEGORY_ID, ASSIGNED_BY_ID). */
  hot: Record<string, Float64Array>;
  /** Entity-specific values (title, stage…) computed for this row, created/modified in ms. */
  special(index: number, r: RowRandom, row: Row, created: number, modified: number): void;
}

const MULTIFIELD_TYPES: Record<string, string[]> = {
  PHONE: ['WORK', 'MOBILE', 'FAX', 'HOME', 'PAGER', 'MAILING', 'OTHER'],
  EMAIL: ['WORK', 'HOME', 'MAILING', 'OTHER'],
  WEB: ['WORK', 'HOME', 'VK', 'LIVEJOURNAL', 'TWITTER', 'OTHER'],
  IM: ['TELEGRAM', 'VK', 'SKYPE', 'VIBER', 'BITRIX24', 'OPENLINE', 'IMOL', 'ICQ', 'MSN', 'JABBER', 'OTHER'],
};

const MULTIFIELD_ENTRIES = Object.entries(MULTIFIELD_TYPES);

/** Multifield values in legacy shape: [{ID, VALUE_TYPE, VALUE, TYPE_ID}]. */
export function multifields(r: RowRandom, entityCode: number, id: number): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  let seq = 0;
  for (const [typeId, valueTypes] of MULTIFIELD_ENTRIES) {
    const n = typeId === 'PHONE' || typeId === 'EMAIL' ? r.int(0, 2) : r.chance(0.2) ? 1 : 0;
    const values: Row[] = [];
    for (let k = 0; k < n; k++) {
      const vt = r.pick(valueTypes);
      const value =
        typeId === 'PHONE'
          ? `+${r.int(1, 49)}${r.int(1000000, 9999999)}`
          : typeId === 'EMAIL'
            ? `user${id}.${seq}@example.com`
            : typeId === 'WEB'
              ? `https://site${id}.example.org`
              : `im_${id}_${seq}`;
      values.push({
        ID: String(entityCode * 10000000 + id * 10 + seq++),
        VALUE_TYPE: vt,
        VALUE: value,
        TYPE_ID: typeId,
      });
    }
    out[typeId] = values;
  }
  return out;
}

function standardValue(
  f: StdField,
  r: RowRandom,
  c: EntityGenContext,
  created: number,
  modified: number,
): unknown {
  const [name, type, , , extra] = f;
  const blank = r.chance(0.25);
  switch (type) {
    case 'integer':
      return blank ? null : String(r.int(0, 100));
    case 'double':
      return (r.int(0, 5000000) / 100).toFixed(2);
    case 'char':
      return r.chance(0.5) ? 'Y' : 'N';
    case 'datetime':
      return formatDateTime(created + Math.floor(((modified - created) * r.next()) / 1000) * 1000);
    case 'date':
      return blank ? '' : formatLocalMidnight(created + r.int(-30, 60) * 86400000);
    case 'crm_status': {
      const ids = dictionaryIds(String(extra?.statusType ?? ''));
      return ids.length && !blank ? r.pick(ids) : null;
    }
    case 'user':
      return String(r.int(1, c.counts.users));
    case 'crm_currency':
      return r.pick(['RUB', 'EUR', 'USD']);
    case 'crm_company':
      return String(r.chance(0.3) ? 0 : r.int(1, c.counts.companies));
    case 'crm_contact':
      return String(r.chance(0.2) ? 0 : r.int(1, c.counts.contacts));
    case 'string':
      if (name.startsWith('UTM_')) return blank ? null : r.pick(['google', 'yandex', 'newsletter', 'cpc']);
      // Address parts are written together by fillAddress, from one place.
      if (name.startsWith('ADDRESS') || name.startsWith('REG_ADDRESS')) return null;
      return blank ? null : sampleText(r);
    default:
      return null;
  }
}

const ADDRESS_KEYS = (prefix: string) =>
  ['', '_2', '_CITY', '_POSTAL_CODE', '_REGION', '_PROVINCE', '_COUNTRY', '_COUNTRY_CODE'].map(
    (s) => prefix + s,
  );
const ADDRESS_PARTS = { ADDRESS: ADDRESS_KEYS('ADDRESS'), REG_ADDRESS: ADDRESS_KEYS('REG_ADDRESS') };

/** ADDRESS* (or REG_ADDRESS*) parts of one place; a quarter of the records have no address. */
function fillAddress(row: Row, prefix: 'ADDRESS' | 'REG_ADDRESS', r: RowRandom): string | null {
  if (r.chance(0.25)) return null;
  const a = pickAddress(r);
  const [street, line2, city, postal, region, province, country, code] = ADDRESS_PARTS[prefix];
  row[street] = `${a.street}, ${a.house}`;
  row[line2] = r.chance(0.3) ? `Office ${r.int(1, 40)}` : null;
  row[city] = a.place.city;
  row[postal] = a.postalCode;
  row[region] = a.place.region;
  row[province] = a.place.province;
  row[country] = a.place.country;
  row[code] = a.place.countryCode;
  return addressText(a);
}

/** Per-entity lists derived once instead of per generated row. */
interface RowPlan {
  singleFields: StdField[];
  hot: [string, Float64Array][];
}
const rowPlans = new WeakMap<EntityGenContext, RowPlan>();

function rowPlan(c: EntityGenContext): RowPlan {
  let plan = rowPlans.get(c);
  if (!plan) {
    plan = { singleFields: c.fields.filter((f) => !f[3].includes('m')), hot: Object.entries(c.hot) };
    rowPlans.set(c, plan);
  }
  return plan;
}

export function legacyRow(c: EntityGenContext, index: number, entityCode: number): Row {
  const id = index + 1;
  const r = new RowRandom(c.seed, c.stream, id);
  const created = c.created[index];
  const modified = c.modified[index];
  const plan = rowPlan(c);
  const row: Row = {};
  for (const f of plan.singleFields) row[f[0]] = standardValue(f, r, c, created, modified);
  row.ID = String(id);
  row.DATE_CREATE = formatDateTime(created);
  row.DATE_MODIFY = formatDateTime(modified);
  for (const [k, arr] of plan.hot) row[k] = String(arr[index]);
  if ('COMMENTS' in row) row.COMMENTS = r.chance(0.5) ? `[B]${sampleText(r)}[/B]` : null;
  if ('NAME' in row) {
    const [first, last] = personName(r);
    row.NAME = first;
    row.LAST_NAME = last;
    if ('SECOND_NAME' in row) row.SECOND_NAME = r.chance(0.7) ? null : 'Петрович';
  }
  if ('TITLE' in row) row.TITLE = companyTitle(r);
  if ('ADDRESS_CITY' in row) fillAddress(row, 'ADDRESS', r);
  if ('REG_ADDRESS_CITY' in row) {
    const legal = fillAddress(row, 'REG_ADDRESS', r);
    if ('ADDRESS_LEGAL' in row) row.ADDRESS_LEGAL = legal;
  }
  const mf = multifields(r, entityCode, id);
  Object.assign(row, mf);
  if ('HAS_PHONE' in row) row.HAS_PHONE = mf.PHONE.length ? 'Y' : 'N';
  if ('HAS_EMAIL' in row) row.HAS_EMAIL = mf.EMAIL.length ? 'Y' : 'N';
  if ('HAS_IMOL' in row) row.HAS_IMOL = 'N';
  c.special(index, r, row, created, modified);
  const counts = c.counts;
  fillUserFields(
    row,
    c.userFields,
    {
      rnd: r,
      entityTypeId: entityCode,
      id,
      now: c.now,
      users: counts.users,
      contacts: counts.contacts,
      companies: counts.companies,
      numeric: false,
    },
    false,
  );
  return row;
}
