/** Users, departments, calls, open lines and catalog products. */
import { Collection, type Row } from './collection.js';
import type { PortalCounts } from './counts.js';
import { formatDateTime } from './datetime.js';
import { hash32, RowRandom, streamCode } from './random.js';
import { COMPANY_WORDS, personName } from './text.js';
import { buildTimeline } from './timeline.js';

export function buildDepartments(counts: PortalCounts): Row[] {
  const names = [
    'Head office',
    'Sales',
    'Отдел продаж',
    'Marketing',
    'R&D',
    'Buchhaltung',
    'Support',
    '物流',
  ];
  return Array.from({ length: counts.departments }, (_, i) => {
    const row: Row = {
      ID: String(i + 1),
      NAME: i === 0 ? 'Head office' : `${names[i % names.length]} ${i}`,
      SORT: 500,
    };
    // A tree: each department hangs under one with a smaller id.
    if (i > 0) row.PARENT = String(1 + Math.floor((i - 1) / 3));
    if (i % 2 === 0) row.UF_HEAD = String(1 + (i % counts.users));
    return row;
  });
}

export function buildUsers(seed: number, now: number, counts: PortalCounts): Collection {
  const stream = streamCode('users');
  const { created, modified } = buildTimeline(seed, stream, counts.users, now);
  return new Collection({
    name: 'users',
    idField: 'ID',
    size: counts.users,
    hot: { TIMESTAMP_X: modified, DATE_REGISTER: created },
    timeColumns: ['TIMESTAMP_X', 'DATE_REGISTER'],
    generate: (i) => {
      const r = new RowRandom(seed, stream, i + 1);
      const [name, last] = personName(r);
      return {
        ID: String(i + 1),
        XML_ID: `u${i + 1}`,
        ACTIVE: i === 0 || r.chance(0.9),
        NAME: name,
        LAST_NAME: last,
        SECOND_NAME: '',
        TITLE: '',
        EMAIL: `employee${i + 1}@example.com`,
        LAST_LOGIN: formatDateTime(modified[i]),
        DATE_REGISTER: formatDateTime(created[i]),
        TIME_ZONE: r.pick(['', 'Europe/Berlin', 'Europe/Moscow']),
        IS_ONLINE: r.chance(0.3) ? 'Y' : 'N',
        TIMESTAMP_X: formatDateTime(modified[i]),
        LAST_ACTIVITY_DATE: formatDateTime(modified[i]),
        PERSONAL_GENDER: r.pick(['', 'M', 'F']),
        PERSONAL_PROFESSION: '',
        PERSONAL_WWW: '',
        PERSONAL_BIRTHDAY: r.chance(0.5)
          ? ''
          : formatDateTime(Date.UTC(1970 + r.int(0, 30), r.int(0, 11), r.int(1, 28)) - 3 * 3600000),
        PERSONAL_PHOTO: null,
        PERSONAL_MOBILE: r.chance(0.5) ? '' : `+49${r.int(1000000, 9999999)}`,
        PERSONAL_PHONE: '',
        PERSONAL_CITY: r.pick(['', 'Berlin', 'Москва']),
        PERSONAL_STATE: '',
        PERSONAL_COUNTRY: '',
        WORK_PHONE: '',
        WORK_COMPANY: '',
        WORK_POSITION: r.pick(['', 'Manager', 'Менеджер', 'Vertrieb']),
        WORK_CITY: '',
        WORK_STATE: '',
        WORK_COUNTRY: '',
        UF_EMPLOYMENT_DATE: '',
        UF_TIMEMAN: null,
        UF_SKILLS: null,
        UF_INTERESTS: null,
        UF_DEPARTMENT: [1 + (hash32(seed, stream, i, 5) % counts.departments)],
        UF_PHONE_INNER: String(100 + i),
        USER_TYPE: 'employee',
      };
    },
  });
}

const FAILED: [string, string][] = [
  ['200', 'Success call'],
  ['304', 'Skipped call'],
  ['603', 'Call declined'],
  ['603-S', 'Decline self'],
  ['486', 'Busy'],
];

