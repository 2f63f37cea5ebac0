/** Names and text in several scripts, so consumers meet Cyrillic, umlauts, CJK and emoji. */
import type { RowRandom } from './random.js';

export const FIRST_NAMES = [
  'Anna',
  'Иван',
  'Jürgen',
  'Zoë',
  '王芳',
  'Olga',
  'Søren',
  'María',
  'Пётр',
  'Aiko',
  'Lukas',
  'Chloé',
];
export const LAST_NAMES = [
  'Müller',
  'Иванова',
  'Smith',
  '李',
  'García',
  'Öztürk',
  'Schäfer',
  'Кузнецов',
  'Tanaka',
  'Dubois',
];
export const COMPANY_WORDS = [
  'Север',
  'Alpen',
  'Grün',
  'Blue',
  '東方',
  'Nord',
  'Säge',
  'Orbit',
  'Технологии',
  'Data',
];
export const COMPANY_SUFFIX = ['GmbH', 'ООО', 'Ltd', '株式会社', 'AG', 'LLC'];
const PHRASES = [
  'Call back next week',
  'Перезвонить после обеда',
  'Kunde wünscht Rückruf über Förderung',
  '客户要求报价',
  'Great meeting 🎉 follow up',
  'Отправлено КП 📄',
  '',
  'Straße & Größe prüfen',
];

export function sampleText(r: RowRandom): string {
  return r.pick(PHRASES);
}

export function personName(r: RowRandom): [string, string] {
  return [r.pick(FIRST_NAMES), r.pick(LAST_NAMES)];
}

export function companyTitle(r: RowRandom): string {
  return `${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_SUFFIX)}`;
}

/** What deals are about, in the languages the portal's managers write in. */
const DEAL_SUBJECTS = [
  'Server maintenance contract',
  'Website relaunch',
  'Office equipment supply',
  'CRM rollout 🚀',
  'Поставка оборудования',
  'Годовой контракт на обслуживание',
  'Lizenzverlängerung',
  'Wartungsvertrag Bürogebäude',
  '年度服务合同',
];

/**
 * A deal title: Bitrix24 names a deal created without one "Deal #<id>" ("Сделка #<id>" on a
 * Russian portal); the others carry what the manager typed.
 */
export function dealTitle(r: RowRandom, id: number): string {
  return r.chance(0.4) ? `${r.pick(['Deal', 'Сделка'])} #${id}` : r.pick(DEAL_SUBJECTS);
}

const LEAD_SUBJECTS = [
  'Request from website',
  'Callback request',
  'Заявка с сайта',
  'Входящий звонок',
  'Messeanfrage',
  'Angebotsanfrage',
  '网站咨询',
];

export function leadTitle(r: RowRandom, id: number): string {
  return r.chance(0.3) ? `${r.pick(['Lead', 'Лид'])} #${id}` : r.pick(LEAD_SUBJECTS);
}

/** A birth date 20 to 65 years before `at` (ms). */
export function birthDate(r: RowRandom, at: number): number {
  return at - r.int(20 * 365, 65 * 365) * 86400000;
}
