/**
 * "Empty is NULL": the one rule, for every stream, by which a Bitrix24 value that means "none"
 * becomes null when it is normalised, so DuckDB, Postgres and Singer output agree.
 *
 * - Text (`string`, `text`, `url`, codes, untyped): `""` is how Bitrix24 writes an unset text
 *   field (legacy lists return every empty string field as `""`), so it becomes null.
 * - References: a reference to another record holds `0` when there is none (`COMPANY_ID = 0` on
 *   a deal without a company, `ASSIGNED_BY_ID`, crm.item `companyId: 0`), so it becomes null. A
 *   reference is an integer field of a reference type (`user`, `employee`, `crm_company`, …) or
 *   an integer field whose code ends in `_ID`/`Id` (`ASSOCIATED_ENTITY_ID`, `webformId`).
 *   Category ids are not: `CATEGORY_ID = 0` is the deal's default pipeline, a real category that
 *   `crm.category.list` returns with id 0. Enumeration codes (`crm_enum_*`) are not either.
 *
 * Structured values (objects, arrays, multifields, files) are left as they came: their JSON
 * columns stay lossless.
 */
import type { ValueKind } from './field-kinds.js';
import type { FieldDescriptor } from './types.js';
import type { ValueConverter } from './value-converters.js';

const REFERENCE_TYPES = new Set([
  'user',
  'employee',
  'crm_company',
  'crm_contact',
  'crm_lead',
  'crm_deal',
  'crm_quote',
  'crm_entity',
  'iblock_section',
  'iblock_element',
]);

/** Codes of category references, where 0 is the default pipeline (legacy and crm.item spelling). */
const CATEGORY_CODE = /^(?:CATEGORY_ID|categoryId)$/;
/** Reference codes: `COMPANY_ID`, `PARENT_ID_1224`, crm.item's `companyId`; not the key `ID`. */
const REFERENCE_CODE = /.(?:_ID(?:_\d+)?|Id)$/;

/** What "none" looks like for a field of `kind`, if anything: `""` for text, `0` for references. */
export function emptyValueOf(field: FieldDescriptor, code: string, kind: ValueKind): '' | 0 | undefined {
  if (field.isMultiple) return undefined;
  if (kind === 'string' || kind === 'unknown') return '';
  if (kind !== 'integer' || field.type === 'crm_category' || CATEGORY_CODE.test(code)) return undefined;
  if (REFERENCE_TYPES.has(field.type)) return 0;
  if ((field.type === 'integer' || field.type === 'int') && REFERENCE_CODE.test(code)) return 0;
  return undefined;
}

/** `convert`, with the typed value that means "none" turned into null. */
export function emptyAsNull(convert: ValueConverter, empty: '' | 0 | undefined): ValueConverter {
  if (empty === undefined) return convert;
  return (value) => {
    const typed = convert(value);
    return typed === empty ? null : typed;
  };
}
