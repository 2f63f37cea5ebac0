/**
 * Bitrix24 values with inner structure, as read answers encode them, → objects: money user
 * fields (`"300|RUB"`), Google-Maps address user fields (`"text|lat;lng|locAddrId"`), files
 * (`{id, showUrl, downloadUrl}`) and multifields (PHONE/EMAIL/WEB/IM/LINK items, and crm.item's
 * camelCase `fm`). Each converter also accepts its own output, so normalising twice is harmless.
 */
import {
  type Converted,
  isPlainObject,
  NO_FIT,
  setOwn,
  toInteger,
  toNumber,
  toText,
} from './scalar-values.js';

export interface Money {
  amount: number | null;
  currency: string | null;
}

export interface Address {
  text: string | null;
  lat: number | null;
  lng: number | null;
  location_id: number | null;
}

export interface Multifield {
  ID: number | null;
  VALUE_TYPE: string | null;
  VALUE: string | null;
  TYPE_ID: string | null;
  [k: string]: unknown;
}

const nonEmpty = (text: string): string | null => (text === '' ? null : text);

/** `"300|RUB"` → `{amount: 300, currency: "RUB"}`; a bare amount has no currency. */
export function toMoney(value: unknown): Converted {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? { amount: value, currency: null } : NO_FIT;
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.some((k) => k !== 'amount' && k !== 'currency')) return NO_FIT;
    const amount = toNumber(value.amount ?? null);
    const currency = toText(value.currency ?? null);
    if (amount === NO_FIT || currency === NO_FIT) return NO_FIT;
    return { amount, currency } as Money;
  }
  if (typeof value !== 'string') return NO_FIT;
  const bar = value.indexOf('|');
  const amount = toNumber(bar < 0 ? value : value.slice(0, bar));
  if (amount === NO_FIT) return NO_FIT;
  const currency = bar < 0 ? null : nonEmpty(value.slice(bar + 1).trim());
  if (amount === null && currency === null) return null;
  return { amount, currency } as Money;
}

/**
 * `"Granatny Lane, 10, Berlin|55.761234;37.591234|571"` → `{text, lat, lng, location_id}`.
 * Read from the right: the text itself may contain anything, coordinates and id may not.
 */
export function toAddress(value: unknown): Converted {
  if (value === null || value === undefined || value === '') return null;
  if (isPlainObject(value)) {
    const { text, lat, lng, location_id: locationId, ...rest } = value;
    if (Object.keys(rest).length > 0) return NO_FIT;
    const parts = [
      toText(text ?? null),
      toNumber(lat ?? null),
      toNumber(lng ?? null),
      toInteger(locationId ?? null),
    ];
    if (parts.includes(NO_FIT)) return NO_FIT;
    return { text: parts[0], lat: parts[1], lng: parts[2], location_id: parts[3] } as Address;
  }
  if (typeof value !== 'string') return NO_FIT;
  const pieces = value.split('|');
  let text = value;
  let coords = '';
  let id = '';
  if (pieces.length >= 3) {
    id = pieces.pop()!;
    coords = pieces.pop()!;
    text = pieces.join('|');
  } else if (pieces.length === 2 && /^[-+\d.\s]*;[-+\d.\s]*$/.test(pieces[1])) {
    [text, coords] = pieces;
  }
  const [latText = '', lngText = ''] = coords.split(';');
  const lat = toNumber(latText);
  const lng = toNumber(lngText);
  const locationId = toInteger(id.trim());
  if (lat === NO_FIT || lng === NO_FIT || locationId === NO_FIT) return NO_FIT;
  return { text: nonEmpty(text), lat, lng, location_id: locationId } as Address;
}

/**
 * File references: `{id, showUrl, downloadUrl}` (file), `{id, url}` (activity FILES),
 * timeline attachments with more keys. A bare id becomes `{id}`.
 */
export function toFile(value: unknown): Converted {
  if (value === null || value === undefined || value === '' || value === false) return null;
  if (typeof value === 'number' || typeof value === 'string') {
    const id = toInteger(value);
    return id === NO_FIT || id === null ? NO_FIT : { id };
  }
  if (!isPlainObject(value)) return NO_FIT;
  if (!('id' in value)) return value;
  const id = toInteger(value.id);
  if (id === NO_FIT) return NO_FIT;
  return { ...value, id };
}

const MULTIFIELD_KEYS: Record<string, keyof Multifield> = {
  ID: 'ID',
  id: 'ID',
  VALUE_TYPE: 'VALUE_TYPE',
  valueType: 'VALUE_TYPE',
  VALUE: 'VALUE',
  value: 'VALUE',
  TYPE_ID: 'TYPE_ID',
  typeId: 'TYPE_ID',
};

/** One phone/e-mail/web/messenger item, legacy `{ID,VALUE_TYPE,VALUE,TYPE_ID}` or crm.item `{id,valueType,value,typeId}`. */
export function toMultifield(value: unknown): Converted {
  if (value === null || value === undefined) return null;
  if (!isPlainObject(value)) return NO_FIT;
  const out: Multifield = { ID: null, VALUE_TYPE: null, VALUE: null, TYPE_ID: null };
  for (const [key, raw] of Object.entries(value)) {
    const canonical = MULTIFIELD_KEYS[key];
    if (canonical === undefined) {
      setOwn(out, key, raw);
      continue;
    }
    const typed = canonical === 'ID' ? toInteger(raw) : toText(raw);
    if (typed === NO_FIT) return NO_FIT;
    out[canonical] = typed as never;
  }
  return out;
}
