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