export function buildCalls(seed: number, now: number, counts: PortalCounts): Collection {
  const stream = streamCode('calls');
  const { created } = buildTimeline(seed, stream, counts.calls, now);
  return new Collection({
    name: 'calls',
    idField: 'ID',
    size: counts.calls,
    hot: { CALL_START_DATE: created },
    timeColumns: ['CALL_START_DATE'],
    generate: (i) => {
      const r = new RowRandom(seed, stream, i + 1);
      const [code, reason] = r.pick(FAILED);
      const duration = code === '200' ? r.int(5, 1200) : 0;
      const entity = r.pick(['CONTACT', 'COMPANY', 'LEAD']);
      return {
        ID: String(i + 1),
        PORTAL_USER_ID: String(r.int(1, counts.users)),
        PORTAL_NUMBER: `reg${100000 + r.int(0, 9)}`,
        PHONE_NUMBER: `+${r.int(1, 49)}${r.int(100000000, 999999999)}`,
        CALL_ID: `externalCall.${hash32(seed, stream, i, 9).toString(16)}.${i + 1}`,
        EXTERNAL_CALL_ID: null,
        CALL_CATEGORY: 'external',
        CALL_LOG: duration ? `https://storage.example/voximplant-logs/${i + 1}.log` : '',
        CALL_DURATION: String(duration),
        CALL_START_DATE: formatDateTime(created[i]),
        CALL_RECORD_URL: '',
        CALL_VOTE: r.chance(0.8) ? null : String(r.int(1, 5)),
        COST: (duration * 0.01).toFixed(4),
        COST_CURRENCY: 'EUR',
        CALL_FAILED_CODE: code,
        CALL_FAILED_REASON: reason,
        CRM_ENTITY_TYPE: entity,
        CRM_ENTITY_ID: String(r.int(1, entity === 'COMPANY' ? counts.companies : counts.contacts)),
        CRM_ACTIVITY_ID: String(r.int(1, counts.activities)),
        REST_APP_ID: null,
        REST_APP_NAME: null,
        TRANSCRIPT_ID: null,
        TRANSCRIPT_PENDING: 'N',
        SESSION_ID: String(3800000000 + i),
        REDIAL_ATTEMPT: null,
        COMMENT: null,
        RECORD_DURATION: null,
        RECORD_FILE_ID: duration && r.chance(0.5) ? 9000 + i : null,
        CALL_TYPE: String(r.pick([1, 2, 2, 3, 4])),
      };
    },
  });
}

export function buildOpenLines(counts: PortalCounts): Row[] {
  const names = ['Website chat', 'Telegram', 'Поддержка', 'Kundenservice', 'VIP 💎'];
  return Array.from({ length: counts.openLines }, (_, i) => ({
    ID: String(i + 1),
    LINE_NAME: names[i % names.length],
    ACTIVE: i === 0 || i % 3 !== 2 ? 'Y' : 'N',
    CRM: 'Y',
    CRM_CREATE: 'lead',
    QUEUE_TYPE: 'evenly',
    DATE_CREATE: '2024-01-10T09:00:00+03:00',
  }));
}

/** crm.product rows (legacy encoding); no official example exists, fields per crm.product.fields docs. */
export function buildProducts(seed: number, now: number, counts: PortalCounts): Collection {
  const stream = streamCode('product');
  const { created, modified } = buildTimeline(seed, stream, counts.products, now);
  return new Collection({
    name: 'product',
    idField: 'ID',
    size: counts.products,
    hot: { DATE_CREATE: created, TIMESTAMP_X: modified },
    timeColumns: ['DATE_CREATE', 'TIMESTAMP_X'],
    generate: (i) => productRow(seed, stream, i, created[i], modified[i]),
  });
}

export function productName(seed: number, id: number): string {
  const r = new RowRandom(seed, streamCode('product'), id);
  return `${r.pick(COMPANY_WORDS)} ${r.pick(['Widget', 'Лицензия', 'Gerät', '服务', 'Kit'])} ${id}`;
}

function productRow(seed: number, stream: number, i: number, created: number, modified: number): Row {
  const r = new RowRandom(seed, stream, i + 1);
  r.next();
  return {
    ID: String(i + 1),
    NAME: productName(seed, i + 1),
    CODE: `product_${i + 1}`,
    ACTIVE: r.chance(0.9) ? 'Y' : 'N',
    PREVIEW_PICTURE: null,
    DETAIL_PICTURE: null,
    SORT: '500',
    XML_ID: String(1000 + i),
    TIMESTAMP_X: formatDateTime(modified),
    DATE_CREATE: formatDateTime(created),
    MODIFIED_BY: '1',
    CREATED_BY: '1',
    CATALOG_ID: '25',
    SECTION_ID: String(r.int(1, 12)),
    DESCRIPTION: r.chance(0.5) ? null : 'Описание / Beschreibung',
    DESCRIPTION_TYPE: 'text',
    PRICE: (r.int(100, 1000000) / 100).toFixed(2),
    CURRENCY_ID: r.pick(['RUB', 'EUR', 'USD']),
    VAT_ID: null,
    VAT_INCLUDED: 'Y',
    MEASURE: '9',
  };
}
