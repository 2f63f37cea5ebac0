/**
 * Column types of the streams whose methods have no typed `*.fields` (crm.status.list,
 * crm.type.list, user.get, department.get, voximplant.statistic.get, imopenlines.config.list.get):
 * from the documented field lists and the official response examples.
 */
import { type FieldMap, fieldTable } from './declaration.js';

export const STATUS_FIELDS: FieldMap = fieldTable({
  ID: ['integer', 'ID', 'R'],
  ENTITY_ID: [
    'string',
    'Dictionary (STATUS, SOURCE, DEAL_STAGE, DEAL_STAGE_<funnel>, DYNAMIC_<type>_STAGE_<funnel>...)',
  ],
  STATUS_ID: ['string', 'Value code'],
  NAME: ['string', 'Name'],
  NAME_INIT: ['string', 'Initial name'],
  SORT: ['integer', 'Sort'],
  SYSTEM: ['char', 'System value'],
  CATEGORY_ID: ['integer', 'Funnel'],
  COLOR: ['string', 'Color'],
  SEMANTICS: ['char', 'Semantics (S success, F failure, empty in progress)'],
  EXTRA: ['object', 'Extra (SEMANTICS, COLOR)'],
});

/** crm.category.list rows (the official example: id, name, sort, entityTypeId, isDefault Y/N, originId, originatorId). */
export const CATEGORY_FIELDS: FieldMap = fieldTable({
  id: ['integer', 'ID', 'R'],
  name: ['string', 'Name'],
  sort: ['integer', 'Sort'],
  entityTypeId: ['integer', 'Entity type ID'],
  isDefault: ['char', 'Default funnel'],
  originId: ['string', 'External ID'],
  originatorId: ['string', 'External source'],
});

export const SPA_TYPE_FIELDS: FieldMap = fieldTable({
  id: ['integer', 'ID', 'R'],
  title: ['string', 'Title'],
  code: ['string', 'Code'],
  entityTypeId: ['integer', 'Entity type ID'],
  customSectionId: ['integer', 'Custom section'],
  createdBy: ['user', 'Created by'],
  updatedBy: ['user', 'Updated by'],
  createdTime: ['datetime', 'Created'],
  updatedTime: ['datetime', 'Updated'],
  isCategoriesEnabled: ['char', 'Funnels enabled'],
  isStagesEnabled: ['char', 'Stages enabled'],
  isBeginCloseDatesEnabled: ['char', 'Begin/close dates enabled'],
  isClientEnabled: ['char', 'Client field enabled'],
  isUseInUserfieldEnabled: ['char', 'Usable in user fields'],
  isLinkWithProductsEnabled: ['char', 'Products enabled'],
  isMycompanyEnabled: ['char', 'My company enabled'],
  isDocumentsEnabled: ['char', 'Documents enabled'],
  isSourceEnabled: ['char', 'Source enabled'],
  isObserversEnabled: ['char', 'Observers enabled'],
  isRecyclebinEnabled: ['char', 'Recycle bin enabled'],
  isAutomationEnabled: ['char', 'Automation enabled'],
  isBizProcEnabled: ['char', 'Business processes enabled'],
  isSetOpenPermissions: ['char', 'Open permissions'],
  isPaymentsEnabled: ['char', 'Payments enabled'],
  isCountersEnabled: ['char', 'Counters enabled'],
});

/** Documented user.get fields; the portal's `user.fields` adds the rest by name. */
export const USER_FIELDS: FieldMap = fieldTable({
  ID: ['integer', 'ID', 'R'],
  ACTIVE: ['boolean', 'Active'],
  NAME: ['string', 'First name'],
  LAST_NAME: ['string', 'Last name'],
  EMAIL: ['string', 'E-mail'],
  WORK_POSITION: ['string', 'Position'],
  UF_DEPARTMENT: ['integer', 'Departments', 'm'],
  USER_TYPE: ['string', 'User type (employee, extranet, email)'],
  DATE_REGISTER: ['datetime', 'Registered'],
  LAST_LOGIN: ['datetime', 'Last login'],
  TIMESTAMP_X: ['datetime', 'Changed'],
});

export const DEPARTMENT_FIELDS: FieldMap = fieldTable({
  ID: ['integer', 'ID', 'R'],
  NAME: ['string', 'Name'],
  SORT: ['integer', 'Sort'],
  PARENT: ['integer', 'Parent department'],
  UF_HEAD: ['user', 'Head'],
});

export const CALL_FIELDS: FieldMap = fieldTable({
  ID: ['integer', 'ID', 'R'],
  CALL_ID: ['string', 'Call ID'],
  EXTERNAL_CALL_ID: ['string', 'External call ID'],
  CALL_CATEGORY: ['string', 'Category'],
  PORTAL_USER_ID: ['user', 'Employee'],
  PORTAL_NUMBER: ['string', 'Portal number'],
  PHONE_NUMBER: ['string', 'Phone number'],
  CALL_TYPE: ['integer', 'Type (1 outgoing, 2 incoming, 3 incoming redirected, 4 callback, 5 info call)'],
  CALL_DURATION: ['integer', 'Duration, s'],
  CALL_START_DATE: ['datetime', 'Started'],
  CALL_LOG: ['string', 'Log URL'],
  CALL_RECORD_URL: ['string', 'Record URL'],
  CALL_VOTE: ['integer', 'Rating (1-5)'],
  COST: ['double', 'Cost'],
  COST_CURRENCY: ['string', 'Cost currency'],
  CALL_FAILED_CODE: ['string', 'Result code (200 ok, 304 missed, 603 declined, ...)'],
  CALL_FAILED_REASON: ['string', 'Result'],
  CRM_ENTITY_TYPE: ['string', 'CRM entity type (CONTACT, COMPANY, LEAD)'],
  CRM_ENTITY_ID: ['integer', 'CRM entity'],
  CRM_ACTIVITY_ID: ['integer', 'CRM activity'],
  REST_APP_ID: ['integer', 'REST app'],
  REST_APP_NAME: ['string', 'REST app name'],
  TRANSCRIPT_ID: ['integer', 'Transcript'],
  TRANSCRIPT_PENDING: ['char', 'Transcript pending'],
  SESSION_ID: ['string', 'Session'],
  REDIAL_ATTEMPT: ['integer', 'Redial attempt'],
  COMMENT: ['string', 'Comment'],
  RECORD_DURATION: ['integer', 'Record duration, s'],
  RECORD_FILE_ID: ['integer', 'Record file'],
});

export const OPEN_LINE_FIELDS: FieldMap = fieldTable({
  ID: ['integer', 'ID', 'R'],
  LINE_NAME: ['string', 'Name'],
  ACTIVE: ['char', 'Active'],
  CRM: ['char', 'CRM integration'],
  CRM_CREATE: ['string', 'Create in CRM'],
  CRM_SOURCE: ['string', 'CRM source'],
  QUEUE_TYPE: ['string', 'Queue type'],
  QUEUE_TIME: ['integer', 'Queue time, s'],
  DATE_CREATE: ['datetime', 'Created'],
  DATE_MODIFY: ['datetime', 'Modified'],
  MODIFY_USER_ID: ['user', 'Modified by'],
  LANGUAGE_ID: ['string', 'Language'],
  QUEUE: ['integer', 'Operators', 'm'],
  CONFIG_QUEUE: ['object', 'Queue configuration', 'm'],
});
