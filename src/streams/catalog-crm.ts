/**
 * The CRM record streams, as data: each entry reads like a row of the stream table: method, key,
 * replication key, scope.
 * Paging, typing and state are the machinery's (src/streams/machinery).
 */
import { crmEntity } from './families/crm-entity.js';
import { dealContactIds, dealFunnelFilter } from './families/deal-children.js';

const MULTIFIELDS = ['PHONE', 'EMAIL', 'WEB', 'IM'];

export const contacts = crmEntity({
  name: 'contacts',
  description:
    'CRM contacts (crm.contact.list) with phones, e-mails, web and messenger multifields and every UF_* field.',
  list: 'crm.contact.list',
  fields: 'crm.contact.fields',
  key: 'ID',
  replicationKey: 'DATE_MODIFY',
  validReplicationKeys: ['DATE_MODIFY'],
  relations: [
    { to: 'companies', via: 'COMPANY_ID', reach: 'zero_or_one' },
    { to: 'users', via: 'ASSIGNED_BY_ID', reach: 'one' },
  ],
  scopes: ['crm'],
  select: ['*', 'UF_*', ...MULTIFIELDS],
  mainFields: [
    'ID',
    'NAME',
    'LAST_NAME',
    'COMPANY_ID',
    'ASSIGNED_BY_ID',
    'PHONE',
    'EMAIL',
    'DATE_CREATE',
    'DATE_MODIFY',
    'UF_*',
  ],
});

export const companies = crmEntity({
  name: 'companies',
  description: 'CRM companies (crm.company.list) with multifields and every UF_* field.',
  list: 'crm.company.list',
  fields: 'crm.company.fields',
  key: 'ID',
  replicationKey: 'DATE_MODIFY',
  validReplicationKeys: ['DATE_MODIFY'],
  relations: [{ to: 'users', via: 'ASSIGNED_BY_ID', reach: 'one' }],
  scopes: ['crm'],
  select: ['*', 'UF_*', ...MULTIFIELDS],
  mainFields: [
    'ID',
    'TITLE',
    'COMPANY_TYPE',
    'INDUSTRY',
    'REVENUE',
    'ASSIGNED_BY_ID',
    'PHONE',
    'EMAIL',
    'DATE_MODIFY',
    'UF_*',
  ],
});

export const deals = crmEntity({
  name: 'deals',
  description: 'CRM deals (crm.deal.list) with every UF_* field; CONTACT_IDS with extract_deal_contacts.',
  list: 'crm.deal.list',
  fields: 'crm.deal.fields',
  key: 'ID',
  replicationKey: 'DATE_MODIFY',
  validReplicationKeys: ['DATE_MODIFY'],
  relations: [
    { to: 'companies', via: 'COMPANY_ID', reach: 'zero_or_one' },
    // CONTACT_ID is only the first contact; CONTACT_IDS (extract_deal_contacts) holds them all.
    { to: 'contacts', via: 'CONTACT_IDS', reach: 'many' },
    { to: 'leads', via: 'LEAD_ID', reach: 'zero_or_one' },
    { to: 'users', via: 'ASSIGNED_BY_ID', reach: 'one' },
    { to: 'status_list', via: 'STAGE_ID (ENTITY_ID DEAL_STAGE*)', reach: 'one' },
    { to: 'deal_categories', via: 'CATEGORY_ID', reach: 'one' },
  ],
  scopes: ['crm'],
  select: ['*', 'UF_*'],
  notListed: ['CONTACT_IDS'],
  filter: dealFunnelFilter,
  computed: dealContactIds,
  mainFields: [
    'ID',
    'TITLE',
    'CATEGORY_ID',
    'STAGE_ID',
    'OPPORTUNITY',
    'CURRENCY_ID',
    'COMPANY_ID',
    'CONTACT_ID',
    'CONTACT_IDS',
    'ASSIGNED_BY_ID',
    'CLOSEDATE',
    'DATE_MODIFY',
    'UF_*',
  ],
});

export const leads = crmEntity({
  name: 'leads',
  description: 'CRM leads (crm.lead.list) with multifields and every UF_* field.',
  list: 'crm.lead.list',
  fields: 'crm.lead.fields',
  key: 'ID',
  replicationKey: 'DATE_MODIFY',
  validReplicationKeys: ['DATE_MODIFY'],
  relations: [
    { to: 'contacts', via: 'CONTACT_ID', reach: 'zero_or_one' },
    { to: 'companies', via: 'COMPANY_ID', reach: 'zero_or_one' },
    { to: 'users', via: 'ASSIGNED_BY_ID', reach: 'one' },
    { to: 'status_list', via: 'STATUS_ID (ENTITY_ID STATUS)', reach: 'one' },
  ],
  scopes: ['crm'],
  select: ['*', 'UF_*', ...MULTIFIELDS],
  notListed: ['CONTACT_IDS'],
  mainFields: [
    'ID',
    'TITLE',
    'STATUS_ID',
    'SOURCE_ID',
    'OPPORTUNITY',
    'CONTACT_ID',
    'COMPANY_ID',
    'ASSIGNED_BY_ID',
    'PHONE',
    'EMAIL',
    'DATE_MODIFY',
    'UF_*',
  ],
});

export const activities = crmEntity({
  name: 'activities',
  description:
    'CRM activities: calls, meetings, e-mails, tasks (crm.activity.list), with their communications.',
  list: 'crm.activity.list',
  fields: 'crm.activity.fields',
  key: 'ID',
  replicationKey: 'LAST_UPDATED',
  validReplicationKeys: ['LAST_UPDATED', 'CREATED'],
  // OWNER_TYPE_ID says which kind of record OWNER_ID is: 1 lead, 2 deal, 3 contact, 4 company.
  relations: [
    { to: 'leads', via: 'OWNER_ID (OWNER_TYPE_ID 1)', reach: 'zero_or_one' },
    { to: 'deals', via: 'OWNER_ID (OWNER_TYPE_ID 2)', reach: 'zero_or_one' },
    { to: 'contacts', via: 'OWNER_ID (OWNER_TYPE_ID 3)', reach: 'zero_or_one' },
    { to: 'companies', via: 'OWNER_ID (OWNER_TYPE_ID 4)', reach: 'zero_or_one' },
    { to: 'users', via: 'RESPONSIBLE_ID', reach: 'one' },
  ],
  scopes: ['crm'],
  select: ['*', 'COMMUNICATIONS'],
  mainFields: [
    'ID',
    'TYPE_ID',
    'OWNER_TYPE_ID',
    'OWNER_ID',
    'SUBJECT',
    'DIRECTION',
    'COMPLETED',
    'RESPONSIBLE_ID',
    'START_TIME',
    'CREATED',
    'LAST_UPDATED',
    'COMMUNICATIONS',
  ],
  note: "LAST_UPDATED is the default replication key: CREATED (the seed documentation's key, still offered) never sees an activity again after it is created, so completions, reschedules and edits would be lost.",
});

export const product = crmEntity({
  name: 'product',
  description: 'Catalog products (crm.product.list) with their properties.',
  list: 'crm.product.list',
  fields: 'crm.product.fields',
  key: 'ID',
  replicationKey: 'TIMESTAMP_X',
  validReplicationKeys: ['TIMESTAMP_X'],
  scopes: ['crm'],
  select: ['*', 'PROPERTY_*'],
  mainFields: ['ID', 'NAME', 'PRICE', 'CURRENCY_ID', 'SECTION_ID', 'ACTIVE', 'TIMESTAMP_X'],
});
