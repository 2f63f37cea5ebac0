/**
 * Field maps the portal does not hand over ready-made: crm.item's `fm` (present with
 * `select: ["*"]` but not listed by crm.item.fields) and UPPER_SNAKE rows described by
 * camelCase descriptors (crm.deal.productrows.get rows vs crm.item.productrow.fields).
 */
import type { FieldDescriptor, FieldMap } from './types.js';

/** crm.item `fm`: phone/e-mail/web/messenger items, normalised to `{ID, VALUE_TYPE, VALUE, TYPE_ID}`. */
export const CRM_ITEM_MULTIFIELDS: FieldDescriptor = {
  type: 'crm_multifield',
  isRequired: false,
  isReadOnly: true,
  isImmutable: false,
  isMultiple: true,
  isDynamic: false,
  title: 'Phones, e-mails, websites, messengers',
};

/** `priceExclusive` → `PRICE_EXCLUSIVE`, `parentId1248` → `PARENT_ID_1248`. */
function upperSnake(camel: string): string {
  return camel
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([a-zA-Z])(\d)/g, '$1_$2')
    .toUpperCase();
}

/** Re-keys camelCase descriptors by `upperName` (or the UPPER_SNAKE of their code when absent). */
export function fieldMapByUpperName(fields: FieldMap): FieldMap {
  const out: FieldMap = {};
  for (const [code, field] of Object.entries(fields)) {
    out[typeof field.upperName === 'string' && field.upperName ? field.upperName : upperSnake(code)] = field;
  }
  return out;
}
