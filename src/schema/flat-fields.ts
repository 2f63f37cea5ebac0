/**
 * `user.fields` and `department.fields` answer a flat `{FIELD: "title"}` map with no types
 * (`api-reference/user/user-get.md`, `api-reference/departments/department-get.md`). The types come
 * from hint tables: ours below for the documented fields, observed in the official examples
 * (`user.get.json`, `department.get.json`). Fields without a hint get type `untyped`: text as it
 * comes, arrays and objects (multiple user fields such as UF_SKILLS may be either) as JSON text, so
 * an unknown shape never fails a record.
 */
import type { FieldDescriptor, FieldMap } from './types.js';

export function flatFieldMap(
  flat: Record<string, string>,
  hints: Record<string, Partial<FieldDescriptor>>,
): FieldMap {
  const fields: FieldMap = {};
  for (const [code, title] of Object.entries(flat)) {
    const hint = hints[code] ?? {};
    fields[code] = {
      type: 'untyped',
      isRequired: false,
      isReadOnly: true,
      isImmutable: false,
      isMultiple: false,
      isDynamic: code.startsWith('UF_'),
      ...hint,
      title: typeof title === 'string' && title !== '' ? title : code,
    };
  }
  return fields;
}

/** user.get: `ACTIVE` a JSON boolean, `IS_ONLINE` "Y"/"N", `UF_DEPARTMENT` an int array, datetimes with offset. */
export const USER_FIELD_HINTS: Record<string, Partial<FieldDescriptor>> = {
  ID: { type: 'integer' },
  ACTIVE: { type: 'boolean' },
  IS_ONLINE: { type: 'char' },
  LAST_LOGIN: { type: 'datetime' },
  DATE_REGISTER: { type: 'datetime' },
  TIMESTAMP_X: { type: 'datetime' },
  LAST_ACTIVITY_DATE: { type: 'datetime' },
  PERSONAL_BIRTHDAY: { type: 'date' },
  UF_EMPLOYMENT_DATE: { type: 'date' },
  UF_DEPARTMENT: { type: 'integer', isMultiple: true },
};

/** department.get: ID and PARENT as strings, SORT as a number, UF_HEAD a user id. */
export const DEPARTMENT_FIELD_HINTS: Record<string, Partial<FieldDescriptor>> = {
  ID: { type: 'integer' },
  SORT: { type: 'integer' },
  PARENT: { type: 'integer' },
  UF_HEAD: { type: 'user' },
};
