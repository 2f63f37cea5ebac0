/**
 * Metadata, history, smart-process, directory, telephony and open-line streams, as data: each
 * entry reads like a row of the stream table: method, key, replication key, scope.
 */
import { DEPARTMENT_FIELD_HINTS, USER_FIELD_HINTS } from '../schema/index.js';
import { dealFunnelFilter } from './families/deal-children.js';
import { fieldRows } from './families/field-rows.js';
import { fixedList } from './families/fixed-list.js';
import {
  LEAD_STATUS_HISTORY_FIELDS,
  STAGE_HISTORY_FIELDS,
  stageHistoryDeclaration,
  stageHistoryStream,
} from './families/stage-history.js';
import {
  CALL_FIELDS,
  CATEGORY_FIELDS,
  DEPARTMENT_FIELDS,
  OPEN_LINE_FIELDS,
  SPA_TYPE_FIELDS,
  STATUS_FIELDS,
  USER_FIELDS,
} from './fixed-fields.js';
import type { StreamFamily } from './machinery/family.js';

export const entityFields = (name: string, entity: string, method: string) =>
  fieldRows({ name, entity, fields: { method } });

export const statusList = fixedList({
  name: 'status_list',
  group: 'metadata',
  description: 'Every CRM dictionary value (crm.status.list): stages, statuses, sources, types, industries.',
  list: 'crm.status.list',
  key: 'ID',
  fields: STATUS_FIELDS,
  validReplicationKeys: [],
  forcedReplicationMethod: 'FULL_TABLE',
  scopes: ['crm'],
  mainFields: ['ID', 'ENTITY_ID', 'STATUS_ID', 'NAME', 'CATEGORY_ID', 'SEMANTICS'],
});

export const dealCategories = fixedList({
  name: 'deal_categories',
  group: 'metadata',
  description:
    'Deal funnels (crm.category.list, entityTypeId 2): the name of each CATEGORY_ID, 0 the default funnel.',
  list: 'crm.category.list',
  key: 'id',
  params: { entityTypeId: 2 },
  fields: CATEGORY_FIELDS,
  validReplicationKeys: [],
  forcedReplicationMethod: 'FULL_TABLE',
  scopes: ['crm'],
  mainFields: ['id', 'name', 'sort', 'isDefault'],
});

const dealStageHistoryDeclaration = stageHistoryDeclaration('deal_stage_history', 'deals', 'crm', 'deals');
export const dealStageHistory: StreamFamily = {
  declaration: dealStageHistoryDeclaration,
  discover: async () =>
    stageHistoryStream({
      declaration: dealStageHistoryDeclaration,
      name: 'deal_stage_history',
      entityTypeId: 2,
      fields: STAGE_HISTORY_FIELDS,
      filter: dealFunnelFilter,
    }),
};

const leadStageHistoryDeclaration = stageHistoryDeclaration('lead_stage_history', 'leads', 'crm', 'leads');
export const leadStageHistory: StreamFamily = {
  declaration: leadStageHistoryDeclaration,
  discover: async () =>
    stageHistoryStream({
      declaration: leadStageHistoryDeclaration,
      name: 'lead_stage_history',
      entityTypeId: 1,
      fields: LEAD_STATUS_HISTORY_FIELDS,
    }),
};

export const spaTypes = fixedList({
  name: 'spa_types',
  group: 'smart_processes',
  description:
    'Smart-process types (crm.type.list); each one adds spa_{entityTypeId}, spa_fields_{entityTypeId} and spa_stage_history_{entityTypeId}.',
  list: 'crm.type.list',
  key: 'id',
  fields: SPA_TYPE_FIELDS,
  validReplicationKeys: [],
  forcedReplicationMethod: 'FULL_TABLE',
  scopes: ['crm'],
  mainFields: ['id', 'entityTypeId', 'title', 'isCategoriesEnabled', 'isStagesEnabled'],
});

export const users = fixedList({
  name: 'users',
  group: 'users_and_structure',
  description: 'Portal users (user.get), with their departments.',
  list: 'user.get',
  key: 'ID',
  // Without ADMIN_MODE (or an ACTIVE filter) user.get answers active users only, so a dismissed
  // employee would silently vanish from the table instead of showing ACTIVE = false.
  params: { ADMIN_MODE: true },
  fields: USER_FIELDS,
  namedBy: { method: 'user.fields', hints: USER_FIELD_HINTS },
  validReplicationKeys: [],
  forcedReplicationMethod: 'FULL_TABLE',
  relations: [{ to: 'departments', via: 'UF_DEPARTMENT', reach: 'many' }],
  scopes: ['user', 'user_brief', 'user_basic'],
  mainFields: ['ID', 'ACTIVE', 'NAME', 'LAST_NAME', 'EMAIL', 'WORK_POSITION', 'UF_DEPARTMENT', 'TIMESTAMP_X'],
  note: 'Always a full table, not incremental on TIMESTAMP_X: user.get answers TIMESTAMP_X in several formats and a date filter it cannot parse silently returns no rows, which would lose changes without an error; users are few, and a full read also catches deactivations.',
});

export const departments = fixedList({
  name: 'departments',
  group: 'users_and_structure',
  description: 'The company structure (department.get).',
  list: 'department.get',
  key: 'ID',
  fields: DEPARTMENT_FIELDS,
  namedBy: { method: 'department.fields', hints: DEPARTMENT_FIELD_HINTS },
  validReplicationKeys: [],
  forcedReplicationMethod: 'FULL_TABLE',
  relations: [{ to: 'departments', via: 'PARENT', reach: 'zero_or_one' }],
  scopes: ['department'],
  mainFields: ['ID', 'NAME', 'PARENT', 'UF_HEAD', 'SORT'],
});

export const calls = fixedList({
  name: 'calls',
  group: 'telephony',
  description: 'Telephony call statistics (voximplant.statistic.get).',
  list: 'voximplant.statistic.get',
  key: 'ID',
  fields: CALL_FIELDS,
  filterParam: 'FILTER',
  replicationKey: 'CALL_START_DATE',
  validReplicationKeys: ['CALL_START_DATE'],
  // A telephony record names the employee who took or made the call and, when the call was
  // logged to the CRM, the activity it became.
  relations: [
    { to: 'users', via: 'PORTAL_USER_ID', reach: 'one' },
    { to: 'activities', via: 'CRM_ACTIVITY_ID', reach: 'zero_or_one' },
  ],
  scopes: ['telephony'],
  mainFields: [
    'ID',
    'CALL_START_DATE',
    'CALL_TYPE',
    'CALL_DURATION',
    'PORTAL_USER_ID',
    'PHONE_NUMBER',
    'CRM_ENTITY_TYPE',
    'CRM_ENTITY_ID',
    'COST',
  ],
});

export const openLines = fixedList({
  name: 'open_lines',
  group: 'open_lines',
  description: 'Open channel configurations (imopenlines.config.list.get).',
  list: 'imopenlines.config.list.get',
  key: 'ID',
  fields: OPEN_LINE_FIELDS,
  validReplicationKeys: [],
  forcedReplicationMethod: 'FULL_TABLE',
  scopes: ['imopenlines'],
  mainFields: ['ID', 'LINE_NAME', 'ACTIVE', 'CRM', 'QUEUE'],
});
