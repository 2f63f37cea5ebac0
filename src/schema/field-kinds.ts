/**
 * Which value kind a Bitrix24 field type carries (e.g. `integer`, `char` as "Y"/"N",
 * `datetime` with the portal's offset, a `money` user field as "300|RUB"). One table decides both
 * the JSON Schema a field gets and how its raw values are turned into typed ones, so the two
 * can never disagree.
 */
import type { FieldDescriptor } from './types.js';

export type ValueKind =
  | 'integer'
  | 'number'
  | 'string'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'object'
  | 'file'
  | 'multifield'
  | 'money'
  | 'address'
  /** A type we do not know: any value is kept, objects and arrays as JSON text. */
  | 'unknown';

const KIND_BY_TYPE: Record<string, ValueKind> = {
  integer: 'integer',
  int: 'integer',
  double: 'number',
  string: 'string',
  text: 'string',
  char: 'boolean',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  object: 'object',
  file: 'file',
  diskfile: 'file',
  attached_diskfile: 'file',
  product_file: 'file',
  // User ids: `user` in std descriptors, `employee` for user-field bindings.
  user: 'integer',
  employee: 'integer',
  // Sale location codes look numeric but are codes ("0000073738"); leading zeros matter.
  location: 'string',
  crm_status: 'string',
  crm_status_extra: 'object',
  crm_currency: 'string',
  crm_company: 'integer',
  crm_contact: 'integer',
  crm_lead: 'integer',
  crm_deal: 'integer',
  crm_quote: 'integer',
  crm_category: 'integer',
  crm_entity: 'integer',
  crm_dynamic_type: 'integer',
  crm_multifield: 'multifield',
  crm_activity_binding: 'object',
  crm_activity_communication: 'object',
  recurring_params: 'object',
  uf_enum_element: 'object',
  // Enumerations are stored as the chosen item's ID; labels live in the `*_fields` stream.
  enumeration: 'integer',
  money: 'money',
  url: 'string',
  address: 'address',
  iblock_section: 'integer',
  iblock_element: 'integer',
  // CRM-binding user fields hold "C_12"/"D_1" document ids (or a bare id when bound to one type).
  crm: 'string',
};

/**
 * `char` fields are Y/N flags except these, which hold a one-letter code
 * (crm.status SEMANTICS: "S" success, "F" failure, null in progress).
 */
const CHAR_CODES_NOT_FLAGS = new Set(['SEMANTICS']);

/** The value kind of a field, by its Bitrix type (and, for `char`, its code). */
export function valueKindOf(field: FieldDescriptor, code?: string): ValueKind {
  const type = field.type;
  if (type === 'char' && code !== undefined && CHAR_CODES_NOT_FLAGS.has(code)) return 'string';
  const known = KIND_BY_TYPE[type];
  if (known) return known;
  // Activity enums (crm_enum_ownertype, crm_enum_activitytype, …) are all integer codes.
  if (type.startsWith('crm_enum_')) return 'integer';
  // Application-defined user-field types store whatever the app writes, as text.
  if (type.startsWith('rest_')) return 'string';
  return 'unknown';
}
